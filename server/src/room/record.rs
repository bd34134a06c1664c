//! The typed records of a room's one write path: every change of a room is one of these, sent
//! through the group-commit log writer in the room's order and acknowledged after commit
//! (DESIGN principle 3). The store turns each into rows; the core never sees SQL.

use game::protocol::{ErrorCode, EventKind};
use game::{Move, Seat};

/// How a seat's socket ended, as stored with the absence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AwayReason {
    /// Seated, never connected yet.
    Joined,
    /// Closed cleanly (close frame): a closed tab. Shown as "disconnected".
    Closed,
    /// Dropped without a close frame, or closed by the server (slow reader, protocol error,
    /// restart): shown as "reconnecting".
    Dropped,
    /// Silent past the heartbeat timeout and closed by the heartbeat monitor.
    Silent,
}

impl AwayReason {
    /// The name stored in `players.away_reason`.
    pub fn as_str(self) -> &'static str {
        match self {
            AwayReason::Joined => "joined",
            AwayReason::Closed => "closed",
            AwayReason::Dropped => "dropped",
            AwayReason::Silent => "silent",
        }
    }

    /// The reason stored as `text`; an unknown one reads as a drop.
    pub fn parse(text: &str) -> AwayReason {
        match text {
            "joined" => AwayReason::Joined,
            "closed" => AwayReason::Closed,
            "silent" => AwayReason::Silent,
            _ => AwayReason::Dropped,
        }
    }
}

/// A seat's absence and its deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwayFields {
    /// Gone since (ms).
    pub since: i64,
    /// How the socket ended.
    pub reason: AwayReason,
    /// When the game counts as abandoned (ms).
    pub abandon_at: i64,
    /// When the return window ends (ms).
    pub return_by: i64,
}

/// How a room ended, as the `rooms` row records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoomEnd {
    /// Played to the end.
    Completed,
    /// Ended by a claim of victory.
    VictoryClaimed,
    /// A player did not come back (or the creator of a waiting room left or never came back).
    Abandoned,
}

/// One change of a room.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// An applied move: the next entry of the action log.
    Move {
        /// Its sequence number.
        seq: u64,
        /// The mover.
        player_id: i64,
        /// Client idempotency key.
        action_id: String,
        /// The move.
        mv: Move,
        /// When the room decided the move (ms): the `at` of its ack and event, stored as the
        /// log row's `created_at`.
        at: i64,
    },
    /// A refused move, remembered for exactly-once answers.
    Rejection {
        /// Who proposed it.
        player_id: i64,
        /// Client idempotency key.
        action_id: String,
        /// The move.
        mv: Move,
        /// Why.
        code: ErrorCode,
        /// Explanation.
        message: String,
        /// When (ms).
        at: i64,
    },
    /// The second seat taken: its player row, its session row, the room now playing. The
    /// commit answers the new player's id.
    Joined {
        /// The seat.
        seat: Seat,
        /// Validated name.
        name: String,
        /// The new session's token nonce.
        nonce: String,
        /// When (ms).
        at: i64,
        /// When the token expires (ms).
        expires_at: i64,
        /// The seat counts as away until its first socket.
        away: AwayFields,
    },
    /// A seat's socket went away.
    Away {
        /// The seat's player.
        player_id: i64,
        /// The absence.
        away: AwayFields,
    },
    /// A seat's player came back: the absence is over.
    Back {
        /// The seat's player.
        player_id: i64,
        /// The opponent had chosen to wait for this absence; that decision is over too.
        wait_over: bool,
    },
    /// The player pressed Leave: the seat will not come back and the session ends.
    Left {
        /// The seat's player.
        player_id: i64,
        /// When (ms).
        at: i64,
        /// When the game ends by itself if nobody claims it (ms).
        return_by: i64,
    },
    /// A seat's absence passed the abandonment threshold in a running game.
    Abandoned {
        /// The absent seat's player.
        player_id: i64,
        /// When (ms).
        at: i64,
    },
    /// The player who stayed chose to wait for the absent one.
    Waited {
        /// When (ms).
        at: i64,
    },
    /// The `victory_claimed` entry of the action log.
    Claimed {
        /// Its sequence number.
        seq: u64,
        /// The claimant.
        player_id: i64,
        /// When (ms).
        at: i64,
    },
    /// The `abandoned` entry of the action log: a seat's return window ended in a running game.
    Expired {
        /// Its sequence number.
        seq: u64,
        /// The seat that did not come back.
        player_id: i64,
        /// The seat that wins, if any.
        winner: Option<Seat>,
        /// When (ms).
        at: i64,
    },
    /// The room is over: its final status, winner and reason.
    Finished {
        /// Why.
        end: RoomEnd,
        /// The winner, if any.
        winner: Option<Seat>,
        /// When (ms).
        at: i64,
    },
}

impl Record {
    /// The action log's `action_type` of an entry record.
    pub fn event_kind(&self) -> Option<EventKind> {
        match self {
            Record::Move { mv, .. } => Some(mv.kind().into()),
            Record::Claimed { .. } => Some(EventKind::VictoryClaimed),
            Record::Expired { .. } => Some(EventKind::Abandoned),
            _ => None,
        }
    }

    /// The `action_id` of a system entry of the action log. It holds spaces, which client ids
    /// cannot (`validate::action_id`), so no move can take the id a system entry will need.
    pub fn system_action_id(kind: EventKind, seq: u64) -> String {
        format!("system {} {seq}", kind.as_str())
    }
}
