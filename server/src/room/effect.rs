//! What the room core asks its shell to do. The core decides; the shell (the room actor) sends,
//! closes, writes, counts and schedules, in the order given.

use game::protocol::{CloseCode, EndReason, ErrorCode, ServerMessage};
use game::{GameResult, MoveKind, Seat};

use super::record::Record;
use super::ConnId;

/// One thing to do.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // Sends are most effects; boxing each would cost more.
pub enum Effect {
    /// Queue `message` on socket `conn`.
    Send {
        /// The socket.
        conn: ConnId,
        /// The message.
        message: ServerMessage,
    },
    /// Close socket `conn` with `code`; the room forgets it.
    Close {
        /// The socket.
        conn: ConnId,
        /// Why.
        code: CloseCode,
    },
    /// Count something on `/metrics`.
    Metric(Metric),
    /// Call [`super::RoomCore::tick`] at this time (ms since the epoch); replaces any earlier
    /// request. `None`: no deadline is pending.
    Schedule(Option<i64>),
    /// Nothing is left to do in memory: everything the room knows is committed and no socket
    /// holds it. Stop; a later request loads it back.
    Unload,
}

/// What a room event counts on `/metrics` (labels from bounded enums only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// A socket said `hello` for a seat that had been away.
    ReconnectionAttempted,
    /// A seat away for `after_ms` got its seat back.
    ReconnectionSucceeded {
        /// How long it had been away.
        after_ms: i64,
    },
    /// A seat moved to a new socket on `takeover`.
    Takeover,
    /// A running game was abandoned (a player gone past the threshold, or left).
    GameAbandoned,
    /// A game ended by a claim of victory.
    VictoryClaimed,
    /// The break after a hand ended: both players were ready, or it passed.
    HandStarted {
        /// Both players said they were ready.
        both_ready: bool,
    },
    /// A rematch room was made.
    Rematch,
    /// A move was applied (counted when its ack is sent).
    MoveApplied(MoveKind),
    /// A move was refused and the refusal stored.
    MoveRejected(MoveKind),
    /// A move was answered from the dedup table.
    MoveDuplicate(MoveKind),
}

/// Records to commit, and what to do once they are durable.
#[derive(Debug, Clone, PartialEq)]
pub struct Commit {
    /// The records, in order, committed in one transaction.
    pub records: Vec<Record>,
    /// Effects that must wait for the commit (acks, events, presence changes).
    pub then: Vec<Effect>,
}

/// The answer to a request that expects one (join, claim), given after its commit.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// The second seat was taken by player `player_id`.
    Joined {
        /// Database id of the new player.
        player_id: i64,
    },
    /// The join was refused.
    JoinRefused(ErrorCode),
    /// The game ended by the claim.
    Claimed(Claimed),
    /// The claim was refused.
    ClaimRefused(ErrorCode),
    /// Where a rematch stands after this seat asked for it.
    Rematch(RematchAnswer),
}

/// Who asked for a rematch and who declined it, before its room exists (the body of a 202
/// answer to an ask, and of the answer to a decline).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RematchStand {
    /// The seats that asked.
    pub offered: Vec<Seat>,
    /// The seats that said they do not want one (now).
    pub declined: Vec<Seat>,
}

/// Where a rematch stands after a seat asked for it or declined it.
#[derive(Debug, Clone, PartialEq)]
pub enum RematchAnswer {
    /// Refused: the game is not over, the opponent left, the session has no seat here, or (a
    /// decline) the room is made already.
    Refused(ErrorCode),
    /// No room yet: waiting for the other seat.
    Offered(RematchStand),
    /// Both asked: the shell creates the new room with these players by new seat (seats
    /// swapped, so the other player deals first), then calls
    /// [`super::RoomCore::rematch_created`] or [`super::RoomCore::rematch_failed`].
    Create {
        /// Names by seat of the new room.
        names: [String; 2],
    },
    /// Both asked and the shell is creating the room: the asker waits for it.
    Creating,
    /// The new room exists: its code.
    Ready(String),
}

/// A claim of victory that ended the game.
#[derive(Debug, Clone, PartialEq)]
pub struct Claimed {
    /// Sequence number of the `victory_claimed` entry.
    pub seq: u64,
    /// The final result: the claimant wins.
    pub result: GameResult,
    /// Always `victory_claimed`.
    pub reason: EndReason,
    /// The winner.
    pub winner: Seat,
}

/// Everything one input leads to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Out {
    /// Effects to carry out now, in order.
    pub effects: Vec<Effect>,
    /// Records to commit before anything else happens in this room.
    pub commit: Option<Commit>,
    /// The answer to the request, after the commit.
    pub reply: Option<Reply>,
}

impl Out {
    /// Nothing to do.
    pub fn none() -> Self {
        Self::default()
    }

    /// An effect to carry out now.
    pub fn now(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    /// A record to commit.
    pub fn record(&mut self, record: Record) {
        self.commit
            .get_or_insert_with(|| Commit {
                records: Vec::new(),
                then: Vec::new(),
            })
            .records
            .push(record);
    }

    /// An effect after the commit, or now if nothing is to be committed.
    pub fn then(&mut self, effect: Effect) {
        match &mut self.commit {
            Some(commit) => commit.then.push(effect),
            None => self.effects.push(effect),
        }
    }

    /// Sends `message` to `conn`, after the commit if there is one.
    pub fn send(&mut self, conn: ConnId, message: ServerMessage) {
        self.then(Effect::Send { conn, message });
    }

    /// Every effect, now and after the commit, in order (for tests and logs).
    pub fn all_effects(&self) -> impl Iterator<Item = &Effect> {
        self.effects
            .iter()
            .chain(self.commit.iter().flat_map(|c| c.then.iter()))
    }

    /// The records to commit (none when nothing is).
    pub fn records(&self) -> &[Record] {
        self.commit.as_ref().map_or(&[], |c| c.records.as_slice())
    }
}
