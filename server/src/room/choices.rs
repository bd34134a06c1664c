//! The players' choices: a move, leave, wait, claim victory. Like every input, each passes the
//! deadlines due first and returns the effects to carry out.

use game::protocol::{CloseCode, EndReason, ErrorCode, ServerMessage};
use game::{Move, Seat};

use super::core::{Phase, RoomCore};
use super::effect::{Claimed, Effect, Metric, Out, Reply};
use super::event::Ending;
use super::game_log::Decision;
use super::inputs::error;
use super::record::{Record, RoomEnd};
use super::seat::Presence;
use super::ConnId;

/// A move proposed on a socket.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// The socket it came on.
    pub conn: ConnId,
    /// The session's seat.
    pub seat: Seat,
    /// The session's player.
    pub player_id: i64,
    /// Client idempotency key.
    pub action_id: String,
    /// The move.
    pub mv: Move,
}

impl RoomCore {
    /// A proposed move: answered with `ack` after its commit, or `rejected`.
    pub fn propose(&mut self, p: Proposal, now: i64) -> Out {
        let mut out = self.begin(now);
        let Proposal {
            conn,
            seat,
            player_id,
            action_id,
            mv,
        } = p;
        if !self.seated(&mut out, conn, seat, player_id) {
            return self.finish(out, now);
        }
        if self.seats[seat.index()].holder() != Some(conn) {
            out.now(Effect::Send {
                conn,
                message: ServerMessage::Rejected {
                    action_id: action_id.chars().take(64).collect(),
                    code: ErrorCode::SeatHeldElsewhere,
                    message: "another connection holds this seat; send takeover to move it here"
                        .to_owned(),
                },
            });
            return self.finish(out, now);
        }
        let kind = mv.kind();
        let retry = self.log.is_retry(&action_id);
        if retry {
            out.now(Effect::Metric(Metric::MoveDuplicate(kind)));
        } else if let Some(b) = self.hand_break() {
            // Not stored: the same move may be proposed again once the hand starts.
            out.now(Effect::Send {
                conn,
                message: ServerMessage::Rejected {
                    action_id,
                    code: ErrorCode::HandNotStarted,
                    message: format!(
                        "hand {} has ended; the next one starts when both players are ready",
                        b.hand
                    ),
                },
            });
            return self.finish(out, now);
        }
        match self
            .log
            .decide(seat, &action_id, &mv, self.timing.max_rejections)
        {
            Decision::Reply(message) => out.send(conn, *message),
            Decision::Apply { next, outcome } => {
                let over = outcome.game_over.clone();
                if let (Some(hand), None) = (&outcome.hand_result, &over) {
                    self.start_break(hand.hand_number, now);
                }
                let seq = self
                    .log
                    .apply(seat, action_id.clone(), mv.clone(), *next, *outcome, now);
                if cfg!(debug_assertions) {
                    for problem in self.log.integrity_problems() {
                        log::error!("integrity: room {} after move {seq}: {problem}", self.code);
                    }
                }
                out.record(Record::Move {
                    seq,
                    player_id,
                    action_id: action_id.clone(),
                    mv,
                    at: now,
                });
                if let Some(result) = over {
                    log::info!("room {}: game over {:?}", self.code, result.winner);
                    out.record(Record::Finished {
                        end: RoomEnd::Completed,
                        winner: result.winner,
                        at: now,
                    });
                }
                out.then(Effect::Metric(Metric::MoveApplied(kind)));
                out.send(
                    conn,
                    ServerMessage::Ack {
                        action_id,
                        seq,
                        at: now,
                    },
                );
                self.broadcast_last_event(&mut out);
                self.announce_break(&mut out);
            }
            Decision::Reject { code, message } => {
                self.log
                    .reject(seat, action_id.clone(), mv.clone(), code, message.clone());
                out.record(Record::Rejection {
                    player_id,
                    action_id: action_id.clone(),
                    mv,
                    code,
                    message: message.clone(),
                    at: now,
                });
                out.then(Effect::Metric(Metric::MoveRejected(kind)));
                out.send(
                    conn,
                    ServerMessage::Rejected {
                        action_id,
                        code,
                        message,
                    },
                );
            }
        }
        self.finish(out, now)
    }

