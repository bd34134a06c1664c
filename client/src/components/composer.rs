//! The move composer: offers exactly the legal moves for the selection, shows a sent move as
//! pending until its acknowledgement, and shows a server rejection.

use dioxus::prelude::*;
use game::{BuildId, Card, PlayerView};

use crate::components::table::{roving_keys, tab_stop};
use crate::labels::move_labels;
use crate::model::GameModel;
use crate::speech::glyphs_to_words;
use crate::web::connection::Command;

/// Move buttons for the selected hand card, loose cards and builds.
#[component]
pub fn Composer(
    model: Signal<GameModel>,
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
    let move_count = offered.len();
    rsx! {
        div { id: "composer", class: "composer",
            if let Some(label) = pending {
                div { id: "pending-move", class: "pending", span { class: "spinner" } " {label} — waiting for the server…" }
            } else if !enabled {
            } else if card.is_none() {
                p { class: "hint", "Select a card from your hand (highlighted cards can be played), then table cards to capture or build." }
            } else if offered.is_empty() {
                p { class: "hint", "No move with this selection: select the table cards to capture or build with." }
            }
            div { class: "move-options", role: "group", "aria-label": "Moves",
                onkeydown: roving_keys,
                for (i, (mv, label)) in offered.into_iter().zip(labels).enumerate() {
                    button {
                        r#type: "button",
                        class: "move-option",
                        "aria-label": "{glyphs_to_words(&label)}",
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
