//! Home: create a room, join one by code, or resume a stored game; the player's name is
//! remembered on this device.

use dioxus::prelude::*;
use game::{shuffled_pack, Card};

use crate::components::card_view::CardView;
use crate::components::finished_room::FinishedRoomPanel;
use crate::components::how_to_play::HowToPlay;
use crate::components::new_game_form::NewGameForm;
use crate::components::resume_games::ResumeGames;
use crate::home_prefs::{remember_name, remembered_name};
use crate::navigation::{go, Screen};
use crate::web::api::{self, RoomFacts};
use crate::web::storage::with_store;

/// The home screen.
#[component]
pub fn Home(code: String, notice: Option<String>) -> Element {
    let screen = use_context::<Signal<Screen>>();
    let mut name = use_signal(|| with_store(|store| remembered_name(store)));
    let mut room_code = use_signal(|| code.clone());
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    let sample: Vec<Card> = shuffled_pack(1, 1).into_iter().take(5).collect();

    let join = move |_| {
        let player = name.read().trim().to_owned();
        let code = room_code.read().trim().to_ascii_uppercase();
        busy.set(true);
        spawn(async move {
            match api::join_room(&code, &player).await {
                Ok(session) => {
                    with_store(|store| store.save(&session));
                    go(screen, Screen::Room(session));
                }
                Err(message) => error.set(Some(message)),
            }
            busy.set(false);
        });
    };

    // Someone who opened an invitation link came to join: that form comes first — unless the
    // room's game is over, when the link shows its result instead.
    let invited = !code.trim().is_empty();
    let asked = code.trim().to_ascii_uppercase();
    let finished = use_resource(move || {
        let asked = asked.clone();
        async move {
            if asked.len() == 6 {
                api::finished_room(&asked).await
            } else {
                None
            }
        }
    });
    let finished: Option<RoomFacts> = finished.read().clone().flatten();
    let create_panel = rsx! {
        NewGameForm { name, busy, error }
    };
    let join_panel = rsx! {
        section { class: "panel", "aria-labelledby": "join-title",
            h2 { id: "join-title", "Join a friend" }
            label { r#for: "room-code", "Room code" }
            input {
                id: "room-code",
                maxlength: 6,
                placeholder: "ROOM CODE",
                autocomplete: "off",
                value: "{room_code}",
                oninput: move |e| room_code.set(e.value().to_ascii_uppercase()),
            }
            button {
                id: "join-room",
                disabled: busy() || name.read().trim().is_empty() || room_code.read().trim().len() != 6,
                onclick: join,
                "Join room"
            }
        }
    };

    rsx! {
        main { class: "felt home",
            h1 { "Casino Online" }
            p { class: "tagline", "Two-player Casino that never loses a game to the network." }
            HowToPlay {}
            div { class: "hand", id: "sample-hand",
                for card in sample {
                    CardView { card }
                }
            }
            if let Some(notice) = notice {
                p { id: "home-notice", class: "notice", "{notice}" }
            }
            ResumeGames {}
            section { class: "panel",
                label { r#for: "player-name", "Your name" }
                input {
                    id: "player-name",
                    maxlength: 32,
                    placeholder: "e.g. Alice",
                    autocomplete: "nickname",
                    "aria-describedby": "player-name-hint",
                    value: "{name}",
                    oninput: move |e| {
                        let typed = e.value();
                        with_store(|store| remember_name(store, &typed));
                        name.set(typed);
                    },
                }
                p { id: "player-name-hint", class: "hint", "Kept on this device for your next games." }
            }
            if let Some(room) = finished.clone() {
                FinishedRoomPanel { code: code.trim().to_ascii_uppercase(), room }
            }
            div { class: "home-actions",
                if finished.is_some() {
                    {create_panel}
                } else if invited {
                    {join_panel}
                    {create_panel}
                } else {
                    {create_panel}
                    {join_panel}
                }
            }
            if let Some(message) = error() {
                p { id: "home-error", class: "error", role: "alert", "{message}" }
            }
        }
    }
}
