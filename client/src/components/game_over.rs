//! The end of the game: the winner by name, why the game ended in words, the score, the
//! rematch and "Play again" right under them (in view on a phone), then the deal check, a
//! per-hand table of both players' points with the total, the points by category and the last
//! hand's detail. The screen opens at its headline.
//!
//! The rematch: "Rematch with Bob" asks the server (`POST /api/rooms/{code}/rematch`, with the
//! finished room's token: its stored session is kept while the game-over screen is up, so a
//! reload still offers the rematch, and forgotten by "Play again" or on entering the new room);
//! the status line (a polite live region) then says "Waiting for Bob to accept…", and after a
//! while that no answer came, or that Bob closed the game; "Withdraw offer" takes it back. The
//! opponent sees "Alice wants a rematch" with "Accept rematch with Alice" and "No, thanks".
//! "Play again" and "No, thanks" tell the server (`DELETE` of the same path), so the other side
//! reads a refusal instead of waiting forever. Once both asked, each page gets its seat in the
//! new room — from its own ask, or by asking again when the server's `rematch` names the room
//! (also when its own ask was answered just before the room existed) — stores that session as
//! create and join do, and enters the room.

use dioxus::prelude::*;
use game::protocol::EndReason;
use game::{GameResult, HandResult, HandScore};

use crate::components::clock::use_clock;
use crate::deal_check::DealCheck;
use crate::hand_report::{category_lines, end_reason, running_totals};
use crate::model::{GameModel, Input, Phase, RematchAnswer, RematchStep};
use crate::navigation::{go, Screen};
use crate::session_store::StoredSession;
use crate::store::GameStore;
use crate::web::api::{self, RematchRefusal, RematchReply};
use crate::web::browser::{focus_id, focus_lost, now_ms, scroll_to_top, sleep_ms};
use crate::web::storage::with_store;
use crate::wording::count;

/// Reads one point category of a hand's score.
type Category = fn(&HandScore) -> u32;

/// The name this player chose (older stored sessions have none: the one the room knows).
fn my_name(model: GameStore, session: &StoredSession) -> String {
    if !session.name.is_empty() {
        return session.name.clone();
    }
    let m = model.peek();
    m.you
        .and_then(|you| m.name_of(you))
        .unwrap_or_default()
        .to_owned()
}

/// Asks for the rematch of `session`'s game (once at a time); enters the new room when the
/// server gives this player's seat in it, and asks again if the room came to be meanwhile.
fn ask_rematch(model: GameStore, screen: Signal<Screen>, session: StoredSession) {
    if model.dispatch(Input::AskRematch { now: now_ms() }).rematch != Some(RematchStep::Ask) {
        return;
    }
    let name = my_name(model, &session);
    spawn(async move {
        loop {
            let (answer, seated) = match api::ask_rematch(&session, &name).await {
                Ok(RematchReply::Offered(seats)) => (RematchAnswer::Offered(seats), None),
                Ok(RematchReply::Seated(seated)) => (RematchAnswer::Seated, Some(seated)),
                Err(RematchRefusal::OpponentLeft) => (RematchAnswer::OpponentLeft, None),
                Err(RematchRefusal::Other(message)) => (RematchAnswer::Failed(message), None),
            };
            let step = model.dispatch(Input::RematchAnswered(answer)).rematch;
            match (step, seated) {
                (Some(RematchStep::Enter), Some(seated)) => {
                    with_store(|store| {
                        store.clear(&session.room);
                        store.save(&seated)
                    });
                    go(screen, Screen::Room(seated));
                    return;
                }
                (Some(RematchStep::AskAgain), _)
                    if model.dispatch(Input::AskRematch { now: now_ms() }).rematch
                        == Some(RematchStep::Ask) => {}
                _ => return,
            }
        }
    });
}

/// This player does not want a rematch (withdraw, "No, thanks", "Play again"): the model says
/// so at once, the server is told (a request the page does not wait for: it outlives the
/// screen when the player goes home).
fn decline_rematch(model: GameStore, session: &StoredSession) {
    let pending = {
        let m = model.peek();
        m.rematch.room.is_none() && !m.rematch.entering && m.opponent_joined()
    };
    if !pending {
        return;
    }
    model.dispatch(Input::DeclineRematch);
    let session = session.clone();
    wasm_bindgen_futures::spawn_local(async move {
        // Refused only once the new room exists: then there is nothing left to decline.
        let _ = api::decline_rematch(&session).await;
    });
}

/// What the game-over screen says of the finished game.
struct Outcome {
    headline: String,
    reason_key: &'static str,
    why: String,
    names: [String; 2],
    /// This player's seat index, and the opponent's.
    me: usize,
    them: usize,
    hands: Vec<HandResult>,
    /// Whether the deal check failed, and its words.
    deal: Option<(bool, String)>,
    hands_played: String,
    /// The hand the game ended in (when no hand was finished).
    unfinished: u32,
}

