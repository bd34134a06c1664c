//! The root component: picks the screen from the address bar and the stored sessions.

use dioxus::prelude::*;

use crate::components::home::Home;
use crate::components::room_screen::RoomScreen;
use crate::navigation::Screen;
use crate::web::browser;

/// The application root.
#[component]
pub fn App() -> Element {
    let screen = use_context_provider(|| Signal::new(Screen::from_path(&browser::path())));
    let current = screen.read().clone();
    match current {
        Screen::Home { code, notice } => rsx! { Home { code, notice } },
        // A keyed list of one: entering another room (a rematch) replaces the room screen, its
        // model and its connection, instead of handing the old ones a new session.
        Screen::Room(session) => rsx! {
            for session in [session] {
                RoomScreen { key: "{session.room}", session }
            }
        },
    }
}
