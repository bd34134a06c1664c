//! Browser glue (wasm only): clock, randomness, timers, storage, HTTP and the socket.

pub mod api;
pub mod browser;
pub mod connection;
pub mod modal;
pub mod socket;
pub mod sound;
pub mod storage;
pub mod tab_channel;
