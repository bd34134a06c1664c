//! The card table: opponent, table cards and builds, your hand, scores and whose turn.

use dioxus::prelude::*;
use game::{BuildId, Card, PlayerView, Seat};

use crate::components::composer::Composer;
use crate::components::move_list::MoveList;
use crate::components::my_hand::MyHand;
use crate::components::table_cards::{Marks, TableCards};
use crate::hints::workable;
use crate::store::GameStore;
use crate::web::browser::{focus_first, focus_lost, move_focus, sleep_ms, FocusStep};
use crate::wording::count;

/// "12 pts · 20 captured · 1 sweep" for `seat`.
fn score_line(view: &PlayerView, seat: Seat) -> String {
    let i = seat.index();
    format!(
        "{} · {} captured · {}",
        count(u64::from(view.scores[i]), "pt", "pts"),
        view.captured_counts[i],
        count(u64::from(view.sweeps[i]), "sweep", "sweeps"),
    )
}

/// Arrow keys, Home and End move the focus within a group of buttons that share one tab stop.
pub fn roving_keys(evt: KeyboardEvent) {
    let step = match evt.key() {
        Key::ArrowLeft | Key::ArrowUp => FocusStep::Previous,
        Key::ArrowRight | Key::ArrowDown => FocusStep::Next,
        Key::Home => FocusStep::First,
        Key::End => FocusStep::Last,
        _ => return,
    };
    evt.prevent_default();
    move_focus(step);
}

/// The tab index of item `i` of a group whose tab stop is `stop` (kept in range as items go).
pub fn tab_stop(i: usize, stop: usize, len: usize) -> i32 {
    if i == stop.min(len.saturating_sub(1)) {
        0
    } else {
        -1
    }
}

/// Where the focus goes when this player's own move took away the element that had it (the
/// move button, the card played): the hand's tab stop, any card of the hand, else the turn
/// status (the hand is empty until the next deal).
const FOCUS_AFTER_MOVE: [&str; 3] = [
    "#my-hand button[tabindex=\"0\"]",
    "#my-hand button",
    "#turn-indicator",
];

/// The move being put together: the hand card and the table's loose cards and builds.
#[derive(Clone, Copy, PartialEq)]
pub struct Selection {
    /// The hand card.
    pub card: Signal<Option<Card>>,
    /// Loose table cards.
    pub loose: Signal<Vec<Card>>,
    /// Builds.
    pub builds: Signal<Vec<BuildId>>,
}

/// An empty selection, emptied again by every new event (a move changes the table).
fn use_selection(model: GameStore) -> Selection {
    let mut sel = Selection {
        card: use_signal(|| None::<Card>),
        loose: use_signal(Vec::<Card>::new),
        builds: use_signal(Vec::<BuildId>::new),
    };
    let seq = use_memo(move || model.read().seq);
    use_effect(move || {
        let _ = seq();
        sel.card.set(None);
        sel.loose.set(Vec::new());
        sel.builds.set(Vec::new());
    });
    sel
}

/// A keyboard player keeps their place: once their move is sent (the move buttons go) and
/// once it is in (the card leaves the hand), a focus that fell to the page goes back to the
/// hand. Only after this player's own move, and never away from anything focused.
fn use_focus_after_own_move(model: GameStore) {
    let own_move = use_memo(move || {
        let m = model.read();
        let mine = m.has_pending() || m.you.is_some_and(|you| m.last_move.by(you));
        (mine, m.pending.len(), m.seq)
    });
    use_effect(move || {
        let (mine, _, _) = own_move();
        if mine {
            spawn(async move {
                sleep_ms(0).await;
                if focus_lost() && model.peek().hand_summary.is_none() {
                    focus_first(&FOCUS_AFTER_MOVE);
                }
            });
        }
    });
}

/// The turn status's words and its `data-turn`.
fn turn_words(view: &PlayerView) -> (&'static str, &'static str) {
    // Between hands nobody moves: the next hand starts when both players are ready.
    let between_hands = view.to_move.is_none() && view.result.is_none();
    let text = if between_hands {
        "Between hands"
    } else if view.to_move.is_none() {
        "Game over"
    } else if view.is_my_turn() {
        "Your turn!"
    } else {
        "Waiting for opponent"
    };
    let state = if between_hands {
        "none"
    } else if view.is_my_turn() {
        "you"
    } else {
        "opponent"
    };
    (text, state)
}

