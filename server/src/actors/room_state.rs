//! A room's state and decisions, without actors or I/O: rebuilding from the stored log, deciding
//! what a proposed move leads to, and the messages each seat receives. [`super::RoomActor`] owns
//! one and does the I/O around it.

use std::collections::HashMap;

use entity::rooms::RoomStatus;
use game::protocol::{MissedEvent, SeatInfo, SeatStatus, ServerMessage, PROTOCOL_VERSION};
use game::{check_integrity, GameState, Move, Outcome, Ruleset, Seat};

use crate::clock;
use crate::store::rooms::StoredRoom;
use crate::store::StoreError;

/// The seat that deals the first hand: the joiner, so the room's creator (seat 0) plays first.
pub const FIRST_DEALER: Seat = Seat::SECOND;

/// How many missed events a welcome's `summary` puts in words (SPEC R4).
const SUMMARY_EVENTS: usize = 5;

/// A seated player.
#[derive(Debug, Clone)]
pub struct SeatRow {
    /// Database id.
    pub player_id: i64,
    /// Display name.
    pub name: String,
}

/// The `action_type` of the system event that ends a game by a claim of victory.
pub const VICTORY_CLAIMED: &str = "victory_claimed";

/// What a log entry records.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // Moves are nearly every entry; boxing them buys nothing.
pub enum EventBody {
    /// A move, and what it did.
    Move(Outcome),
    /// A system event of the connection lifecycle (`victory_claimed`), by `seat`.
    System {
        /// Who caused it.
        seat: Seat,
        /// Its `action_type`.
        kind: &'static str,
    },
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
    /// Who acted.
    pub fn seat(&self) -> Seat {
        match &self.body {
            EventBody::Move(outcome) => outcome.seat,
            EventBody::System { seat, .. } => *seat,
        }
    }

    /// The event kind on the wire.
    pub fn kind(&self) -> String {
        match &self.body {
            EventBody::Move(outcome) => outcome.kind().as_str().to_owned(),
            EventBody::System { kind, .. } => (*kind).to_owned(),
        }
    }

    /// The event in words from `receiver`'s side.
    pub fn summary(&self, receiver: Seat) -> String {
        match &self.body {
            EventBody::Move(outcome) => outcome.summary(receiver),
            EventBody::System { seat, .. } if *seat == receiver => {
                "You claimed victory: your opponent abandoned the game".to_owned()
            }
            EventBody::System { .. } => {
                "Opponent claimed victory after you were gone too long".to_owned()
            }
        }
    }
}

/// The answer once given to an `action_id`, repeated verbatim on a retry.
#[derive(Debug, Clone)]
pub enum Answer {
    /// Applied at `seq`.
    Applied {
        /// Who moved.
        seat: Seat,
        /// The move.
        mv: Move,
        /// Its sequence number.
        seq: u64,
        /// Commit time.
        at: i64,
    },
    /// Refused.
    Rejected {
        /// Who proposed it.
        seat: Seat,
        /// The move.
        mv: Move,
        /// Code.
        code: String,
        /// Message.
        message: String,
    },
}

/// What to do with a proposed move.
#[derive(Debug)]
pub enum Decision {
    /// Answer at once, nothing to store (a retry, a reused id, an invalid id).
    Reply(Box<ServerMessage>),
    /// Legal: store it, then apply `next`.
    Apply {
        /// The state after the move.
        next: Box<GameState>,
        /// What the move did.
        outcome: Box<Outcome>,
        /// Its sequence number.
        seq: u64,
        /// Its time.
        at: i64,
    },
    /// Illegal: store the rejection, then answer it.
    Reject {
        /// Code.
        code: String,
        /// Message.
        message: String,
    },
}

/// One room.
#[derive(Debug)]
pub struct Room {
    /// Database id.
    pub id: i64,
    /// Public code.
    pub code: String,
    /// Rules variant.
    pub ruleset: Ruleset,
    /// Secret deal seed.
    pub seed: u64,
    /// Seat 0 and seat 1.
    pub seats: [Option<SeatRow>; 2],
    /// The game, once both seats are taken.
    pub game: Option<GameState>,
    /// The whole log (a game is a few hundred moves at most).
    pub events: Vec<LoggedEvent>,
    /// `action_id` → first answer.
    pub dedup: HashMap<String, Answer>,
    /// Rejections remembered so far.
    pub rejections: usize,
    /// The seat that won by a claim of victory, once claimed.
    pub claimed: Option<Seat>,
}

