//! Between hands: the summary of the hand that just ended — each scoring category with the
//! cards behind it, points this hand and running totals — in a dialog closed by "Next hand"
//! (or Escape / Enter), or by itself after `UiConfig::hand_summary_ms`. The server deals the
//! next hand at once: it is already on the table underneath. The focus moves into the dialog
//! and back to where it was.

use std::cell::RefCell;
use std::rc::Rc;

use dioxus::prelude::*;
use game::HandResult;

use crate::config::UiConfig;
use crate::hand_report::{category_lines, running_totals};
use crate::model::GameModel;
use crate::web::browser::{active_element, focus_id, restore_focus, sleep_ms};

/// Where the focus goes when the element focused before the dialog is gone.
const FOCUS_FALLBACK: &str = "#my-hand button, #play-again, #leave-room";

/// The hand-summary dialog, while `model.hand_summary` is set.
#[component]
pub fn HandSummaryDialog(model: Signal<GameModel>, config: UiConfig) -> Element {
    let hand_number = use_memo(move || model.read().hand_summary.as_ref().map(|h| h.hand_number));
    let previous: Rc<RefCell<Option<web_sys::HtmlElement>>> =
        use_hook(|| Rc::new(RefCell::new(None)));
    let opened = previous.clone();
    use_effect(move || {
        if let Some(number) = hand_number() {
            *opened.borrow_mut() = active_element();
            focus_id("hand-summary-next");
            spawn(async move {
                sleep_ms(config.hand_summary_ms).await;
                let still_open = model
                    .peek()
                    .hand_summary
                    .as_ref()
                    .is_some_and(|h| h.hand_number == number);
                if still_open {
                    model.write().hand_summary = None;
                }
            });
        }
    });
    let closing = previous.clone();
    let close = move || {
        if model.peek().hand_summary.is_none() {
            return;
        }
        model.write().hand_summary = None;
        let element = closing.borrow_mut().take();
        // After the dialog has left the page.
        spawn(async move {
            sleep_ms(0).await;
            restore_focus(element.as_ref(), FOCUS_FALLBACK);
        });
    };
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
    let mut close_key = close.clone();
    let mut close_click = close;
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
                    close_key();
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
            if !game_over {
                p { class: "hint", "The next hand is already dealt." }
            }
            button {
                id: "hand-summary-next",
                r#type: "button",
                class: "primary",
                onclick: move |_| close_click(),
                "{button}"
            }
        }
    }
}
