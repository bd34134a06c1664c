//! `SessionManager`: records each connection on its session row and runs the sweeps (rooms
//! with a deadline due, expired sessions). Tokens are checked by [`crate::session_check`].

use std::sync::Arc;

use actix::prelude::*;
use sea_orm::DatabaseConnection;

use super::registry::{FindRoom, RoomRegistry};
use super::room_messages::CheckDeadlines;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::store::leases::Leases;
use crate::store::sessions;

/// A socket opened with session `session_id`.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct SessionConnected {
    /// The session.
    pub session_id: i64,
    /// Room code (for logs).
    pub room: String,
    /// Peer address.
    pub ip: String,
    /// `User-Agent`, if any.
    pub user_agent: Option<String>,
}

/// Runs the abandoned-games sweep now; answers how many rooms were told.
#[derive(Debug, Message)]
#[rtype(result = "usize")]
pub struct CheckAbandonedGames;

/// Runs the expired-sessions sweep now; answers how many sessions were deleted.
#[derive(Debug, Message)]
#[rtype(result = "u64")]
pub struct CleanupExpiredSessions;

/// The session manager (one per server).
pub struct SessionManager {
    db: DatabaseConnection,
    reads: DatabaseConnection,
    registry: Addr<RoomRegistry>,
    config: Arc<Config>,
    metrics: Arc<Metrics>,
    /// Several nodes on PostgreSQL: the sweep loads only rooms no node serves, one node at a
    /// time.
    leases: Option<Leases>,
}

impl SessionManager {
    /// A manager whose sweeps tell rooms through `registry`. The sweeps' queries read through
    /// `reads` (see [`RoomDeps::reads`]); what it
    /// writes goes to `db`.
    ///
    /// [`RoomDeps::reads`]: crate::actors::room::RoomDeps::reads
    pub fn new(
        db: DatabaseConnection,
        reads: DatabaseConnection,
        registry: Addr<RoomRegistry>,
        config: Arc<Config>,
        metrics: Arc<Metrics>,
        leases: Option<Leases>,
    ) -> Self {
        Self {
            db,
            reads,
            registry,
            config,
            metrics,
            leases,
        }
    }
}

/// Unfinished rooms with a deadline due (an abandonment, an end of a return window), also rooms
/// not in memory (after a restart, or unloaded while nobody was connected): each is loaded if
/// needed and told to pass its deadlines; it decides.
/// With several nodes, only rooms no node serves are loaded (a served room runs its own
/// deadlines), and only by one node at a time.
async fn check_abandoned_games(
    db: DatabaseConnection,
    registry: Addr<RoomRegistry>,
    leases: Option<Leases>,
) -> usize {
    let codes = match sessions::rooms_with_deadlines_due(&db, chrono::Utc::now()).await {
        Ok(codes) => codes,
        Err(err) => {
            log::warn!("abandoned-games sweep failed: {err}");
            return 0;
        }
    };
    let codes = match leases {
        None => codes,
        Some(leases) => match leases.unowned(codes).await {
            Ok(Some(codes)) => codes,
            Ok(None) => return 0,
            Err(err) => {
                log::warn!("abandoned-games sweep failed: {err}");
                return 0;
            }
        },
    };
    let mut told = 0;
    for code in codes {
        if let Ok(room) = registry.send(FindRoom { code }).await {
            if room.try_send(CheckDeadlines).is_ok() {
                told += 1;
            }
        }
    }
    if told > 0 {
        log::info!("abandoned-games sweep: {told} rooms told to check their deadlines");
    }
    told
}

/// Deletes sessions past their expiry; returns the count.
async fn cleanup_expired_sessions(db: DatabaseConnection, metrics: Arc<Metrics>) -> u64 {
    match sessions::delete_expired(&db, chrono::Utc::now()).await {
        Ok(count) => {
            if count > 0 {
                log::info!("expired-sessions sweep: {count} sessions deleted");
            }
            metrics.sessions_deleted.inc_by(count);
            count
        }
        Err(err) => {
            log::warn!("expired-sessions sweep failed: {err}");
            0
        }
    }
}

impl Actor for SessionManager {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.run_interval(self.config.abandon_check(), |act, ctx| {
            let (reads, registry) = (act.reads.clone(), act.registry.clone());
            let leases = act.leases.clone();
            ctx.spawn(fut::wrap_future(async move {
                check_abandoned_games(reads, registry, leases).await;
            }));
        });
        ctx.run_interval(self.config.session_cleanup(), |act, ctx| {
            let (db, metrics) = (act.db.clone(), act.metrics.clone());
            ctx.spawn(fut::wrap_future(async move {
                cleanup_expired_sessions(db, metrics).await;
            }));
        });
    }
}

impl Handler<CheckAbandonedGames> for SessionManager {
    type Result = ResponseFuture<usize>;

    fn handle(&mut self, _msg: CheckAbandonedGames, _ctx: &mut Self::Context) -> Self::Result {
        Box::pin(check_abandoned_games(
            self.reads.clone(),
            self.registry.clone(),
            self.leases.clone(),
        ))
    }
}

impl Handler<CleanupExpiredSessions> for SessionManager {
    type Result = ResponseFuture<u64>;

    fn handle(&mut self, _msg: CleanupExpiredSessions, _ctx: &mut Self::Context) -> Self::Result {
        Box::pin(cleanup_expired_sessions(
            self.db.clone(),
            self.metrics.clone(),
        ))
    }
}

impl Handler<SessionConnected> for SessionManager {
    type Result = ResponseFuture<()>;

    fn handle(&mut self, msg: SessionConnected, _ctx: &mut Self::Context) -> Self::Result {
        let db = self.db.clone();
        Box::pin(async move {
            let ip = msg.ip.clone();
            match sessions::mark_connected(
                &db,
                msg.session_id,
                Some(msg.ip),
                msg.user_agent,
                chrono::Utc::now(),
            )
            .await
            {
                Ok(Some(previous)) if previous != ip => log::info!(
                    target: "security",
                    "room {}: session {} reconnected from a new address {ip} (was {previous})",
                    msg.room,
                    msg.session_id
                ),
                Ok(_) => {}
                Err(err) => log::warn!("cannot record connection: {err}"),
            }
        })
    }
}
