//! Why a move is illegal: one variant per broken rule, each with a stable code and its rule id.

use serde::{Deserialize, Serialize};

use crate::card::{list, Card};
use crate::protocol::ErrorCode;
use crate::seat::Seat;
use crate::table::BuildId;

/// A move was refused; the state is unchanged and the same player moves again (RULES §4).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// The game has ended.
    #[error("the game is over; no more moves are played")]
    GameOver,
    /// Someone else is to move.
    #[error("it is not your turn: {to_move} is to move")]
    NotYourTurn {
        /// Who is to move.
        to_move: Seat,
    },
    /// The played card is not in the mover's hand.
    #[error("{} is not in your hand", .card.pretty())]
    CardNotInHand {
        /// The card named.
        card: Card,
    },
    /// A named table card is not on the table.
    #[error("{} is not a loose card on the table", .card.pretty())]
    CardNotOnTable {
        /// The card named.
        card: Card,
    },
    /// A named table card belongs to a build, which is taken or used only whole.
    #[error("{} belongs to the build of {value}; a build is taken whole, never card by card", .card.pretty())]
    BuildNotWhole {
        /// The card named.
        card: Card,
        /// The value of the build holding it.
        value: u8,
    },
    /// A named build does not exist.
    #[error("there is no build {build} on the table")]
    UnknownBuild {
        /// The id named.
        build: BuildId,
    },
    /// A card or build is named twice in one move.
    #[error("{what} is used twice in this move")]
    CardUsedTwice {
        /// The card or build named twice.
        what: String,
    },
    /// A capture that takes nothing.
    #[error("a capture must take at least one card or build")]
    NothingCaptured,
    /// Cards do not add up to the value they must total.
    #[error("{} cannot be split into sets each totalling {value}", list(.cards))]
    SetDoesNotTotal {
        /// The value each set must total.
        value: u8,
        /// The cards that failed.
        cards: Vec<Card>,
    },
    /// A face card may take exactly one loose card of its own rank.
    #[error("{} captures exactly one loose {} and nothing else", .card.pretty(), .card.rank.label())]
    FaceCardSingleOnly {
        /// The face card played.
        card: Card,
    },
    /// A face card takes part in a sum, a build or a build capture.
    #[error("{} is a face card: it has no number, so it cannot be part of a sum or a build", .card.pretty())]
    FaceCardNotNumeric {
        /// The face card.
        card: Card,
    },
    /// A build is captured by a card of another value.
    #[error("the build of {build_value} can only be taken by a card of value {build_value}, not {card_value}")]
    BuildWrongValue {
        /// The build's value.
        build_value: u8,
        /// The capturing card's value.
        card_value: u8,
    },
    /// A new build made of the hand card alone.
    #[error("a build needs table cards: the played card must join loose cards")]
    BuildNeedsTableCard,
    /// A build's value would exceed 10.
    #[error("a build of {value} is impossible: builds go up to 10")]
    BuildOver10 {
        /// The value that would result.
        value: u8,
    },
    /// After playing, the mover would hold no card to capture the build made or changed.
    #[error("you must keep a card of value {value} in hand to build {value}")]
    NoCapturingCard {
        /// The build's value.
        value: u8,
    },
    /// A multiple build cannot be increased.
    #[error("the build of {value} is a multiple build: its value is locked")]
    MultipleBuildLocked {
        /// The build's value.
        value: u8,
    },
    /// Only the hand card may raise a build.
    #[error("only the played card may increase a build; loose cards cannot help raise it")]
    IncreaseHandCardOnly,
    /// The owner of a build may not trail.
    #[error("you own the build of {value}, so you may not trail")]
    OwnerMayNotTrail {
        /// The value of a build the mover owns.
        value: u8,
    },
    /// The move would spend the owner's last card capturing one of their builds.
    #[error("you own the build of {value} and must keep a card of value {value} to capture it")]
    OwnerMustKeepCapturingCard {
        /// The value of the build left uncovered.
        value: u8,
    },
}

