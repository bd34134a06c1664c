//! Between hands and after the game: the break after a hand (nobody moves until both players
//! are ready or the break has passed) and the rematch (both players ask, either may decline;
//! the shell creates the new room). Neither is stored: a room loaded during a break takes the
//! break from its last entry's time, and offers and declines of a rematch are asked again after
//! a restart; the new room's code is stored once it exists.

use game::protocol::{ErrorCode, ServerMessage};
use game::{PlayerView, Seat};

use super::core::{Phase, RoomCore};
use super::effect::{Effect, Metric, Out, RematchAnswer, RematchStand, Reply};
use super::event::EventBody;
use super::seat::Presence;
use super::ConnId;

/// The break after hand `hand`: the next hand is dealt, but nobody moves before `until` unless
/// both seats are ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct HandBreak {
    pub(super) hand: u32,
    pub(super) until: i64,
    pub(super) ready: [bool; 2],
}

/// The rematch: who asked, who declined, and the new room once it exists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Rematch {
    pub(super) offered: [bool; 2],
    pub(super) declined: [bool; 2],
    pub(super) creating: bool,
    pub(super) room: Option<String>,
}

impl Rematch {
    fn stand(&self) -> RematchStand {
        let seats = |flags: [bool; 2]| {
            Seat::BOTH
                .into_iter()
                .filter(|s| flags[s.index()])
                .collect()
        };
        RematchStand {
            offered: seats(self.offered),
            declined: seats(self.declined),
        }
    }
}

impl RoomCore {
    /// The break in force: only while the game runs.
    pub(super) fn hand_break(&self) -> Option<&HandBreak> {
        self.hand_break
            .as_ref()
            .filter(|_| self.phase() == Phase::Playing)
    }

    /// Starts the break after the hand just scored (none when the break is configured off).
    pub(super) fn start_break(&mut self, hand: u32, ended_at: i64) {
        self.hand_break = (self.timing.hand_break_ms > 0).then_some(HandBreak {
            hand,
            until: ended_at.saturating_add(self.timing.hand_break_ms),
            ready: [false, false],
        });
    }

    /// A room loaded back: in a break if its last entry ended a hand and not the game.
    pub(super) fn resume_break(&mut self) {
        let Some(event) = self.log.events.last() else {
            return;
        };
        if let EventBody::Move(outcome) = &event.body {
            if let (Some(hand), None) = (&outcome.hand_result, &outcome.game_over) {
                self.start_break(hand.hand_number, event.at);
            }
        }
    }

    /// `seat`'s view: nobody is to move during a break.
    pub(super) fn view_for(&self, seat: Seat) -> Option<PlayerView> {
        let mut view = self.log.state.as_ref()?.view(seat);
        if self.hand_break().is_some() {
            view.to_move = None;
        }
        Some(view)
    }

    /// The `hand_break` message, while a break lasts.
    pub(super) fn break_message(&self) -> Option<ServerMessage> {
        self.hand_break().map(|b| ServerMessage::HandBreak {
            hand: b.hand,
            ready: Seat::BOTH
                .into_iter()
                .filter(|s| b.ready[s.index()])
                .collect(),
            next_hand_at: b.until,
        })
    }

    /// Sends `message` to every seat's holder.
    fn tell_both(&self, out: &mut Out, message: &ServerMessage) {
        for slot in &self.seats {
            if let Some(conn) = slot.holder() {
                out.send(conn, message.clone());
            }
        }
    }

    /// Ends the break: the hand in play is each seat's to see, with who is to move.
    pub(super) fn end_break(&mut self, out: &mut Out) {
        let Some(ended) = self.hand_break.take() else {
            return;
        };
        out.then(Effect::Metric(Metric::HandStarted {
            both_ready: ended.ready == [true, true],
        }));
        let Some(game) = self.log.state.as_ref() else {
            return;
        };
        log::debug!("room {}: hand {} starts", self.code, game.hand_number);
        for slot in &self.seats {
            if let Some(conn) = slot.holder() {
                out.send(
                    conn,
                    ServerMessage::HandStarted {
                        hand: game.hand_number,
                        view: game.view(slot.seat),
                    },
                );
            }
        }
    }

    /// The break's deadline, while one lasts.
    pub(super) fn break_deadline(&self) -> Option<i64> {
        self.hand_break().map(|b| b.until)
    }

    /// The player of `seat` is ready for the hand after `hand`. Both ready: it starts; a
    /// readiness for a break that is over, or said twice, is ignored. Only the socket holding
    /// the seat speaks for it: a second tab waiting on `conflict` is refused, like its moves.
    pub fn next_hand(
        &mut self,
        conn: ConnId,
        seat: Seat,
        player_id: i64,
        hand: u32,
        now: i64,
    ) -> Out {
        let mut out = self.begin(now);
        if !self.seated(&mut out, conn, seat, player_id) || !self.holds(&mut out, conn, seat) {
            return self.finish(out, now);
        }
        let playing = self.phase() == Phase::Playing;
        let both = match self.hand_break.as_mut() {
            Some(b) if b.hand == hand && playing && !b.ready[seat.index()] => {
                b.ready[seat.index()] = true;
                b.ready == [true, true]
            }
            _ => return self.finish(out, now),
        };
        if both {
            self.end_break(&mut out);
        } else if let Some(message) = self.break_message() {
            self.tell_both(&mut out, &message);
        }
        self.finish(out, now)
    }

