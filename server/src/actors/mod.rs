//! The actors of the server (DESIGN "server"): one owner per piece of state, typed messages,
//! one message type per intent.
//!
//! - [`RoomRegistry`]: room code → [`RoomActor`]; creates rooms; loads a missing room by replay.
//! - [`RoomActor`]: owns one room's game, seats, live connections, log tail and dedup table.
//! - [`WsSession`]: one per socket; parses, limits and forwards; holds no game state.
//! - [`SessionManager`]: validates session tokens against the database, records connections,
//!   sweeps abandoned games and expired sessions.
//! - [`HeartbeatMonitor`]: marks silent sockets unhealthy, closes dead ones, batches
//!   `last_heartbeat` writes.
//!
//! The group-commit log writer is a plain task ([`crate::store::LogWriter`]).

pub mod heartbeat;
mod outbox;
pub mod registry;
pub mod room;
mod room_state;
pub mod session_manager;
pub mod ws_session;

pub use heartbeat::{HeartbeatMonitor, RoomHeartbeats, SeatHeartbeat};
pub use outbox::{on_connect, CloseSocket, ConnSocket, Deliver, Outbox, SocketCloseReason};
pub use registry::{CreateRoom, FindRoom, RoomRegistry};
pub use room::{
    ClaimRefused, ClaimVictory, ClaimedVictory, JoinSeat, RoomActor, RoomDeps, RoomInfo, Seated,
};
pub use session_manager::{
    CheckAbandonedGames, CleanupExpiredSessions, SessionClaims, SessionManager, ValidateToken,
};
pub use ws_session::WsSession;

use crate::store::StoreError;

/// Why a room could not do what was asked.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RoomError {
    /// No room has this code.
    #[error("no room has this code")]
    NotFound,
    /// Both seats are taken.
    #[error("the room is full")]
    Full,
    /// The database failed; details are in the server log.
    #[error("storage error: {0}")]
    Storage(String),
    /// The room's actor could not take the message (overloaded or stopping).
    #[error("the server is busy; try again")]
    Unavailable,
}

impl RoomError {
    /// Stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            RoomError::NotFound => "ROOM_NOT_FOUND",
            RoomError::Full => "ROOM_FULL",
            RoomError::Storage(_) => "STORAGE_ERROR",
            RoomError::Unavailable => "SERVER_BUSY",
        }
    }
}

impl From<StoreError> for RoomError {
    fn from(err: StoreError) -> Self {
        log::error!("{err}");
        RoomError::Storage(err.to_string())
    }
}

impl From<actix::MailboxError> for RoomError {
    fn from(_: actix::MailboxError) -> Self {
        RoomError::Unavailable
    }
}
