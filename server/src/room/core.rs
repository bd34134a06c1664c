//! [`RoomCore`]: the state of one room and the decisions about it. Loading, queries and the
//! deadlines live here; the inputs are in `inputs.rs`.

use game::protocol::{
    AbandonOption, DealReveal, RoomFacts, RoomStatus, SeatInfo, SeatPresence, ServerMessage,
    PROTOCOL_VERSION,
};
use game::{GameState, Seat};

use super::effect::Out;
use super::event::Ending;
use super::game_log::GameLog;
use super::interlude::{HandBreak, Rematch};
use super::record::{AwayFields, AwayReason, Record};
use super::seat::{Absence, Player, Presence, SeatSlot};
use super::stored::StoredRoom;
use super::{ConnId, Timing};

/// Where the room is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// One seat taken, waiting for the second player.
    Waiting,
    /// The game runs.
    Playing,
    /// Over: played out, claimed, abandoned, or closed before it started.
    Over,
}

/// A join waiting for its commit.
#[derive(Debug, Clone)]
pub(super) struct PendingJoin {
    pub(super) name: String,
    pub(super) away: AwayFields,
}

/// One room: its game and log, both seats, every deadline and the abandonment decision.
#[derive(Debug)]
pub struct RoomCore {
    pub(super) id: i64,
    pub(super) code: String,
    pub(super) timing: Timing,
    pub(super) seats: [SeatSlot; 2],
    pub(super) log: GameLog,
    /// Closed before a game started (the creator left or never came back).
    pub(super) closed: bool,
    /// The player who stayed chose to wait for the absent one.
    pub(super) waited: bool,
    pub(super) pending_join: Option<PendingJoin>,
    /// The salt of the deal commitment, and the commitment sent in every `welcome`.
    deal: Option<(String, String)>,
    pub(super) scheduled: Option<i64>,
    pub(super) idle_since: Option<i64>,
    /// The break after a hand, while it lasts.
    pub(super) hand_break: Option<HandBreak>,
    /// The rematch, once asked for.
    pub(super) rematch: Rematch,
}

impl RoomCore {
    /// Rebuilds a room from what was committed, at `now`: replays the log through the rules
    /// engine and takes every deadline as stored. A seat of an unfinished room with no record of
    /// going away was connected when the server stopped: it is away from `now`, and that is
    /// recorded. Errors describe stored data that does not make sense.
    pub fn load(stored: StoredRoom, timing: Timing, now: i64) -> Result<(RoomCore, Out), String> {
        let mut seats = [SeatSlot::empty(Seat::FIRST), SeatSlot::empty(Seat::SECOND)];
        for row in &stored.seats {
            let slot = &mut seats[row.seat.index()];
            slot.player = Some(Player {
                id: row.player_id,
                name: row.name.clone(),
            });
            slot.presence = match (row.left_at, row.away) {
                (Some(at), away) => Presence::Left {
                    at,
                    return_by: away.map_or(at + timing.return_ms, |a| a.return_by),
                },
                (None, Some(away)) => Presence::Away(Absence {
                    fields: AwayFields {
                        since: away.since,
                        reason: away.reason,
                        abandon_at: away.abandon_at,
                        return_by: away.return_by,
                    },
                    abandoned: away.abandoned_at.is_some(),
                    announced: now - away.since >= timing.temporarily_ms,
                }),
                (None, None) => Presence::Empty,
            };
        }
        let mut log = GameLog::new(stored.ruleset, stored.seed);
        if seats.iter().all(|s| s.player.is_some()) {
            log.start();
        }
        let seat_of = |id: i64| {
            seats
                .iter()
                .find(|s| s.player_id() == Some(id))
                .map(|s| s.seat)
        };
        log.replay(&stored.log, seat_of)?;
        for row in &stored.rejected {
            if let Some(seat) = seat_of(row.player_id) {
                log.remember_rejection(row, seat);
            }
        }
        for problem in log.integrity_problems() {
            log::error!("integrity: room {} after rebuild: {problem}", stored.code);
        }
        let deal = stored
            .salt
            .map(|salt| (game::fairness::commitment(stored.seed, &salt), salt));
        let mut core = RoomCore {
            id: stored.id,
            deal,
            code: stored.code,
            timing,
            seats,
            log,
            closed: stored.closed,
            waited: stored.waited,
            pending_join: None,
            scheduled: None,
            idle_since: None,
            hand_break: None,
            rematch: Rematch {
                room: stored.rematch,
                ..Rematch::default()
            },
        };
        core.resume_break();
        let mut out = Out::none();
        let unfinished = core.phase() != Phase::Over;
        for seat in Seat::BOTH {
            let slot = &mut core.seats[seat.index()];
            let Some(player_id) = slot.player_id() else {
                continue;
            };
            if slot.presence != Presence::Empty {
                continue;
            }
            let away = timing.away_from(now, AwayReason::Dropped);
            slot.presence = Presence::Away(Absence {
                fields: away,
                abandoned: false,
                announced: false,
            });
            if unfinished {
                out.record(Record::Away { player_id, away });
            }
        }
        core.due(now, &mut out);
        let out = core.finish(out, now);
        Ok((core, out))
    }

