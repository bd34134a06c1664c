//! Casino Online web client. Pure logic lives in plain modules that are tested natively;
//! the Dioxus components are compiled only for the browser (wasm32).

pub mod card_face;

#[cfg(target_arch = "wasm32")]
pub mod app;
