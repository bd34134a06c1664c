//! The moves of this hand in words, oldest first, in a list the player opens to look back at
//! (closed by default, so it costs the table no room).

use dioxus::prelude::*;

use crate::store::GameStore;

/// "Moves this hand (N)" and, opened, each move of the hand by the players' names.
#[component]
pub fn MoveList(model: GameStore) -> Element {
    let moves = use_memo(move || model.read().hand_moves.moves.clone());
    let moves = moves();
    let count = moves.len();
    rsx! {
        details { id: "move-list", class: "move-list",
            summary { "Moves this hand ({count})" }
            if moves.is_empty() {
                p { class: "hint", "No moves yet in this hand." }
            } else {
                ol {
                    for (i, text) in moves.into_iter().enumerate() {
                        li { key: "{i}", "{text}" }
                    }
                }
            }
        }
    }
}
