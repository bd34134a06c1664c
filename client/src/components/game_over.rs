//! The end of the game: winner, final scores and the score of every category, and "Play again".

use dioxus::prelude::*;
use game::protocol::EndReason;
use game::HandScore;

use crate::app::{go, Screen};
use crate::deal_check::DealCheck;
use crate::model::{GameModel, Phase};
use crate::wording::count;

/// Reads one category of a hand's score.
type Category = fn(&HandScore) -> u32;

fn total(scores: &[HandScore], f: fn(&HandScore) -> u32) -> u32 {
    scores.iter().map(f).sum()
}

/// The game-over screen.
#[component]
pub fn GameOver(model: Signal<GameModel>) -> Element {
    let screen = use_context::<Signal<Screen>>();
    let m = model.read();
    let Phase::Over { result, reason } = m.phase.clone() else {
        return rsx! {};
    };
    let me = m.you.map_or(0, |s| s.index());
    let them = 1 - me;
    let headline = match result.winner {
        Some(w) if w.index() == me => "You win!",
        Some(_) => "Your opponent wins",
        None => "A draw",
    };
    let won = result.winner.is_some_and(|w| w.index() == me);
    let why = match reason {
        EndReason::Completed => "The game was played to the end.",
        EndReason::VictoryClaimed => "Victory was claimed after the opponent abandoned the game.",
        EndReason::Abandoned if won => "Your opponent did not come back.",
        EndReason::Abandoned if result.winner.is_some() => "You did not come back in time.",
        EndReason::Abandoned => "Nobody came back in time.",
    };
    let hands: Vec<[HandScore; 2]> = m
        .view
        .as_ref()
        .map(|v| v.hand_results.iter().map(|h| h.seats).collect())
        .unwrap_or_default();
    let mine: Vec<HandScore> = hands.iter().map(|h| h[me]).collect();
    let theirs: Vec<HandScore> = hands.iter().map(|h| h[them]).collect();
    let rows: [(&str, Category); 9] = [
        ("Cards taken", |s| s.cards),
        ("Spades taken", |s| s.spades),
        ("Most cards", |s| s.most_cards),
        ("Most spades", |s| s.most_spades),
        ("Big casino (10♦)", |s| s.big_casino),
        ("Little casino (2♠)", |s| s.little_casino),
        ("Aces", |s| s.aces),
        ("Sweeps", |s| s.sweeps),
        ("Hand points", |s| s.total),
    ];
    let deal = m.deal_check.clone();
    let hands_played = count(u64::from(result.hands_played), "hand", "hands");
    drop(m);
    rsx! {
        section { id: "game-over", class: "panel center",
            h2 { id: "game-result", "{headline}" }
            p { class: "hint", "{why}" }
            p { id: "final-scores", class: "final",
                "You {result.scores[me]} – {result.scores[them]} Opponent · {hands_played}"
            }
            match deal {
                Some(DealCheck::Verified { deals }) => rsx! {
                    p { id: "deal-check", class: "deal-ok", "data-check": "verified",
                        "Deal verified: the deck was fixed before the first card ({deals} of your deals checked)."
                    }
                },
                Some(DealCheck::Failed(why)) => rsx! {
                    p { id: "deal-check", class: "banner warn", role: "alert", "data-check": "failed",
                        "Deal check FAILED: {why}. This game's cards were not the ones the server committed to."
                    }
                },
                _ => rsx! {},
            }
            if !hands.is_empty() {
                table { id: "score-breakdown", class: "breakdown",
                    thead { tr { th { "Category" } th { "You" } th { "Opponent" } } }
                    tbody {
                        for (label, f) in rows {
                            tr { "data-category": "{label}",
                                td { "{label}" }
                                td { "{total(&mine, f)}" }
                                td { "{total(&theirs, f)}" }
                            }
                        }
                    }
                }
            }
            button {
                id: "play-again",
                onclick: move |_| go(screen, Screen::Home { code: String::new(), notice: None }),
                "Play again"
            }
        }
    }
}
