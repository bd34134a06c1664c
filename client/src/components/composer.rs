//! The move composer: offers exactly the legal moves for the selection, shows a sent move as
//! pending until its acknowledgement, and shows a server rejection.

use dioxus::prelude::*;
use game::{BuildId, Card, PlayerView};

use crate::components::table::{roving_keys, tab_stop};
use crate::hints::{progress, workable};
use crate::labels::{move_labels, move_labels_in, Style};
use crate::store::GameStore;
use crate::web::connection::Command;
use crate::why::no_move;

/// Move buttons for the selected hand card, loose cards and builds.
#[component]
pub fn Composer(
    model: GameStore,
    view: PlayerView,
    card: Option<Card>,
    loose: Vec<Card>,
    builds: Vec<BuildId>,
    enabled: bool,
) -> Element {
    let conn = use_coroutine_handle::<Command>();
    let mut move_stop = use_signal(|| 0usize);
    let m = model.read();
    let pending = m
        .pending
        .first()
        .map(|p| crate::labels::move_label(&p.mv, &view.table));
    let rejection = m.rejection.clone();
    drop(m);
    let offered = match card {
        Some(card) if enabled && pending.is_none() => {
            view.moves_with_selection(card, &loose, &builds)
        }
        _ => Vec::new(),
    };
    let labels = move_labels(&offered, &view.table);
    let spoken = move_labels_in(&offered, &view.table, Style::Words);
    let move_count = offered.len();
    // A card chosen alone may also work with the lit table cards: say so beside "Trail".
    let more = match card {
        Some(card) if enabled && loose.is_empty() && builds.is_empty() && !offered.is_empty() => {
            let (lit, lit_builds) = workable(&view.legal_moves(), card, &[], &[]);
            (!lit.is_empty() || !lit_builds.is_empty()).then(|| card.pretty())
        }
        _ => None,
    };
    // A selection with no move yet: what to add while it can still become one (no error
    // half-way through a multi-card move), else why it cannot, in the rule's words.
    let (so_far, why) = match card {
        Some(card) if enabled && pending.is_none() && offered.is_empty() => {
            match progress(&view.legal_moves(), &view.table, card, &loose, &builds) {
                Some(hint) => (Some(hint), None),
                None => (None, Some(no_move(&view, card, &loose, &builds))),
            }
        }
        _ => (None, None),
    };
    rsx! {
        div { id: "composer", class: "composer",
            if let Some(label) = pending {
                div { id: "pending-move", class: "pending", span { class: "spinner" } " {label} — waiting for the server…" }
            } else if !enabled {
            } else if card.is_none() {
                p { class: "hint", "Select a card from your hand: the table cards it can capture or build with light up." }
            } else if let Some(hint) = so_far {
                p { id: "selection-progress", class: "hint", role: "status", "{hint}" }
            } else if let Some(why) = why {
                p { id: "why-not", class: "hint why", role: "status", "{why}" }
            } else if let Some(card) = more {
                p { class: "hint", "Select the lit table cards to capture or build with {card}, or trail it." }
            }
            div { class: "move-options", role: "group", "aria-label": "Moves",
                onkeydown: roving_keys,
                for (i, ((mv, label), words)) in offered.into_iter().zip(labels).zip(spoken).enumerate() {
                    button {
                        r#type: "button",
                        class: "move-option",
                        "aria-label": "{words}",
                        tabindex: "{tab_stop(i, move_stop(), move_count)}",
                        "data-roving": "true",
                        onfocus: move |_| move_stop.set(i),
                        "data-kind": mv.kind().as_str(),
                        onclick: move |_| conn.send(Command::Move(mv.clone())),
                        "{label}"
                    }
                }
            }
            if let Some(message) = rejection {
                div { id: "rejection", class: "error", role: "alert", "{message}" }
            }
        }
    }
}
