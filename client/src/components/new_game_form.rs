//! "New game": the game length and scoring variants the engine has (RULES §11), remembered for
//! next time, and "Create room".

use dioxus::prelude::*;

use crate::home_prefs::{remember_options, remembered_options};
use crate::navigation::{go, Screen};
use crate::variants::{GameLength, GameOptions};
use crate::web::api;
use crate::web::storage::with_store;

/// The game lengths offered: the radio's id, its value, its label. `single-hand` is the id the
/// one-hand choice always had.
const LENGTHS: [(&str, GameLength, &str); 3] = [
    ("length-21", GameLength::To21, "To 21 points (standard)"),
    ("length-11", GameLength::To11, "To 11 points"),
    ("single-hand", GameLength::OneHand, "One hand"),
];

/// Shows and remembers `next`.
fn choose(mut options: Signal<GameOptions>, next: GameOptions) {
    options.set(next);
    with_store(|store| remember_options(store, next));
}

/// The "New game" panel; creating a room needs `name`, and shares `busy` and `error` with the
/// join form.
#[component]
pub fn NewGameForm(
    name: Signal<String>,
    busy: Signal<bool>,
    error: Signal<Option<String>>,
) -> Element {
    let screen = use_context::<Signal<Screen>>();
    let options = use_signal(|| with_store(|store| remembered_options(store)));
    let mut busy = busy;
    let mut error = error;
    let create = move |_| {
        let player = name.read().trim().to_owned();
        let variants = options.read().variants();
        busy.set(true);
        spawn(async move {
            match api::create_room(&player, &variants).await {
                Ok(session) => {
                    with_store(|store| store.save(&session));
                    go(screen, Screen::Room(session));
                }
                Err(message) => error.set(Some(message)),
            }
            busy.set(false);
        });
    };
    let chosen = options();
    rsx! {
        section { class: "panel new-game", "aria-labelledby": "new-game-title",
            h2 { id: "new-game-title", "New game" }
            fieldset { class: "choices",
                legend { "Game length" }
                for (id, length, text) in LENGTHS {
                    label { class: "check",
                        input {
                            id: "{id}",
                            r#type: "radio",
                            name: "game-length",
                            value: id,
                            checked: chosen.length == length,
                            onchange: move |_| choose(options, GameOptions { length, ..options() }),
                        }
                        " {text}"
                    }
                }
            }
            fieldset { class: "choices",
                legend { "Scoring" }
                label { class: "check",
                    input {
                        id: "no-sweeps",
                        r#type: "checkbox",
                        checked: chosen.no_sweeps,
                        onchange: move |e| {
                            choose(options, GameOptions { no_sweeps: e.checked(), ..options() })
                        },
                    }
                    " No sweeps (clearing the table scores no point)"
                }
            }
            button {
                id: "create-room",
                disabled: busy() || name.read().trim().is_empty(),
                onclick: create,
                "Create room"
            }
        }
    }
}
