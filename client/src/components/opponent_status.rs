//! The opponent's presence under the indicator (SPEC R9), the banner above the table, the
//! abandoned-game dialog and, after Wait, the bar that keeps "Claim victory" at hand (SPEC R5).

use dioxus::prelude::*;
use game::protocol::AbandonOption;

use crate::components::clock::use_clock;
use crate::components::modal::Modal;
use crate::config::UiConfig;
use crate::model::Input;
use crate::status_view::{clock, opponent_unknown, opponent_view};
use crate::store::GameStore;
use crate::web::browser::sleep_ms;
use crate::web::connection::Command;

/// Connected, disconnected or reconnecting (with a timer after a minute), temporarily
/// disconnected, left; and a brief "Opponent reconnected" notice. Nothing until an opponent
/// has joined; "unknown" while this page's own link is down (`known` false).
#[component]
pub fn OpponentStatus(model: GameStore, config: UiConfig, known: bool) -> Element {
    let now = use_clock();
    let returned = use_memo(move || model.read().opponent_returned);
    use_effect(move || {
        if returned() {
            spawn(async move {
                sleep_ms(config.reconnected_notice_ms).await;
                model.dispatch(Input::ReturnNoticeSeen);
            });
        }
    });
    let m = model.read();
    // Before anyone joined there is no one to be connected or gone (not "disconnected").
    let Some(presence) = m
        .opponent_presence()
        .filter(|_| m.opponent_joined())
        .cloned()
    else {
        return rsx! {};
    };
    let name = m.name_of(presence.seat).unwrap_or("Opponent").to_owned();
    let view = if known {
        opponent_view(&presence, &name, now, &config)
    } else {
        opponent_unknown(&name)
    };
    let timer = view.timer.clone().unwrap_or_default();
    rsx! {
        div { id: "opponent-status", class: "indicator small {view.state}", "data-state": view.state,
            "data-timer": "{timer}",
            span { class: "dot" }
            span { class: "label", "{view.text}" }
        }
        if returned() && known {
            div { id: "opponent-notice", class: "toast", role: "status", "Opponent reconnected" }
        }
    }
}

/// Above the table: "Opponent disconnected (m:ss)" from 2 minutes of absence, or "Bob left the
/// game" (R5).
#[component]
pub fn OpponentBanner(model: GameStore, config: UiConfig) -> Element {
    let now = use_clock();
    let m = model.read();
    // Before anyone joined there is no one to be connected or gone (not "disconnected").
    let Some(presence) = m
        .opponent_presence()
        .filter(|_| m.opponent_joined())
        .cloned()
    else {
        return rsx! {};
    };
    let name = m.name_of(presence.seat).unwrap_or("Opponent").to_owned();
    let view = opponent_view(&presence, &name, now, &config);
    let waiting = m.offer.as_ref().is_some_and(|o| o.waiting);
    match view.banner {
        Some(text) => rsx! {
            div { id: "opponent-banner", class: "banner warn", "data-waited": "{waiting}", "{text}" }
        },
        None => rsx! {},
    }
}

/// "Opponent has abandoned the game" (or "Bob left the game") with "Wait" and "Claim
/// victory" (R5); after Wait (or Escape), a bar that counts down to the game's end and keeps
/// "Claim victory".
#[component]
pub fn AbandonedDialog(model: GameStore) -> Element {
    let now = use_clock();
    let conn = use_coroutine_handle::<Command>();
    let m = model.read();
    let Some(offer) = m.offer.clone() else {
        return rsx! {};
    };
    let name = m
        .opponent()
        .and_then(|s| m.name_of(s))
        .unwrap_or("Your opponent")
        .to_owned();
    let left = m
        .opponent_presence()
        .is_some_and(|p| p.state == game::protocol::PresenceState::Left);
    drop(m);
    let can_wait = offer.options.contains(&AbandonOption::Wait);
    let can_claim = offer.options.contains(&AbandonOption::ClaimVictory);
    let remaining = clock(offer.return_by - now);
    if offer.waiting {
        let text = if left {
            format!("{name} left the game. Claim the victory to end it.")
        } else {
            format!("Waiting for {name}. If they are not back in {remaining}, you win.")
        };
        return rsx! {
            div { id: "waiting-bar", class: "banner info",
                span { "{text}" }
                if can_claim {
                    ClaimButton { claiming: offer.claiming }
                }
            }
        };
    }
    let (title, text) = if left {
        (
            format!("{name} left the game"),
            "They will not come back. Claim the victory to end the game.".to_owned(),
        )
    } else {
        (
            "Opponent has abandoned the game".to_owned(),
            format!(
                "{name} has been gone for a long time. Wait for them (you win if they are not \
                 back in {remaining}), or claim the victory now."
            ),
        )
    };
    // Escape waits (the game goes on); when there is nothing to wait for, it puts the dialog
    // away and keeps "Claim victory" in the bar.
    let escape = move |_| {
        if can_wait {
            conn.send(Command::Wait);
        } else {
            model.dispatch(Input::PutOfferAway);
        }
    };
    let first = if can_wait {
        "abandon-wait"
    } else {
        "claim-victory"
    };
    rsx! {
        Modal {
            id: "abandoned-dialog",
            labelled_by: "abandoned-title",
            described_by: "abandoned-text",
            focus: first,
            on_escape: escape,
            h2 { id: "abandoned-title", "{title}" }
            p { id: "abandoned-text", "{text}" }
            if can_wait {
                button {
                    id: "abandon-wait",
                    r#type: "button",
                    disabled: offer.claiming,
                    onclick: move |_| conn.send(Command::Wait),
                    "Wait"
                }
            }
            if can_claim {
                ClaimButton { claiming: offer.claiming }
            }
        }
    }
}

/// "Claim victory", off while a claim waits for the server's answer.
#[component]
fn ClaimButton(claiming: bool) -> Element {
    let conn = use_coroutine_handle::<Command>();
    rsx! {
        button {
            id: "claim-victory",
            r#type: "button",
            class: "primary",
            disabled: claiming,
            onclick: move |_| conn.send(Command::ClaimVictory),
            "Claim victory"
        }
    }
}
