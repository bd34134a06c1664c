//! "How to play": a button that opens the rules in a modal dialog (a heading, Close, Escape),
//! which gives the focus back to the button when it closes.

use dioxus::prelude::*;

use crate::components::modal::Modal;
use crate::how_to_play::SECTIONS;

/// The "How to play" button and, while open, its dialog.
#[component]
pub fn HowToPlay() -> Element {
    let mut open = use_signal(|| false);
    rsx! {
        button {
            id: "how-to-play",
            r#type: "button",
            class: "how-to-play-button",
            "aria-haspopup": "dialog",
            "aria-expanded": if open() { "true" } else { "false" },
            onclick: move |_| open.set(true),
            "How to play"
        }
        if open() {
            Modal {
                id: "how-to-play-dialog",
                labelled_by: "how-to-play-title",
                focus: "how-to-play-close",
                class: "rules",
                on_escape: move |_| open.set(false),
                div { class: "rules-head",
                    h2 { id: "how-to-play-title", "How to play Casino" }
                    button {
                        id: "how-to-play-close",
                        r#type: "button",
                        onclick: move |_| open.set(false),
                        "Close"
                    }
                }
                for section in SECTIONS {
                    h3 { "{section.title}" }
                    if section.points.len() == 1 {
                        p { "{section.points[0]}" }
                    } else {
                        ul {
                            for point in section.points.iter() {
                                li { "{point}" }
                            }
                        }
                    }
                }
            }
        }
    }
}