impl Room {
    /// Rebuilds a room from its stored rows by replaying the log through the rules engine, then
    /// checks the state's integrity (problems are logged with the room code).
    pub fn rebuild(stored: StoredRoom) -> Result<Room, StoreError> {
        let code = stored.room.code.clone();
        let corrupt = |what: String| StoreError::Corrupt(format!("room {code}: {what}"));
        let ruleset: Ruleset = serde_json::from_value(stored.room.ruleset.clone())
            .map_err(|err| corrupt(format!("ruleset: {err}")))?;
        let mut seats: [Option<SeatRow>; 2] = [None, None];
        let mut seat_of = HashMap::new();
        for player in &stored.players {
            let seat = u8::try_from(player.seat)
                .ok()
                .and_then(|n| Seat::try_from(n).ok())
                .ok_or_else(|| corrupt(format!("seat {}", player.seat)))?;
            seat_of.insert(player.id, seat);
            seats[seat.index()] = Some(SeatRow {
                player_id: player.id,
                name: player.name.clone(),
            });
        }
        let seed = stored.room.deal_seed as u64;
        let mut room = Room {
            id: stored.room.id,
            code: stored.room.code.clone(),
            ruleset,
            seed,
            game: None,
            seats,
            events: Vec::with_capacity(stored.log.len()),
            dedup: HashMap::new(),
            rejections: 0,
            claimed: None,
        };
        if room.seats.iter().all(Option::is_some) {
            room.game = Some(GameState::new(seed, FIRST_DEALER, ruleset));
        }
        for (index, row) in stored.log.iter().enumerate() {
            let expected = index as i64 + 1;
            if row.sequence_number != expected {
                return Err(corrupt(format!(
                    "log gap: sequence {} where {expected} was expected",
                    row.sequence_number
                )));
            }
            let seat = row
                .player_id
                .and_then(|id| seat_of.get(&id).copied())
                .ok_or_else(|| corrupt(format!("log entry {expected} has no seated player")))?;
            if row.action_type == VICTORY_CLAIMED {
                room.claimed = Some(seat);
                room.events.push(LoggedEvent {
                    seq: expected as u64,
                    at: clock::to_ms(row.created_at),
                    body: EventBody::System {
                        seat,
                        kind: VICTORY_CLAIMED,
                    },
                });
                continue;
            }
            let mv: Move = serde_json::from_value(row.action_data.clone())
                .map_err(|err| corrupt(format!("log entry {expected}: {err}")))?;
            let game = room
                .game
                .as_mut()
                .ok_or_else(|| corrupt("moves logged before the game started".to_owned()))?;
            let outcome = game
                .apply(seat, &mv)
                .map_err(|err| corrupt(format!("log entry {expected} does not replay: {err}")))?;
            let at = clock::to_ms(row.created_at);
            room.dedup.insert(
                row.action_id.clone(),
                Answer::Applied {
                    seat,
                    mv,
                    seq: expected as u64,
                    at,
                },
            );
            room.events.push(LoggedEvent {
                seq: expected as u64,
                at,
                body: EventBody::Move(outcome),
            });
        }
        for row in &stored.rejected {
            let Some(seat) = seat_of.get(&row.player_id).copied() else {
                continue;
            };
            let Ok(mv) = serde_json::from_value::<Move>(row.action_data.clone()) else {
                continue;
            };
            room.rejections += 1;
            room.dedup
                .entry(row.action_id.clone())
                .or_insert(Answer::Rejected {
                    seat,
                    mv,
                    code: row.code.clone(),
                    message: row.message.clone(),
                });
        }
        room.check_integrity("rebuild");
        Ok(room)
    }

    /// Whether the game runs: both seats taken, not over, not claimed.
    pub fn in_play(&self) -> bool {
        self.status() == RoomStatus::Playing
    }

    /// The result of a claim of victory by `seat`: the scores so far, `seat` the winner.
    pub fn claim_result(&self, seat: Seat) -> Option<game::GameResult> {
        let game = self.game.as_ref()?;
        Some(game::GameResult {
            winner: Some(seat),
            scores: game.scores,
            hands_played: u32::try_from(game.hand_results.len()).unwrap_or(u32::MAX),
        })
    }

    /// The final result, however the game ended.
    pub fn final_result(&self) -> Option<(game::GameResult, game::protocol::EndReason)> {
        if let Some(seat) = self.claimed {
            return self
                .claim_result(seat)
                .map(|r| (r, game::protocol::EndReason::VictoryClaimed));
        }
        let result = self.game.as_ref()?.result.clone()?;
        Some((result, game::protocol::EndReason::Completed))
    }

    /// Runs the engine's integrity check and logs every problem with the room code.
    pub fn check_integrity(&self, when: &str) -> bool {
        let Some(game) = &self.game else {
            return true;
        };
        match check_integrity(game) {
            Ok(()) => true,
            Err(problems) => {
                for problem in problems {
                    log::error!("integrity: room {} after {when}: {problem}", self.code);
                }
                false
            }
        }
    }

    /// Highest sequence number in the log.
    pub fn seq(&self) -> u64 {
        self.events.len() as u64
    }

    /// The room's life-cycle status.
    pub fn status(&self) -> RoomStatus {
        if self.claimed.is_some() {
            return RoomStatus::Finished;
        }
        match &self.game {
            None => RoomStatus::Waiting,
            Some(game) if game.is_over() => RoomStatus::Finished,
            Some(_) => RoomStatus::Playing,
        }
    }

