//! The rematch in the room actor: asks and declines go to the room core; once both players
//! asked, the actor creates the new room, and every ask that arrives while it does waits for it,
//! so each ask after both asked is answered with the asker's seat in the new room.

use actix::prelude::*;
use tokio::sync::oneshot;

use super::room::{RoomActor, State};
use super::room_messages::{AskRematch, DeclineRematch, RematchRefused, RematchState, Seated};
use super::RoomError;
use crate::clock;
use crate::config::Config;
use crate::room::{AwayReason, RematchAnswer, RematchStand, Reply};
use crate::store::rematch::{self as rematch_store, NewRematch, RematchSeat};
use crate::store::rooms::{self as room_store, Issuer};
use crate::store::StoreError;

/// What an ask waiting for the rematch's room is told: its code, or why it was not made.
pub(super) type RematchCreated = Result<String, RematchRefused>;

type RematchReply = ResponseActFuture<RoomActor, Result<RematchState, RematchRefused>>;

impl Handler<AskRematch> for RoomActor {
    type Result = RematchReply;

    fn handle(&mut self, msg: AskRematch, ctx: &mut Self::Context) -> Self::Result {
        if !matches!(self.state, State::Ready(_)) {
            let refusal = RematchRefused::Room(self.refusal());
            return Box::pin(fut::ready(Err(refusal)));
        }
        let (tx, rx) = oneshot::channel();
        self.feed(ctx, Some(tx), |core, now| {
            core.rematch(msg.seat, msg.player_id, now)
        });
        // The player's seat in the new room is the other one: the seats are swapped.
        let new_seat = msg.seat.other();
        Box::pin(
            rx.into_actor(self)
                .then(move |answer, act, ctx| act.answer_ask(answer.ok(), new_seat, ctx)),
        )
    }
}

impl Handler<DeclineRematch> for RoomActor {
    type Result = ResponseFuture<Result<RematchStand, RematchRefused>>;

    fn handle(&mut self, msg: DeclineRematch, ctx: &mut Self::Context) -> Self::Result {
        if !matches!(self.state, State::Ready(_)) {
            let refusal = RematchRefused::Room(self.refusal());
            return Box::pin(async move { Err(refusal) });
        }
        let (tx, rx) = oneshot::channel();
        self.feed(ctx, Some(tx), |core, now| {
            core.decline_rematch(msg.seat, msg.player_id, now)
        });
        Box::pin(async move {
            match rx.await {
                Ok(Reply::Rematch(RematchAnswer::Offered(stand))) => Ok(stand),
                Ok(Reply::Rematch(RematchAnswer::Refused(code))) => {
                    Err(RematchRefused::from_code(code))
                }
                _ => Err(RematchRefused::Room(RoomError::Unavailable)),
            }
        })
    }
}

impl RoomActor {
    /// Carries out the core's answer to an ask by the player who gets `new_seat`.
    fn answer_ask(
        &mut self,
        answer: Option<Reply>,
        new_seat: game::Seat,
        ctx: &mut Context<Self>,
    ) -> RematchReply {
        match answer {
            Some(Reply::Rematch(RematchAnswer::Create { names })) => {
                self.create_rematch(names, ctx);
                self.wait_for_rematch(new_seat)
            }
            Some(Reply::Rematch(RematchAnswer::Creating)) => self.wait_for_rematch(new_seat),
            Some(Reply::Rematch(RematchAnswer::Ready(code))) => {
                self.seat_in_rematch(Ok(code), new_seat)
            }
            Some(Reply::Rematch(RematchAnswer::Offered(stand))) => {
                Box::pin(fut::ready(Ok(RematchState::Offered(stand))))
            }
            Some(Reply::Rematch(RematchAnswer::Refused(code))) => {
                Box::pin(fut::ready(Err(RematchRefused::from_code(code))))
            }
            _ => Box::pin(fut::ready(Err(RematchRefused::Room(
                RoomError::Unavailable,
            )))),
        }
    }

