//! Moves a player can propose (RULES §4, §10). JSON: `{"type": "capture", "card": "7C", …}`.

use serde::{Deserialize, Serialize};

use crate::card::Card;
use crate::table::BuildId;

/// One turn: exactly one card from the hand, used in one way.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Move {
    /// R-TRAIL: the card becomes a loose table card.
    Trail {
        /// The card played.
        card: Card,
    },
    /// R-CAP-*: the card takes the named builds and loose cards, which must split into sets.
    Capture {
        /// The card played.
        card: Card,
        /// Builds taken whole.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        builds: Vec<BuildId>,
        /// Loose cards taken; for a numeral they must partition into groups totalling its value.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        loose: Vec<Card>,
    },
    /// R-BUILD-NEW: the card plus `with` loose cards total `value`; `absorb` groups join too.
    Build {
        /// The card played.
        card: Card,
        /// The declared value, 1-10.
        value: u8,
        /// Loose cards that form one component together with the played card.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        with: Vec<Card>,
        /// Other loose groups, each totalling `value`, made extra components (R-BUILD-ABSORB).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        absorb: Vec<Vec<Card>>,
    },
    /// R-INCREASE: the card raises a single build's value.
    Increase {
        /// The card played.
        card: Card,
        /// The build increased.
        build: BuildId,
        /// Must be empty: only the hand card may change the value (INCREASE_HAND_CARD_ONLY).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        with: Vec<Card>,
        /// Loose groups totalling the new value, absorbed as extra components.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        absorb: Vec<Vec<Card>>,
    },
    /// R-ADD: the card, alone or with loose cards, becomes a new component at the build's value.
    Add {
        /// The card played.
        card: Card,
        /// The build added to.
        build: BuildId,
        /// Loose cards that join the played card in its component.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        with: Vec<Card>,
        /// Other loose groups totalling the build's value, absorbed as extra components.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        absorb: Vec<Vec<Card>>,
    },
}

/// The kind of a move, for logs, metrics labels and summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveKind {
    /// Trail.
    Trail,
    /// Capture.
    Capture,
    /// New build.
    Build,
    /// Increase a build.
    Increase,
    /// Add to a build.
    Add,
}

impl MoveKind {
    /// The snake_case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            MoveKind::Trail => "trail",
            MoveKind::Capture => "capture",
            MoveKind::Build => "build",
            MoveKind::Increase => "increase",
            MoveKind::Add => "add",
        }
    }
}

impl Move {
    /// The card played from the hand.
    pub fn card(&self) -> Card {
        match self {
            Move::Trail { card }
            | Move::Capture { card, .. }
            | Move::Build { card, .. }
            | Move::Increase { card, .. }
            | Move::Add { card, .. } => *card,
        }
    }

    /// Which kind of move this is.
    pub fn kind(&self) -> MoveKind {
        match self {
            Move::Trail { .. } => MoveKind::Trail,
            Move::Capture { .. } => MoveKind::Capture,
            Move::Build { .. } => MoveKind::Build,
            Move::Increase { .. } => MoveKind::Increase,
            Move::Add { .. } => MoveKind::Add,
        }
    }
}