    /// The room's database id.
    pub fn id(&self) -> i64 {
        self.id
    }

    /// The rules variant of the room's game.
    pub fn ruleset(&self) -> game::Ruleset {
        self.log.ruleset
    }

    /// The room's code.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Where the room is in its life.
    pub fn phase(&self) -> Phase {
        if self.closed || self.log.is_over() {
            Phase::Over
        } else if self.log.state.is_some() {
            Phase::Playing
        } else {
            Phase::Waiting
        }
    }

    /// The public facts (`GET /api/rooms/{code}`).
    pub fn facts(&self) -> RoomFacts {
        let status = match self.phase() {
            Phase::Waiting => RoomStatus::Waiting,
            Phase::Playing => RoomStatus::Playing,
            Phase::Over if self.closed => RoomStatus::Abandoned,
            Phase::Over => match self.log.ending {
                Some(Ending::Abandoned { .. }) => RoomStatus::Abandoned,
                _ => RoomStatus::Finished,
            },
        };
        let over = self.log.final_result();
        let hands = match (&over, self.log.state.as_ref()) {
            (Some(_), Some(state)) => state.hand_results.clone(),
            _ => Vec::new(),
        };
        // The game ended with its last logged event; a Leave after that says nothing of why.
        let ended_at = over
            .as_ref()
            .map(|_| self.log.events.last().map_or(i64::MAX, |e| e.at));
        let left = self
            .seats
            .iter()
            .filter(|slot| match (slot.presence, ended_at) {
                (Presence::Left { at, .. }, Some(end)) => at <= end,
                _ => false,
            })
            .map(|slot| slot.seat)
            .collect();
        let (result, end_reason) = over.map_or((None, None), |(r, e)| (Some(r), Some(e)));
        RoomFacts {
            room: self.code.clone(),
            status,
            players: self.players(),
            variants: self
                .log
                .ruleset
                .variants()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            result,
            end_reason,
            hands,
            left,
        }
    }

    /// Per seat with a player: the socket holding it and whether the heartbeat monitor last
    /// reported it healthy.
    pub fn seat_health(&self) -> Vec<(Seat, Option<(ConnId, bool)>)> {
        self.seats
            .iter()
            .filter(|slot| slot.player.is_some())
            .map(|slot| {
                let held = match slot.presence {
                    Presence::Connected { conn, healthy } => Some((conn, healthy)),
                    _ => None,
                };
                (slot.seat, held)
            })
            .collect()
    }

    /// Every socket the room knows.
    pub fn conns(&self) -> Vec<ConnId> {
        self.seats.iter().flat_map(SeatSlot::conns).collect()
    }

    /// The game (for tests and the integrity check).
    pub fn game(&self) -> Option<&GameState> {
        self.log.state.as_ref()
    }

    /// Where `seat`'s player is.
    pub fn presence_of(&self, seat: Seat) -> Presence {
        self.seats[seat.index()].presence
    }

    /// Seated players, for `welcome` and room facts.
    pub(super) fn players(&self) -> Vec<SeatInfo> {
        self.seats
            .iter()
            .filter_map(|slot| {
                slot.player.as_ref().map(|p| SeatInfo {
                    seat: slot.seat,
                    name: p.name.clone(),
                })
            })
            .collect()
    }

    /// Whether `player_id` holds `seat`.
    pub(super) fn seat_is(&self, seat: Seat, player_id: i64) -> bool {
        self.seats[seat.index()].player_id() == Some(player_id)
    }

    /// Both seats' presence at `now`.
    pub(super) fn presence(&self, now: i64) -> Vec<SeatPresence> {
        self.seats
            .iter()
            .map(|slot| slot.wire(now, self.timing.temporarily_ms))
            .collect()
    }

