//! The opponent's connection state under the indicator (SPEC R9).

use dioxus::prelude::*;

use crate::config::UiConfig;
use crate::model::GameModel;
use crate::web::browser::sleep_ms;

fn clock(ms: i64) -> String {
    let secs = (ms / 1_000).max(0);
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// Connected, disconnected (with a timer after a minute), reconnecting, and a brief
/// "Opponent reconnected" notice.
#[component]
pub fn OpponentStatus(model: Signal<GameModel>, now: i64, config: UiConfig) -> Element {
    let returned = use_memo(move || model.read().opponent_returned);
    use_effect(move || {
        if returned() {
            spawn(async move {
                sleep_ms(config.reconnected_notice_ms).await;
                model.write().opponent_returned = false;
            });
        }
    });
    let m = model.read();
    let Some(status) = m.opponent_status().cloned() else {
        return rsx! {};
    };
    let name = m.name_of(status.seat).unwrap_or("Opponent").to_owned();
    let (state, text) = if status.connected {
        ("connected", format!("{name}: connected"))
    } else {
        let away = status.disconnected_since.map(|since| now - since);
        let timer = match away {
            Some(ms) if ms >= config.opponent_timer_after_ms => format!(" ({})", clock(ms)),
            _ => String::new(),
        };
        if status.temporarily_disconnected {
            ("away", format!("{name}: temporarily disconnected{timer}"))
        } else if status.reconnecting {
            ("reconnecting", format!("{name}: reconnecting…{timer}"))
        } else {
            ("disconnected", format!("{name}: disconnected{timer}"))
        }
    };
    rsx! {
        div { id: "opponent-status", class: "indicator small {state}", "data-state": state,
            span { class: "dot" }
            span { class: "label", "{text}" }
        }
        if returned() {
            div { id: "opponent-notice", class: "toast", "Opponent reconnected" }
        }
    }
}
