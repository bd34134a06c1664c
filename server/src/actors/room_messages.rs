//! The messages a [`super::RoomActor`] takes, one per intent, and their answers.

use actix::prelude::*;
use game::protocol::{EndReason, ErrorCode};
pub use game::protocol::{RoomFacts, Seated};
use game::{GameResult, Move, Seat};
use serde::Serialize;

use super::heartbeat::Health;
use super::outbox::Outbox;
use super::RoomError;
use crate::room::{DetachReason, RematchStand};

/// Tells the registry a room actor has stopped, so its entry goes.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct RoomStopped {
    /// The room's code.
    pub code: String,
    /// Which actor instance stopped (a newer one may already be registered).
    pub instance: u64,
}

/// Why a room leaves this node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseReason {
    /// Another node needs the room (it asked through `NOTIFY`).
    HandOver,
    /// This node is draining (SIGTERM).
    Drain,
    /// Renewing found the lease taken over by another node.
    Lost,
}

/// Drops the room from this node: its sockets are closed with 1012 (reconnect) after any commit
/// in flight, its lease is released, and the actor stops. Answered once the lease is released.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct Release {
    /// Why.
    pub reason: ReleaseReason,
}

/// Takes the second seat of the room for `name` (`POST /api/rooms/{code}/join`).
#[derive(Debug, Message)]
#[rtype(result = "Result<Seated, RoomError>")]
pub struct JoinSeat {
    /// Validated player name.
    pub name: String,
}

/// Asks for the public facts of the room (`GET /api/rooms/{code}`).
#[derive(Debug, Message)]
#[rtype(result = "Result<RoomFacts, RoomError>")]
pub struct GetRoomInfo;

/// Asks each seated player's connection health (`GET /api/heartbeat/{code}`).
#[derive(Debug, Message)]
#[rtype(result = "Result<Vec<SeatHealth>, RoomError>")]
pub struct GetSeatHealth;

/// One seated player's connection health, as the heartbeat monitor last reported it.
#[derive(Debug, Clone, Serialize)]
pub struct SeatHealth {
    /// The seat.
    pub seat: Seat,
    /// `healthy`, `unhealthy` (reported silent), or `disconnected` (no socket holds the seat).
    pub health: Health,
    /// The last frame received on the seat's socket (ms), while one holds it.
    pub last_heartbeat: Option<i64>,
}

/// A socket that said `hello` (or `takeover`) for a seat.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Attach {
    /// The session's seat.
    pub seat: Seat,
    /// The session's player (checked against the seat).
    pub player_id: i64,
    /// Last event sequence number the client saw.
    pub last_seq: u64,
    /// The client sent `takeover`: move the seat here even if another live socket holds it.
    pub takeover: bool,
    /// The socket.
    pub outbox: Outbox,
}

/// A socket went away.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct Detach {
    /// Which socket.
    pub conn_id: u64,
    /// How it ended.
    pub reason: DetachReason,
}

/// The heartbeat monitor's judgement of a socket changed.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct SocketHealth {
    /// Which socket.
    pub conn_id: u64,
    /// Heard from within the unhealthy threshold.
    pub healthy: bool,
}

/// A proposed move, answered on its socket with `ack` (after commit) or `rejected`.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct SubmitAction {
    /// The socket it came on.
    pub conn_id: u64,
    /// The session's seat.
    pub seat: Seat,
    /// The session's player.
    pub player_id: i64,
    /// Client idempotency key.
    pub action_id: String,
    /// The move.
    pub mv: Move,
}

/// The player leaves the room for good (`leave`).
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct Leave {
    /// The socket it came on.
    pub conn_id: u64,
    /// The session's seat.
    pub seat: Seat,
    /// The session's player.
    pub player_id: i64,
}

/// The player waits for an opponent who abandoned the game (`wait`).
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct WaitForOpponent {
    /// The socket it came on.
    pub conn_id: u64,
    /// The session's seat.
    pub seat: Seat,
    /// The session's player.
    pub player_id: i64,
}

/// Claims victory over an opponent who abandoned the game (WebSocket `claim_victory` or
/// `POST /api/game/claim-victory`).
#[derive(Debug, Message)]
#[rtype(result = "Result<ClaimedVictory, ClaimRefused>")]
pub struct ClaimVictory {
    /// The claimant's socket, told when the claim is refused (`None` over HTTP).
    pub conn_id: Option<u64>,
    /// The claimant's seat.
    pub seat: Seat,
    /// The claimant's player id (checked against the seat).
    pub player_id: i64,
}

