//! A room's game and its action log in memory: the state replayed from the log, every logged
//! event (for reconnecting players), the dedup table (`action_id` → first answer) and how the
//! game ended. Decides what a proposed move leads to; never touches a socket or the database.

use std::collections::HashMap;

use game::protocol::{EndReason, ErrorCode, EventKind, MissedEvent, ServerMessage};
use game::{check_integrity, GameResult, GameState, Move, Outcome, Ruleset, Seat};

use super::event::{Ending, EventBody, LoggedEvent};
use super::stored::{StoredEntry, StoredRejection};

/// The seat that deals the first hand: the joiner, so the room's creator (seat 0) plays first.
pub const FIRST_DEALER: Seat = Seat::SECOND;

/// How many missed events a welcome's `summary` puts in words (SPEC R4).
const SUMMARY_EVENTS: usize = 5;

/// The answer once given to an `action_id`, repeated verbatim on a retry.
#[derive(Debug, Clone)]
enum Answer {
    Applied {
        seat: Seat,
        mv: Move,
        seq: u64,
        at: i64,
    },
    Rejected {
        seat: Seat,
        mv: Move,
        code: ErrorCode,
        message: String,
    },
}

/// What to do with a proposed move.
#[derive(Debug)]
pub enum Decision {
    /// Answer at once, nothing to store (a retry, a reused id, an invalid id).
    Reply(Box<ServerMessage>),
    /// Legal: the state after it, and what it did.
    Apply {
        /// The state after the move.
        next: Box<GameState>,
        /// What the move did.
        outcome: Box<Outcome>,
    },
    /// Illegal: store the rejection, then answer it.
    Reject {
        /// Code.
        code: ErrorCode,
        /// Message.
        message: String,
    },
}

/// A room's game and log.
#[derive(Debug)]
pub struct GameLog {
    /// Rules variant.
    pub ruleset: Ruleset,
    seed: u64,
    /// The game, once both seats are taken.
    pub state: Option<GameState>,
    /// The whole log (a game is a few hundred entries at most).
    pub events: Vec<LoggedEvent>,
    dedup: HashMap<String, Answer>,
    rejections: usize,
    /// How the game ended, when not by its last move.
    pub ending: Option<Ending>,
}

impl GameLog {
    /// An empty log for a room whose game has not started.
    pub fn new(ruleset: Ruleset, seed: u64) -> Self {
        Self {
            ruleset,
            seed,
            state: None,
            events: Vec::new(),
            dedup: HashMap::new(),
            rejections: 0,
            ending: None,
        }
    }

    /// The secret deal seed (told only at the end, with the commitment's salt).
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Deals the first hand: both seats are taken.
    pub fn start(&mut self) {
        self.state = Some(GameState::new(self.seed, FIRST_DEALER, self.ruleset));
    }

    /// Replays stored entries through the rules engine; `seat_of` maps a player id to its seat.
    pub fn replay(
        &mut self,
        entries: &[StoredEntry],
        seat_of: impl Fn(i64) -> Option<Seat>,
    ) -> Result<(), String> {
        for (index, entry) in entries.iter().enumerate() {
            let expected = index as u64 + 1;
            if entry.seq != expected {
                return Err(format!(
                    "log gap: sequence {} where {expected} was expected",
                    entry.seq
                ));
            }
            let seat = entry
                .player_id
                .and_then(&seat_of)
                .ok_or_else(|| format!("log entry {expected} has no seated player"))?;
            if self.ending.is_some() {
                return Err(format!("log entry {expected} follows the end of the game"));
            }
            let body = match entry.kind {
                EventKind::VictoryClaimed => EventBody::End(Ending::Claimed { winner: seat }),
                EventKind::Abandoned => EventBody::End(Ending::Abandoned {
                    absent: seat,
                    winner: entry.winner,
                }),
                _ => {
                    let mv: Move = serde_json::from_value(entry.data.clone())
                        .map_err(|err| format!("log entry {expected}: {err}"))?;
                    let state = self
                        .state
                        .as_mut()
                        .ok_or_else(|| "moves logged before the game started".to_owned())?;
                    let outcome = state
                        .apply(seat, &mv)
                        .map_err(|err| format!("log entry {expected} does not replay: {err}"))?;
                    self.dedup.insert(
                        entry.action_id.clone(),
                        Answer::Applied {
                            seat,
                            mv,
                            seq: expected,
                            at: entry.at,
                        },
                    );
                    EventBody::Move(outcome)
                }
            };
            if let EventBody::End(ending) = &body {
                self.ending = Some(*ending);
            }
            self.events.push(LoggedEvent {
                seq: expected,
                at: entry.at,
                body,
            });
        }
        Ok(())
    }

