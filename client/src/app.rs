//! The root component: picks the screen from the address bar and the stored sessions.

use dioxus::prelude::*;

use crate::components::home::Home;
use crate::components::room_screen::RoomScreen;
use crate::session_store::{Lookup, StoredSession};
use crate::web::browser::{self, now_ms};
use crate::web::storage::with_store;

/// Which screen shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    /// Create or join; `code` prefills the join form, `notice` explains why we are here.
    Home {
        /// Room code to prefill.
        code: String,
        /// A message for the player.
        notice: Option<String>,
    },
    /// Seated in a room.
    Room(StoredSession),
}

impl Screen {
    /// The screen for the address bar's path: `/room/CODE` resumes a stored session.
    pub fn from_path(path: &str) -> Screen {
        let Some(code) = path.strip_prefix("/room/") else {
            return Screen::Home {
                code: String::new(),
                notice: None,
            };
        };
        let code = code.trim_matches('/').to_ascii_uppercase();
        match with_store(|store| store.load(&code, now_ms())) {
            Lookup::Found(session) => Screen::Room(session),
            Lookup::Expired => Screen::Home {
                code,
                notice: Some("This game session has expired.".to_owned()),
            },
            Lookup::Missing => Screen::Home { code, notice: None },
        }
    }
}

/// Shows `screen` and puts its address in the address bar.
pub fn go(mut screen_signal: Signal<Screen>, screen: Screen) {
    match &screen {
        Screen::Home { .. } => browser::push_path("/"),
        Screen::Room(session) => browser::push_path(&format!("/room/{}", session.room)),
    }
    screen_signal.set(screen);
}

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
