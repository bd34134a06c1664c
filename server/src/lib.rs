//! Casino Online game server: HTTP API, WebSocket sessions and room actors.

pub mod config;
pub mod routes;
pub mod startup;

pub use config::Config;
pub use startup::Application;