    /// Remembers a stored rejection (after a replay).
    pub fn remember_rejection(&mut self, row: &StoredRejection, seat: Seat) {
        let Ok(mv) = serde_json::from_value::<Move>(row.data.clone()) else {
            return;
        };
        self.rejections += 1;
        self.dedup
            .entry(row.action_id.clone())
            .or_insert(Answer::Rejected {
                seat,
                mv,
                code: row.code,
                message: row.message.clone(),
            });
    }

    /// Highest sequence number in the log.
    pub fn seq(&self) -> u64 {
        self.events.len() as u64
    }

    /// Whether the game is over, however it ended.
    pub fn is_over(&self) -> bool {
        self.ending.is_some() || self.state.as_ref().is_some_and(GameState::is_over)
    }

    /// The result of the game so far with `winner` as its winner (a claim, or an abandonment).
    pub fn result_with(&self, winner: Option<Seat>) -> Option<GameResult> {
        let state = self.state.as_ref()?;
        Some(GameResult {
            winner,
            scores: state.scores,
            hands_played: u32::try_from(state.hand_results.len()).unwrap_or(u32::MAX),
        })
    }

    /// The final result and why the game ended, once it is over.
    pub fn final_result(&self) -> Option<(GameResult, EndReason)> {
        match self.ending {
            Some(Ending::Claimed { winner }) => self
                .result_with(Some(winner))
                .map(|r| (r, EndReason::VictoryClaimed)),
            Some(Ending::Abandoned { winner, .. }) => {
                self.result_with(winner).map(|r| (r, EndReason::Abandoned))
            }
            None => {
                let result = self.state.as_ref()?.result.clone()?;
                Some((result, EndReason::Completed))
            }
        }
    }

    /// Runs the engine's integrity check; every problem is returned in words.
    pub fn integrity_problems(&self) -> Vec<String> {
        match self.state.as_ref().map(check_integrity) {
            Some(Err(problems)) => problems.iter().map(ToString::to_string).collect(),
            _ => Vec::new(),
        }
    }

    /// The events after `last_seq` as `seat` reads them, each with the hand it was played in,
    /// and the last few in words (SPEC R4).
    pub fn missed(&self, seat: Seat, last_seq: u64) -> (Vec<MissedEvent>, Vec<String>) {
        // The hand of each event: hand 1 until a move ends a hand, then the next one.
        let hands = self.events.iter().scan(1u32, |hand, event| {
            let played_in = *hand;
            if let EventBody::Move(Outcome {
                hand_result: Some(ended),
                ..
            }) = &event.body
            {
                *hand = ended.hand_number.saturating_add(1);
            }
            Some(played_in)
        });
        let missed: Vec<MissedEvent> = self
            .events
            .iter()
            .zip(hands)
            .filter(|(event, _)| event.seq > last_seq)
            .map(|(event, hand)| MissedEvent {
                seq: event.seq,
                at: event.at,
                seat: Some(event.seat()),
                kind: event.kind(),
                summary: event.summary(seat),
                hand,
            })
            .collect();
        let summary = missed
            .iter()
            .skip(missed.len().saturating_sub(SUMMARY_EVENTS))
            .map(|event| event.summary.clone())
            .collect();
        (missed, summary)
    }

    /// The `event` message of the log's last entry for `seat`.
    pub fn last_event_for(&self, seat: Seat) -> Option<ServerMessage> {
        let event = self.events.last()?;
        let game = self.state.as_ref()?;
        Some(ServerMessage::Event {
            seq: event.seq,
            at: event.at,
            seat: Some(event.seat()),
            kind: event.kind(),
            summary: event.summary(seat),
            view: game.view(seat),
        })
    }

    /// Decides what `mv` with `action_id` from `seat` leads to.
    pub fn decide(
        &self,
        seat: Seat,
        action_id: &str,
        mv: &Move,
        max_rejections: usize,
    ) -> Decision {
        if !crate::validate::action_id(action_id) {
            return Decision::Reply(Box::new(ServerMessage::Rejected {
                action_id: action_id.chars().take(64).collect(),
                code: ErrorCode::InvalidActionId,
                message: "action_id must be 1-64 printable ASCII characters".to_owned(),
            }));
        }
        if let Some(answer) = self.dedup.get(action_id) {
            return Decision::Reply(Box::new(repeat(action_id, answer, seat, mv)));
        }
        let Some(game) = &self.state else {
            return self.reject_or_refuse(
                ErrorCode::GameNotStarted,
                "the game starts when the second player joins".to_owned(),
                action_id,
                max_rejections,
            );
        };
        if let Some(ending) = self.ending {
            let why = match ending {
                Ending::Claimed { .. } => "victory was claimed",
                Ending::Abandoned { .. } => "a player did not come back",
            };
            return self.reject_or_refuse(
                ErrorCode::GameOver,
                format!("the game is over: {why}"),
                action_id,
                max_rejections,
            );
        }
        let mut next = game.clone();
        match next.apply(seat, mv) {
            Ok(outcome) => Decision::Apply {
                next: Box::new(next),
                outcome: Box::new(outcome),
            },
            Err(err) => {
                self.reject_or_refuse(err.code(), err.to_string(), action_id, max_rejections)
            }
        }
    }

