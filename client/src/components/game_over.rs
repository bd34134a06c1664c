//! The end of the game: the winner by name, why the game ended in words, a per-hand table of
//! both players' points with the total, the points by category (points only: the cards taken
//! are in the last hand's detail), the deal check, "Play again" and the rematch.
//!
//! The rematch: "Rematch with Bob" asks the server (`POST /api/rooms/{code}/rematch`, with the
//! finished room's token: its stored session is kept while the game-over screen is up, so a
//! reload still offers the rematch, and forgotten by "Play again" or on entering the new room);
//! the status line (a polite live region) then says "Waiting for Bob to accept…". The opponent
//! sees "Alice wants a rematch" and "Accept rematch with Alice". Once both asked, each page
//! gets its seat in the new room — from its own ask, or by asking again when the server's
//! `rematch` names the room — stores that session as create and join do, and enters the room.

use dioxus::prelude::*;
use game::{HandResult, HandScore};

use crate::app::{go, Screen};
use crate::deal_check::DealCheck;
use crate::hand_report::{category_lines, end_reason, running_totals};
use crate::model::{GameModel, Phase};
use crate::session_store::StoredSession;
use crate::web::api::{self, RematchRefusal, RematchReply};
use crate::web::storage::with_store;
use crate::wording::count;

/// Reads one point category of a hand's score.
type Category = fn(&HandScore) -> u32;

/// Asks for the rematch of `session`'s game (once at a time); enters the new room when the
/// server gives this player's seat in it.
fn ask_rematch(mut model: Signal<GameModel>, screen: Signal<Screen>, session: StoredSession) {
    {
        let m = model.peek();
        if m.rematch.asking || m.rematch.entering {
            return;
        }
    }
    // The name this player chose (older stored sessions have none: the one the room knows).
    let name = if session.name.is_empty() {
        let m = model.peek();
        m.you
            .and_then(|you| m.name_of(you))
            .unwrap_or_default()
            .to_owned()
    } else {
        session.name.clone()
    };
    {
        let mut m = model.write();
        m.rematch.asking = true;
        m.rematch.error = None;
    }
    spawn(async move {
        let answer = api::ask_rematch(&session, &name).await;
        let mut m = model.write();
        m.rematch.asking = false;
        match answer {
            Ok(RematchReply::Offered(seats)) => {
                m.rematch.offered = seats;
            }
            Ok(RematchReply::Seated(seated)) => {
                if m.rematch.entering {
                    return;
                }
                m.rematch.entering = true;
                drop(m);
                with_store(|store| {
                    store.clear(&session.room);
                    store.save(&seated)
                });
                go(screen, Screen::Room(seated));
            }
            Err(RematchRefusal::OpponentLeft) => m.rematch.opponent_left = true,
            Err(RematchRefusal::Other(message)) => m.rematch.error = Some(message),
        }
    });
}

