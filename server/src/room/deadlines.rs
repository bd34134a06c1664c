//! The deadlines of a room: "temporarily disconnected" announcements, the abandonment of a
//! running game, the end of a return window, unloading an idle room, and the next tick.

use super::core::{Phase, RoomCore};
use super::effect::{Effect, Metric, Out};
use super::event::Ending;
use super::record::{Record, RoomEnd};
use super::seat::Presence;
use game::Seat;

impl RoomCore {
    /// Passes every deadline due at `now`: "temporarily disconnected" announcements, the
    /// abandonment of a running game, and the end of a return window (the game ends, the player
    /// who stayed winning; a waiting room closes).
    pub(super) fn due(&mut self, now: i64, out: &mut Out) {
        let phase = self.phase();
        let mut announce = false;
        for index in 0..2 {
            let Presence::Away(absence) = &mut self.seats[index].presence else {
                continue;
            };
            if !absence.announced && now - absence.fields.since >= self.timing.temporarily_ms {
                absence.announced = true;
                announce = true;
            }
            if phase == Phase::Playing && !absence.abandoned && now >= absence.fields.abandon_at {
                absence.abandoned = true;
                let at = absence.fields.abandon_at;
                if let Some(player_id) = self.seats[index].player_id() {
                    log::info!("room {}: seat {index} abandoned the game", self.code);
                    out.record(Record::Abandoned { player_id, at });
                    out.then(Effect::Metric(Metric::GameAbandoned));
                    let stayer = &self.seats[1 - index];
                    if let (Some(conn), Some(offer)) =
                        (stayer.holder(), self.offer(stayer.seat, now))
                    {
                        out.send(conn, offer);
                    }
                }
            }
        }
        let expired = self
            .seats
            .iter()
            .filter_map(|slot| slot.return_by().map(|at| (at, slot.seat)))
            .filter(|(at, _)| now >= *at)
            .min();
        match (phase, expired) {
            (Phase::Playing, Some((_, absent))) => self.end_abandoned(absent, now, out),
            (Phase::Waiting, Some((_, seat))) => {
                log::info!("room {}: closed: {seat} never came back", self.code);
                self.closed = true;
                out.record(Record::Finished {
                    end: RoomEnd::Abandoned,
                    winner: None,
                    at: now,
                });
            }
            _ => {}
        }
        if announce {
            self.announce_presence(out, now, None);
        }
        if self.break_deadline().is_some_and(|until| now >= until) {
            self.end_break(out);
        }
    }

    /// Ends the running game: `absent` did not come back in time. The other seat wins unless it
    /// abandoned the game too.
    fn end_abandoned(&mut self, absent: Seat, now: i64, out: &mut Out) {
        let other = absent.other();
        let winner = (!self.abandoned(other, now)).then_some(other);
        let Some(player_id) = self.seats[absent.index()].player_id() else {
            return;
        };
        log::info!(
            "room {}: {absent} did not come back; the game ends (winner {winner:?})",
            self.code
        );
        let seq = self.log.end(Ending::Abandoned { absent, winner }, now);
        out.record(Record::Expired {
            seq,
            player_id,
            winner,
            at: now,
        });
        out.record(Record::Finished {
            end: RoomEnd::Abandoned,
            winner,
            at: now,
        });
        self.broadcast_last_event(out);
    }

    /// Ends every input: unload once nobody has held the room for a while, and ask for a tick
    /// at the next deadline.
    pub(super) fn finish(&mut self, mut out: Out, now: i64) -> Out {
        let quiet = self.conns().is_empty() && self.pending_join.is_none();
        self.idle_since = if quiet {
            Some(self.idle_since.unwrap_or(now))
        } else {
            None
        };
        let unload_at = self.idle_since.map(|since| since + self.timing.unload_ms);
        if unload_at.is_some_and(|at| now >= at) {
            log::debug!("room {}: nobody here; unloaded", self.code);
            out.then(Effect::Unload);
            return out;
        }
        let next = self
            .next_deadline()
            .into_iter()
            .chain(unload_at)
            .chain(self.break_deadline())
            .min();
        if next != self.scheduled {
            self.scheduled = next;
            out.then(Effect::Schedule(next));
        }
        out
    }

    /// The next time something is due: an announcement, an abandonment, a return window.
    fn next_deadline(&self) -> Option<i64> {
        let phase = self.phase();
        self.seats
            .iter()
            .flat_map(|slot| {
                let mut at = Vec::new();
                if let Presence::Away(a) = slot.presence {
                    if !a.announced {
                        at.push(a.fields.since + self.timing.temporarily_ms);
                    }
                    if phase == Phase::Playing && !a.abandoned {
                        at.push(a.fields.abandon_at);
                    }
                }
                if phase != Phase::Over {
                    at.extend(slot.return_by());
                }
                at
            })
            .min()
    }
}
