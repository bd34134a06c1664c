//! `RoomActor`: the thin shell around one [`RoomCore`]. It loads the core by replay when started
//! (this is also crash recovery), feeds it every input in arrival order, and carries out what the
//! core answers: sends and closes on the room's sockets, the commit of its records through the
//! group-commit log writer, metrics, the next tick. While a commit is in flight the room takes no
//! other input (`ctx.wait`), so nothing the core decided is seen before it is durable.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix::prelude::*;
use sea_orm::DatabaseConnection;
use tokio::sync::oneshot;

use super::lease_keeper::{Forget, Hold, LeaseKeeper};
use super::outbox::{Outbox, OutboxFull};
use super::rematch::RematchCreated;
use super::room_messages::RoomStopped;
use super::RoomError;
use crate::clock;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::room::{Commit, ConnId, DetachReason, Effect, Out, Reply, RoomCore};
use crate::store::leases::Leases;
use crate::store::rooms as room_store;
use crate::store::LogWriter;
use crate::token::TokenSigner;

/// What every room needs from the server.
#[derive(Clone)]
pub struct RoomDeps {
    /// The database, for writes outside the action log (a room's creation, a
    /// rematch's room).
    pub db: DatabaseConnection,
    /// Connections that only read (a room's load); on a SQLite file they do not wait for the
    /// writer's commits ([`migration::connect_readers`]), elsewhere the same pool as `db`.
    pub reads: DatabaseConnection,
    /// The group-commit writer: every change of a room goes through it.
    pub writer: LogWriter,
    /// Signs the joiner's token.
    pub signer: Arc<TokenSigner>,
    /// Limits and durations.
    pub config: Arc<Config>,
    /// This server's metrics.
    pub metrics: Arc<Metrics>,
    /// The room leases of this node, when several nodes share a PostgreSQL database: a room is
    /// claimed before it is loaded, and handed to the keeper.
    pub leases: Option<(Leases, Addr<LeaseKeeper>)>,
}

pub(super) enum State {
    Loading,
    Ready(Box<RoomCore>),
    Missing,
    Failed,
}

/// The actor owning one room.
pub struct RoomActor {
    pub(super) code: String,
    instance: u64,
    pub(super) deps: RoomDeps,
    registry: Recipient<RoomStopped>,
    pub(super) state: State,
    /// The sockets the core knows, by id.
    pub(super) sockets: HashMap<ConnId, Outbox>,
    /// Sockets found gone while carrying out effects; the core hears of them next.
    lost: Vec<ConnId>,
    timer: Option<SpawnHandle>,
    /// When the input being carried out arrived (for move latency).
    pub(super) input_at: Instant,
    /// The epoch of this room's lease (several nodes on PostgreSQL).
    pub(super) lease: Option<i64>,
    /// Asks for a rematch waiting for its room being created.
    pub(super) rematch_waiters: Vec<oneshot::Sender<RematchCreated>>,
}

impl RoomActor {
    /// A room actor for `code`; it loads the room from the database when started.
    pub fn new(
        code: String,
        instance: u64,
        deps: RoomDeps,
        registry: Recipient<RoomStopped>,
    ) -> Self {
        Self {
            code,
            instance,
            deps,
            registry,
            state: State::Loading,
            sockets: HashMap::new(),
            lost: Vec::new(),
            timer: None,
            input_at: Instant::now(),
            lease: None,
            rematch_waiters: Vec::new(),
        }
    }

    pub(super) fn refusal(&self) -> RoomError {
        match self.state {
            State::Missing => RoomError::NotFound,
            _ => RoomError::Unavailable,
        }
    }

    /// Feeds one input to the core (if loaded) and carries out its answer; `reply` gets the
    /// core's reply after the commit, and is dropped if the commit fails.
    pub(super) fn feed(
        &mut self,
        ctx: &mut Context<Self>,
        reply: Option<oneshot::Sender<Reply>>,
        input: impl FnOnce(&mut RoomCore, i64) -> Out,
    ) {
        self.input_at = Instant::now();
        let State::Ready(core) = &mut self.state else {
            return;
        };
        let out = input(core, clock::now_ms());
        self.step(out, ctx, reply);
    }

