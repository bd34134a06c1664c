//! The root component. Later issues add the screens (home, waiting room, table).

use dioxus::prelude::*;
use game::{shuffled_pack, Card};

use crate::card_face::{CardFace, Ink};

/// The application root.
#[component]
pub fn App() -> Element {
    // A sample of cards from a fixed deal shows that the shared rules crate runs in the browser.
    let sample: Vec<Card> = shuffled_pack(1, 1).into_iter().take(5).collect();
    rsx! {
        main { class: "felt",
            h1 { "Casino Online" }
            p { class: "tagline", "Two-player Casino that never loses a game to the network." }
            div { class: "hand", id: "sample-hand",
                for card in sample {
                    CardView { card }
                }
            }
        }
    }
}

/// One face-up card.
#[component]
fn CardView(card: Card) -> Element {
    let face = CardFace::from(card);
    let ink = match face.ink {
        Ink::Red => "red",
        Ink::Black => "black",
    };
    rsx! {
        div { class: "card {ink}", "data-card": "{card}",
            span { class: "rank", "{face.rank}" }
            span { class: "suit", "{face.suit}" }
        }
    }
}
