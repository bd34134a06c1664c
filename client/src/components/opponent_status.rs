//! The opponent's connection state under the indicator (SPEC R9), the "Opponent disconnected"
//! banner and the abandoned-game dialog (SPEC R5).

use dioxus::prelude::*;

use crate::config::UiConfig;
use crate::model::GameModel;
use crate::status_view::opponent_view;
use crate::web::browser::sleep_ms;
use crate::web::connection::Command;

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
    let view = opponent_view(&status, &name, now, &config);
    let timer = view.timer.clone().unwrap_or_default();
    rsx! {
        div { id: "opponent-status", class: "indicator small {view.state}", "data-state": view.state,
            "data-timer": "{timer}",
            span { class: "dot" }
            span { class: "label", "{view.text}" }
        }
        if returned() {
            div { id: "opponent-notice", class: "toast", "Opponent reconnected" }
        }
    }
}

/// "Opponent disconnected (m:ss)" above the table from 2 minutes of absence (R5).
#[component]
pub fn OpponentBanner(model: Signal<GameModel>, now: i64, config: UiConfig) -> Element {
    let m = model.read();
    let Some(status) = m.opponent_status().cloned() else {
        return rsx! {};
    };
    let view = opponent_view(&status, "Opponent", now, &config);
    let waited = m.waited;
    match view.banner {
        Some(text) => rsx! {
            div { id: "opponent-banner", class: "banner warn", "data-waited": "{waited}", "{text}" }
        },
        None => rsx! {},
    }
}

/// "Opponent has abandoned the game" with "Wait" and "Claim victory" (R5).
#[component]
pub fn AbandonedDialog(model: Signal<GameModel>) -> Element {
    let conn = use_coroutine_handle::<Command>();
    let Some(options) = model.read().abandoned.clone() else {
        return rsx! {};
    };
    let can_wait = options.iter().any(|o| o == "wait");
    let can_claim = options.iter().any(|o| o == "claim_victory");
    rsx! {
        div { id: "abandoned-dialog", class: "dialog", role: "dialog",
            h2 { "Opponent has abandoned the game" }
            p { "Your opponent has been gone for a long time. Wait for them, or claim the victory." }
            if can_wait {
                button { id: "abandon-wait", onclick: move |_| conn.send(Command::Wait), "Wait" }
            }
            if can_claim {
                button {
                    id: "claim-victory",
                    class: "primary",
                    onclick: move |_| conn.send(Command::ClaimVictory),
                    "Claim victory"
                }
            }
        }
    }
}
