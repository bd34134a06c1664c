//! `LeaseKeeper`: the room leases of this node, when several nodes share one PostgreSQL database
//! (docs/SCALING.md). Rooms hand it the lease they claimed; it renews them all in one statement
//! every `--lease-renew-ms`, tells a room whose lease was taken over to go, answers other nodes'
//! requests for a room (`LISTEN casino_release`) by telling the room to release itself, and
//! releases a room's lease when the room leaves memory.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use sea_orm::sqlx::postgres::PgListener;

use super::room_messages::{Release, ReleaseReason};
use crate::metrics::Metrics;
use crate::store::leases::{Leases, RELEASE_CHANNEL};

/// A room of this node took its lease at `epoch`.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Hold {
    /// The room's code.
    pub code: String,
    /// The lease's epoch.
    pub epoch: i64,
    /// Told to go when the lease is lost or asked for.
    pub room: Recipient<Release>,
}

/// Room `code` leaves memory: its lease at `epoch` is released (answered once it is).
#[derive(Message)]
#[rtype(result = "()")]
pub struct Forget {
    /// The room's code.
    pub code: String,
    /// The lease's epoch.
    pub epoch: i64,
}

/// Stops listening for other nodes' requests (drain). The listener's connection goes back to
/// its pool while the runtime still runs: dropped as the process exits, it would abort it.
#[derive(Message)]
#[rtype(result = "()")]
pub struct StopListening;

/// Another node asked for room `0`.
#[derive(Message)]
#[rtype(result = "()")]
struct Asked(String);

/// Keeps this node's room leases.
pub struct LeaseKeeper {
    leases: Leases,
    renew_every: Duration,
    metrics: Arc<Metrics>,
    held: HashMap<String, (i64, Recipient<Release>)>,
    renewing: bool,
    listener: Option<SpawnHandle>,
}

impl LeaseKeeper {
    /// A keeper of `leases`, renewing them every `renew_every`.
    pub fn new(leases: Leases, renew_every: Duration, metrics: Arc<Metrics>) -> Self {
        Self {
            leases,
            renew_every,
            metrics,
            held: HashMap::new(),
            renewing: false,
            listener: None,
        }
    }

    fn renew(&mut self, ctx: &mut Context<Self>) {
        if self.renewing || self.held.is_empty() {
            return;
        }
        self.renewing = true;
        let asked: Vec<(String, i64)> = self
            .held
            .iter()
            .map(|(code, (epoch, _))| (code.clone(), *epoch))
            .collect();
        let codes: Vec<String> = asked.iter().map(|(code, _)| code.clone()).collect();
        let leases = self.leases.clone();
        ctx.spawn(
            async move { leases.renew(&codes).await }
                .into_actor(self)
                .map(move |renewed, act, _ctx| {
                    act.renewing = false;
                    let kept: HashMap<String, i64> = match renewed {
                        Ok(kept) => kept.into_iter().collect(),
                        Err(err) => {
                            // Unreachable database: the leases run on; appends are fenced
                            // anyway, and the next renewal tries again.
                            log::warn!("renewing room leases failed: {err}");
                            return;
                        }
                    };
                    for (code, epoch) in asked {
                        if kept.get(&code) == Some(&epoch) {
                            continue;
                        }
                        // Still the lease asked about (not re-claimed meanwhile): it is gone.
                        if act.held.get(&code).is_some_and(|(e, _)| *e == epoch) {
                            if let Some((_, room)) = act.held.remove(&code) {
                                log::warn!("room {code}: lease lost to another node");
                                act.metrics.leases_lost.inc();
                                room.do_send(Release {
                                    reason: ReleaseReason::Lost,
                                });
                            }
                        }
                    }
                    act.metrics.leases_held.set(act.held.len() as i64);
                }),
        );
    }
}

impl Actor for LeaseKeeper {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.run_interval(self.renew_every, |act, ctx| act.renew(ctx));
        let (pool, me) = (
            self.leases.db().get_postgres_connection_pool().clone(),
            ctx.address(),
        );
        self.listener = Some(ctx.spawn(listen(pool, me).into_actor(self)));
    }
}

/// Listens on [`RELEASE_CHANNEL`] for the rest of the process, reconnecting when cut off.
async fn listen(pool: sea_orm::sqlx::PgPool, keeper: Addr<LeaseKeeper>) {
    loop {
        match PgListener::connect_with(&pool).await {
            Ok(mut listener) => match listener.listen(RELEASE_CHANNEL).await {
                Ok(()) => loop {
                    match listener.recv().await {
                        Ok(note) => keeper.do_send(Asked(note.payload().to_owned())),
                        Err(err) => {
                            log::warn!("listening for room hand-overs: {err}");
                            break;
                        }
                    }
                },
                Err(err) => log::warn!("LISTEN {RELEASE_CHANNEL}: {err}"),
            },
            Err(err) => log::warn!("cannot listen for room hand-overs: {err}"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

impl Handler<Hold> for LeaseKeeper {
    type Result = ();

    fn handle(&mut self, msg: Hold, _ctx: &mut Self::Context) {
        self.held.insert(msg.code, (msg.epoch, msg.room));
        self.metrics.leases_held.set(self.held.len() as i64);
    }
}

impl Handler<Forget> for LeaseKeeper {
    type Result = ResponseFuture<()>;

    fn handle(&mut self, msg: Forget, _ctx: &mut Self::Context) -> Self::Result {
        if self
            .held
            .get(&msg.code)
            .is_some_and(|(epoch, _)| *epoch == msg.epoch)
        {
            self.held.remove(&msg.code);
        }
        self.metrics.leases_held.set(self.held.len() as i64);
        let leases = self.leases.clone();
        Box::pin(async move {
            if let Err(err) = leases.release(&msg.code, msg.epoch).await {
                // It expires by itself within a lease length.
                log::warn!("room {}: releasing its lease failed: {err}", msg.code);
            }
        })
    }
}

impl Handler<StopListening> for LeaseKeeper {
    type Result = ();

    fn handle(&mut self, _msg: StopListening, ctx: &mut Self::Context) {
        if let Some(listener) = self.listener.take() {
            ctx.cancel_future(listener);
        }
    }
}

impl Handler<Asked> for LeaseKeeper {
    type Result = ();

    fn handle(&mut self, msg: Asked, _ctx: &mut Self::Context) {
        if let Some((_, room)) = self.held.get(&msg.0) {
            log::info!("room {}: another node asks for it; handing it over", msg.0);
            self.metrics
                .handovers
                .with_label_values(&["released"])
                .inc();
            room.do_send(Release {
                reason: ReleaseReason::HandOver,
            });
        }
    }
}
