//! The inputs of a room core about its seats and sockets: join, attach, detach, health, tick.
//! Each processes the deadlines due first, decides, and returns the effects to carry out; none
//! does I/O or reads a clock (`now` is an argument). The players' choices are in `choices.rs`.

use game::protocol::{CloseCode, ErrorCode, ServerMessage};
use game::Seat;

use super::core::{PendingJoin, Phase, RoomCore};
use super::effect::{Effect, Metric, Out, Reply};
use super::record::{AwayReason, Record};
use super::seat::{Absence, Player, Presence, Waiter};
use super::ConnId;

/// Why a socket went away, as its room is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetachReason {
    /// The client closed it with a close frame (a closed tab).
    Closed,
    /// It ended without a close frame, or the server closed it for a protocol reason.
    Dropped,
    /// The heartbeat monitor closed it: silent past the timeout.
    Silent,
}

impl DetachReason {
    fn away_reason(self) -> AwayReason {
        match self {
            DetachReason::Closed => AwayReason::Closed,
            DetachReason::Dropped => AwayReason::Dropped,
            DetachReason::Silent => AwayReason::Silent,
        }
    }
}

pub(super) fn error(code: ErrorCode, message: &str) -> ServerMessage {
    ServerMessage::Error {
        code,
        message: message.to_owned(),
    }
}

impl RoomCore {
    /// Starts an input: the deadlines due at `now` first.
    pub(super) fn begin(&mut self, now: i64) -> Out {
        let mut out = Out::none();
        self.due(now, &mut out);
        out
    }

    /// Whether `player_id` holds `seat`; a socket whose session does not is closed (4004).
    pub(super) fn seated(&self, out: &mut Out, conn: ConnId, seat: Seat, player_id: i64) -> bool {
        let seated = self.seat_is(seat, player_id);
        if !seated {
            out.now(Effect::Close {
                conn,
                code: CloseCode::RoomGone,
            });
        }
        seated
    }

    /// Whether socket `conn` holds `seat`; a socket that does not (one waiting on `conflict`)
    /// is told `SEAT_HELD_ELSEWHERE` and the seat is left as it is.
    pub(super) fn holds(&self, out: &mut Out, conn: ConnId, seat: Seat) -> bool {
        let holds = self.seats[seat.index()].holder() == Some(conn);
        if !holds {
            out.now(Effect::Send {
                conn,
                message: error(
                    ErrorCode::SeatHeldElsewhere,
                    "another connection holds this seat; send takeover to move it here",
                ),
            });
        }
        holds
    }

    /// The deadlines due at `now`, and nothing else (the room's timer, the abandoned-games sweep).
    pub fn tick(&mut self, now: i64) -> Out {
        let out = self.begin(now);
        self.finish(out, now)
    }

    /// Takes the second seat for `name` (its session's token `nonce`, expiring at
    /// `expires_at`). The answer comes from [`RoomCore::joined`] once the seat is committed.
    pub fn join(&mut self, name: String, nonce: String, expires_at: i64, now: i64) -> Out {
        let mut out = self.begin(now);
        if self.seats[1].player.is_some() || self.pending_join.is_some() {
            out.reply = Some(Reply::JoinRefused(ErrorCode::RoomFull));
        } else if self.phase() == Phase::Over {
            out.reply = Some(Reply::JoinRefused(ErrorCode::RoomClosed));
        } else {
            let away = self.timing.away_from(now, AwayReason::Joined);
            out.record(Record::Joined {
                seat: Seat::SECOND,
                name: name.clone(),
                nonce,
                at: now,
                expires_at,
                away,
            });
            self.pending_join = Some(PendingJoin { name, away });
        }
        self.finish(out, now)
    }

    /// The join's commit gave the new player `player_id`: the game starts.
    pub fn joined(&mut self, player_id: i64, now: i64) -> Out {
        let mut out = Out::none();
        if let Some(join) = self.pending_join.take() {
            let slot = &mut self.seats[1];
            slot.player = Some(Player {
                id: player_id,
                name: join.name.clone(),
            });
            slot.presence = Presence::Away(Absence {
                fields: join.away,
                abandoned: false,
                announced: false,
            });
            self.log.start();
            log::info!("room {}: second player joined; the game starts", self.code);
            if let Some(conn) = self.seats[0].holder() {
                out.send(
                    conn,
                    ServerMessage::PlayerJoined {
                        seat: Seat::SECOND,
                        name: join.name,
                    },
                );
                self.greet(&mut out, conn, Seat::FIRST, self.log.seq(), now);
            }
            out.reply = Some(Reply::Joined { player_id });
        }
        self.finish(out, now)
    }

    /// A commit failed: the room's memory may disagree with the database (the truth). Every
    /// socket is told to reconnect and the room unloads; the next request loads it back.
    pub fn commit_failed(&mut self) -> Out {
        let mut out = Out::none();
        for conn in self.conns() {
            out.now(Effect::Close {
                conn,
                code: CloseCode::RoomReloading,
            });
        }
        out.now(Effect::Unload);
        out
    }