    /// Waits for the rematch's room being created, then seats the asker in `seat` of it. The
    /// room may exist already (made between the core's answer and now), or its creation may
    /// have failed: then the asker hears so at once.
    fn wait_for_rematch(&mut self, seat: game::Seat) -> RematchReply {
        let State::Ready(core) = &self.state else {
            let refusal = RematchRefused::Room(self.refusal());
            return Box::pin(fut::ready(Err(refusal)));
        };
        if let Some(room) = core.rematch_room() {
            let room = room.to_owned();
            return self.seat_in_rematch(Ok(room), seat);
        }
        if !core.rematch_creating() {
            let refusal = RematchRefused::Room(RoomError::Unavailable);
            return Box::pin(fut::ready(Err(refusal)));
        }
        let (tx, rx) = oneshot::channel();
        self.rematch_waiters.push(tx);
        Box::pin(rx.into_actor(self).then(move |created, act, _ctx| {
            let created = created.unwrap_or(Err(RematchRefused::Room(RoomError::Unavailable)));
            act.seat_in_rematch(created, seat)
        }))
    }

    /// Creates the rematch's room for `names` (by new seat), tells the core its code (or that
    /// it failed) and answers every ask waiting for it.
    fn create_rematch(&mut self, names: [String; 2], ctx: &mut Context<Self>) {
        let State::Ready(core) = &self.state else {
            return;
        };
        let (db, finished_room, ruleset) = (self.deps.db.clone(), core.id(), core.ruleset());
        let away = self
            .deps
            .config
            .room_timing()
            .away_from(clock::now_ms(), AwayReason::Joined);
        let session_ttl_ms = Config::ms(self.deps.config.session_ttl_ms);
        let created = async move {
            let (seed, salt) = room_store::new_deal();
            let new = NewRematch {
                finished_room,
                names: [&names[0], &names[1]],
                ruleset,
                seed,
                salt,
                away,
                session_ttl_ms,
            };
            rematch_store::create_rematch(&db, new).await
        };
        // Off the actor: a commit it waits for meanwhile (`ctx.wait`) would stop this future
        // while it holds SQLite's one writer connection, and the commit needs that connection.
        let created = actix::spawn(created);
        ctx.spawn(
            created
                .into_actor(self)
                .map(|created, act, ctx| act.rematch_made(created.ok(), ctx)),
        );
    }

    /// The rematch's room was made (its code), or not (`None`: the task creating it stopped):
    /// the core is told, and every ask waiting for it answered.
    fn rematch_made(
        &mut self,
        created: Option<Result<String, StoreError>>,
        ctx: &mut Context<Self>,
    ) {
        let created = match created {
            Some(Ok(code)) => {
                log::info!("room {}: rematch in room {code}", self.code);
                let room = code.clone();
                self.feed(ctx, None, move |core, now| core.rematch_created(room, now));
                Ok(code)
            }
            failed => {
                let refusal = match failed {
                    Some(Err(err)) => {
                        log::error!("room {}: the rematch's room was not made: {err}", self.code);
                        RoomError::from(err)
                    }
                    _ => {
                        log::error!("room {}: the rematch's room was not made", self.code);
                        RoomError::Unavailable
                    }
                };
                if let State::Ready(core) = &mut self.state {
                    core.rematch_failed();
                }
                Err(RematchRefused::Room(refusal))
            }
        };
        for waiter in self.rematch_waiters.drain(..) {
            let _ = waiter.send(created.clone());
        }
    }

    /// The session of `seat` in the rematch's room `created`: the seat's one live session (the
    /// same token on every ask).
    fn seat_in_rematch(&mut self, created: RematchCreated, seat: game::Seat) -> RematchReply {
        let (db, signer) = (self.deps.db.clone(), self.deps.signer.clone());
        let ttl_ms = Config::ms(self.deps.config.session_ttl_ms);
        // Off the actor, for the reason `create_rematch` gives.
        let seated = actix::spawn(async move {
            let code = created?;
            let issuer = Issuer {
                signer: &signer,
                ttl_ms,
            };
            let found = rematch_store::rematch_session(&db, &code, seat, &issuer)
                .await
                .map_err(|err| RematchRefused::Room(err.into()))?;
            let seated = match found {
                RematchSeat::Seated(seated) => seated,
                RematchSeat::Left => return Err(RematchRefused::Left),
                RematchSeat::Missing => return Err(RematchRefused::Room(RoomError::NotFound)),
            };
            Ok(RematchState::Seated(Seated {
                room: code,
                seat,
                player_id: seated.player_id,
                token: seated.token,
                expires_at: seated.expires_at,
            }))
        });
        Box::pin(
            async move {
                seated
                    .await
                    .unwrap_or(Err(RematchRefused::Room(RoomError::Unavailable)))
            }
            .into_actor(self),
        )
    }
}
