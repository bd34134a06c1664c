//! The room screen's own dialogs: the conflict with another tab or device, the expired and the
//! left session (both lead home), and "Leave the game?".

use dioxus::prelude::*;

use crate::components::modal::Modal;
use crate::navigation::{go, Screen};
use crate::web::connection::Command;

/// Back to the lobby, with nothing prefilled.
fn go_home(screen: Signal<Screen>) {
    go(
        screen,
        Screen::Home {
            code: String::new(),
            notice: None,
        },
    )
}

/// "Game is open in another tab": take the seat over here, or leave it to the other tab
/// (Escape: the other tab keeps it).
#[component]
pub fn ConflictDialog(message: String) -> Element {
    let screen = use_context::<Signal<Screen>>();
    let conn = use_coroutine_handle::<Command>();
    let cancel = move || {
        conn.send(Command::Cancel);
        go_home(screen);
    };
    rsx! {
        Modal {
            id: "conflict-dialog",
            labelled_by: "conflict-title",
            described_by: "conflict-text",
            focus: "takeover",
            on_escape: move |_| cancel(),
            h2 { id: "conflict-title", "Game is open in another tab" }
            p { id: "conflict-text", "{message}" }
            button { id: "takeover", r#type: "button", class: "primary",
                onclick: move |_| conn.send(Command::Takeover),
                "Take over"
            }
            button { id: "cancel-takeover", r#type: "button", onclick: move |_| cancel(), "Cancel" }
        }
    }
}

/// The session expired here.
#[component]
pub fn ExpiredDialog() -> Element {
    let screen = use_context::<Signal<Screen>>();
    rsx! {
        Modal {
            id: "session-expired",
            labelled_by: "expired-title",
            focus: "expired-home",
            on_escape: move |_| go_home(screen),
            h2 { id: "expired-title", "This game session has expired" }
            p { "You were away too long to return to this game." }
            button { id: "expired-home", r#type: "button", class: "primary", onclick: move |_| go_home(screen),
                "Back to the lobby"
            }
        }
    }
}

/// The player left this game (here or in another tab).
#[component]
pub fn LeftDialog() -> Element {
    let screen = use_context::<Signal<Screen>>();
    rsx! {
        Modal {
            id: "left-game",
            labelled_by: "left-title",
            focus: "left-home",
            on_escape: move |_| go_home(screen),
            h2 { id: "left-title", "You left this game" }
            p { "A game you leave cannot be resumed." }
            button { id: "left-home", r#type: "button", class: "primary", onclick: move |_| go_home(screen),
                "Back to the lobby"
            }
        }
    }
}

/// "Leave the game?", while `open`: leaving is for good, so the player confirms. The
/// connection task goes home once the server confirms.
#[component]
pub fn LeaveDialog(open: Signal<bool>) -> Element {
    let conn = use_coroutine_handle::<Command>();
    let mut open = open;
    if !open() {
        return rsx! {};
    }
    rsx! {
        Modal {
            id: "leave-dialog",
            labelled_by: "leave-title",
            described_by: "leave-text",
            focus: "cancel-leave",
            on_escape: move |_| open.set(false),
            h2 { id: "leave-title", "Leave the game?" }
            p { id: "leave-text", "You cannot come back to it, and your opponent may claim the victory." }
            button { id: "confirm-leave", r#type: "button", class: "primary",
                onclick: move |_| {
                    open.set(false);
                    conn.send(Command::Leave);
                },
                "Leave"
            }
            button { id: "cancel-leave", r#type: "button", onclick: move |_| open.set(false), "Stay" }
        }
    }
}
