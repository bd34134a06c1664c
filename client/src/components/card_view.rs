//! One face-up card: rank, suit symbol, red or black.

use dioxus::prelude::*;
use game::Card;

use crate::card_face::{CardFace, Ink};

/// A card; clickable when `onclick` is given.
#[component]
pub fn CardView(
    card: Card,
    #[props(default)] selected: bool,
    #[props(default)] playable: bool,
    #[props(default)] small: bool,
    #[props(default)] hint_loose: String,
    #[props(default)] hint_builds: String,
    onclick: Option<EventHandler<()>>,
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
    if onclick.is_some() {
        class.push_str(" clickable");
    }
    rsx! {
        div {
            class,
            "data-card": "{card}",
            "data-playable": if playable { "true" } else { "false" },
            "data-selected": if selected { "true" } else { "false" },
            "data-hint-loose": "{hint_loose}",
            "data-hint-builds": "{hint_builds}",
            title: "{card.pretty()}",
            onclick: move |_| {
                if let Some(handler) = &onclick {
                    handler.call(());
                }
            },
            span { class: "rank", "{face.rank}" }
            span { class: "suit", "{face.suit}" }
        }
    }
}
