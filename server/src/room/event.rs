//! The entries of a room's action log as the room keeps them in memory: moves, and the
//! lifecycle events that end a game. Each reads in words from either seat's side.

use game::protocol::EventKind;
use game::{Outcome, Seat};

/// How a game ended other than by its last move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `winner` claimed victory over an opponent who abandoned the game.
    Claimed {
        /// The claimant.
        winner: Seat,
    },
    /// `absent` did not come back within the return window.
    Abandoned {
        /// The seat that did not come back.
        absent: Seat,
        /// The other seat, unless it had abandoned the game too.
        winner: Option<Seat>,
    },
}

/// What a log entry records.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // Moves are nearly every entry; boxing them buys nothing.
pub enum EventBody {
    /// A move, and what it did.
    Move(Outcome),
    /// The game ended by a lifecycle event.
    End(Ending),
}

/// One entry of the log, kept in memory for reconnecting players.
#[derive(Debug, Clone)]
pub struct LoggedEvent {
    /// Sequence number.
    pub seq: u64,
    /// Commit time, ms since the epoch.
    pub at: i64,
    /// What it records.
    pub body: EventBody,
}

impl LoggedEvent {
    /// Who acted: the mover, the claimant, or the seat that did not come back.
    pub fn seat(&self) -> Seat {
        match &self.body {
            EventBody::Move(outcome) => outcome.seat,
            EventBody::End(Ending::Claimed { winner }) => *winner,
            EventBody::End(Ending::Abandoned { absent, .. }) => *absent,
        }
    }

    /// The event kind on the wire.
    pub fn kind(&self) -> EventKind {
        match &self.body {
            EventBody::Move(outcome) => outcome.kind().into(),
            EventBody::End(Ending::Claimed { .. }) => EventKind::VictoryClaimed,
            EventBody::End(Ending::Abandoned { .. }) => EventKind::Abandoned,
        }
    }

    /// The event in words from `receiver`'s side; "Opponent" as a word of its own, as in the
    /// moves' summaries, so that a client can put the opponent's name in its place.
    pub fn summary(&self, receiver: Seat) -> String {
        match &self.body {
            EventBody::Move(outcome) => outcome.summary(receiver),
            EventBody::End(Ending::Claimed { winner }) if *winner == receiver => {
                "You claimed victory: Opponent abandoned the game".to_owned()
            }
            EventBody::End(Ending::Claimed { .. }) => {
                "Opponent claimed victory after you were gone too long".to_owned()
            }
            EventBody::End(Ending::Abandoned { absent, .. }) if *absent == receiver => {
                "You did not come back in time: the game is over".to_owned()
            }
            EventBody::End(Ending::Abandoned {
                winner: Some(winner),
                ..
            }) if *winner == receiver => "Opponent did not come back: you win".to_owned(),
            EventBody::End(Ending::Abandoned { .. }) => {
                "Opponent did not come back: the game is over".to_owned()
            }
        }
    }
}
