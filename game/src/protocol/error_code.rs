//! Every error code of the protocol and the HTTP API, as one enum: the server sends them, the
//! web client and the load generator match on them, and nobody compares strings.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)*) => {
        /// A stable error code (docs/API.md "Error codes"). On the wire it is the upper-case
        /// string, e.g. `"NOT_YOUR_TURN"`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
            /// A code this build does not know (sent by a newer server).
            Unknown,
        }

        impl ErrorCode {
            /// Every known code.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code as sent on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $text,)*
                    ErrorCode::Unknown => "UNKNOWN",
                }
            }

            /// The code of a wire string; [`ErrorCode::Unknown`] for one this build does not know.
            pub fn parse(text: &str) -> ErrorCode {
                match text {
                    $($text => ErrorCode::$variant,)*
                    _ => ErrorCode::Unknown,
                }
            }
        }
    };
}

error_codes! {
    // HTTP requests.
    /// The request body is not the expected JSON.
    InvalidBody = "INVALID_BODY",
    /// The player name is empty, too long or not printable.
    InvalidName = "INVALID_NAME",
    /// An unknown rules variant.
    InvalidVariant = "INVALID_VARIANT",
    /// Not a room code.
    InvalidRoomCode = "INVALID_ROOM_CODE",
    /// No room has this code.
    RoomNotFound = "ROOM_NOT_FOUND",
    /// Both seats are taken.
    RoomFull = "ROOM_FULL",
    /// The room closed before anyone joined (its creator left, or never came back): nobody can
    /// join. A finished game with both seats taken answers `ROOM_FULL`.
    RoomClosed = "ROOM_CLOSED",
    /// No route matches.
    NotFound = "NOT_FOUND",
    /// A browser origin that may not open the game socket.
    ForbiddenOrigin = "FORBIDDEN_ORIGIN",
    /// The database failed; details are in the server log.
    StorageError = "STORAGE_ERROR",
    /// An actor could not take the request; retry.
    ServerBusy = "SERVER_BUSY",
    /// This node is shutting down (draining); retry, the load balancer sends you to another.
    Draining = "DRAINING",
    /// The room in the path is not the session token's room.
    RoomMismatch = "ROOM_MISMATCH",
    // Session tokens.
    /// No token was given.
    TokenMissing = "TOKEN_MISSING",
    /// Not a token.
    TokenMalformed = "TOKEN_MALFORMED",
    /// Forged or tampered.
    TokenBadSignature = "TOKEN_BAD_SIGNATURE",
    /// A token version this server does not issue.
    TokenUnsupportedVersion = "TOKEN_UNSUPPORTED_VERSION",
    /// Past the token's lifetime, or the player stayed away past the return window.
    SessionExpired = "SESSION_EXPIRED",
    /// The session was ended (the player left) or is unknown.
    SessionRevoked = "SESSION_REVOKED",
    // Claim victory and wait.
    /// The session does not hold its seat.
    NotSeated = "NOT_SEATED",
    /// No game in progress.
    GameNotInPlay = "GAME_NOT_IN_PLAY",
    /// The opponent is connected, or not gone long enough.
    ClaimTooEarly = "CLAIM_TOO_EARLY",
    /// `wait` while the opponent has not abandoned the game.
    NotAbandoned = "NOT_ABANDONED",
    // Rematch.
    /// A rematch asked for before the game is over.
    GameNotOver = "GAME_NOT_OVER",
    /// A rematch asked for after the opponent left the room.
    OpponentLeft = "OPPONENT_LEFT",
    /// A rematch declined after its room was made (or while it is being made).
    RematchMade = "REMATCH_MADE",
    /// A session of the rematch's room asked for by a player who left that room.
    RematchLeft = "REMATCH_LEFT",
    // The WebSocket.
    /// Not valid JSON.
    MalformedJson = "MALFORMED_JSON",
    /// Not a message object, or a known type with wrong fields.
    InvalidMessage = "INVALID_MESSAGE",
    /// A key given twice in one JSON object of a frame (which one counts would be ambiguous).
    DuplicateKey = "DUPLICATE_KEY",
    /// A message type the protocol does not have.
    UnknownMessage = "UNKNOWN_MESSAGE",
    /// A binary frame.
    BinaryNotSupported = "BINARY_NOT_SUPPORTED",
    /// A continuation frame.
    FragmentedNotSupported = "FRAGMENTED_NOT_SUPPORTED",
    /// Anything but `ping` before `hello`.
    HelloRequired = "HELLO_REQUIRED",
    /// Another protocol version.
    UnsupportedProtocol = "UNSUPPORTED_PROTOCOL",
    /// Messages dropped by the rate limit.
    RateLimited = "RATE_LIMITED",
    /// A frame over the size limit.
    FrameTooLarge = "FRAME_TOO_LARGE",
    // Refused moves that are not rules (docs/API.md "rejected codes").
    /// The second seat is still empty.
    GameNotStarted = "GAME_NOT_STARTED",
    /// `action_id` is not 1-64 printable ASCII characters.
    InvalidActionId = "INVALID_ACTION_ID",
    /// The `action_id` was used for a different move.
    ActionIdReused = "ACTION_ID_REUSED",
    /// The room stopped recording rejections.
    TooManyRejections = "TOO_MANY_REJECTIONS",
    /// This socket does not hold the seat.
    SeatHeldElsewhere = "SEAT_HELD_ELSEWHERE",
    /// A move between hands: the next hand starts when both players are ready (`next_hand`)
    /// or at `next_hand_at`.
    HandNotStarted = "HAND_NOT_STARTED",
    // The rules (RULES §10; `RuleError::code`).
    /// The game has ended.
    GameOver = "GAME_OVER",
    /// The other seat is to move.
    NotYourTurn = "NOT_YOUR_TURN",
    /// The played card is not in the hand.
    CardNotInHand = "CARD_NOT_IN_HAND",
    /// A named card is not a loose table card.
    CardNotOnTable = "CARD_NOT_ON_TABLE",
    /// A named card belongs to a build.
    BuildNotWhole = "BUILD_NOT_WHOLE",
    /// A named build does not exist.
    UnknownBuild = "UNKNOWN_BUILD",
    /// A card or build named twice.
    CardUsedTwice = "CARD_USED_TWICE",
    /// A capture that takes nothing.
    NothingCaptured = "NOTHING_CAPTURED",
    /// The cards do not split into sets of the value.
    SetDoesNotTotal = "SET_DOES_NOT_TOTAL",
    /// A face card takes exactly one loose card of its rank.
    FaceCardSingleOnly = "FACE_CARD_SINGLE_ONLY",
    /// A face card in a sum or a build.
    FaceCardNotNumeric = "FACE_CARD_NOT_NUMERIC",
    /// A build taken by a card of another value.
    BuildWrongValue = "BUILD_WRONG_VALUE",
    /// A new build of the hand card alone.
    BuildNeedsTableCard = "BUILD_NEEDS_TABLE_CARD",
    /// A build over 10.
    BuildOver10 = "BUILD_OVER_10",
    /// No card left to capture the build.
    NoCapturingCard = "NO_CAPTURING_CARD",
    /// A multiple build cannot be increased.
    MultipleBuildLocked = "MULTIPLE_BUILD_LOCKED",
    /// Only the played card may raise a build.
    IncreaseHandCardOnly = "INCREASE_HAND_CARD_ONLY",
    /// A build owner may not trail.
    OwnerMayNotTrail = "OWNER_MAY_NOT_TRAIL",
    /// A build owner must keep a capturing card.
    OwnerMustKeepCapturingCard = "OWNER_MUST_KEEP_CAPTURING_CARD",
    /// The judge got a move it cannot read.
    UnknownMove = "UNKNOWN_MOVE",
    /// The judge got a position the engine cannot play on (out of range, inconsistent).
    InvalidPosition = "INVALID_POSITION",
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(ErrorCode::parse(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_through_its_wire_string() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            let json = serde_json::to_string(code).expect("json");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(
                serde_json::from_str::<ErrorCode>(&json).expect("code"),
                *code
            );
        }
        assert_eq!(ErrorCode::BuildOver10.as_str(), "BUILD_OVER_10");
        assert_eq!(
            serde_json::from_str::<ErrorCode>("\"NEW_IN_V9\"").expect("code"),
            ErrorCode::Unknown
        );
    }
}