    /// Whether `action_id` was answered before (a retry).
    pub fn is_retry(&self, action_id: &str) -> bool {
        self.dedup.contains_key(action_id)
    }

    fn reject_or_refuse(
        &self,
        code: ErrorCode,
        message: String,
        action_id: &str,
        max_rejections: usize,
    ) -> Decision {
        if self.rejections >= max_rejections {
            // Past the bound nothing more is remembered, so say so instead of promising
            // an exactly-once answer.
            return Decision::Reply(Box::new(ServerMessage::Rejected {
                action_id: action_id.to_owned(),
                code: ErrorCode::TooManyRejections,
                message: format!("{message} (this room stopped recording rejected moves)"),
            }));
        }
        Decision::Reject { code, message }
    }

    /// Applies a decided move: the new state, its log entry and its dedup answer.
    pub fn apply(
        &mut self,
        seat: Seat,
        action_id: String,
        mv: Move,
        next: GameState,
        outcome: Outcome,
        at: i64,
    ) -> u64 {
        let seq = self.seq() + 1;
        self.state = Some(next);
        self.dedup
            .insert(action_id, Answer::Applied { seat, mv, seq, at });
        self.events.push(LoggedEvent {
            seq,
            at,
            body: EventBody::Move(outcome),
        });
        seq
    }

    /// Remembers a rejection for exactly-once answers.
    pub fn reject(
        &mut self,
        seat: Seat,
        action_id: String,
        mv: Move,
        code: ErrorCode,
        message: String,
    ) {
        self.rejections += 1;
        self.dedup.insert(
            action_id,
            Answer::Rejected {
                seat,
                mv,
                code,
                message,
            },
        );
    }

    /// Ends the game by a lifecycle event at `at`; returns the entry's sequence number.
    pub fn end(&mut self, ending: Ending, at: i64) -> u64 {
        let seq = self.seq() + 1;
        self.ending = Some(ending);
        self.events.push(LoggedEvent {
            seq,
            at,
            body: EventBody::End(ending),
        });
        seq
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
            code: ErrorCode::ActionIdReused,
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
            code: *code,
            message: message.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plays the first legal move until `moves` moves of hand 2 are in the log.
    fn into_hand_two(moves: usize) -> GameLog {
        let mut log = GameLog::new(Ruleset::default(), 7);
        log.start();
        let mut in_hand_two = 0;
        while in_hand_two < moves {
            let state = log.state.clone().expect("started");
            let seat = state.to_move;
            let mv = state.legal_moves(seat)[0].clone();
            let mut next = state.clone();
            let outcome = next.apply(seat, &mv).expect("legal");
            if state.hand_number == 2 {
                in_hand_two += 1;
            }
            let at = log.seq() as i64;
            log.apply(seat, format!("a{at}"), mv, next, outcome, at);
        }
        log
    }

    #[test]
    fn each_missed_event_says_which_hand_it_was_played_in() {
        let log = into_hand_two(3);
        let (missed, _) = log.missed(Seat::FIRST, 0);
        let hands: Vec<u32> = missed.iter().map(|e| e.hand).collect();
        let first_of_two = hands.iter().position(|h| *h == 2).expect("hand 2 moves");
        assert_eq!(first_of_two, missed.len() - 3);
        assert!(hands[..first_of_two].iter().all(|h| *h == 1));
        assert!(hands[first_of_two..].iter().all(|h| *h == 2));
        // The move that ended hand 1 was played in hand 1.
        assert!(missed[first_of_two - 1].summary.contains("Hand 1 over"));
        // A reconnection after the first hand gets only hand 2's, still numbered.
        let (later, _) = log.missed(Seat::SECOND, missed[first_of_two - 1].seq);
        assert_eq!(later.iter().map(|e| e.hand).collect::<Vec<_>>(), [2, 2, 2]);
    }
}