impl Outcome {
    fn of(m: &GameModel, result: &GameResult, reason: EndReason) -> Self {
        let me = m.you.map_or(0, |s| s.index());
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
        let deal = m.deal_check.as_ref().and_then(|d| {
            let failed = matches!(d, DealCheck::Failed(_));
            d.words().map(|words| (failed, words))
        });
        Self {
            headline,
            reason_key,
            why,
            me,
            them: 1 - me,
            hands: m
                .view
                .as_ref()
                .map(|v| v.hand_results.clone())
                .unwrap_or_default(),
            deal,
            hands_played: count(u64::from(result.hands_played), "hand", "hands"),
            unfinished: m.view.as_ref().map_or(1, |v| v.hand_number),
            names,
        }
    }
}

/// The server's `rematch` names the new room once both asked: ask again for this seat in it
/// (the player who asked last gets it from that ask already).
fn use_rematch_room(model: GameStore, session: StoredSession) {
    let screen = use_context::<Signal<Screen>>();
    let new_room = use_memo(move || model.read().rematch.room.clone());
    use_effect(move || {
        if new_room().is_some() {
            ask_rematch(model, screen, session.clone());
        }
    });
}

/// The screen opens at its headline (a phone keeps the scroll of the table it replaced).
fn use_open_at_headline() {
    use_hook(|| {
        spawn(async move {
            sleep_ms(0).await;
            if focus_lost() {
                focus_id("game-result");
            }
            scroll_to_top("game-over");
        });
    });
}

/// The game-over screen; `session` is the finished room's, to ask for a rematch with.
#[component]
pub fn GameOver(model: GameStore, session: StoredSession) -> Element {
    use_rematch_room(model, session.clone());
    use_open_at_headline();
    let m = model.read();
    let Phase::Over { result, reason } = m.phase.clone() else {
        return rsx! {};
    };
    let o = Outcome::of(&m, &result, reason);
    drop(m);
    let (me, them, names) = (o.me, o.them, o.names);
    rsx! {
        section { id: "game-over", class: "panel center", "aria-labelledby": "game-result",
            h2 { id: "game-result", tabindex: "-1", "{o.headline}" }
            p { id: "end-reason", class: "hint", "data-reason": o.reason_key, "{o.why}" }
            if o.hands.is_empty() {
                p { id: "final-scores", class: "final",
                    "No hand was finished: the game ended during hand {o.unfinished}, before any points were scored."
                }
            } else {
                p { id: "final-scores", class: "final",
                    "{names[me]} {result.scores[me]} – {result.scores[them]} {names[them]} · {o.hands_played}"
                }
            }
            RematchActions { model, session }
            if let Some((failed, words)) = o.deal {
                p {
                    id: "deal-check",
                    class: if failed { "banner warn" } else { "deal-ok" },
                    role: failed.then_some("alert"),
                    "data-check": if failed { "failed" } else { "verified" },
                    "{words}"
                }
            }
            if !o.hands.is_empty() {
                ScoreTables { hands: o.hands, names, me, total: result.scores }
            }
        }
    }
}

/// The rematch button, "Withdraw offer" or "No, thanks", "Play again", and the status line
/// (which the room's once-a-second tick updates).
#[component]
fn RematchActions(model: GameStore, session: StoredSession) -> Element {
    let now = use_clock();
    let screen = use_context::<Signal<Screen>>();
    let rematch = model.read().rematch_view(now);
    let ask = session.clone();
    let withdraw = session.clone();
    let leave = session.clone();
    rsx! {
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
                        if model.peek().rematch_view(now_ms()).enabled {
                            ask_rematch(model, screen, ask.clone());
                        }
                    },
                    "{label}"
                }
            }
            if rematch.withdraw || rematch.decline {
                button {
                    id: if rematch.withdraw { "rematch-withdraw" } else { "rematch-decline" },
                    r#type: "button",
                    onclick: move |_| decline_rematch(model, &withdraw),
                    if rematch.withdraw { "Withdraw offer" } else { "No, thanks" }
                }
            }
            button {
                id: "play-again",
                r#type: "button",
                onclick: move |_| {
                    decline_rematch(model, &leave);
                    with_store(|store| store.clear(&leave.room));
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

/// Points per hand with running totals, points by category over all hands, and who took what
/// in the last hand; the player's column first.
#[component]
fn ScoreTables(hands: Vec<HandResult>, names: [String; 2], me: usize, total: [u32; 2]) -> Element {
    let order = [me, 1 - me];
    let totals = running_totals(&hands);
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
    let last_hand = hands.last().cloned();
    let lines = last_hand
        .as_ref()
        .map(|hand| category_lines(hand, [names[0].as_str(), names[1].as_str()]))
        .unwrap_or_default();
    rsx! {
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
                        td { "{total[i]}" }
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
                    for line in lines {
                        tr { "data-category": "{line.category}",
                            th { scope: "row", "{line.category}" }
                            td { "{line.detail}" }
                        }
                    }
                }
            }
        }
    }
}
