//! Session tokens kept across reloads (SPEC R2): `casino_session_{room}` in the first storage
//! that works — localStorage, then sessionStorage, then memory — with an expiry check.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The key prefix; the room code follows.
pub const KEY_PREFIX: &str = "casino_session_";

/// Why a storage refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// The storage is missing or blocked (privacy mode, disabled cookies).
    Unavailable,
    /// The storage is full.
    QuotaExceeded,
}

/// A key-value storage such as the browser's `localStorage`.
pub trait Storage {
    /// The value under `key`.
    fn get(&self, key: &str) -> Result<Option<String>, StorageError>;
    /// Stores `value` under `key`.
    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError>;
    /// Removes `key`.
    fn remove(&mut self, key: &str) -> Result<(), StorageError>;
    /// Every key.
    fn keys(&self) -> Result<Vec<String>, StorageError>;
}

/// A storage in memory: the last fallback, and the fake of tests.
#[derive(Debug, Default, Clone)]
pub struct MemoryStorage {
    entries: BTreeMap<String, String>,
}

impl Storage for MemoryStorage {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        Ok(self.entries.get(key).cloned())
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        self.entries.insert(key.to_owned(), value.to_owned());
        Ok(())
    }
    fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        self.entries.remove(key);
        Ok(())
    }
    fn keys(&self) -> Result<Vec<String>, StorageError> {
        Ok(self.entries.keys().cloned().collect())
    }
}

/// What the server handed out on create or join, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredSession {
    /// Room code.
    pub room: String,
    /// Seat (0 or 1).
    pub seat: u8,
    /// Player id.
    pub player_id: i64,
    /// The session token.
    pub token: String,
    /// Expiry (ms since the epoch).
    pub expires_at: i64,
    /// The player's name.
    #[serde(default)]
    pub name: String,
}

/// The outcome of looking a room's session up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// A usable session.
    Found(StoredSession),
    /// There was one, but it expired (and is now removed).
    Expired,
    /// None stored.
    Missing,
}

/// Session tokens over an ordered list of storages.
pub struct SessionStore {
    backends: Vec<Box<dyn Storage>>,
}

impl SessionStore {
    /// A store trying `backends` in order; a memory storage is always added last.
    pub fn new(mut backends: Vec<Box<dyn Storage>>) -> Self {
        backends.push(Box::new(MemoryStorage::default()));
        Self { backends }
    }

    /// The storage key of `room`.
    pub fn key(room: &str) -> String {
        format!("{KEY_PREFIX}{}", room.to_ascii_uppercase())
    }

    /// Stores `session` in the first storage that accepts it; returns that storage's index.
    pub fn save(&mut self, session: &StoredSession) -> usize {
        let key = Self::key(&session.room);
        let value = match serde_json::to_string(session) {
            Ok(v) => v,
            Err(_) => return self.backends.len() - 1,
        };
        self.set_value(&key, &value)
    }

    /// Stores `value` under `key` in the first storage that accepts it (the same fallbacks as a
    /// session: other things the page remembers use them too); returns that storage's index.
    pub fn set_value(&mut self, key: &str, value: &str) -> usize {
        for (i, backend) in self.backends.iter_mut().enumerate() {
            if backend.set(key, value).is_ok() {
                return i;
            }
        }
        self.backends.len() - 1
    }

    /// The value under `key` in the first storage that has one.
    pub fn value(&self, key: &str) -> Option<String> {
        self.backends.iter().find_map(|b| b.get(key).ok().flatten())
    }

    /// Removes `key` from every storage.
    pub fn remove_value(&mut self, key: &str) {
        for backend in &mut self.backends {
            // A storage that cannot remove cannot have stored it either.
            let _ = backend.remove(key);
        }
    }

    /// The session of `room`, if stored and not expired at `now` (ms since the epoch).
    /// An expired or unreadable entry is removed.
    pub fn load(&mut self, room: &str, now: i64) -> Lookup {
        let Some(raw) = self.value(&Self::key(room)) else {
            return Lookup::Missing;
        };
        match serde_json::from_str::<StoredSession>(&raw) {
            Ok(session) if session.expires_at > now => Lookup::Found(session),
            Ok(_) => {
                self.clear(room);
                Lookup::Expired
            }
            Err(_) => {
                self.clear(room);
                Lookup::Missing
            }
        }
    }

