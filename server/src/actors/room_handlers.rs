//! The messages a [`RoomActor`] handles: each feeds one input to the room core (or reads it) and
//! leaves the rest to the shell.

use actix::prelude::*;
use game::protocol::{CloseCode, ErrorCode};
use tokio::sync::oneshot;

use super::heartbeat::Health;
use super::lease_keeper::Forget;
use super::outbox::Outbox;
use super::room::{RoomActor, State};
use super::room_messages::*;
use super::RoomError;
use crate::clock;
use crate::config::Config;
use crate::room::{Proposal, Reply, RoomCore};
use crate::token::TokenSigner;

impl Handler<GetRoomInfo> for RoomActor {
    type Result = Result<RoomFacts, RoomError>;

    fn handle(&mut self, _msg: GetRoomInfo, _ctx: &mut Self::Context) -> Self::Result {
        let State::Ready(core) = &self.state else {
            return Err(self.refusal());
        };
        Ok(core.facts())
    }
}

impl Handler<GetSeatHealth> for RoomActor {
    type Result = Result<Vec<SeatHealth>, RoomError>;

    fn handle(&mut self, _msg: GetSeatHealth, _ctx: &mut Self::Context) -> Self::Result {
        let State::Ready(core) = &self.state else {
            return Err(self.refusal());
        };
        Ok(core
            .seat_health()
            .into_iter()
            .map(|(seat, held)| SeatHealth {
                seat,
                health: match held {
                    Some((_, true)) => Health::Healthy,
                    Some((_, false)) => Health::Unhealthy,
                    None => Health::Disconnected,
                },
                last_heartbeat: held
                    .and_then(|(conn, _)| self.sockets.get(&conn))
                    .map(Outbox::last_beat),
            })
            .collect())
    }
}

impl Handler<JoinSeat> for RoomActor {
    type Result = ResponseFuture<Result<Seated, RoomError>>;

    fn handle(&mut self, msg: JoinSeat, ctx: &mut Self::Context) -> Self::Result {
        if !matches!(self.state, State::Ready(_)) {
            let refusal = self.refusal();
            return Box::pin(async move { Err(refusal) });
        }
        let (tx, rx) = oneshot::channel();
        let now = clock::now_ms();
        let ttl = Config::ms(self.deps.config.session_ttl_ms);
        let nonce = TokenSigner::new_nonce();
        let expires_at = now.saturating_add(ttl);
        let name = msg.name;
        let (joiner, session_nonce) = (name.clone(), nonce.clone());
        self.feed(ctx, Some(tx), move |core, now| {
            core.join(joiner, session_nonce, expires_at, now)
        });
        let (signer, code) = (self.deps.signer.clone(), self.code.clone());
        Box::pin(async move {
            match rx.await {
                Ok(Reply::Joined { player_id }) => {
                    let token =
                        signer.issue_with_nonce(&code, player_id, &name, now, expires_at, nonce);
                    Ok(Seated {
                        room: code,
                        seat: game::Seat::SECOND,
                        player_id,
                        token,
                        expires_at,
                    })
                }
                Ok(Reply::JoinRefused(ErrorCode::RoomClosed)) => Err(RoomError::Closed),
                Ok(_) => Err(RoomError::Full),
                Err(_) => Err(RoomError::Storage(
                    "the seat could not be stored".to_owned(),
                )),
            }
        })
    }
}

impl Handler<Attach> for RoomActor {
    type Result = ();

    fn handle(&mut self, msg: Attach, ctx: &mut Self::Context) {
        if !matches!(self.state, State::Ready(_)) {
            let code = match self.state {
                State::Missing => CloseCode::RoomGone,
                _ => CloseCode::RoomReloading,
            };
            return msg.outbox.close(code);
        }
        let conn = msg.outbox.conn_id;
        self.sockets.insert(conn, msg.outbox);
        self.feed(ctx, None, |core, now| {
            core.attach(
                conn,
                msg.seat,
                msg.player_id,
                msg.last_seq,
                msg.takeover,
                now,
            )
        });
    }
}

impl Handler<Detach> for RoomActor {
    type Result = ();

    fn handle(&mut self, msg: Detach, ctx: &mut Self::Context) {
        self.sockets.remove(&msg.conn_id);
        self.feed(ctx, None, |core, now| {
            core.detach(msg.conn_id, msg.reason, now)
        });
    }
}