impl RuleError {
    /// The stable error code (RULES §10), e.g. `OWNER_MAY_NOT_TRAIL`.
    pub fn code(&self) -> ErrorCode {
        match self {
            RuleError::GameOver => ErrorCode::GameOver,
            RuleError::NotYourTurn { .. } => ErrorCode::NotYourTurn,
            RuleError::CardNotInHand { .. } => ErrorCode::CardNotInHand,
            RuleError::CardNotOnTable { .. } => ErrorCode::CardNotOnTable,
            RuleError::BuildNotWhole { .. } => ErrorCode::BuildNotWhole,
            RuleError::UnknownBuild { .. } => ErrorCode::UnknownBuild,
            RuleError::CardUsedTwice { .. } => ErrorCode::CardUsedTwice,
            RuleError::NothingCaptured => ErrorCode::NothingCaptured,
            RuleError::SetDoesNotTotal { .. } => ErrorCode::SetDoesNotTotal,
            RuleError::FaceCardSingleOnly { .. } => ErrorCode::FaceCardSingleOnly,
            RuleError::FaceCardNotNumeric { .. } => ErrorCode::FaceCardNotNumeric,
            RuleError::BuildWrongValue { .. } => ErrorCode::BuildWrongValue,
            RuleError::BuildNeedsTableCard => ErrorCode::BuildNeedsTableCard,
            RuleError::BuildOver10 { .. } => ErrorCode::BuildOver10,
            RuleError::NoCapturingCard { .. } => ErrorCode::NoCapturingCard,
            RuleError::MultipleBuildLocked { .. } => ErrorCode::MultipleBuildLocked,
            RuleError::IncreaseHandCardOnly => ErrorCode::IncreaseHandCardOnly,
            RuleError::OwnerMayNotTrail { .. } => ErrorCode::OwnerMayNotTrail,
            RuleError::OwnerMustKeepCapturingCard { .. } => ErrorCode::OwnerMustKeepCapturingCard,
        }
    }

    /// The rule of RULES.md that the move breaks, e.g. `R-OWNER-NO-TRAIL`.
    pub fn rule(&self) -> &'static str {
        match self {
            RuleError::GameOver => "R-GAME-END",
            RuleError::NotYourTurn { .. } | RuleError::CardNotInHand { .. } => "R-TURN",
            RuleError::CardNotOnTable { .. }
            | RuleError::CardUsedTwice { .. }
            | RuleError::NothingCaptured
            | RuleError::SetDoesNotTotal { .. } => "R-CAP-NUM",
            RuleError::BuildNotWhole { .. } | RuleError::BuildWrongValue { .. } => "R-CAP-BUILD",
            RuleError::UnknownBuild { .. } => "R-TURN",
            RuleError::FaceCardSingleOnly { .. } => "R-CAP-FACE",
            RuleError::FaceCardNotNumeric { .. } => "R-VALUE",
            RuleError::BuildNeedsTableCard => "R-BUILD-NEW",
            RuleError::BuildOver10 { .. } => "R-BUILD-MAX",
            RuleError::NoCapturingCard { .. } => "R-BUILD-HOLD",
            RuleError::MultipleBuildLocked { .. } | RuleError::IncreaseHandCardOnly => "R-INCREASE",
            RuleError::OwnerMayNotTrail { .. } => "R-OWNER-NO-TRAIL",
            RuleError::OwnerMustKeepCapturingCard { .. } => "R-OWNER-KEEP",
        }
    }

    /// The error as data: code, rule and message.
    pub fn violation(&self) -> Violation {
        Violation {
            code: self.code(),
            rule: self.rule().to_owned(),
            message: self.to_string(),
        }
    }
}

/// A refused move as JSON: `{"code": "…", "rule": "R-…", "message": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// Stable code, e.g. `OWNER_MAY_NOT_TRAIL`.
    pub code: ErrorCode,
    /// Rule id in RULES.md, e.g. `R-OWNER-NO-TRAIL`.
    pub rule: String,
    /// Explanation for people.
    pub message: String,
}
