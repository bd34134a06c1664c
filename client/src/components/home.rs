//! Home: create a room, join one by code, or resume a stored game.

use dioxus::prelude::*;
use game::{shuffled_pack, Card};

use crate::app::{go, Screen};
use crate::components::card_view::CardView;
use crate::components::how_to_play::HowToPlay;
use crate::hand_report::end_reason;
use crate::web::api::{self, FinishedRoom};
use crate::web::browser::now_ms;
use crate::web::storage::with_store;
use crate::wording::count;

/// The home screen.
#[component]
pub fn Home(code: String, notice: Option<String>) -> Element {
    let screen = use_context::<Signal<Screen>>();
    let mut name = use_signal(String::new);
    let mut room_code = use_signal(|| code.clone());
    let mut single_hand = use_signal(|| false);
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    let stored = use_hook(|| with_store(|store| store.all(now_ms())));
    let sample: Vec<Card> = shuffled_pack(1, 1).into_iter().take(5).collect();

    let create = move |_| {
        let player = name.read().trim().to_owned();
        let variants: Vec<&'static str> = if single_hand() {
            vec!["V-SINGLE-HAND"]
        } else {
            Vec::new()
        };
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
    let finished: Option<FinishedRoom> = finished.read().clone().flatten();
    let create_panel = rsx! {
        section { class: "panel",
            h2 { "New game" }
            label { class: "check",
                input {
                    id: "single-hand",
                    r#type: "checkbox",
                    checked: single_hand(),
                    onchange: move |e| single_hand.set(e.checked()),
                }
                " Short game (one hand)"
            }
            button {
                id: "create-room",
                disabled: busy() || name.read().trim().is_empty(),
                onclick: create,
                "Create room"
            }
        }
    };
    let join_panel = rsx! {
        section { class: "panel",
            h2 { "Join a friend" }
            input {
                id: "room-code",
                maxlength: 6,
                placeholder: "ROOM CODE",
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
            if !stored.is_empty() {
                section { id: "resume-list", class: "panel",
                    h2 { "Resume a game" }
                    for s in stored {
                        a { class: "resume", href: "/room/{s.room}", "Room {s.room} as {s.name}" }
                    }
                }
            }
            section { class: "panel",
                label { r#for: "player-name", "Your name" }
                input {
                    id: "player-name",
                    maxlength: 32,
                    placeholder: "e.g. Alice",
                    value: "{name}",
                    oninput: move |e| name.set(e.value()),
                }
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
                p { id: "home-error", class: "error", "{message}" }
            }
        }
    }
}

/// The result of a finished room, shown when its link is opened.
#[component]
fn FinishedRoomPanel(code: String, room: FinishedRoom) -> Element {
    let name = |i: usize| {
        room.players
            .iter()
            .find(|p| p.seat.index() == i)
            .map_or_else(|| format!("Player {}", i + 1), |p| p.name.clone())
    };
    let names = [name(0), name(1)];
    let refs = [names[0].as_str(), names[1].as_str()];
    let Some(result) = room.result.clone() else {
        return rsx! {
            section { id: "finished-room", class: "panel", "data-status": "{room.status}",
                h2 { "Room {code}: this game is over" }
                p { id: "finished-reason", "Its creator left before anyone joined." }
            }
        };
    };
    let winner = match result.winner {
        Some(w) => format!("{} won", names[w.index()]),
        None => "A draw".to_owned(),
    };
    let (key, why) = room.end_reason.map_or(("", String::new()), |reason| {
        let (key, why) = end_reason(
            reason,
            result.winner.map(|w| w.index()),
            refs,
            [None, None],
            None,
        );
        (key, why)
    });
    // A played-out game: the reason needs no target here.
    let why = if key == "played-out" {
        "Played out to the end.".to_owned()
    } else {
        why
    };
    let score = if result.hands_played == 0 {
        "No hand was finished before the game ended.".to_owned()
    } else {
        format!(
            "{} {} – {} {} · {}",
            names[0],
            result.scores[0],
            result.scores[1],
            names[1],
            count(u64::from(result.hands_played), "hand", "hands")
        )
    };
    rsx! {
        section { id: "finished-room", class: "panel", "data-status": "{room.status}",
            h2 { "Room {code}: this game is over" }
            p { id: "finished-winner", class: "final", "{winner}" }
            p { id: "finished-scores", "{score}" }
            p { id: "finished-reason", "data-reason": key, "{why}" }
        }
    }
}
