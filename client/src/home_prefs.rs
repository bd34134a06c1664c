//! What the home page remembers between visits: the player's name and the last "New game"
//! choices, kept with the session tokens' fallbacks (localStorage, sessionStorage, memory).

use crate::session_store::SessionStore;
use crate::variants::GameOptions;

/// Where the player's name is kept.
pub const NAME_KEY: &str = "casino_player_name";
/// Where the last "New game" choices are kept.
pub const OPTIONS_KEY: &str = "casino_new_game";
/// The longest name the server takes (in characters).
pub const NAME_MAX_CHARS: usize = 32;

/// The name typed last time, or an empty one.
pub fn remembered_name(store: &SessionStore) -> String {
    store
        .value(NAME_KEY)
        .map(|name| name.trim().chars().take(NAME_MAX_CHARS).collect())
        .unwrap_or_default()
}

/// Remembers `typed` (trimmed) as the player's name; an empty name forgets it.
pub fn remember_name(store: &mut SessionStore, typed: &str) {
    let name: String = typed.trim().chars().take(NAME_MAX_CHARS).collect();
    if name.is_empty() {
        store.remove_value(NAME_KEY);
    } else {
        store.set_value(NAME_KEY, &name);
    }
}

/// The "New game" choices made last time (the standard game if none, or unreadable).
pub fn remembered_options(store: &SessionStore) -> GameOptions {
    store
        .value(OPTIONS_KEY)
        .and_then(|raw| serde_json::from_str(&raw).ok())
        .unwrap_or_default()
}

/// Remembers the "New game" choices.
pub fn remember_options(store: &mut SessionStore, options: GameOptions) {
    if let Ok(raw) = serde_json::to_string(&options) {
        store.set_value(OPTIONS_KEY, &raw);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session_store::{MemoryStorage, Storage, StorageError};
    use crate::variants::GameLength;

    fn store() -> SessionStore {
        SessionStore::new(vec![Box::new(MemoryStorage::default())])
    }

    /// A storage that refuses everything (privacy mode).
    struct Blocked;

    impl Storage for Blocked {
        fn get(&self, _: &str) -> Result<Option<String>, StorageError> {
            Err(StorageError::Unavailable)
        }
        fn set(&mut self, _: &str, _: &str) -> Result<(), StorageError> {
            Err(StorageError::Unavailable)
        }
        fn remove(&mut self, _: &str) -> Result<(), StorageError> {
            Err(StorageError::Unavailable)
        }
        fn keys(&self) -> Result<Vec<String>, StorageError> {
            Err(StorageError::Unavailable)
        }
    }

    #[test]
    fn the_name_is_kept_trimmed_and_an_empty_one_forgotten() {
        let mut store = store();
        assert_eq!(remembered_name(&store), "");
        remember_name(&mut store, "  Alice ");
        assert_eq!(remembered_name(&store), "Alice");
        assert_eq!(store.value(NAME_KEY).as_deref(), Some("Alice"));
        remember_name(&mut store, "Alicia");
        assert_eq!(remembered_name(&store), "Alicia", "an edit replaces it");
        remember_name(&mut store, "   ");
        assert_eq!(store.value(NAME_KEY), None);
    }

    #[test]
    fn a_long_name_is_cut_to_what_the_server_takes() {
        let mut store = store();
        let long = "é".repeat(40);
        remember_name(&mut store, &long);
        assert_eq!(remembered_name(&store).chars().count(), NAME_MAX_CHARS);
    }

    #[test]
    fn the_name_survives_a_blocked_storage() {
        let mut store = SessionStore::new(vec![Box::new(Blocked), Box::new(Blocked)]);
        remember_name(&mut store, "Bob");
        assert_eq!(remembered_name(&store), "Bob", "kept in memory");
    }

    #[test]
    fn the_last_choices_come_back_and_garbage_means_the_standard_game() {
        let mut store = store();
        assert_eq!(remembered_options(&store), GameOptions::default());
        let chosen = GameOptions {
            length: GameLength::To11,
            no_sweeps: true,
        };
        remember_options(&mut store, chosen);
        assert_eq!(remembered_options(&store), chosen);
        store.set_value(OPTIONS_KEY, "{not json");
        assert_eq!(remembered_options(&store), GameOptions::default());
        store.set_value(OPTIONS_KEY, r#"{"length":"one_hand"}"#);
        assert_eq!(remembered_options(&store).length, GameLength::OneHand);
    }

    #[test]
    fn remembered_values_are_not_sessions() {
        let mut store = store();
        remember_name(&mut store, "Alice");
        remember_options(&mut store, GameOptions::default());
        assert!(store.all(0).is_empty(), "no Resume entry for the name");
    }
}
