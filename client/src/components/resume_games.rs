//! "Resume a game": the stored sessions the server still honours, each with who plays whom and
//! how the game stands, and "Forget" to drop one by hand.

use dioxus::prelude::*;

use crate::resume::{ResumeList, SessionCheck};
use crate::session_store::StoredSession;
use crate::web::api::{self, SessionAnswer};
use crate::web::browser::{focus_id, now_ms};
use crate::web::storage::with_store;

/// What the server says of `session`: its seat, and the room's players and standing.
async fn check(session: &StoredSession) -> SessionCheck {
    match api::check_session(&session.token).await {
        SessionAnswer::Refused(_) => SessionCheck::Refused,
        SessionAnswer::Unreachable => SessionCheck::Unreachable,
        SessionAnswer::Live(info) => {
            let facts = api::room_facts(&session.room).await;
            let room = facts
                .as_ref()
                .map(|f| (f.players.as_slice(), f.status.as_str()));
            SessionCheck::live(info.name, info.seat, room)
        }
    }
}

/// The list; nothing at all until the server confirmed a stored session.
#[component]
pub fn ResumeGames() -> Element {
    let mut list = use_signal(|| ResumeList::new(with_store(|store| store.all(now_ms()))));
    use_hook(move || {
        for session in list.peek().sessions() {
            spawn(async move {
                let answer = check(&session).await;
                if list.write().checked(&session.room, answer) {
                    with_store(|store| store.clear(&session.room));
                }
            });
        }
    });
    let lines = list.read().shown();
    if lines.is_empty() {
        return rsx! {};
    }
    let mut forget = move |room: String| {
        list.write().forget(&room);
        with_store(|store| store.clear(&room));
        // The focus stays in the list while it has entries, else moves to the name.
        if list.read().shown().is_empty() {
            focus_id("player-name");
        } else {
            focus_id("resume-title");
        }
    };
    rsx! {
        section { id: "resume-list", class: "panel", "aria-labelledby": "resume-title",
            h2 { id: "resume-title", tabindex: "-1", "Resume a game" }
            ul { class: "resume-entries",
                for line in lines {
                    li {
                        key: "{line.room}",
                        class: "resume-entry",
                        "data-room": "{line.room}",
                        "data-state": line.state,
                        a { class: "resume", href: "/room/{line.room}", "Room {line.room}" }
                        span { class: "resume-detail", "{line.detail}" }
                        button {
                            r#type: "button",
                            class: "forget",
                            "aria-label": "Forget room {line.room}",
                            onclick: {
                                let room = line.room.clone();
                                move |_| forget(room.clone())
                            },
                            "Forget"
                        }
                    }
                }
            }
        }
    }
}
