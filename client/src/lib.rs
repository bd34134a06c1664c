//! Casino Online web client. Pure logic lives in plain modules that are tested natively;
//! the Dioxus components are compiled only for the browser (wasm32).

pub mod backoff;
pub mod card_face;
pub mod config;
pub mod deal_check;
pub mod hand_moves;
pub mod hand_report;
pub mod heartbeat;
pub mod hints;
pub mod home_prefs;
pub mod how_to_play;
pub mod labels;
pub mod last_move;
pub mod model;
pub mod resume;
pub mod session_store;
pub mod speech;
pub mod status_view;
pub mod tab_title;
pub mod tabs;
pub mod variants;
pub mod why;
pub mod wording;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod navigation;
#[cfg(target_arch = "wasm32")]
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod web;