    /// Why `seat`'s player may not ask for or decline a rematch now, if they may not.
    fn rematch_refusal(&self, seat: Seat, player_id: i64) -> Option<ErrorCode> {
        if !self.seat_is(seat, player_id) {
            Some(ErrorCode::NotSeated)
        } else if self.phase() != Phase::Over || self.log.state.is_none() {
            Some(ErrorCode::GameNotOver)
        } else {
            None
        }
    }

    /// The player of `seat` asks for a rematch of the finished game (clearing a decline). The
    /// reply says where it stands; once both have asked, the shell creates the room
    /// ([`RematchAnswer::Create`]), and asks while it does wait for it ([`RematchAnswer::Creating`]).
    pub fn rematch(&mut self, seat: Seat, player_id: i64, now: i64) -> Out {
        let mut out = self.begin(now);
        let answer = if let Some(code) = self.rematch_refusal(seat, player_id) {
            RematchAnswer::Refused(code)
        } else if let Some(room) = &self.rematch.room {
            RematchAnswer::Ready(room.clone())
        } else if self.rematch.creating {
            RematchAnswer::Creating
        } else if matches!(
            self.seats[seat.other().index()].presence,
            Presence::Left { .. }
        ) {
            RematchAnswer::Refused(ErrorCode::OpponentLeft)
        } else {
            let fresh = !self.rematch.offered[seat.index()];
            let changed = fresh || self.rematch.declined[seat.index()];
            self.rematch.offered[seat.index()] = true;
            self.rematch.declined[seat.index()] = false;
            if fresh {
                // A new offer is a new question: the other player's earlier no does not answer
                // it.
                self.rematch.declined[seat.other().index()] = false;
            }
            if self.rematch.offered == [true, true] {
                self.rematch.creating = true;
                log::info!("room {}: both players asked for a rematch", self.code);
                // Seats swapped: the new room's first dealer is the other player.
                RematchAnswer::Create {
                    names: [self.name_of(Seat::SECOND), self.name_of(Seat::FIRST)],
                }
            } else {
                if changed {
                    self.tell_both(&mut out, &self.rematch_message());
                }
                RematchAnswer::Offered(self.rematch.stand())
            }
        };
        out.reply = Some(Reply::Rematch(answer));
        self.finish(out, now)
    }

    /// The player of `seat` does not want a rematch (now): their offer, if any, is withdrawn
    /// and the seat marked declined until it asks again. Refused once the room is made or
    /// being made (`REMATCH_MADE`).
    pub fn decline_rematch(&mut self, seat: Seat, player_id: i64, now: i64) -> Out {
        let mut out = self.begin(now);
        let answer = if let Some(code) = self.rematch_refusal(seat, player_id) {
            RematchAnswer::Refused(code)
        } else if self.rematch.room.is_some() || self.rematch.creating {
            RematchAnswer::Refused(ErrorCode::RematchMade)
        } else {
            let changed =
                self.rematch.offered[seat.index()] || !self.rematch.declined[seat.index()];
            self.rematch.offered[seat.index()] = false;
            self.rematch.declined[seat.index()] = true;
            if changed {
                log::info!("room {}: {seat} declined a rematch", self.code);
                self.tell_both(&mut out, &self.rematch_message());
            }
            RematchAnswer::Offered(self.rematch.stand())
        };
        out.reply = Some(Reply::Rematch(answer));
        self.finish(out, now)
    }

    /// The name of `seat`'s player (empty for an empty seat).
    fn name_of(&self, seat: Seat) -> String {
        self.seats[seat.index()]
            .player
            .as_ref()
            .map(|p| p.name.clone())
            .unwrap_or_default()
    }

    /// The shell created the rematch's room `room`: both players are told.
    pub fn rematch_created(&mut self, room: String, now: i64) -> Out {
        let mut out = Out::none();
        self.rematch.creating = false;
        self.rematch.room = Some(room.clone());
        out.now(Effect::Metric(Metric::Rematch));
        self.tell_both(&mut out, &self.rematch_message());
        out.reply = Some(Reply::Rematch(RematchAnswer::Ready(room)));
        self.finish(out, now)
    }

    /// The rematch's room could not be created: a later ask tries again.
    pub fn rematch_failed(&mut self) {
        self.rematch.creating = false;
    }

    /// The rematch's room, once made.
    pub fn rematch_room(&self) -> Option<&str> {
        self.rematch.room.as_deref()
    }

    /// Whether the shell is creating the rematch's room.
    pub fn rematch_creating(&self) -> bool {
        self.rematch.creating
    }

    /// The `rematch` message as things stand.
    pub(super) fn rematch_message(&self) -> ServerMessage {
        let RematchStand { offered, declined } = self.rematch.stand();
        ServerMessage::Rematch {
            offered,
            room: self.rematch.room.clone(),
            declined,
        }
    }

    /// Whether anything about a rematch is to tell (after a `welcome` of a finished room).
    pub(super) fn rematch_pending(&self) -> bool {
        self.rematch.room.is_some()
            || self.rematch.offered.contains(&true)
            || self.rematch.declined.contains(&true)
    }

    /// `conn` is told the break or the rematch as they stand (after its `welcome`).
    pub(super) fn greet_interlude(&self, out: &mut Out, conn: ConnId) {
        if let Some(message) = self.break_message() {
            out.send(conn, message);
        }
        if self.phase() == Phase::Over && self.rematch_pending() {
            out.send(conn, self.rematch_message());
        }
    }

    /// Sends the break's `hand_break` after the event that started it.
    pub(super) fn announce_break(&self, out: &mut Out) {
        if let Some(message) = self.break_message() {
            self.tell_both(out, &message);
        }
    }
}
