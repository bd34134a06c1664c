//! Which screen shows and how to go to another: the address bar's path and the `Screen`
//! signal. A leaf: it knows no screen's component, so the socket owner can go home without
//! depending on the screens.

use dioxus::prelude::*;

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
