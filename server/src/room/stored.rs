//! A room as the database holds it, in the core's own types (the store converts its rows into
//! these), so loading a room is a pure function of what was committed.

use game::protocol::{ErrorCode, EventKind};
use game::{Ruleset, Seat};

use super::record::AwayReason;

/// Everything needed to rebuild a room.
#[derive(Debug, Clone)]
pub struct StoredRoom {
    /// Database id.
    pub id: i64,
    /// Public code.
    pub code: String,
    /// Rules variant.
    pub ruleset: Ruleset,
    /// Secret deal seed.
    pub seed: u64,
    /// The salt of the room's deal commitment (`None` for rooms older than the commitment).
    pub salt: Option<String>,
    /// The room was closed before a game started (its creator left or never came back).
    pub closed: bool,
    /// The player who stayed chose to wait for the absent one.
    pub waited: bool,
    /// Seated players (0, 1 or 2).
    pub seats: Vec<StoredSeat>,
    /// The action log, by sequence number.
    pub log: Vec<StoredEntry>,
    /// Remembered rejections, oldest first.
    pub rejected: Vec<StoredRejection>,
    /// The code of the rematch's room, once both players asked for one.
    pub rematch: Option<String>,
}

/// A seated player and where they are.
#[derive(Debug, Clone)]
pub struct StoredSeat {
    /// The seat.
    pub seat: Seat,
    /// Database id.
    pub player_id: i64,
    /// Display name.
    pub name: String,
    /// Gone since, with its deadlines, if away (or left).
    pub away: Option<StoredAway>,
    /// When the player pressed Leave.
    pub left_at: Option<i64>,
}

/// A stored absence: the deadlines as they were set when the player went away.
#[derive(Debug, Clone, Copy)]
pub struct StoredAway {
    /// Gone since (ms).
    pub since: i64,
    /// How the socket ended.
    pub reason: AwayReason,
    /// When the game counts as abandoned (ms).
    pub abandon_at: i64,
    /// When the seat's return window ends (ms).
    pub return_by: i64,
    /// When the abandonment was recorded, if it was.
    pub abandoned_at: Option<i64>,
}

/// One entry of the action log.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    /// Sequence number.
    pub seq: u64,
    /// The acting player.
    pub player_id: Option<i64>,
    /// Client idempotency key (or a system id).
    pub action_id: String,
    /// What it records.
    pub kind: EventKind,
    /// The move's JSON, for moves.
    pub data: serde_json::Value,
    /// The winner, for an `abandoned` entry.
    pub winner: Option<Seat>,
    /// Commit time (ms).
    pub at: i64,
}

/// A remembered rejection.
#[derive(Debug, Clone)]
pub struct StoredRejection {
    /// Who proposed it.
    pub player_id: i64,
    /// Its idempotency key.
    pub action_id: String,
    /// The refused move's JSON.
    pub data: serde_json::Value,
    /// Why.
    pub code: ErrorCode,
    /// Explanation.
    pub message: String,
}
