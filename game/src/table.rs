//! What lies face up between the players: loose cards and builds.

use serde::{Deserialize, Serialize};

use crate::card::Card;
use crate::seat::Seat;

/// Identifies a build on the table for the rest of its life.
pub type BuildId = u32;

/// A pile of numeral table cards that counts as one unit of a declared value (RULES §2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Build {
    /// Stable id, used by moves to name the build.
    pub id: BuildId,
    /// The declared value, 1-10.
    pub value: u8,
    /// Each component is a set of cards totalling `value`. One component: a single build.
    pub components: Vec<Vec<Card>>,
    /// The player who last created, increased or added to it (R-OWNER).
    pub owner: Seat,
}

impl Build {
    /// A single build (one component) may be increased; a multiple build is locked (R-INCREASE).
    pub fn is_single(&self) -> bool {
        self.components.len() == 1
    }

    /// Every card in the build.
    pub fn cards(&self) -> impl Iterator<Item = Card> + '_ {
        self.components.iter().flatten().copied()
    }

    /// How many cards the build holds.
    pub fn card_count(&self) -> usize {
        self.components.iter().map(Vec::len).sum()
    }
}

/// The table: loose cards and builds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Table {
    /// Cards that are not part of a build.
    pub loose: Vec<Card>,
    /// Builds, at most one per value (R-BUILD-UNIQUE).
    pub builds: Vec<Build>,
    /// The id the next new build gets.
    pub next_build_id: BuildId,
}

impl Table {
    /// No loose cards and no builds: what a sweep leaves (R-SWEEP).
    pub fn is_empty(&self) -> bool {
        self.loose.is_empty() && self.builds.is_empty()
    }

    /// The build with this id.
    pub fn build(&self, id: BuildId) -> Option<&Build> {
        self.builds.iter().find(|b| b.id == id)
    }

    /// The build holding this card, if any.
    pub fn build_holding(&self, card: Card) -> Option<&Build> {
        self.builds.iter().find(|b| b.cards().any(|c| c == card))
    }

    /// The build of this value, if any (there is at most one).
    pub fn build_of_value(&self, value: u8) -> Option<&Build> {
        self.builds.iter().find(|b| b.value == value)
    }

    /// Every card on the table, loose or in builds.
    pub fn cards(&self) -> impl Iterator<Item = Card> + '_ {
        self.loose
            .iter()
            .copied()
            .chain(self.builds.iter().flat_map(Build::cards))
    }

    /// Takes a fresh build id, never reusing one that is on the table.
    pub(crate) fn allocate_build_id(&mut self) -> BuildId {
        let above_existing = self
            .builds
            .iter()
            .map(|b| b.id.saturating_add(1))
            .max()
            .unwrap_or(1);
        let id = self.next_build_id.max(above_existing).max(1);
        self.next_build_id = id.saturating_add(1);
        id
    }
}