    /// Every stored, unexpired session (for "Resume game" on the home screen).
    pub fn all(&mut self, now: i64) -> Vec<StoredSession> {
        let mut rooms: Vec<String> = self
            .backends
            .iter()
            .filter_map(|b| b.keys().ok())
            .flatten()
            .filter_map(|k| k.strip_prefix(KEY_PREFIX).map(str::to_owned))
            .collect();
        rooms.sort();
        rooms.dedup();
        rooms
            .into_iter()
            .filter_map(|room| match self.load(&room, now) {
                Lookup::Found(s) => Some(s),
                _ => None,
            })
            .collect()
    }

    /// Forgets `room`'s session everywhere (game over, Leave).
    pub fn clear(&mut self, room: &str) {
        self.remove_value(&Self::key(room));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A storage that fails every call.
    struct Broken(StorageError);

    impl Storage for Broken {
        fn get(&self, _: &str) -> Result<Option<String>, StorageError> {
            Err(self.0.clone())
        }
        fn set(&mut self, _: &str, _: &str) -> Result<(), StorageError> {
            Err(self.0.clone())
        }
        fn remove(&mut self, _: &str) -> Result<(), StorageError> {
            Err(self.0.clone())
        }
        fn keys(&self) -> Result<Vec<String>, StorageError> {
            Err(self.0.clone())
        }
    }

    /// A storage that reads fine but is full.
    #[derive(Default)]
    struct Full(MemoryStorage);

    impl Storage for Full {
        fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
            self.0.get(key)
        }
        fn set(&mut self, _: &str, _: &str) -> Result<(), StorageError> {
            Err(StorageError::QuotaExceeded)
        }
        fn remove(&mut self, key: &str) -> Result<(), StorageError> {
            self.0.remove(key)
        }
        fn keys(&self) -> Result<Vec<String>, StorageError> {
            self.0.keys()
        }
    }

    fn session(room: &str, expires_at: i64) -> StoredSession {
        StoredSession {
            room: room.to_owned(),
            seat: 1,
            player_id: 7,
            token: "tok".to_owned(),
            expires_at,
            name: "Bob".to_owned(),
        }
    }

    #[test]
    fn stores_under_the_room_key_in_the_first_storage() {
        let mut store = SessionStore::new(vec![Box::new(MemoryStorage::default())]);
        assert_eq!(store.save(&session("ABC234", 100)), 0);
        assert_eq!(SessionStore::key("abc234"), "casino_session_ABC234");
        assert_eq!(
            store.load("ABC234", 50),
            Lookup::Found(session("ABC234", 100))
        );
    }

    #[test]
    fn falls_back_on_quota_and_privacy_errors() {
        let mut store = SessionStore::new(vec![
            Box::new(Full::default()),
            Box::new(Broken(StorageError::Unavailable)),
        ]);
        assert_eq!(store.save(&session("ABC234", 100)), 2, "memory took it");
        assert_eq!(
            store.load("ABC234", 0),
            Lookup::Found(session("ABC234", 100))
        );
        let mut second = SessionStore::new(vec![
            Box::new(Broken(StorageError::Unavailable)),
            Box::new(MemoryStorage::default()),
        ]);
        assert_eq!(
            second.save(&session("ABC234", 100)),
            1,
            "sessionStorage took it"
        );
    }

    #[test]
    fn an_expired_session_is_reported_and_removed() {
        let mut store = SessionStore::new(vec![Box::new(MemoryStorage::default())]);
        store.save(&session("ABC234", 100));
        assert_eq!(store.load("ABC234", 100), Lookup::Expired);
        assert_eq!(store.load("ABC234", 0), Lookup::Missing);
    }

    #[test]
    fn garbage_is_dropped() {
        let mut mem = MemoryStorage::default();
        mem.set("casino_session_ABC234", "{not json")
            .expect("memory");
        let mut store = SessionStore::new(vec![Box::new(mem)]);
        assert_eq!(store.load("ABC234", 0), Lookup::Missing);
    }

    #[test]
    fn clear_forgets_and_all_lists_live_sessions() {
        let mut store = SessionStore::new(vec![Box::new(MemoryStorage::default())]);
        store.save(&session("AAA234", 100));
        store.save(&session("BBB234", 10));
        store.save(&session("CCC234", 100));
        store.clear("CCC234");
        let rooms: Vec<String> = store.all(50).into_iter().map(|s| s.room).collect();
        assert_eq!(rooms, ["AAA234"]);
    }
}