/// The table of `model`'s view; `disabled` while recovering or after the session moved.
#[component]
pub fn TableView(model: GameStore, disabled: bool) -> Element {
    let sel = use_selection(model);
    // One tab stop per group; arrow keys move within it.
    let hand_stop = use_signal(|| 0usize);
    let table_stop = use_signal(|| 0usize);
    use_focus_after_own_move(model);

    let m = model.read();
    let Some(view) = m.view.clone() else {
        return rsx! {};
    };
    let me = view.seat;
    let them = me.other();
    let mut names = [String::new(), String::new()];
    names[me.index()] = m.name_of(me).unwrap_or("You").to_owned();
    names[them.index()] = m.name_of(them).unwrap_or("Opponent").to_owned();
    let my_turn = view.is_my_turn() && !disabled;
    let can_select = my_turn && !m.has_pending();
    let legal = view.legal_moves();
    let (turn_text, turn_state) = turn_words(&view);
    let last_event = m.last_event.clone();
    // The opponent's last move stays marked on the table until the next move.
    let (marked_cards, marked_builds) = if m.last_move.by(them) {
        (m.last_move.cards.clone(), m.last_move.builds.clone())
    } else {
        (Vec::new(), Vec::new())
    };
    drop(m);
    // The table cards and builds the selected hand card can work with light up.
    let (lit_cards, lit_builds) = match (sel.card)() {
        Some(card) if can_select => workable(&legal, card, &sel.loose.read(), &sel.builds.read()),
        _ => (Vec::new(), Vec::new()),
    };
    let marks = Marks {
        lit_cards,
        lit_builds,
        marked_cards,
        marked_builds,
        played_by: format!("just played by {}", names[them.index()]),
    };

    rsx! {
        section { id: "table-screen", class: if disabled { "table disabled" } else { "table" },
            "aria-label": "Card table",
            Scoreboard { view: view.clone(), names: names.clone() }
            OpponentHand { count: view.opponent_hand_count, name: names[them.index()].clone() }
            TableCards {
                builds: view.table.builds.clone(),
                loose: view.table.loose.clone(),
                names,
                me: me.index(),
                sel,
                marks,
                can_select,
                stop: table_stop,
            }
            // Focusable from script only: where the focus rests after a move that emptied the hand.
            div { id: "turn-indicator", class: "turn {turn_state}", "data-turn": turn_state,
                tabindex: "-1", "{turn_text}"
            }
            if let Some(event) = last_event {
                div { id: "last-event", class: "last-event", "{event}" }
            }
            MyHand { view: view.clone(), legal, sel_card: sel.card, stop: hand_stop, my_turn, can_select }
            Composer {
                model,
                view: view.clone(),
                card: (sel.card)(),
                loose: (sel.loose)(),
                builds: (sel.builds)(),
                enabled: my_turn,
            }
            MoveList { model }
        }
    }
}

/// Hand, deal, stock and both players' scores.
#[component]
fn Scoreboard(view: PlayerView, names: [String; 2]) -> Element {
    let me = view.seat;
    let them = me.other();
    rsx! {
        div { class: "scoreboard",
            span { id: "hand-number", "Hand {view.hand_number}" }
            span { id: "deal-number", "Deal {view.deal_number}/6" }
            span { id: "stock-count", "Stock {view.stock_count}" }
            span { id: "score-me", class: "score", "data-score": "{view.scores[me.index()]}",
                "{names[me.index()]}: {score_line(&view, me)}"
            }
            span { id: "score-opponent", class: "score", "data-score": "{view.scores[them.index()]}",
                "{names[them.index()]}: {score_line(&view, them)}"
            }
        }
    }
}

/// The opponent's cards, face down, and how many.
#[component]
fn OpponentHand(count: usize, name: String) -> Element {
    rsx! {
        div { id: "opponent-hand", class: "opponent-hand", "data-count": "{count}",
            span { class: "who", "{name}" }
            for _ in 0..count {
                div { class: "card back", "aria-hidden": "true" }
            }
            span { id: "opponent-hand-count",
                if count == 1 { " 1 card" } else { " {count} cards" }
            }
        }
    }
}
