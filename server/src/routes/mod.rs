//! HTTP routes.

pub mod health;
pub mod rooms;
pub mod ws;

use std::sync::Arc;

use actix::Addr;

use crate::actors::{RoomRegistry, SessionManager};
use crate::Config;

/// What the handlers share: the actors' addresses and the configuration.
#[derive(Clone)]
pub struct AppState {
    /// Rooms.
    pub registry: Addr<RoomRegistry>,
    /// Sessions.
    pub sessions: Addr<SessionManager>,
    /// Configuration.
    pub config: Arc<Config>,
}
