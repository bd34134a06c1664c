//! "How to play": a button that opens the rules in a dialog (a heading, Close, Escape), and
//! gives the focus back to the button when it closes.

use dioxus::prelude::*;

use crate::how_to_play::SECTIONS;
use crate::web::browser::focus_id;

/// The opener's id: the focus goes back to it.
const OPENER: &str = "how-to-play";

/// The "How to play" button and, while open, its dialog.
#[component]
pub fn HowToPlay() -> Element {
    let mut open = use_signal(|| false);
    // Once open, the focus goes into the dialog, on Close.
    use_effect(move || {
        if open() {
            focus_id("how-to-play-close");
        }
    });
    let mut close = move || {
        open.set(false);
        focus_id(OPENER);
    };
    rsx! {
        button {
            id: OPENER,
            r#type: "button",
            class: "how-to-play-button",
            "aria-haspopup": "dialog",
            "aria-expanded": if open() { "true" } else { "false" },
            onclick: move |_| open.set(true),
            "How to play"
        }
        if open() {
            div { class: "backdrop", onclick: move |_| close() }
            div {
                id: "how-to-play-dialog",
                class: "dialog rules",
                role: "dialog",
                "aria-modal": "true",
                "aria-labelledby": "how-to-play-title",
                onkeydown: move |evt: KeyboardEvent| {
                    match evt.key() {
                        Key::Escape => {
                            evt.prevent_default();
                            close();
                        }
                        // Close is the dialog's one control: Tab stays on it (a modal keeps
                        // the focus in).
                        Key::Tab => evt.prevent_default(),
                        _ => {}
                    }
                },
                div { class: "rules-head",
                    h2 { id: "how-to-play-title", "How to play Casino" }
                    button {
                        id: "how-to-play-close",
                        r#type: "button",
                        onclick: move |_| close(),
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
