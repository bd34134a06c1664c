//! The card table: opponent, table cards and builds, your hand, scores and whose turn.

use dioxus::prelude::*;
use game::{BuildId, Card, PlayerView, Seat};

use crate::components::card_view::CardView;
use crate::components::composer::Composer;
use crate::components::move_list::MoveList;
use crate::hints::workable;
use crate::labels::selection_of;
use crate::speech::build_name;
use crate::store::GameStore;
use crate::web::browser::{focus_first, focus_lost, move_focus, sleep_ms, FocusStep};
use crate::why::unplayable;
use crate::wording::count;

fn notation(cards: &[Card]) -> String {
    cards
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

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

/// The table of `model`'s view; `disabled` while recovering or after the session moved.
#[component]
pub fn TableView(model: GameStore, disabled: bool) -> Element {
    let mut sel_card = use_signal(|| None::<Card>);
    let mut sel_loose = use_signal(Vec::<Card>::new);
    let mut sel_builds = use_signal(Vec::<BuildId>::new);
    // One tab stop per group; arrow keys move within it.
    let mut hand_stop = use_signal(|| 0usize);
    let mut table_stop = use_signal(|| 0usize);
    let seq = use_memo(move || model.read().seq);
    use_effect(move || {
        let _ = seq();
        sel_card.set(None);
        sel_loose.set(Vec::new());
        sel_builds.set(Vec::new());
    });
    // A keyboard player keeps their place: once their move is sent (the move buttons go) and
    // once it is in (the card leaves the hand), a focus that fell to the page goes back to
    // the hand. Only after this player's own move, and never away from anything focused.
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

    let m = model.read();
    let Some(view) = m.view.clone() else {
        return rsx! {};
    };
    let me = view.seat;
    let them = me.other();
    let my_name = m.name_of(me).unwrap_or("You").to_owned();
    let their_name = m.name_of(them).unwrap_or("Opponent").to_owned();
    let pending = m.has_pending();
    let my_turn = view.is_my_turn() && !disabled;
    let can_select = my_turn && !pending;
    let playable = if my_turn {
        view.playable_cards()
    } else {
        Vec::new()
    };
    let legal = view.legal_moves();
    let hint = |card: Card| -> (String, String) {
        // A capture when there is one (the hint drives the browser tests' players too).
        let mut moves = legal.iter().filter(|mv| mv.card() == card);
        let first = moves.clone().next();
        moves
            .find(|mv| matches!(mv, game::Move::Capture { .. }))
            .or(first)
            .map(|mv| {
                let (_, loose, builds) = selection_of(mv);
                let ids: Vec<String> = builds.iter().map(u32::to_string).collect();
                (notation(&loose), ids.join(" "))
            })
            .unwrap_or_default()
    };
    let owner = |seat: Seat| if seat == me { "yours" } else { "opponent's" };
    let owner_name = |seat: Seat| {
        if seat == me {
            my_name.clone()
        } else {
            their_name.clone()
        }
    };
    let table_len = view.table.builds.len() + view.table.loose.len();
    let build_count = view.table.builds.len();
    let hand_len = view.hand.len();
    // Between hands nobody moves: the next hand starts when both players are ready.
    let between_hands = view.to_move.is_none() && view.result.is_none();
    let turn_text = if between_hands {
        "Between hands"
    } else if view.to_move.is_none() {
        "Game over"
    } else if view.is_my_turn() {
        "Your turn!"
    } else {
        "Waiting for opponent"
    };
    let turn_state = if between_hands {
        "none"
    } else if view.is_my_turn() {
        "you"
    } else {
        "opponent"
    };
    let last_event = m.last_event.clone();
    // The opponent's last move stays marked on the table until the next move.
    let (marked_cards, marked_builds) = if m.last_move.by(them) {
        (m.last_move.cards.clone(), m.last_move.builds.clone())
    } else {
        (Vec::new(), Vec::new())
    };
    drop(m);
    // The table cards and builds the selected hand card can work with light up.
    let (lit_cards, lit_builds) = match sel_card() {
        Some(card) if can_select => workable(&legal, card, &sel_loose.read(), &sel_builds.read()),
        _ => (Vec::new(), Vec::new()),
    };
    let played_by = format!("just played by {their_name}");

    rsx! {
        section { id: "table-screen", class: if disabled { "table disabled" } else { "table" },
            "aria-label": "Card table",
            div { class: "scoreboard",
                span { id: "hand-number", "Hand {view.hand_number}" }
                span { id: "deal-number", "Deal {view.deal_number}/6" }
                span { id: "stock-count", "Stock {view.stock_count}" }
                span { id: "score-me", class: "score", "data-score": "{view.scores[me.index()]}",
                    "{my_name}: {score_line(&view, me)}"
                }
                span { id: "score-opponent", class: "score", "data-score": "{view.scores[them.index()]}",
                    "{their_name}: {score_line(&view, them)}"
                }
            }
            div { id: "opponent-hand", class: "opponent-hand", "data-count": "{view.opponent_hand_count}",
                span { class: "who", "{their_name}" }
                for _ in 0..view.opponent_hand_count {
                    div { class: "card back", "aria-hidden": "true" }
                }
                span { id: "opponent-hand-count",
                    if view.opponent_hand_count == 1 { " 1 card" } else { " {view.opponent_hand_count} cards" }
                }
            }
            div { id: "table-cards", class: "table-cards", role: "group", "aria-label": "Table",
                onkeydown: roving_keys,
                if view.table.loose.is_empty() && view.table.builds.is_empty() {
                    p { class: "hint", "The table is empty." }
                }
                for (i, build) in view.table.builds.clone().into_iter().enumerate() {
                    button {
                        r#type: "button",
                        class: {
                            let mut class = "build".to_owned();
                            if sel_builds.read().contains(&build.id) {
                                class.push_str(" selected");
                            }
                            if lit_builds.contains(&build.id) {
                                class.push_str(" workable");
                            }
                            if marked_builds.contains(&build.id) {
                                class.push_str(" last-move");
                            }
                            class
                        },
                        "aria-description": if marked_builds.contains(&build.id) {
                            Some(played_by.clone())
                        } else {
                            lit_builds.contains(&build.id).then(|| "can be used with the selected card".to_owned())
                        },
                        "data-workable": if lit_builds.contains(&build.id) { "true" } else { "false" },
                        "data-last-move": marked_builds.contains(&build.id).then_some("true"),
                        "aria-label": "{build_name(&build, &owner_name(build.owner))}",
                        "aria-pressed": if sel_builds.read().contains(&build.id) { "true" } else { "false" },
                        tabindex: "{tab_stop(i, table_stop(), table_len)}",
                        "data-roving": "true",
                        "data-build": "{build.id}",
                        "data-value": "{build.value}",
                        "data-owner": "{u8::from(build.owner)}",
                        onfocus: move |_| table_stop.set(i),
                        onclick: move |_| {
                            if can_select {
                                let mut b = sel_builds.write();
                                if let Some(i) = b.iter().position(|x| *x == build.id) {
                                    b.remove(i);
                                } else {
                                    b.push(build.id);
                                }
                            }
                        },
                        if sel_builds.read().contains(&build.id) {
                            span { class: "check", "aria-hidden": "true" }
                        }
                        div { class: "build-label", "Build {build.value} · {owner(build.owner)}" }
                        div { class: "build-cards",
                            for component in build.components.clone() {
                                div { class: "component",
                                    for card in component {
                                        CardView { card, small: true, marked: marked_cards.contains(&card) }
                                    }
                                }
                            }
                        }
                    }
                }
                for (i, card) in view.table.loose.clone().into_iter().enumerate() {
                    CardView {
                        card,
                        selected: sel_loose.read().contains(&card),
                        workable: lit_cards.contains(&card),
                        marked: marked_cards.contains(&card),
                        note: if marked_cards.contains(&card) {
                            Some(played_by.clone())
                        } else {
                            lit_cards.contains(&card).then(|| "can be used with the selected card".to_owned())
                        },
                        tabindex: tab_stop(build_count + i, table_stop(), table_len),
                        onfocus: move |_| table_stop.set(build_count + i),
                        onclick: move |_| {
                            if can_select {
                                let mut l = sel_loose.write();
                                if let Some(i) = l.iter().position(|x| *x == card) {
                                    l.remove(i);
                                } else {
                                    l.push(card);
                                }
                            }
                        },
                    }
                }
            }
            // Focusable from script only: where the focus rests after a move that emptied the hand.
            div { id: "turn-indicator", class: "turn {turn_state}", "data-turn": turn_state,
                tabindex: "-1", "{turn_text}"
            }
            if let Some(event) = last_event {
                div { id: "last-event", class: "last-event", "{event}" }
            }
            div { id: "my-hand", class: "hand mine", role: "group", "aria-label": "Your hand",
                onkeydown: roving_keys,
                for (i, card) in view.hand.clone().into_iter().enumerate() {
                    {
                        let (hint_loose, hint_builds) = hint(card);
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
                                tabindex: tab_stop(i, hand_stop(), hand_len),
                                onfocus: move |_| hand_stop.set(i),
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
            Composer {
                model,
                view: view.clone(),
                card: sel_card(),
                loose: sel_loose(),
                builds: sel_builds(),
                enabled: my_turn,
            }
            MoveList { model }
        }
    }
}
