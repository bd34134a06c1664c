//! The WebSocket protocol (version [`PROTOCOL_VERSION`]): JSON objects tagged by `"type"`,
//! documented with an example of every message in docs/API.md. Shared by the server, the
//! web client and the load generator, so the three cannot drift apart: error codes, close codes,
//! presence states and event kinds are enums here, never strings compared elsewhere.

mod close_code;
mod error_code;
mod http;

use serde::{Deserialize, Serialize};

pub use close_code::CloseCode;
pub use error_code::ErrorCode;
pub use http::{ErrorBody, ErrorDetail, RoomFacts, RoomStatus, Seated, SessionInfo};

use crate::moves::{Move, MoveKind};
use crate::score::GameResult;
use crate::seat::Seat;
use crate::view::PlayerView;

/// Bumped on any incompatible change; `hello` carries the client's. Version 2: presence states
/// instead of connection flags, typed error codes, `left`, an `abandoned` offer that also
/// answers `wait`, games that end when an absent player does not return.
pub const PROTOCOL_VERSION: u32 = 2;

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
    /// Ready for the hand after hand `hand` (after reading its summary). The next hand starts
    /// when both players are, or at the break's `next_hand_at`. A readiness for a hand whose
    /// break is over is ignored.
    NextHand {
        /// The hand just ended.
        hand: u32,
    },
}

impl ClientMessage {
    /// The `hello` of this protocol version: the client has applied every event up to
    /// `last_seq` (0: none).
    pub fn hello(last_seq: u64) -> Self {
        Self::Hello {
            protocol: PROTOCOL_VERSION,
            last_seq,
        }
    }
}

/// One player's seat as others see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatInfo {
    /// The seat.
    pub seat: Seat,
    /// Display name.
    pub name: String,
}

/// Where a seat's player is (SPEC R9), as both players see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PresenceState {
    /// Nobody has taken the seat yet.
    Empty,
    /// A live socket holds the seat.
    Connected,
    /// The socket dropped without a goodbye (network, heartbeat timeout): expected back.
    Reconnecting,
    /// The socket was closed cleanly (a closed tab): the player may come back.
    Disconnected,
    /// Gone past the "temporarily disconnected" threshold (2 min by default).
    Away,
    /// The player pressed Leave: they will not come back.
    Left,
}

/// One seat's presence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatPresence {
    /// The seat.
    pub seat: Seat,
    /// Where its player is.
    pub state: PresenceState,
    /// Since when the player has been gone (ms since the epoch); `None` while connected or
    /// for an empty seat.
    pub since: Option<i64>,
}

/// What an event records: a move, or a system event of the room's lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A trail.
    Trail,
    /// A capture.
    Capture,
    /// A new build.
    Build,
    /// A build increased.
    Increase,
    /// A build added to.
    Add,
    /// The game ended: `seat` claimed victory over an opponent who abandoned it.
    VictoryClaimed,
    /// The game ended: `seat` did not come back within the return window.
    Abandoned,
}

impl From<MoveKind> for EventKind {
    fn from(kind: MoveKind) -> Self {
        match kind {
            MoveKind::Trail => EventKind::Trail,
            MoveKind::Capture => EventKind::Capture,
            MoveKind::Build => EventKind::Build,
            MoveKind::Increase => EventKind::Increase,
            MoveKind::Add => EventKind::Add,
        }
    }
}

impl EventKind {
    /// The snake_case name, as in JSON and in the action log's `action_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Trail => "trail",
            EventKind::Capture => "capture",
            EventKind::Build => "build",
            EventKind::Increase => "increase",
            EventKind::Add => "add",
            EventKind::VictoryClaimed => "victory_claimed",
            EventKind::Abandoned => "abandoned",
        }
    }
}

/// A past event as a reconnecting client receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissedEvent {
    /// Sequence number in the room's action log.
    pub seq: u64,
    /// When the room decided it (ms since the epoch), as in its `ack` and `event`.
    pub at: i64,
    /// Who acted.
    pub seat: Option<Seat>,
    /// Event kind.
    pub kind: EventKind,
    /// The event in words from the receiver's side.
    pub summary: String,
    /// The hand it was played in (1-based), so a client can list the moves of the current
    /// hand after a reload; 0 from a server older than this field.
    #[serde(default)]
    pub hand: u32,
}

/// Why a game ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// Played to the end under the rules.
    Completed,
    /// The winner claimed victory over an opponent who abandoned the game.
    VictoryClaimed,
    /// A player did not come back within the return window; the other one wins.
    Abandoned,
}

/// What the player who stayed may do about an opponent who abandoned the game.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbandonOption {
    /// Keep the game open until the opponent's return window ends.
    Wait,
    /// End the game now as its winner.
    ClaimVictory,
}