    /// Carries out `out`: its effects now, then its commit (holding every other input), then
    /// what waited for the commit and the reply; then what the lost sockets lead to.
    fn step(&mut self, out: Out, ctx: &mut Context<Self>, reply: Option<oneshot::Sender<Reply>>) {
        let Out {
            effects,
            commit,
            reply: answer,
        } = out;
        self.execute(effects, ctx);
        let Some(Commit { records, then }) = commit else {
            if let (Some(tx), Some(answer)) = (reply, answer) {
                let _ = tx.send(answer);
            }
            return self.drain_lost(ctx);
        };
        let State::Ready(core) = &self.state else {
            return;
        };
        let (writer, room_id) = (self.deps.writer.clone(), core.id());
        let lease = self.lease.map(|epoch| (self.code.clone(), epoch));
        ctx.wait(
            async move { writer.append(room_id, lease, records).await }
                .into_actor(self)
                .map(move |committed, act, ctx| {
                    let receipt = match committed {
                        Ok(receipt) => receipt,
                        Err(err) => {
                            log::error!("room {}: commit failed: {err}", act.code);
                            if let State::Ready(core) = &mut act.state {
                                let out = core.commit_failed();
                                act.execute(out.effects, ctx);
                            }
                            act.state = State::Failed;
                            return;
                        }
                    };
                    act.execute(then, ctx);
                    match (receipt.player_id, &mut act.state) {
                        (Some(player_id), State::Ready(core)) => {
                            let out = core.joined(player_id, clock::now_ms());
                            act.step(out, ctx, reply);
                        }
                        _ => {
                            if let (Some(tx), Some(answer)) = (reply, answer) {
                                let _ = tx.send(answer);
                            }
                            act.drain_lost(ctx);
                        }
                    }
                }),
        );
    }

    /// Tells the core of one socket found gone; the rest follow after its answer.
    fn drain_lost(&mut self, ctx: &mut Context<Self>) {
        if let Some(conn) = self.lost.pop() {
            self.feed(ctx, None, |core, now| {
                core.detach(conn, DetachReason::Dropped, now)
            });
        }
    }

    fn execute(&mut self, effects: Vec<Effect>, ctx: &mut Context<Self>) {
        for effect in effects {
            match effect {
                Effect::Send { conn, message } => self.send(conn, message),
                Effect::Close { conn, code } => {
                    if let Some(outbox) = self.sockets.remove(&conn) {
                        outbox.close(code);
                    }
                }
                Effect::Metric(metric) => self.deps.metrics.count(metric, self.input_at),
                Effect::Schedule(at) => self.schedule(at, ctx),
                Effect::Unload => {
                    log::debug!("room {}: unloaded", self.code);
                    ctx.stop();
                }
            }
        }
    }

    /// Queues `message` on socket `conn`; a socket that is gone or too far behind is dropped.
    fn send(&mut self, conn: ConnId, message: game::protocol::ServerMessage) {
        let Some(outbox) = self.sockets.get(&conn) else {
            return;
        };
        match outbox.send(message) {
            Ok(()) => {}
            Err(full) => {
                if full == OutboxFull::Slow {
                    log::warn!("room {}: a socket does not read; dropping it", self.code);
                    outbox.close(game::protocol::CloseCode::SlowConsumer);
                }
                self.sockets.remove(&conn);
                self.lost.push(conn);
            }
        }
    }

    fn schedule(&mut self, at: Option<i64>, ctx: &mut Context<Self>) {
        if let Some(timer) = self.timer.take() {
            ctx.cancel_future(timer);
        }
        if let Some(at) = at {
            let delay = u64::try_from(at - clock::now_ms()).unwrap_or(0);
            self.timer = Some(ctx.run_later(Duration::from_millis(delay), |act, ctx| {
                act.timer = None;
                act.feed(ctx, None, RoomCore::tick);
            }));
        }
    }
}

