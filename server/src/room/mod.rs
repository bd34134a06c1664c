//! The room core: one room's game, seats, presence, deadlines and abandonment decision, as a
//! pure state machine. No actix, no SeaORM, no clock: every input carries `now` (ms since the
//! epoch) and returns an [`Out`] — effects to carry out now, records to commit with the effects
//! that must wait for the commit, and a reply. [`crate::actors::RoomActor`] is its thin shell:
//! it feeds inputs in the order they arrive, holds every other input while a commit is in
//! flight, and carries the effects out.
//!
//! # The lifecycle
//!
//! A seat is **empty**, **connected** (a socket holds it, healthy or not as the heartbeat
//! monitor reports), **away** (since a time, for a reason, with an abandonment deadline and a
//! return deadline, both stored), or **left**. A room is **waiting** (one seat), **playing**,
//! or **over**. Every deadline is passed by the room's timer ([`Effect::Schedule`]) and, lazily,
//! at the start of every input, so a late timer never changes an outcome.
//!
//! | seat state × input | what happens | record |
//! | --- | --- | --- |
//! | empty × join | the seat is taken, away (never connected) until its first socket; the game starts | `Joined` |
//! | any × join (seat 1 taken / room over) | refused `ROOM_FULL` / `ROOM_CLOSED` | — |
//! | away × attach, before the return deadline | connected; `welcome` (+ `abandoned` offer or `game_over`); the opponent gets `presence` | `Back` |
//! | away × attach, after the return deadline | `error SESSION_EXPIRED`, close 4010 | — |
//! | left × attach | `error SESSION_REVOKED`, close 1000 | — |
//! | connected × attach, same socket | `welcome` again (resync) | — |
//! | connected (healthy) × attach, other socket | `conflict`; the socket waits | — |
//! | connected × attach + takeover | old socket `session_moved`, close 4009; new one `welcome` | — |
//! | connected (unhealthy) × attach | old socket closed 4009; new one `welcome` | — |
//! | connected × detach (closed / dropped / silent) | away with deadlines; opponent gets `presence` (`disconnected` / `reconnecting`) | `Away` |
//! | connected × detach, a socket waiting | the waiting socket holds the seat, `welcome` | — |
//! | connected × health | the holder's health is noted (for takeover and `/api/heartbeat`) | — |
//! | connected × move | `ack` + `event` to both (+ `game_over`), or `rejected` | `Move` (+ `Finished`) / `Rejection` |
//! | any × leave | `left`, every socket of the seat closed 1000; opponent gets `presence` and may claim at once; a waiting room closes | `Left` (+ `Finished`) |
//! | connected × wait, opponent abandoned | the offer again with `waiting: true` | `Waited` |
//! | connected × wait, opponent not abandoned | `error NOT_ABANDONED` | — |
//! | any × claim, opponent abandoned (gone past the threshold, or left) | `event victory_claimed` + `game_over` to both; reply | `Claimed` + `Finished` |
//! | any × claim, otherwise | `error CLAIM_TOO_EARLY` / `GAME_NOT_IN_PLAY` / `NOT_SEATED` | — |
//! | away × tick, past "temporarily disconnected" | opponent gets `presence` (`away`) | — |
//! | away × tick, past the abandonment deadline, playing | opponent offered `wait` / `claim_victory` | `Abandoned` |
//! | away or left × tick, past the return deadline, playing | the game ends: `event abandoned` + `game_over` (reason `abandoned`), the other seat wins unless it abandoned too | `Expired` + `Finished` |
//! | away or left × tick, past the return deadline, waiting | the room closes (`abandoned`) | `Finished` |
//! | connected × move, between hands (not a retry) | `rejected HAND_NOT_STARTED`, nothing stored | — |
//! | connected × next_hand, between hands | the seat is ready; both ready: `hand_started` to both, else `hand_break` | — |
//! | any × next_hand from a socket waiting on `conflict` | `error SEAT_HELD_ELSEWHERE`; the seat is not ready | — |
//! | any × tick, past the hand break | `hand_started` to both | — |
//! | any × rematch, game over | offered (`rematch` to both; a decline is cleared); both offered: the shell creates the room, `rematch` with its code; asks while it is created wait for it | — |
//! | any × rematch, otherwise | refused `GAME_NOT_OVER` / `OPPONENT_LEFT` / `NOT_SEATED` | — |
//! | any × decline rematch, game over, no room made | the seat's offer withdrawn, the seat declined (`rematch` to both) | — |
//! | any × decline rematch, room made or being made | refused `REMATCH_MADE` | — |
//! | nobody connected × tick, for `unload_ms` | the room leaves memory | — |
//! | any × commit failed | every socket closed 1012; the room unloads and loads back on demand | — |
//!
//! The unit tests (`tests/mod.rs`, and `tests/interlude.rs` for the break and the rematch) walk
//! every row of this table with millisecond clocks.

mod choices;
mod core;
mod deadlines;
mod effect;
mod event;
mod game_log;
mod inputs;
mod interlude;
mod record;
mod seat;
mod stored;
#[cfg(test)]
mod tests;

pub use self::core::{Phase, RoomCore};
pub use choices::Proposal;
pub use effect::{Claimed, Commit, Effect, Metric, Out, RematchAnswer, RematchStand, Reply};
pub use game_log::FIRST_DEALER;
pub use inputs::DetachReason;
pub use record::{AwayFields, AwayReason, Record, RoomEnd};
pub use seat::{Absence, Presence};
pub use stored::{StoredAway, StoredEntry, StoredRejection, StoredRoom, StoredSeat};

/// A socket, as the room knows it.
pub type ConnId = u64;

/// The room's durations (from the server configuration), in ms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// Away this long: "temporarily disconnected" (2 min).
    pub temporarily_ms: i64,
    /// Away this long in a running game: abandoned; the opponent may claim victory (5 min).
    pub abandon_ms: i64,
    /// Away this long: the seat is lost; a running game ends (10 min).
    pub return_ms: i64,
    /// Nobody connected this long: the room leaves memory (30 s).
    pub unload_ms: i64,
    /// The break after a hand: the next one starts when both players are ready, or after this
    /// (30 s; 0: no break).
    pub hand_break_ms: i64,
    /// Rejected moves remembered for exactly-once answers.
    pub max_rejections: usize,
}
