//! The WebSocket protocol (version [`PROTOCOL_VERSION`]): JSON objects tagged by `"type"`,
//! documented with an example of every message in docs/API.md. Shared by the server, the
//! web client and the load generator, so the three cannot drift apart.

use serde::{Deserialize, Serialize};

use crate::moves::Move;
use crate::score::GameResult;
use crate::seat::Seat;
use crate::view::PlayerView;

/// Bumped on any incompatible change; `hello` carries the client's.
pub const PROTOCOL_VERSION: u32 = 1;

/// Messages a client sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// First message on every socket: protocol version and the last event sequence number seen
    /// (0 for none). Answered by `welcome`.
    Hello {
        /// The client's protocol version.
        protocol: u32,
        /// Highest event `seq` the client has applied.
        last_seq: u64,
    },
    /// Heartbeat with the client's clock (ms since the epoch). Answered by `pong` at once.
    Ping {
        /// Client time, echoed back.
        t: i64,
    },
    /// Proposes a move. `action_id` is unique per move and reused verbatim on resend.
    Action {
        /// Client-generated idempotency key (1-64 printable ASCII characters).
        action_id: String,
        /// The move.
        #[serde(rename = "move")]
        mv: Move,
    },
    /// Takes the seat over from another live connection (after `conflict`).
    Takeover,
    /// Leaves the room for good: no reconnection, the session ends.
    Leave,
    /// Claims victory over an opponent gone past the abandonment threshold.
    ClaimVictory,
    /// Chooses to wait for an opponent gone past the abandonment threshold.
    Wait,
}

/// One player's seat as others see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatInfo {
    /// The seat.
    pub seat: Seat,
    /// Display name.
    pub name: String,
}

/// Connection state of one seat (SPEC R9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatStatus {
    /// The seat.
    pub seat: Seat,
    /// A live socket holds the seat.
    pub connected: bool,
    /// When the seat's socket went away (ms since the epoch), while it is away.
    pub disconnected_since: Option<i64>,
    /// The seat's player has reconnected at least once and is expected back.
    pub reconnecting: bool,
    /// Gone past the "temporarily disconnected" threshold (2 min by default).
    pub temporarily_disconnected: bool,
}

/// A past event as a reconnecting client receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissedEvent {
    /// Sequence number in the room's action log.
    pub seq: u64,
    /// When it was committed (ms since the epoch).
    pub at: i64,
    /// Who acted (`None` for system events).
    pub seat: Option<Seat>,
    /// Event kind: a move kind, or `victory_claimed`, `wait`, …
    pub kind: String,
    /// The event in words from the receiver's side.
    pub summary: String,
}

/// Why a game ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// Played to the end under the rules.
    Completed,
    /// The winner claimed victory over an opponent who abandoned the game.
    VictoryClaimed,
}

/// Messages the server sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// Answer to `hello`: the complete state for this seat and what was missed (SPEC R4).
    Welcome {
        /// The server's protocol version.
        protocol: u32,
        /// Room code.
        room: String,
        /// This connection's seat.
        you: Seat,
        /// Seated players.
        players: Vec<SeatInfo>,
        /// The game as this seat sees it; `None` while waiting for the second player.
        view: Option<PlayerView>,
        /// Highest event sequence number in the room.
        seq: u64,
        /// Whether this seat is to move.
        your_turn: bool,
        /// Every event after the client's `last_seq`.
        missed: Vec<MissedEvent>,
        /// The last (at most 5) missed events in words.
        summary: Vec<String>,
        /// Connection state of both seats.
        status: Vec<SeatStatus>,
    },
    /// Answer to `ping`.
    Pong {
        /// The client's time, echoed.
        t: i64,
        /// Server time (ms since the epoch).
        server_t: i64,
    },
    /// The move with this `action_id` is durably in the log at `seq`.
    Ack {
        /// The client's idempotency key.
        action_id: String,
        /// Its sequence number.
        seq: u64,
        /// Commit time (ms since the epoch).
        at: i64,
    },
    /// The move with this `action_id` was refused; nothing was logged.
    Rejected {
        /// The client's idempotency key.
        action_id: String,
        /// Stable error code (RULES §10 codes, or protocol codes such as `ACTION_ID_REUSED`).
        code: String,
        /// Explanation for people.
        message: String,
    },
    /// Something happened in the room (sent to each seat with its own view).
    Event {
        /// Sequence number in the action log.
        seq: u64,
        /// Commit time (ms since the epoch).
        at: i64,
        /// Who acted.
        seat: Option<Seat>,
        /// Event kind.
        kind: String,
        /// The event in words from the receiver's side.
        summary: String,
        /// The receiver's view afterwards.
        view: PlayerView,
    },
    /// The second player sat down; the game starts.
    PlayerJoined {
        /// The seat taken.
        seat: Seat,
        /// Their name.
        name: String,
    },
    /// Connection state of both seats changed (SPEC R9).
    ConnectionStatus {
        /// Per seat.
        players: Vec<SeatStatus>,
    },
    /// Another live connection holds this seat; send `takeover` to move the session here.
    Conflict {
        /// Explanation.
        message: String,
    },
    /// This socket lost the seat to a newer connection; it is closed next.
    SessionMoved,
    /// The opponent is gone past the abandonment threshold.
    Abandoned {
        /// What this player may do: `wait`, `claim_victory`.
        options: Vec<String>,
        /// When the opponent left (ms since the epoch).
        opponent_gone_since: i64,
    },
    /// The game is over.
    GameOver {
        /// Winner and scores.
        result: GameResult,
        /// Why it ended.
        reason: EndReason,
    },
    /// A request could not be processed (bad frame, unknown type, rate limit, …).
    Error {
        /// Stable code, e.g. `MALFORMED_JSON`, `UNKNOWN_MESSAGE`, `RATE_LIMITED`.
        code: String,
        /// Explanation for people.
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_messages_use_the_documented_json() {
        let hello: ClientMessage =
            serde_json::from_str(r#"{"type":"hello","protocol":1,"last_seq":7}"#).expect("hello");
        assert_eq!(
            hello,
            ClientMessage::Hello {
                protocol: 1,
                last_seq: 7
            }
        );
        let action: ClientMessage = serde_json::from_str(
            r#"{"type":"action","action_id":"a1","move":{"type":"trail","card":"7C"}}"#,
        )
        .expect("action");
        assert!(matches!(action, ClientMessage::Action { .. }));
        let takeover: ClientMessage =
            serde_json::from_str(r#"{"type":"takeover"}"#).expect("takeover");
        assert_eq!(takeover, ClientMessage::Takeover);
        assert!(serde_json::from_str::<ClientMessage>(r#"{"type":"dance"}"#).is_err());
    }

    #[test]
    fn server_messages_are_tagged_snake_case() {
        let pong = ServerMessage::Pong { t: 1, server_t: 2 };
        assert_eq!(
            serde_json::to_string(&pong).expect("json"),
            r#"{"type":"pong","t":1,"server_t":2}"#
        );
        let moved = serde_json::to_string(&ServerMessage::SessionMoved).expect("json");
        assert_eq!(moved, r#"{"type":"session_moved"}"#);
    }
}
