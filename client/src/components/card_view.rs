//! One face-up card: rank, suit symbol, red or black; a toggle button named in words when it
//! can be selected.

use dioxus::prelude::*;
use game::Card;

use crate::card_face::{CardFace, Ink};
use crate::speech::card_name;

/// A card; a button when `onclick` is given (`tabindex` and `onfocus` serve the roving focus
/// of its group), otherwise an image named in words.
#[component]
pub fn CardView(
    card: Card,
    #[props(default)] selected: bool,
    #[props(default)] playable: bool,
    #[props(default)] small: bool,
    #[props(default)] workable: bool,
    #[props(default)] marked: bool,
    #[props(default)] note: Option<String>,
    #[props(default)] hint_loose: String,
    #[props(default)] hint_builds: String,
    #[props(default)] tabindex: Option<i32>,
    onclick: Option<EventHandler<()>>,
    onfocus: Option<EventHandler<()>>,
) -> Element {
    let face = CardFace::from(card);
    let ink = match face.ink {
        Ink::Red => "red",
        Ink::Black => "black",
    };
    let mut class = format!("card {ink}");
    if selected {
        class.push_str(" selected");
    }
    if playable {
        class.push_str(" playable");
    }
    if small {
        class.push_str(" small");
    }
    if workable {
        class.push_str(" workable");
    }
    if marked {
        class.push_str(" last-move");
    }
    // What the screen reader adds after the name: how the card can be used, or why not.
    let description = note.or_else(|| playable.then(|| "playable".to_owned()));
    let name = card_name(card);
    let Some(handler) = onclick else {
        return rsx! {
            div {
                class,
                role: "img",
                "aria-label": "{name}",
                "aria-description": description,
                "data-card": "{card}",
                "data-last-move": marked.then_some("true"),
                title: "{name}",
                span { class: "rank", "aria-hidden": "true", "{face.rank}" }
                span { class: "suit", "aria-hidden": "true", "{face.suit}" }
            }
        };
    };
    class.push_str(" clickable");
    rsx! {
        button {
            r#type: "button",
            class,
            "aria-label": "{name}",
            "aria-pressed": if selected { "true" } else { "false" },
            "aria-description": description,
            tabindex: tabindex.map(|t| t.to_string()),
            "data-roving": "true",
            "data-card": "{card}",
            "data-playable": if playable { "true" } else { "false" },
            "data-selected": if selected { "true" } else { "false" },
            "data-workable": if workable { "true" } else { "false" },
            "data-last-move": marked.then_some("true"),
            "data-hint-loose": "{hint_loose}",
            "data-hint-builds": "{hint_builds}",
            title: "{name}",
            onclick: move |_| handler.call(()),
            onfocus: move |_| {
                if let Some(focused) = &onfocus {
                    focused.call(());
                }
            },
            span { class: "rank", "aria-hidden": "true", "{face.rank}" }
            span { class: "suit", "aria-hidden": "true", "{face.suit}" }
            // Seen, not heard: `aria-pressed` already says "selected".
            if selected {
                span { class: "check", "aria-hidden": "true" }
            }
        }
    }
}