impl Actor for RoomActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.deps.metrics.active_rooms.inc();
        ctx.set_mailbox_capacity(self.deps.config.room_mailbox);
        let (db, code) = (self.deps.reads.clone(), self.code.clone());
        let timing = self.deps.config.room_timing();
        let started = Instant::now();
        let leases = self.deps.leases.as_ref().map(|(leases, _)| leases.clone());
        let claim_timeout = Duration::from_millis(self.deps.config.lease_claim_timeout_ms);
        let metrics = self.deps.metrics.clone();
        // `wait`: no message is handled before the room is loaded. With leases, the room is
        // claimed first, so the load sees every append its previous owner committed.
        ctx.wait(
            async move {
                let epoch = match leases {
                    Some(leases) => match claim(&leases, &code, claim_timeout, &metrics).await {
                        Ok(Some(epoch)) => Some(epoch),
                        Ok(None) => return Err(Unowned),
                        Err(err) => return Ok((None, Err(err.to_string()))),
                    },
                    None => None,
                };
                Ok((
                    epoch,
                    room_store::load(&db, &code)
                        .await
                        .map_err(|e| e.to_string()),
                ))
            }
            .into_actor(self)
            .map(move |claimed, act, ctx| {
                let Ok((epoch, loaded)) = claimed else {
                    log::warn!(
                        "room {}: another node holds it past {claim_timeout:?}; players are told \
                         to reconnect",
                        act.code
                    );
                    act.deps.metrics.rooms_unowned.inc();
                    act.state = State::Failed;
                    return ctx.stop();
                };
                act.lease = epoch;
                let loaded = loaded.and_then(|found| {
                    found
                        .map(|stored| RoomCore::load(stored, timing, clock::now_ms()))
                        .transpose()
                });
                match loaded {
                    Ok(Some((core, out))) => {
                        log::info!("room {} loaded in {:?}", act.code, started.elapsed());
                        if let (Some(epoch), Some((_, keeper))) = (epoch, &act.deps.leases) {
                            keeper.do_send(Hold {
                                code: act.code.clone(),
                                epoch,
                                room: ctx.address().recipient(),
                            });
                        }
                        act.state = State::Ready(Box::new(core));
                        act.step(out, ctx, None);
                    }
                    Ok(None) => {
                        act.state = State::Missing;
                        ctx.stop();
                    }
                    Err(err) => {
                        log::error!("room {} cannot be loaded: {err}", act.code);
                        act.state = State::Failed;
                        ctx.stop();
                    }
                }
            }),
        );
    }

    fn stopping(&mut self, _ctx: &mut Self::Context) -> Running {
        self.deps.metrics.active_rooms.dec();
        if let (Some(epoch), Some((_, keeper))) = (self.lease.take(), &self.deps.leases) {
            keeper.do_send(Forget {
                code: self.code.clone(),
                epoch,
            });
        }
        self.registry.do_send(RoomStopped {
            code: self.code.clone(),
            instance: self.instance,
        });
        Running::Stop
    }
}

/// Another node held the room past the claim timeout.
struct Unowned;

/// Claims room `code`'s lease; while another node holds it, asks that node to release it (again
/// every second) until the lease is this node's or `timeout` passes (`None`). A lease of a node
/// that died is claimed once it expires.
async fn claim(
    leases: &Leases,
    code: &str,
    timeout: Duration,
    metrics: &Metrics,
) -> Result<Option<i64>, sea_orm::DbErr> {
    let started = Instant::now();
    let mut asked: Option<Instant> = None;
    loop {
        if let Some(epoch) = leases.claim(code).await? {
            metrics.lease_claims.inc();
            return Ok(Some(epoch));
        }
        if started.elapsed() >= timeout {
            return Ok(None);
        }
        if asked.is_none_or(|at| at.elapsed() >= Duration::from_secs(1)) {
            if asked.is_none() {
                metrics.handovers.with_label_values(&["asked"]).inc();
            }
            leases.ask_release(code).await?;
            asked = Some(Instant::now());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