    /// Seated players, for `welcome` and room info.
    pub fn players(&self) -> Vec<SeatInfo> {
        Seat::BOTH
            .iter()
            .filter_map(|seat| {
                self.seats[seat.index()].as_ref().map(|row| SeatInfo {
                    seat: *seat,
                    name: row.name.clone(),
                })
            })
            .collect()
    }

    /// The full state for `seat`, with the events after `last_seq` (SPEC R4).
    pub fn welcome(&self, seat: Seat, last_seq: u64, status: Vec<SeatStatus>) -> ServerMessage {
        let missed: Vec<MissedEvent> = self
            .events
            .iter()
            .filter(|event| event.seq > last_seq)
            .map(|event| MissedEvent {
                seq: event.seq,
                at: event.at,
                seat: Some(event.seat()),
                kind: event.kind(),
                summary: event.summary(seat),
            })
            .collect();
        let summary = missed
            .iter()
            .skip(missed.len().saturating_sub(SUMMARY_EVENTS))
            .map(|event| event.summary.clone())
            .collect();
        let view = self.game.as_ref().map(|game| game.view(seat));
        ServerMessage::Welcome {
            protocol: PROTOCOL_VERSION,
            room: self.code.clone(),
            you: seat,
            players: self.players(),
            your_turn: view.as_ref().is_some_and(|v| v.is_my_turn()),
            view,
            seq: self.seq(),
            missed,
            summary,
            status,
        }
    }

    /// The `event` message of `event` for `seat`.
    pub fn event_for(&self, event: &LoggedEvent, seat: Seat) -> Option<ServerMessage> {
        let game = self.game.as_ref()?;
        Some(ServerMessage::Event {
            seq: event.seq,
            at: event.at,
            seat: Some(event.seat()),
            kind: event.kind(),
            summary: event.summary(seat),
            view: game.view(seat),
        })
    }

    /// Decides what `mv` with `action_id` from `seat` leads to, at time `now`.
    pub fn decide(
        &self,
        seat: Seat,
        action_id: &str,
        mv: &Move,
        now: i64,
        max_rejections: usize,
    ) -> Decision {
        if !crate::validate::action_id(action_id) {
            return Decision::Reply(Box::new(ServerMessage::Rejected {
                action_id: action_id.chars().take(64).collect(),
                code: "INVALID_ACTION_ID".to_owned(),
                message: "action_id must be 1-64 printable ASCII characters".to_owned(),
            }));
        }
        if let Some(answer) = self.dedup.get(action_id) {
            return Decision::Reply(Box::new(repeat(action_id, answer, seat, mv)));
        }
        let Some(game) = &self.game else {
            return self.reject_or_refuse(
                "GAME_NOT_STARTED",
                "the game starts when the second player joins".to_owned(),
                action_id,
                max_rejections,
            );
        };
        if self.claimed.is_some() {
            return self.reject_or_refuse(
                "GAME_OVER",
                "the game is over: victory was claimed".to_owned(),
                action_id,
                max_rejections,
            );
        }
        let mut next = game.clone();
        match next.apply(seat, mv) {
            Ok(outcome) => Decision::Apply {
                next: Box::new(next),
                outcome: Box::new(outcome),
                seq: self.seq() + 1,
                at: now,
            },
            Err(err) => {
                self.reject_or_refuse(err.code(), err.to_string(), action_id, max_rejections)
            }
        }
    }

    fn reject_or_refuse(
        &self,
        code: &str,
        message: String,
        action_id: &str,
        max_rejections: usize,
    ) -> Decision {
        if self.rejections >= max_rejections {
            // Past the bound nothing more is remembered, so say so instead of promising
            // an exactly-once answer.
            return Decision::Reply(Box::new(ServerMessage::Rejected {
                action_id: action_id.to_owned(),
                code: "TOO_MANY_REJECTIONS".to_owned(),
                message: format!("{message} (this room stopped recording rejected moves)"),
            }));
        }
        Decision::Reject {
            code: code.to_owned(),
            message,
        }
    }
}

/// The answer to a retry of `action_id`: the original, unless the retry carries another move
/// or comes from another seat (the idempotency key was reused).
fn repeat(action_id: &str, answer: &Answer, seat: Seat, mv: &Move) -> ServerMessage {
    let (original_seat, original_mv) = match answer {
        Answer::Applied { seat, mv, .. } | Answer::Rejected { seat, mv, .. } => (*seat, mv),
    };
    if original_seat != seat || original_mv != mv {
        return ServerMessage::Rejected {
            action_id: action_id.to_owned(),
            code: "ACTION_ID_REUSED".to_owned(),
            message: "this action_id was already used for a different move".to_owned(),
        };
    }
    match answer {
        Answer::Applied { seq, at, .. } => ServerMessage::Ack {
            action_id: action_id.to_owned(),
            seq: *seq,
            at: *at,
        },
        Answer::Rejected { code, message, .. } => ServerMessage::Rejected {
            action_id: action_id.to_owned(),
            code: code.clone(),
            message: message.clone(),
        },
    }
}