    /// The player of `seat` leaves for good: their session ends, every socket of the seat is
    /// closed (1000) after `left`, and the opponent may claim victory at once. A waiting room
    /// closes.
    pub fn leave(&mut self, conn: ConnId, seat: Seat, player_id: i64, now: i64) -> Out {
        let mut out = self.begin(now);
        if !self.seated(&mut out, conn, seat, player_id) {
            return self.finish(out, now);
        }
        let phase = self.phase();
        let slot = &mut self.seats[seat.index()];
        let mut conns: Vec<ConnId> = slot.conns().filter(|c| *c != conn).collect();
        conns.insert(0, conn);
        if !matches!(slot.presence, Presence::Left { .. }) {
            let return_by = now.saturating_add(self.timing.return_ms);
            slot.presence = Presence::Left { at: now, return_by };
            slot.waiting = None;
            log::info!("room {}: {seat} left the room", self.code);
            out.record(Record::Left {
                player_id,
                at: now,
                return_by,
            });
            match phase {
                Phase::Waiting => {
                    self.closed = true;
                    out.record(Record::Finished {
                        end: RoomEnd::Abandoned,
                        winner: None,
                        at: now,
                    });
                }
                Phase::Playing => out.then(Effect::Metric(Metric::GameAbandoned)),
                Phase::Over => {}
            }
        }
        out.send(conn, ServerMessage::Left);
        for conn in conns {
            out.then(Effect::Close {
                conn,
                code: CloseCode::Left,
            });
        }
        self.announce_presence(&mut out, now, Some(seat));
        let stayer = &self.seats[seat.other().index()];
        if let (Some(conn), Some(offer)) = (stayer.holder(), self.offer(stayer.seat, now)) {
            out.send(conn, offer);
        }
        self.finish(out, now)
    }

    /// The player of `seat` chooses to wait for an opponent who abandoned the game; answered
    /// with the updated `abandoned` offer (claim victory stays available).
    pub fn wait(&mut self, conn: ConnId, seat: Seat, player_id: i64, now: i64) -> Out {
        let mut out = self.begin(now);
        if !self.seat_is(seat, player_id) {
            out.send(
                conn,
                error(
                    ErrorCode::NotSeated,
                    "this session does not hold a seat here",
                ),
            );
        } else if !self.abandoned(seat.other(), now) {
            out.send(
                conn,
                error(
                    ErrorCode::NotAbandoned,
                    "the opponent has not abandoned the game",
                ),
            );
        } else {
            if !self.waited {
                log::info!("room {}: {seat} chose to wait", self.code);
                self.waited = true;
                out.record(Record::Waited { at: now });
            }
            if let Some(offer) = self.offer(seat, now) {
                out.send(conn, offer);
            }
        }
        self.finish(out, now)
    }

    /// The player of `seat` claims victory over an opponent who abandoned the game (on socket
    /// `conn`, or over HTTP without one). The reply says how it went, after the commit.
    pub fn claim(&mut self, conn: Option<ConnId>, seat: Seat, player_id: i64, now: i64) -> Out {
        let mut out = self.begin(now);
        let refusal = if !self.seat_is(seat, player_id) {
            Some((
                ErrorCode::NotSeated,
                "this session does not hold a seat in this room",
            ))
        } else if self.phase() != Phase::Playing {
            Some((
                ErrorCode::GameNotInPlay,
                "there is no game in progress to claim",
            ))
        } else if !self.abandoned(seat.other(), now) {
            Some((
                ErrorCode::ClaimTooEarly,
                "the opponent has not been gone long enough to claim victory",
            ))
        } else {
            None
        };
        if let Some((code, message)) = refusal {
            log::info!("room {}: claim of victory refused: {message}", self.code);
            if let Some(conn) = conn {
                out.send(conn, error(code, message));
            }
            out.reply = Some(Reply::ClaimRefused(code));
            return self.finish(out, now);
        }
        let result = self.log.result_with(Some(seat));
        let seq = self.log.end(Ending::Claimed { winner: seat }, now);
        log::info!("room {}: {seat} claimed victory (event {seq})", self.code);
        out.record(Record::Claimed {
            seq,
            player_id,
            at: now,
        });
        out.record(Record::Finished {
            end: RoomEnd::VictoryClaimed,
            winner: Some(seat),
            at: now,
        });
        out.then(Effect::Metric(Metric::VictoryClaimed));
        self.broadcast_last_event(&mut out);
        out.reply = result.map(|result| {
            Reply::Claimed(Claimed {
                seq,
                result,
                reason: EndReason::VictoryClaimed,
                winner: seat,
            })
        });
        self.finish(out, now)
    }
}
