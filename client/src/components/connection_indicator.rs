//! The top-right indicator of this player's connection (SPEC R8).

use dioxus::prelude::*;

use crate::status_view::{indicator_view, LinkView};
use crate::web::connection::Command;

/// Green "Connected", yellow "Connection unstable", orange "Reconnecting… (n/5)" or "Offline:
/// waiting for the network", red "Disconnected" with Retry (disabled while an attempt runs).
#[component]
pub fn ConnectionIndicator(link: Signal<LinkView>) -> Element {
    let conn = use_coroutine_handle::<Command>();
    let view = link();
    let shown = indicator_view(&view);
    let state = shown.state;
    let text = shown.text;
    let spinner = shown.spinner;
    let rtt = view
        .rtt_ms
        .map(|ms| format!("round trip {ms} ms"))
        .unwrap_or_default();
    rsx! {
        div { id: "connection-status", class: "indicator {state}", "data-state": state, title: "{rtt}",
            if spinner {
                span { class: "spinner" }
            } else {
                span { class: "dot" }
            }
            span { class: "label", "{text}" }
            if let Some(enabled) = shown.retry {
                button {
                    id: "retry",
                    disabled: !enabled,
                    onclick: move |_| conn.send(Command::Retry),
                    "Retry"
                }
            }
        }
    }
}
