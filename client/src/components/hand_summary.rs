//! Between hands: the summary of the hand that just ended — each scoring category with the
//! cards behind it, points this hand and running totals — in a dialog that stays open through
//! the server's break. "Next hand" (or Escape / Enter) tells the server this player is ready,
//! once; the status line (a polite live region) then says "Waiting for Bob…", or "Bob is
//! ready" when the opponent is first, and a countdown shows when the next hand starts anyway
//! (`next_hand_at`, on the server's clock). The dialog closes when the server starts the hand
//! (`hand_started`); the focus then goes to the player's hand. After the last hand "See the
//! result" just closes it. The focus moves into the dialog when it opens.

use std::cell::Cell;
use std::rc::Rc;

use dioxus::prelude::*;
use game::HandResult;

use crate::hand_report::{category_lines, running_totals};
use crate::model::GameModel;
use crate::web::browser::{focus_first, focus_id, now_ms, sleep_ms};
use crate::web::connection::Command;

/// Where the focus goes when the dialog closes, first choice first: the player's hand (its
/// tab stop), else what is left of the screen.
const FOCUS_AFTER: [&str; 5] = [
    "#my-hand button[tabindex=\"0\"]",
    "#my-hand button",
    "#turn-indicator",
    "#play-again",
    "#leave-room",
];

/// The hand-summary dialog, while `model.hand_summary` is set; a new `now` (the room's
/// once-a-second tick) redraws the countdown, which reads the clock afresh (the tick may be
/// most of a second old).
#[component]
pub fn HandSummaryDialog(model: Signal<GameModel>, now: i64) -> Element {
    let _ = now;
    let conn = use_coroutine_handle::<Command>();
    let hand_number = use_memo(move || model.read().hand_summary.as_ref().map(|h| h.hand_number));
    let was_open: Rc<Cell<bool>> = use_hook(|| Rc::new(Cell::new(false)));
    use_effect(move || {
        let open = hand_number().is_some();
        let opened = open && !was_open.get();
        let closed = !open && was_open.get();
        was_open.set(open);
        if opened || closed {
            // Once the dialog is in the page, or has left it.
            spawn(async move {
                sleep_ms(0).await;
                if opened {
                    focus_id("hand-summary-next");
                } else {
                    focus_first(&FOCUS_AFTER);
                }
            });
        }
    });
    let press = move || conn.send(Command::NextHand);
    let m = model.read();
    let Some(hand) = m.hand_summary.clone() else {
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
        // Opaque: the summary reads on one plain background (the dealt hand waits under it).
        div { class: "backdrop solid" }
        div {
            id: "hand-summary",
            class: "dialog summary",
            role: "dialog",
            "aria-modal": "true",
            "aria-labelledby": "hand-summary-title",
            "data-hand": "{hand.hand_number}",
            onkeydown: move |evt: KeyboardEvent| match evt.key() {
                Key::Escape | Key::Enter => {
                    evt.prevent_default();
                    press();
                }
                // "Next hand" is the dialog's one control: Tab stays on it.
                Key::Tab => evt.prevent_default(),
                _ => {}
            },
            h2 { id: "hand-summary-title", "Hand {hand.hand_number} is over" }
            ul { id: "hand-summary-details", "aria-label": "Who took what",
                for line in lines.iter() {
                    li { "data-category": "{line.category}",
                        strong { "{line.category}: " }
                        "{line.detail}"
                    }
                }
            }
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
