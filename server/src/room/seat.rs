//! One seat of a room: its player, where the player is (presence), and a second socket waiting
//! on `conflict`. The room core owns both seats; nothing else holds these facts.

use game::protocol::{PresenceState, SeatPresence};
use game::Seat;

use super::record::{AwayFields, AwayReason};
use super::ConnId;

/// The player of a seat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Player {
    /// Database id.
    pub id: i64,
    /// Display name.
    pub name: String,
}

/// A seat's absence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Absence {
    /// Since when, why, and its deadlines (as stored).
    pub fields: AwayFields,
    /// The abandonment has been recorded (the threshold passed in a running game).
    pub abandoned: bool,
    /// The "temporarily disconnected" change has been announced to the opponent.
    pub announced: bool,
}

/// Where a seat's player is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// No player in the seat.
    Empty,
    /// Socket `conn` holds the seat; `healthy` as the heartbeat monitor last reported.
    Connected {
        /// The socket.
        conn: ConnId,
        /// Not reported silent past the unhealthy threshold.
        healthy: bool,
    },
    /// Gone, and may come back until the return window ends.
    Away(Absence),
    /// Pressed Leave at `at`; a running game ends by itself at `return_by` unless claimed.
    Left {
        /// When.
        at: i64,
        /// When the game ends by itself.
        return_by: i64,
    },
}

/// A socket that said `hello` while another live socket held the seat: it gets the seat on
/// `takeover`, or when the holder goes away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiter {
    /// The socket.
    pub conn: ConnId,
    /// The last event sequence number it saw.
    pub last_seq: u64,
}

/// One seat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatSlot {
    /// The seat.
    pub seat: Seat,
    /// Its player, once taken.
    pub player: Option<Player>,
    /// Where the player is.
    pub presence: Presence,
    /// A socket waiting on `conflict`.
    pub waiting: Option<Waiter>,
}

impl SeatSlot {
    /// An empty seat.
    pub fn empty(seat: Seat) -> Self {
        Self {
            seat,
            player: None,
            presence: Presence::Empty,
            waiting: None,
        }
    }

    /// The socket holding the seat.
    pub fn holder(&self) -> Option<ConnId> {
        match self.presence {
            Presence::Connected { conn, .. } => Some(conn),
            _ => None,
        }
    }

    /// The player's database id.
    pub fn player_id(&self) -> Option<i64> {
        self.player.as_ref().map(|p| p.id)
    }

    /// Every socket of this seat the room knows (holder and waiting).
    pub fn conns(&self) -> impl Iterator<Item = ConnId> + '_ {
        self.holder()
            .into_iter()
            .chain(self.waiting.map(|w| w.conn))
    }

    /// When the seat's return window ends, if it is away or left.
    pub fn return_by(&self) -> Option<i64> {
        match self.presence {
            Presence::Away(a) => Some(a.fields.return_by),
            Presence::Left { return_by, .. } => Some(return_by),
            _ => None,
        }
    }

    /// The seat's presence as both players see it at `now`.
    pub fn wire(&self, now: i64, temporarily_ms: i64) -> SeatPresence {
        let (state, since) = match self.presence {
            Presence::Empty => (PresenceState::Empty, None),
            Presence::Connected { .. } => (PresenceState::Connected, None),
            Presence::Left { at, .. } => (PresenceState::Left, Some(at)),
            Presence::Away(absence) => {
                let since = absence.fields.since;
                let state = if now - since >= temporarily_ms {
                    PresenceState::Away
                } else {
                    match absence.fields.reason {
                        AwayReason::Joined | AwayReason::Closed => PresenceState::Disconnected,
                        AwayReason::Dropped | AwayReason::Silent => PresenceState::Reconnecting,
                    }
                };
                (state, Some(since))
            }
        };
        SeatPresence {
            seat: self.seat,
            state,
            since,
        }
    }
}