/// A room's deal seed and salt, revealed at the end of its game.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealReveal {
    /// The seed, in decimal (a JSON number could not hold every `u64` exactly for every client).
    pub seed: String,
    /// The room's salt.
    pub salt: String,
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
        /// Presence of both seats.
        presence: Vec<SeatPresence>,
        /// The room's commitment to its deal (hex SHA-256 of seed and salt), revealed in
        /// `game_over` (`game::fairness`); `None` for rooms older than the commitment.
        #[serde(default)]
        deal_commitment: Option<String>,
        /// How long after this connection drops the server keeps this seat for its player (the
        /// return window of SPEC R2, before any extension by the opponent's wait), in ms.
        #[serde(default)]
        seat_kept_ms: u64,
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
        /// When the room decided the move (ms since the epoch): its clock as it applied the
        /// move, just before the commit, not the commit's own time.
        at: i64,
    },
    /// The move with this `action_id` was refused; nothing was logged.
    Rejected {
        /// The client's idempotency key.
        action_id: String,
        /// Why: a rule's code (RULES §10) or a protocol code such as `ACTION_ID_REUSED`.
        code: ErrorCode,
        /// Explanation for people.
        message: String,
    },
    /// Something happened in the room (sent to each seat with its own view).
    Event {
        /// Sequence number in the action log.
        seq: u64,
        /// When the room decided the entry (ms since the epoch), as in the move's `ack`.
        at: i64,
        /// Who acted.
        seat: Option<Seat>,
        /// Event kind.
        kind: EventKind,
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
    /// The presence of a seat changed (SPEC R9): both seats, as now.
    Presence {
        /// Per seat.
        seats: Vec<SeatPresence>,
    },
    /// Another live connection holds this seat; send `takeover` to move the session here.
    Conflict {
        /// Explanation.
        message: String,
    },
    /// This socket lost the seat to a newer connection; it is closed next.
    SessionMoved,
    /// The opponent abandoned the game: gone past the abandonment threshold, or left. Sent when
    /// it happens, after every `welcome` while it lasts, and as the answer to `wait`.
    Abandoned {
        /// What this player may do now.
        options: Vec<AbandonOption>,
        /// When the opponent went away (ms since the epoch).
        opponent_gone_since: i64,
        /// When the game ends by itself if the opponent does not come back, this player
        /// winning (ms since the epoch).
        return_by: i64,
        /// This player chose to wait.
        waiting: bool,
    },
    /// The answer to `leave`: the session has ended; the socket is closed next (1000).
    Left,
    /// The game is over.
    GameOver {
        /// Winner and scores.
        result: GameResult,
        /// Why it ended.
        reason: EndReason,
        /// The deal's seed and salt, now that they can be told, to check the commitment.
        #[serde(default)]
        deal: Option<DealReveal>,
    },
    /// Hand `hand` has ended (its result is in the event's view): the next hand is dealt, but
    /// nobody moves until both players sent `next_hand` or `next_hand_at` has passed. Sent
    /// after the event that ended the hand, when a player becomes ready, and after `welcome`
    /// while the break lasts. Views sent during the break have `to_move: null`.
    HandBreak {
        /// The hand just ended.
        hand: u32,
        /// The seats that are ready.
        ready: Vec<Seat>,
        /// When the next hand starts anyway (ms since the epoch).
        next_hand_at: i64,
    },
    /// The break is over: hand `hand` is in play.
    HandStarted {
        /// The hand now in play.
        hand: u32,
        /// The receiver's view, with who is to move.
        view: PlayerView,
    },
    /// A rematch was offered (`POST /api/rooms/{code}/rematch`) or declined (`DELETE` of the
    /// same path): who asked, who said no, and once both have asked, the new room's code. Each
    /// player then asks the same endpoint for their seat's session.
    Rematch {
        /// The seats that asked for a rematch.
        offered: Vec<Seat>,
        /// The new room, once both asked.
        room: Option<String>,
        /// The seats that said they do not want a rematch (now); asking again clears it.
        #[serde(default)]
        declined: Vec<Seat>,
    },
    /// A request could not be processed (bad frame, unknown type, rate limit, …).
    Error {
        /// Stable code, e.g. `MALFORMED_JSON`, `UNKNOWN_MESSAGE`, `RATE_LIMITED`.
        code: ErrorCode,
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
        let rejected = ServerMessage::Rejected {
            action_id: "a".to_owned(),
            code: ErrorCode::NotYourTurn,
            message: "m".to_owned(),
        };
        assert_eq!(
            serde_json::to_string(&rejected).expect("json"),
            r#"{"type":"rejected","action_id":"a","code":"NOT_YOUR_TURN","message":"m"}"#
        );
        let presence = ServerMessage::Presence {
            seats: vec![SeatPresence {
                seat: Seat::SECOND,
                state: PresenceState::Reconnecting,
                since: Some(5),
            }],
        };
        assert_eq!(
            serde_json::to_string(&presence).expect("json"),
            r#"{"type":"presence","seats":[{"seat":1,"state":"reconnecting","since":5}]}"#
        );
    }
}