/// A claim that ended the game.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimedVictory {
    /// Room code.
    pub room: String,
    /// Sequence number of the `victory_claimed` event in the action log.
    pub seq: u64,
    /// Final result: the claimant wins.
    pub result: GameResult,
    /// Always `victory_claimed`.
    pub reason: EndReason,
}

/// Why a claim of victory was refused.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ClaimRefused {
    /// The game has not started or is already over.
    #[error("there is no game in progress to claim")]
    NotInPlay,
    /// The opponent is connected or has not been gone long enough.
    #[error("the opponent has not been gone long enough to claim victory")]
    TooEarly,
    /// The session does not match the seat.
    #[error("this session does not hold a seat in this room")]
    NotSeated,
    /// The room or the database failed.
    #[error("{0}")]
    Room(RoomError),
}

impl ClaimRefused {
    /// The refusal of the core's `code`.
    pub fn from_code(code: ErrorCode) -> Self {
        match code {
            ErrorCode::NotSeated => ClaimRefused::NotSeated,
            ErrorCode::ClaimTooEarly => ClaimRefused::TooEarly,
            _ => ClaimRefused::NotInPlay,
        }
    }

    /// Stable error code.
    pub fn code(&self) -> ErrorCode {
        match self {
            ClaimRefused::NotInPlay => ErrorCode::GameNotInPlay,
            ClaimRefused::TooEarly => ErrorCode::ClaimTooEarly,
            ClaimRefused::NotSeated => ErrorCode::NotSeated,
            ClaimRefused::Room(err) => err.code(),
        }
    }
}

/// The player is ready for the hand after `hand` (`next_hand`).
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct ReadyForNextHand {
    /// The socket it came on.
    pub conn_id: u64,
    /// The session's seat.
    pub seat: Seat,
    /// The session's player.
    pub player_id: i64,
    /// The hand just ended.
    pub hand: u32,
}

/// The player asks for a rematch of the finished game (`POST /api/rooms/{code}/rematch`).
#[derive(Debug, Message)]
#[rtype(result = "Result<RematchState, RematchRefused>")]
pub struct AskRematch {
    /// The session's seat.
    pub seat: Seat,
    /// The session's player (checked against the seat).
    pub player_id: i64,
}

/// The player does not want a rematch (now) (`DELETE /api/rooms/{code}/rematch`).
#[derive(Debug, Message)]
#[rtype(result = "Result<RematchStand, RematchRefused>")]
pub struct DeclineRematch {
    /// The session's seat.
    pub seat: Seat,
    /// The session's player (checked against the seat).
    pub player_id: i64,
}

/// Where a rematch stands for the player who asked.
#[derive(Debug, Clone)]
pub enum RematchState {
    /// Waiting for the opponent: who asked and who declined.
    Offered(RematchStand),
    /// Both asked: the player's seat in the new room, with a session.
    Seated(Seated),
}

/// Why a rematch was refused.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RematchRefused {
    /// The game is not over (or never started).
    #[error("the game is not over")]
    NotOver,
    /// The opponent left the room.
    #[error("the opponent has left the room")]
    OpponentLeft,
    /// The session does not match the seat.
    #[error("this session does not hold a seat in this room")]
    NotSeated,
    /// A decline after the rematch's room was made (or while it is made).
    #[error("the rematch's room is made already")]
    Made,
    /// The player left the rematch's room: it has no session for them any more.
    #[error("you left the rematch's room: it has no seat for you any more")]
    Left,
    /// The room or the database failed.
    #[error("{0}")]
    Room(RoomError),
}

impl RematchRefused {
    /// The refusal of the core's `code`.
    pub fn from_code(code: ErrorCode) -> Self {
        match code {
            ErrorCode::NotSeated => RematchRefused::NotSeated,
            ErrorCode::OpponentLeft => RematchRefused::OpponentLeft,
            ErrorCode::RematchMade => RematchRefused::Made,
            _ => RematchRefused::NotOver,
        }
    }

    /// Stable error code.
    pub fn code(&self) -> ErrorCode {
        match self {
            RematchRefused::NotOver => ErrorCode::GameNotOver,
            RematchRefused::OpponentLeft => ErrorCode::OpponentLeft,
            RematchRefused::NotSeated => ErrorCode::NotSeated,
            RematchRefused::Made => ErrorCode::RematchMade,
            RematchRefused::Left => ErrorCode::RematchLeft,
            RematchRefused::Room(err) => err.code(),
        }
    }
}

/// The session manager's sweep found a deadline due in the database: pass it now.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct CheckDeadlines;
