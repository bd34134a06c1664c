//! The browser's `localStorage` and `sessionStorage` behind the session store's trait.

use crate::session_store::{SessionStore, Storage, StorageError};

/// Which web storage.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// `localStorage`.
    Local,
    /// `sessionStorage`.
    Session,
}

/// One web storage, looked up on each call (privacy settings can block it at any time).
pub struct WebStorage(pub Kind);

impl WebStorage {
    fn storage(&self) -> Result<web_sys::Storage, StorageError> {
        let window = web_sys::window().ok_or(StorageError::Unavailable)?;
        let storage = match self.0 {
            Kind::Local => window.local_storage(),
            Kind::Session => window.session_storage(),
        };
        storage.ok().flatten().ok_or(StorageError::Unavailable)
    }
}

impl Storage for WebStorage {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.storage()?
            .get_item(key)
            .map_err(|_| StorageError::Unavailable)
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        self.storage()?
            .set_item(key, value)
            .map_err(|_| StorageError::QuotaExceeded)
    }

    fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        self.storage()?
            .remove_item(key)
            .map_err(|_| StorageError::Unavailable)
    }

    fn keys(&self) -> Result<Vec<String>, StorageError> {
        let storage = self.storage()?;
        let len = storage.length().map_err(|_| StorageError::Unavailable)?;
        Ok((0..len)
            .filter_map(|i| storage.key(i).ok().flatten())
            .collect())
    }
}

thread_local! {
    static STORE: std::cell::RefCell<SessionStore> = std::cell::RefCell::new(SessionStore::new(vec![
        Box::new(WebStorage(Kind::Local)),
        Box::new(WebStorage(Kind::Session)),
    ]));
}

/// Runs `f` with the page's session store (one per page, so the memory fallback persists).
pub fn with_store<T>(f: impl FnOnce(&mut SessionStore) -> T) -> T {
    STORE.with(|store| f(&mut store.borrow_mut()))
}