/// The game-over screen; `session` is the finished room's, to ask for a rematch with.
#[component]
pub fn GameOver(model: Signal<GameModel>, session: StoredSession) -> Element {
    let screen = use_context::<Signal<Screen>>();
    // The server's `rematch` names the new room once both asked: ask again for this seat in it
    // (the player who asked last gets it from that ask already).
    let new_room = use_memo(move || model.read().rematch.room.clone());
    let asked = session.clone();
    let finished_room = session.room.clone();
    use_effect(move || {
        if new_room().is_some() {
            ask_rematch(model, screen, asked.clone());
        }
    });
    let m = model.read();
    let Phase::Over { result, reason } = m.phase.clone() else {
        return rsx! {};
    };
    let me = m.you.map_or(0, |s| s.index());
    let them = 1 - me;
    let order = [me, them];
    let names = m.names();
    let name_refs = [names[0].as_str(), names[1].as_str()];
    let headline = match result.winner {
        Some(w) if w.index() == me => "You win!".to_owned(),
        Some(w) => format!("{} wins", names[w.index()]),
        None => "A draw".to_owned(),
    };
    let presence = [0, 1].map(|i| {
        m.presence
            .iter()
            .find(|p| p.seat.index() == i)
            .map(|p| p.state)
    });
    let target = m
        .view
        .as_ref()
        .filter(|v| !v.ruleset.single_hand)
        .map(|v| v.ruleset.target);
    let (reason_key, why) = end_reason(
        reason,
        result.winner.map(|w| w.index()),
        name_refs,
        presence,
        target,
    );
    let hands: Vec<HandResult> = m
        .view
        .as_ref()
        .map(|v| v.hand_results.clone())
        .unwrap_or_default();
    let totals = running_totals(&hands);
    let last_hand = hands.last().cloned();
    let rows: [(&str, Category); 6] = [
        ("Most cards", |s| s.most_cards),
        ("Most spades", |s| s.most_spades),
        ("Big casino (10♦)", |s| s.big_casino),
        ("Little casino (2♠)", |s| s.little_casino),
        ("Aces", |s| s.aces),
        ("Sweeps", |s| s.sweeps),
    ];
    let sum = |i: usize, f: Category| hands.iter().map(|h| f(&h.seats[i])).sum::<u32>();
    let by_category: Vec<(&str, [u32; 2])> = rows
        .iter()
        .map(|(label, f)| (*label, [sum(0, *f), sum(1, *f)]))
        .collect();
    let deal = m.deal_check.clone();
    let hands_played = count(u64::from(result.hands_played), "hand", "hands");
    let unfinished = m.view.as_ref().map_or(1, |v| v.hand_number);
    let rematch = m.rematch_view();
    drop(m);
    rsx! {
        section { id: "game-over", class: "panel center", "aria-labelledby": "game-result",
            h2 { id: "game-result", "{headline}" }
            p { id: "end-reason", class: "hint", "data-reason": reason_key, "{why}" }
            if hands.is_empty() {
                p { id: "final-scores", class: "final",
                    "No hand was finished: the game ended during hand {unfinished}, before any points were scored."
                }
            } else {
                p { id: "final-scores", class: "final",
                    "{names[me]} {result.scores[me]} – {result.scores[them]} {names[them]} · {hands_played}"
                }
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
                    caption { "Points per hand" }
                    thead {
                        tr {
                            th { scope: "col", "Hand" }
                            for i in order {
                                th { scope: "col", "{names[i]}" }
                            }
                        }
                    }
                    tbody {
                        for (h, hand) in hands.iter().enumerate() {
                            tr { "data-hand": "{hand.hand_number}",
                                th { scope: "row", "Hand {hand.hand_number}" }
                                for i in order {
                                    td { "{hand.seats[i].total} (total {totals[h][i]})" }
                                }
                            }
                        }
                    }
                    tfoot {
                        tr { "data-category": "Total",
                            th { scope: "row", "Total" }
                            for i in order {
                                td { "{result.scores[i]}" }
                            }
                        }
                    }
                }
                table { id: "category-points", class: "breakdown",
                    caption { "Points by category, all hands" }
                    thead {
                        tr {
                            th { scope: "col", "Category" }
                            for i in order {
                                th { scope: "col", "{names[i]}" }
                            }
                        }
                    }
                    tbody {
                        for (label, points) in by_category {
                            tr { "data-category": "{label}",
                                th { scope: "row", "{label}" }
                                for i in order {
                                    td { "{points[i]}" }
                                }
                            }
                        }
                    }
                }
            }
            if let Some(hand) = last_hand {
                table { id: "last-hand-detail", class: "breakdown",
                    caption { "Hand {hand.hand_number}: who took what" }
                    thead {
                        tr {
                            th { scope: "col", "Category" }
                            th { scope: "col", "Who took what" }
                        }
                    }
                    tbody {
                        for line in category_lines(&hand, name_refs) {
                            tr { "data-category": "{line.category}",
                                th { scope: "row", "{line.category}" }
                                td { "{line.detail}" }
                            }
                        }
                    }
                }
            }
            div { class: "game-over-actions",
                if let Some(label) = rematch.button {
                    button {
                        id: "rematch",
                        r#type: "button",
                        class: "primary",
                        // Still focusable once pressed: the status line says what it waits for.
                        "aria-disabled": if rematch.enabled { "false" } else { "true" },
                        "aria-describedby": "rematch-status",
                        onclick: move |_| {
                            if model.peek().rematch_view().enabled {
                                ask_rematch(model, screen, session.clone());
                            }
                        },
                        "{label}"
                    }
                }
                button {
                    id: "play-again",
                    r#type: "button",
                    onclick: move |_| {
                        with_store(|store| store.clear(&finished_room));
                        go(screen, Screen::Home { code: String::new(), notice: None })
                    },
                    "Play again"
                }
            }
            // Always in the page, so that screen readers hear each change of its text.
            p { id: "rematch-status", role: "status", "aria-live": "polite", "aria-atomic": "true",
                "{rematch.status}"
            }
        }
    }
}