    /// Tells every connected seat but `except` both seats' presence (after the commit).
    pub(super) fn announce_presence(&self, out: &mut Out, now: i64, except: Option<Seat>) {
        let seats = self.presence(now);
        for slot in &self.seats {
            if Some(slot.seat) == except {
                continue;
            }
            if let Some(conn) = slot.holder() {
                out.send(
                    conn,
                    ServerMessage::Presence {
                        seats: seats.clone(),
                    },
                );
            }
        }
    }

    /// Whether `seat`'s player abandoned the running game at `now`: left, or away past the
    /// abandonment deadline.
    pub(super) fn abandoned(&self, seat: Seat, now: i64) -> bool {
        if self.phase() != Phase::Playing {
            return false;
        }
        match self.seats[seat.index()].presence {
            Presence::Left { .. } => true,
            Presence::Away(a) => a.abandoned || now >= a.fields.abandon_at,
            _ => false,
        }
    }

    /// The `abandoned` offer for `seat`, whose opponent abandoned the game.
    pub(super) fn offer(&self, seat: Seat, now: i64) -> Option<ServerMessage> {
        let other = seat.other();
        if !self.abandoned(other, now) {
            return None;
        }
        let (since, return_by, left) = match self.seats[other.index()].presence {
            Presence::Left { at, return_by } => (at, return_by, true),
            Presence::Away(a) => (a.fields.since, a.fields.return_by, false),
            _ => return None,
        };
        let options = if self.waited || left {
            vec![AbandonOption::ClaimVictory]
        } else {
            vec![AbandonOption::Wait, AbandonOption::ClaimVictory]
        };
        Some(ServerMessage::Abandoned {
            options,
            opponent_gone_since: since,
            return_by,
            waiting: self.waited,
        })
    }

    /// The complete state for `seat` (SPEC R4), then the result or the abandonment offer.
    pub(super) fn greet(&self, out: &mut Out, conn: ConnId, seat: Seat, last_seq: u64, now: i64) {
        let view = self.view_for(seat);
        let (missed, summary) = self.log.missed(seat, last_seq);
        out.send(
            conn,
            ServerMessage::Welcome {
                protocol: PROTOCOL_VERSION,
                room: self.code.clone(),
                you: seat,
                players: self.players(),
                your_turn: view.as_ref().is_some_and(|v| v.is_my_turn()),
                view,
                seq: self.log.seq(),
                missed,
                summary,
                presence: self.presence(now),
                deal_commitment: self.deal.as_ref().map(|(commitment, _)| commitment.clone()),
                seat_kept_ms: u64::try_from(self.timing.return_ms).unwrap_or(0),
            },
        );
        if let Some((result, reason)) = self.log.final_result() {
            out.send(
                conn,
                ServerMessage::GameOver {
                    result,
                    reason,
                    deal: self.reveal(),
                },
            );
        } else if let Some(offer) = self.offer(seat, now) {
            out.send(conn, offer);
        }
        self.greet_interlude(out, conn);
    }

    /// The deal's seed and salt, to tell once the game is over.
    fn reveal(&self) -> Option<DealReveal> {
        self.deal.as_ref().map(|(_, salt)| DealReveal {
            seed: self.log.seed().to_string(),
            salt: salt.clone(),
        })
    }

    /// Sends the log's last entry to both connected seats, and `game_over` if it ended the game.
    pub(super) fn broadcast_last_event(&self, out: &mut Out) {
        let over = self.log.final_result();
        for slot in &self.seats {
            let Some(conn) = slot.holder() else {
                continue;
            };
            if let Some(mut event) = self.log.last_event_for(slot.seat) {
                if let (ServerMessage::Event { view, .. }, Some(_)) =
                    (&mut event, self.hand_break())
                {
                    view.to_move = None;
                }
                out.send(conn, event);
            }
            if let Some((result, reason)) = &over {
                out.send(
                    conn,
                    ServerMessage::GameOver {
                        result: result.clone(),
                        reason: *reason,
                        deal: self.reveal(),
                    },
                );
            }
        }
    }
}

impl Timing {
    /// An absence starting at `now` for `reason`, with its deadlines.
    pub fn away_from(&self, now: i64, reason: AwayReason) -> AwayFields {
        AwayFields {
            since: now,
            reason,
            abandon_at: now.saturating_add(self.abandon_ms),
            return_by: now.saturating_add(self.return_ms),
        }
    }
}
