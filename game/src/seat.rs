//! Seats: the two places at the table, 0 and 1.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One of the two seats. Serialized as the number 0 or 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Seat(u8);

impl Seat {
    /// Seat 0: the player who created the room.
    pub const FIRST: Seat = Seat(0);
    /// Seat 1: the player who joined.
    pub const SECOND: Seat = Seat(1);
    /// Both seats in order.
    pub const BOTH: [Seat; 2] = [Seat::FIRST, Seat::SECOND];

    /// 0 or 1, for indexing per-seat arrays.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// The other seat.
    pub fn other(self) -> Seat {
        Seat(1 - self.0)
    }
}

/// A seat number other than 0 or 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("seat must be 0 or 1, not {0}")]
pub struct InvalidSeat(pub u8);

impl TryFrom<u8> for Seat {
    type Error = InvalidSeat;

    fn try_from(n: u8) -> Result<Self, Self::Error> {
        match n {
            0 | 1 => Ok(Seat(n)),
            _ => Err(InvalidSeat(n)),
        }
    }
}

impl From<Seat> for u8 {
    fn from(seat: Seat) -> u8 {
        seat.0
    }
}

impl fmt::Display for Seat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "seat {}", self.0)
    }
}

impl Default for Seat {
    fn default() -> Self {
        Seat::FIRST
    }
}
