//! The bodies of the HTTP API (docs/API.md), one definition for the server that writes them and
//! the clients (web client, load generator, tests) that read them.

use serde::{Deserialize, Serialize};

use super::{EndReason, ErrorCode, SeatInfo};
use crate::score::{GameResult, HandResult};
use crate::seat::Seat;

/// A seat taken: the answer to create, join and a rematch's seat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seated {
    /// Room code.
    pub room: String,
    /// The seat.
    pub seat: Seat,
    /// The player's id.
    pub player_id: i64,
    /// The session token. Never logged.
    pub token: String,
    /// Token expiry, ms since the epoch.
    pub expires_at: i64,
}

/// Whose seat a session token holds (`GET /api/session`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// Room code.
    pub room: String,
    /// The seat.
    pub seat: Seat,
    /// The player's id.
    pub player_id: i64,
    /// The player's name as the server knows it.
    pub name: String,
}

/// Where a room is in its life, as `GET /api/rooms/{code}` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoomStatus {
    /// One seat taken, waiting for the second player.
    Waiting,
    /// Both seats taken, the game is running.
    Playing,
    /// The game ended: played out or by a claim of victory.
    Finished,
    /// A player did not come back in time (the other won), or the room closed before its game
    /// began.
    Abandoned,
}

impl RoomStatus {
    /// The game is over (finished or abandoned).
    pub fn is_over(self) -> bool {
        matches!(self, Self::Finished | Self::Abandoned)
    }

    /// The wire name (`waiting`, `playing`, `finished`, `abandoned`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Playing => "playing",
            Self::Finished => "finished",
            Self::Abandoned => "abandoned",
        }
    }
}

impl std::fmt::Display for RoomStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The public facts of a room (`GET /api/rooms/{code}`): never the seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomFacts {
    /// Room code.
    pub room: String,
    /// Where the room is in its life.
    pub status: RoomStatus,
    /// Seated players.
    pub players: Vec<SeatInfo>,
    /// Rule variants in play (`V-…` names).
    #[serde(default)]
    pub variants: Vec<String>,
    /// Once the game is over: winner, final scores and hands played.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<GameResult>,
    /// Once the game is over: why it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_reason: Option<EndReason>,
    /// Once the game is over: every finished hand's points (and scoring cards).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hands: Vec<HandResult>,
    /// Once the game is over: the seats whose player pressed Leave before it ended (a finished
    /// room's page says "left", not "abandoned").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left: Vec<Seat>,
}

/// The body of every HTTP error: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// A stable code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Stable code (docs/API.md).
    pub code: ErrorCode,
    /// What happened, in words.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_facts_read_as_the_server_writes_them() {
        let text = r#"{"room":"ABCDEF","status":"waiting","players":[{"seat":0,"name":"Ann"}],"variants":["V-TARGET-11"]}"#;
        let facts: RoomFacts = serde_json::from_str(text).expect("facts");
        assert_eq!(facts.status, RoomStatus::Waiting);
        assert!(!facts.status.is_over());
        assert_eq!(facts.status.to_string(), "waiting");
        assert_eq!(serde_json::to_string(&facts).expect("json"), text);
    }

    #[test]
    fn an_error_body_round_trips() {
        let text = r#"{"error":{"code":"ROOM_FULL","message":"the room is full"}}"#;
        let body: ErrorBody = serde_json::from_str(text).expect("body");
        assert_eq!(body.error.code, ErrorCode::RoomFull);
        assert_eq!(serde_json::to_string(&body).expect("json"), text);
    }
}
