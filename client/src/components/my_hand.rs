//! This player's hand: one tab stop for the group; a card selects the card to play, a card
//! that cannot be played says why, and each card carries the hint the browser tests follow.

use dioxus::prelude::*;
use game::{Card, Move, PlayerView};

use crate::components::card_view::CardView;
use crate::components::table::{roving_keys, tab_stop};
use crate::labels::selection_of;
use crate::why::unplayable;

fn notation(cards: &[Card]) -> String {
    cards
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The loose cards and builds (as notation) of a move of `card`: a capture when there is one
/// (the hint drives the browser tests' players too).
fn hint(legal: &[Move], card: Card) -> (String, String) {
    let mut moves = legal.iter().filter(|mv| mv.card() == card);
    let first = moves.clone().next();
    moves
        .find(|mv| matches!(mv, Move::Capture { .. }))
        .or(first)
        .map(|mv| {
            let (_, loose, builds) = selection_of(mv);
            let ids: Vec<String> = builds.iter().map(u32::to_string).collect();
            (notation(&loose), ids.join(" "))
        })
        .unwrap_or_default()
}

/// The hand group.
#[component]
pub fn MyHand(
    view: PlayerView,
    legal: Vec<Move>,
    sel_card: Signal<Option<Card>>,
    stop: Signal<usize>,
    my_turn: bool,
    can_select: bool,
) -> Element {
    let mut stop = stop;
    let mut sel_card = sel_card;
    let playable = if my_turn {
        view.playable_cards()
    } else {
        Vec::new()
    };
    let hand_len = view.hand.len();
    rsx! {
        div { id: "my-hand", class: "hand mine", role: "group", "aria-label": "Your hand",
            onkeydown: roving_keys,
            for (i, card) in view.hand.clone().into_iter().enumerate() {
                {
                    let (hint_loose, hint_builds) = hint(&legal, card);
                    // A card that cannot be played says why, in the rule's words.
                    let why = if my_turn { unplayable(&view, card) } else { None };
                    rsx! {
                        CardView {
                            card,
                            selected: sel_card() == Some(card),
                            playable: playable.contains(&card),
                            note: why.as_ref().map(|w| format!("cannot be played: {w}")),
                            hint_loose,
                            hint_builds,
                            tabindex: tab_stop(i, stop(), hand_len),
                            onfocus: move |_| stop.set(i),
                            onclick: move |_| {
                                if can_select {
                                    if sel_card() == Some(card) {
                                        sel_card.set(None);
                                    } else {
                                        sel_card.set(Some(card));
                                    }
                                }
                            },
                        }
                    }
                }
            }
        }
    }
}