    /// Socket `conn` said `hello` (or `takeover`) for `seat` with session player `player_id`.
    pub fn attach(
        &mut self,
        conn: ConnId,
        seat: Seat,
        player_id: i64,
        last_seq: u64,
        takeover: bool,
        now: i64,
    ) -> Out {
        let mut out = self.begin(now);
        if !self.seated(&mut out, conn, seat, player_id) {
            return self.finish(out, now);
        }
        let phase = self.phase();
        let slot = &mut self.seats[seat.index()];
        match slot.presence {
            Presence::Empty => out.now(Effect::Close {
                conn,
                code: CloseCode::RoomGone,
            }),
            Presence::Left { .. } => {
                out.now(Effect::Send {
                    conn,
                    message: error(ErrorCode::SessionRevoked, "you left this game"),
                });
                out.now(Effect::Close {
                    conn,
                    code: CloseCode::Left,
                });
            }
            Presence::Away(absence) => {
                let reason = absence.fields.reason;
                if reason != AwayReason::Joined {
                    out.now(Effect::Metric(Metric::ReconnectionAttempted));
                }
                if now >= absence.fields.return_by {
                    out.now(Effect::Send {
                        conn,
                        message: error(
                            ErrorCode::SessionExpired,
                            "this game session has expired: you were gone too long",
                        ),
                    });
                    out.now(Effect::Close {
                        conn,
                        code: CloseCode::SessionExpired,
                    });
                } else {
                    // A wait was about this seat if its absence was the abandonment; it is over.
                    let abandoned = absence.abandoned
                        || (phase == Phase::Playing && now >= absence.fields.abandon_at);
                    let wait_over = self.waited && abandoned;
                    out.record(Record::Back {
                        player_id,
                        wait_over,
                    });
                    slot.presence = Presence::Connected {
                        conn,
                        healthy: true,
                    };
                    if wait_over {
                        self.waited = false;
                    }
                    if reason != AwayReason::Joined {
                        let after_ms = now - absence.fields.since;
                        log::info!("room {}: {seat} is back after {after_ms} ms", self.code);
                        out.then(Effect::Metric(Metric::ReconnectionSucceeded { after_ms }));
                    }
                    self.greet(&mut out, conn, seat, last_seq, now);
                    self.announce_presence(&mut out, now, Some(seat));
                }
            }
            Presence::Connected { conn: holder, .. } if holder == conn => {
                self.greet(&mut out, conn, seat, last_seq, now);
            }
            Presence::Connected {
                conn: holder,
                healthy,
            } => {
                if takeover || !healthy {
                    if takeover {
                        log::info!("room {}: {seat} taken over by a new socket", self.code);
                        out.now(Effect::Metric(Metric::Takeover));
                        out.now(Effect::Send {
                            conn: holder,
                            message: ServerMessage::SessionMoved,
                        });
                    } else {
                        log::info!("room {}: {seat} replaces a silent socket", self.code);
                    }
                    out.now(Effect::Close {
                        conn: holder,
                        code: CloseCode::SessionMoved,
                    });
                    slot.presence = Presence::Connected {
                        conn,
                        healthy: true,
                    };
                    if slot.waiting.is_some_and(|w| w.conn == conn) {
                        slot.waiting = None;
                    }
                    self.greet(&mut out, conn, seat, last_seq, now);
                } else {
                    // One seat, one live connection (R6): the newcomer waits for `takeover`,
                    // or for the holder to go away.
                    slot.waiting = Some(Waiter { conn, last_seq });
                    out.now(Effect::Send {
                        conn,
                        message: ServerMessage::Conflict {
                            message: "this game is open in another tab or device; send \
                                      takeover to move it here"
                                .to_owned(),
                        },
                    });
                }
            }
        }
        self.finish(out, now)
    }

    /// Socket `conn` went away for `reason`. A seat's holder leaves the seat away (recorded),
    /// unless a socket waiting on `conflict` takes it over at once (a reloaded tab).
    pub fn detach(&mut self, conn: ConnId, reason: DetachReason, now: i64) -> Out {
        let mut out = self.begin(now);
        let Some(index) = self
            .seats
            .iter()
            .position(|slot| slot.conns().any(|c| c == conn))
        else {
            return self.finish(out, now);
        };
        let slot = &mut self.seats[index];
        let seat = slot.seat;
        if slot.waiting.is_some_and(|w| w.conn == conn) {
            slot.waiting = None;
        } else if let Some(waiter) = slot.waiting.take() {
            slot.presence = Presence::Connected {
                conn: waiter.conn,
                healthy: true,
            };
            self.greet(&mut out, waiter.conn, seat, waiter.last_seq, now);
        } else if let Some(player_id) = slot.player_id() {
            let away = self.timing.away_from(now, reason.away_reason());
            slot.presence = Presence::Away(Absence {
                fields: away,
                abandoned: false,
                announced: false,
            });
            log::info!("room {}: {seat} went away ({reason:?})", self.code);
            out.record(Record::Away { player_id, away });
            self.announce_presence(&mut out, now, Some(seat));
        }
        self.finish(out, now)
    }

    /// The heartbeat monitor's judgement of socket `conn`.
    pub fn health(&mut self, conn: ConnId, healthy: bool, now: i64) -> Out {
        let out = self.begin(now);
        for slot in &mut self.seats {
            if let Presence::Connected {
                conn: holder,
                healthy: h,
            } = &mut slot.presence
            {
                if *holder == conn {
                    *h = healthy;
                }
            }
        }
        self.finish(out, now)
    }
}
