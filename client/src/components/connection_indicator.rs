//! The top-right indicator of this player's connection (SPEC R8).

use dioxus::prelude::*;

use crate::backoff::LinkState;
use crate::heartbeat::Health;
use crate::web::connection::{Command, LinkView};

/// Green "Connected", yellow "Connection unstable", orange "Reconnecting… (n/5)", red
/// "Disconnected" with Retry (disabled while a retry runs).
#[component]
pub fn ConnectionIndicator(link: Signal<LinkView>) -> Element {
    let conn = use_coroutine_handle::<Command>();
    let view = link();
    let (state, text, spinner) = match view.state {
        LinkState::Connected if view.health == Health::Unstable => {
            ("unstable", "Connection unstable".to_owned(), false)
        }
        LinkState::Connected => ("connected", "Connected".to_owned(), false),
        LinkState::Connecting => ("connecting", "Connecting…".to_owned(), true),
        LinkState::Reconnecting { attempt, max, .. } => (
            "reconnecting",
            format!("Reconnecting… ({attempt}/{max})"),
            true,
        ),
        LinkState::Disconnected => ("disconnected", "Disconnected".to_owned(), false),
        LinkState::Stopped => ("stopped", "Offline".to_owned(), false),
    };
    let show_retry = state == "disconnected" || (state == "reconnecting" && view.manual);
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
            if show_retry {
                button {
                    id: "retry",
                    disabled: state != "disconnected",
                    onclick: move |_| conn.send(Command::Retry),
                    "Retry"
                }
            }
        }
    }
}
