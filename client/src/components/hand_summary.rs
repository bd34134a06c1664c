//! Between hands: the summary of the hand that just ended — each scoring category with the
//! cards behind it, points this hand and running totals — in a dialog that stays open through
//! the server's break. "Next hand" tells the server this player is ready, once; the status line
//! (a polite live region) then says "Waiting for Bob…", or "Bob is ready" when the opponent is
//! first, and a countdown shows when the next hand starts anyway (`next_hand_at`, on the
//! server's clock). Escape puts the dialog away without saying anything: the dealt table shows,
//! under a bar that offers the summary again and "Next hand". The dialog closes when the server
//! starts the hand (`hand_started`); the focus then goes to the player's hand. After the last
//! hand "See the result" just closes it.

use dioxus::prelude::*;
use game::HandResult;

use crate::components::clock::use_clock;
use crate::components::modal::Modal;
use crate::hand_report::{category_lines, running_totals};
use crate::model::Input;
use crate::store::GameStore;
use crate::web::browser::now_ms;
use crate::web::connection::Command;

/// Where the focus goes when the dialog closes, first choice first: the player's hand (its
/// tab stop), else what is left of the screen.
const FOCUS_AFTER: &[&str] = &[
    "#my-hand button[tabindex=\"0\"]",
    "#my-hand button",
    "#turn-indicator",
    "#play-again",
    "#leave-room",
];

/// The hand-summary dialog, while `model.hand_summary` is set and not put away; the room's
/// once-a-second tick redraws the countdown, which reads the clock afresh (the tick may be
/// most of a second old).
#[component]
pub fn HandSummaryDialog(model: GameStore) -> Element {
    let _ = use_clock();
    let conn = use_coroutine_handle::<Command>();
    let press = move || conn.send(Command::NextHand);
    let m = model.read();
    let Some(hand) = m.hand_summary.clone().filter(|_| m.summary_open()) else {
        return rsx! {};
    };
    let names = m.names();
    let me = m.you.map_or(0, |s| s.index());
    let hands: Vec<HandResult> = m
        .view
        .as_ref()
        .map(|v| v.hand_results.clone())
        .unwrap_or_default();
    let game_over = m.view.as_ref().is_some_and(|v| v.result.is_some());
    let ready = !game_over && m.is_ready();
    let status = if game_over {
        String::new()
    } else {
        m.break_status()
    };
    let countdown = if game_over {
        None
    } else {
        m.seconds_to_next_hand(now_ms())
    };
    drop(m);
    let order = [me, 1 - me];
    let totals = running_totals(&hands)
        .get(hand.hand_number.saturating_sub(1) as usize)
        .copied()
        .unwrap_or_default();
    let lines = category_lines(&hand, [names[0].as_str(), names[1].as_str()]);
    let button = if game_over {
        "See the result"
    } else {
        "Next hand"
    };
    let countdown = countdown.map(|s| {
        if s > 0 {
            format!("The next hand starts in {s} s")
        } else {
            "The next hand is starting…".to_owned()
        }
    });
    rsx! {
        // The dealt hand waits out of sight under it.
        Modal {
            id: "hand-summary",
            labelled_by: "hand-summary-title",
            focus: "hand-summary-next",
            class: "summary",
            return_to: FOCUS_AFTER,
            back_to_opener: false,
            on_escape: move |_| {
                model.dispatch(Input::PutSummaryAway);
            },
            div { "data-hand": "{hand.hand_number}",
                h2 { id: "hand-summary-title", "Hand {hand.hand_number} is over" }
                ul { id: "hand-summary-details", "aria-label": "Who took what",
                    for line in lines.iter() {
                        li { "data-category": "{line.category}",
                            strong { "{line.category}: " }
                            "{line.detail}"
                        }
                    }
                }
                SummaryTable { hand: hand.clone(), names: names.clone(), order, totals }
                // Always in the dialog, so that screen readers hear each change of its text.
                p { id: "hand-summary-status", role: "status", "aria-live": "polite",
                    "aria-atomic": "true", "{status}"
                }
                if let Some(countdown) = countdown {
                    // Not live: a countdown read out every second would drown everything else.
                    p { id: "hand-summary-countdown", class: "hint", "{countdown}" }
                }
                button {
                    id: "hand-summary-next",
                    r#type: "button",
                    class: "primary",
                    // Still focusable once pressed: the focus stays in the dialog until it closes.
                    "aria-disabled": if ready { "true" } else { "false" },
                    "aria-describedby": "hand-summary-status",
                    "data-ready": if ready { "true" } else { "false" },
                    onclick: move |_| press(),
                    "{button}"
                }
            }
        }
    }
}

/// The points of `hand` by category, this hand and the game's totals, the player first.
#[component]
fn SummaryTable(
    hand: HandResult,
    names: [String; 2],
    order: [usize; 2],
    totals: [u32; 2],
) -> Element {
    let lines = category_lines(&hand, [names[0].as_str(), names[1].as_str()]);
    rsx! {
        table { id: "hand-summary-table", class: "breakdown",
            caption { "Points of hand {hand.hand_number}" }
            thead {
                tr {
                    th { scope: "col", "Category" }
                    for i in order {
                        th { scope: "col", "{names[i]}" }
                    }
                }
            }
            tbody {
                for line in lines {
                    tr { "data-category": "{line.category}",
                        th { scope: "row", "{line.category}" }
                        for i in order {
                            td { "{line.points[i]}" }
                        }
                    }
                }
                tr { id: "hand-summary-points", "data-category": "Points this hand",
                    th { scope: "row", "This hand" }
                    for i in order {
                        td { "{hand.seats[i].total}" }
                    }
                }
                tr { id: "hand-summary-totals", "data-category": "Game total",
                    th { scope: "row", "Game total" }
                    for i in order {
                        td { "{totals[i]}" }
                    }
                }
            }
        }
    }
}

/// Above the table while the summary is put away: "Hand 1 is over", the summary again, and
/// "Next hand" (which says so in place once pressed).
#[component]
pub fn HandSummaryBar(model: GameStore) -> Element {
    let conn = use_coroutine_handle::<Command>();
    let m = model.read();
    let Some(hand) = m.hand_summary.as_ref().map(|h| h.hand_number) else {
        return rsx! {};
    };
    if m.summary_open() {
        return rsx! {};
    }
    let game_over = m.view.as_ref().is_some_and(|v| v.result.is_some());
    let ready = !game_over && m.is_ready();
    let status = m.break_status();
    drop(m);
    rsx! {
        div { id: "hand-summary-bar", class: "banner info",
            span { "Hand {hand} is over. " span { role: "status", "{status}" } }
            button { id: "hand-summary-show", r#type: "button",
                onclick: move |_| {
                    model.dispatch(Input::ShowSummary);
                },
                "Show the summary"
            }
            if !game_over {
                button {
                    id: "hand-summary-bar-next",
                    r#type: "button",
                    class: "primary",
                    "aria-disabled": if ready { "true" } else { "false" },
                    onclick: move |_| conn.send(Command::NextHand),
                    "Next hand"
                }
            }
        }
    }
}