impl Handler<SocketHealth> for RoomActor {
    type Result = ();

    fn handle(&mut self, msg: SocketHealth, ctx: &mut Self::Context) {
        self.feed(ctx, None, |core, now| {
            core.health(msg.conn_id, msg.healthy, now)
        });
    }
}

impl Handler<SubmitAction> for RoomActor {
    type Result = ();

    fn handle(&mut self, msg: SubmitAction, ctx: &mut Self::Context) {
        log::debug!(
            "room {}: {} proposes {}",
            self.code,
            msg.seat,
            msg.action_id
        );
        let proposal = Proposal {
            conn: msg.conn_id,
            seat: msg.seat,
            player_id: msg.player_id,
            action_id: msg.action_id,
            mv: msg.mv,
        };
        self.feed(ctx, None, |core, now| core.propose(proposal, now));
    }
}

impl Handler<Leave> for RoomActor {
    type Result = ();

    fn handle(&mut self, msg: Leave, ctx: &mut Self::Context) {
        self.feed(ctx, None, |core, now| {
            core.leave(msg.conn_id, msg.seat, msg.player_id, now)
        });
    }
}

impl Handler<WaitForOpponent> for RoomActor {
    type Result = ();

    fn handle(&mut self, msg: WaitForOpponent, ctx: &mut Self::Context) {
        self.feed(ctx, None, |core, now| {
            core.wait(msg.conn_id, msg.seat, msg.player_id, now)
        });
    }
}

impl Handler<ClaimVictory> for RoomActor {
    type Result = ResponseFuture<Result<ClaimedVictory, ClaimRefused>>;

    fn handle(&mut self, msg: ClaimVictory, ctx: &mut Self::Context) -> Self::Result {
        if !matches!(self.state, State::Ready(_)) {
            let refusal = ClaimRefused::Room(self.refusal());
            return Box::pin(async move { Err(refusal) });
        }
        let (tx, rx) = oneshot::channel();
        self.feed(ctx, Some(tx), |core, now| {
            core.claim(msg.conn_id, msg.seat, msg.player_id, now)
        });
        let room = self.code.clone();
        Box::pin(async move {
            match rx.await {
                Ok(Reply::Claimed(claimed)) => Ok(ClaimedVictory {
                    room,
                    seq: claimed.seq,
                    result: claimed.result,
                    reason: claimed.reason,
                }),
                Ok(Reply::ClaimRefused(code)) => Err(ClaimRefused::from_code(code)),
                Ok(_) => Err(ClaimRefused::NotInPlay),
                Err(_) => Err(ClaimRefused::Room(RoomError::Storage(
                    "the claim could not be stored".to_owned(),
                ))),
            }
        })
    }
}

impl Handler<CheckDeadlines> for RoomActor {
    type Result = ();

    fn handle(&mut self, _msg: CheckDeadlines, ctx: &mut Self::Context) {
        self.feed(ctx, None, RoomCore::tick);
    }
}

impl Handler<Release> for RoomActor {
    type Result = ResponseActFuture<Self, ()>;

    fn handle(&mut self, msg: Release, _ctx: &mut Self::Context) -> Self::Result {
        // No commit is in flight (a commit holds every message), so everything acknowledged is
        // durable: the players reconnect to the room's next owner, which replays it.
        log::info!("room {}: leaves this node ({:?})", self.code, msg.reason);
        for (_, outbox) in self.sockets.drain() {
            outbox.close(CloseCode::RoomReloading);
        }
        self.state = State::Failed;
        let lease = self.lease.take();
        let keeper = self.deps.leases.as_ref().map(|(_, keeper)| keeper.clone());
        let code = self.code.clone();
        Box::pin(
            async move {
                if let (Some(epoch), Some(keeper)) = (lease, keeper) {
                    let _ = keeper.send(Forget { code, epoch }).await;
                }
            }
            .into_actor(self)
            .map(|(), _act, ctx| ctx.stop()),
        )
    }
}

impl Handler<ReadyForNextHand> for RoomActor {
    type Result = ();

    fn handle(&mut self, msg: ReadyForNextHand, ctx: &mut Self::Context) {
        self.feed(ctx, None, |core, now| {
            core.next_hand(msg.conn_id, msg.seat, msg.player_id, msg.hand, now)
        });
    }
}
