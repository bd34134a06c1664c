//! The actors of the server (DESIGN "server"): one owner per piece of state, typed messages,
//! one message type per intent.
//!
//! - [`RoomRegistry`]: room code → [`RoomActor`]; creates rooms; loads a missing room by replay.
//! - [`RoomActor`]: the thin shell of one room core ([`crate::room`]), which owns the room's
//!   game, seats, presence, deadlines, log tail and dedup table.
//! - [`WsConnection`]: one per socket; parses, limits and forwards; holds no game state.
//! - [`SessionManager`]: validates session tokens against the database, records connections,
//!   runs the sweeps (rooms with deadlines due, expired sessions).
//! - [`LeaseKeeper`]: this node's room leases when several nodes share PostgreSQL: renews
//!   them, answers other nodes' requests for a room, releases leases of rooms leaving memory.
//! - [`HeartbeatMonitor`]: the one judge of a socket's liveness: tells its room when it turns
//!   unhealthy or healthy again, closes dead ones, batches `last_heartbeat` writes.
//!
//! The group-commit log writer, every room's one write path, is a plain task
//! ([`crate::store::LogWriter`]).

pub mod connection;
pub mod heartbeat;
pub mod lease_keeper;
mod outbox;
pub mod registry;
mod rematch;
pub mod room;
mod room_handlers;
pub mod room_messages;
pub mod session_manager;

pub use connection::WsConnection;
pub use heartbeat::HeartbeatMonitor;
pub use lease_keeper::LeaseKeeper;
pub use outbox::{on_connect, CloseSocket, ConnSocket, Deliver, Outbox};
pub use registry::{CreateRoom, DrainRooms, FindRoom, RoomRegistry};
pub use room::{RoomActor, RoomDeps};
pub use room_messages::{
    AskRematch, ClaimRefused, ClaimVictory, ClaimedVictory, DeclineRematch, GetRoomInfo,
    GetSeatHealth, JoinSeat, Release, ReleaseReason, RematchRefused, RematchState, RoomFacts,
    SeatHealth, Seated,
};
pub use session_manager::{CheckAbandonedGames, CleanupExpiredSessions, SessionManager};

use game::protocol::ErrorCode;

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
    /// The game is over, or its creator left before anyone joined.
    #[error("this room is closed: its game is over or its creator left")]
    Closed,
    /// The database failed; details are in the server log.
    #[error("storage error: {0}")]
    Storage(String),
    /// The room's actor could not take the message (overloaded or stopping).
    #[error("the server is busy; try again")]
    Unavailable,
}

impl RoomError {
    /// Stable error code.
    pub fn code(&self) -> ErrorCode {
        match self {
            RoomError::NotFound => ErrorCode::RoomNotFound,
            RoomError::Full => ErrorCode::RoomFull,
            RoomError::Closed => ErrorCode::RoomClosed,
            RoomError::Storage(_) => ErrorCode::StorageError,
            RoomError::Unavailable => ErrorCode::ServerBusy,
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
