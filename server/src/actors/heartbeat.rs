//! `HeartbeatMonitor` (one per server): the one judge of a socket's liveness. It knows when every
//! socket was last heard from, tells the socket's room when it turns unhealthy (and healthy
//! again), closes one silent past the timeout (4011; its room is told through the socket's
//! detach, reason "silent"), and writes `last_heartbeat` to the database in one batch per flush
//! interval, never once per ping. `GET /api/heartbeat/{code}` reads the room.
//!
//! Sockets report beats through a shared atomic (the time of the last frame they received),
//! so a ping costs no message at all; the monitor reads them on each check.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use actix::prelude::*;
use entity::game_sessions;
use game::protocol::CloseCode;
use game::Seat;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};
use serde::Serialize;

use super::outbox::CloseSocket;
use super::room_messages::SocketHealth;
use crate::clock;
use crate::config::Config;
use crate::metrics::Metrics;

/// A socket's health, from how long it has been silent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Health {
    /// Heard from recently.
    Healthy,
    /// Silent past the unhealthy threshold (15 s by default).
    Unhealthy,
    /// Silent past the timeout (30 s), or no live socket.
    Disconnected,
}

/// Health after `silent_ms` of silence.
pub fn health(silent_ms: i64, unhealthy_ms: i64, timeout_ms: i64) -> Health {
    if silent_ms >= timeout_ms {
        Health::Disconnected
    } else if silent_ms >= unhealthy_ms {
        Health::Unhealthy
    } else {
        Health::Healthy
    }
}

/// A socket to watch, sent once when it has said `hello`.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Watch {
    /// The socket's id.
    pub conn_id: u64,
    /// Its `game_sessions` row.
    pub session_id: i64,
    /// Its room's code (for logs).
    pub room: String,
    /// Its seat.
    pub seat: Seat,
    /// Time of the last frame received, ms since the epoch (updated by the socket).
    pub last_beat: Arc<AtomicI64>,
    /// Closes the socket.
    pub close: Recipient<CloseSocket>,
    /// Its room, told when the socket turns unhealthy or healthy again.
    pub health: Recipient<SocketHealth>,
}

/// A socket has closed.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct Unwatch {
    /// The socket's id.
    pub conn_id: u64,
}

struct Watched {
    session_id: i64,
    room: String,
    seat: Seat,
    last_beat: Arc<AtomicI64>,
    close: Recipient<CloseSocket>,
    health: Recipient<SocketHealth>,
    unhealthy: bool,
    closing: bool,
    flushed: i64,
}

/// Sessions whose `last_heartbeat` one flush transaction writes.
const FLUSH_CHUNK: usize = 128;

/// The heartbeat monitor.
pub struct HeartbeatMonitor {
    db: DatabaseConnection,
    config: Arc<Config>,
    metrics: Arc<Metrics>,
    watched: HashMap<u64, Watched>,
    /// Session → last beat, waiting for the next flush.
    dirty: HashMap<i64, i64>,
    flushing: bool,
}

impl HeartbeatMonitor {
    /// A monitor using `config`'s thresholds.
    pub fn new(db: DatabaseConnection, config: Arc<Config>, metrics: Arc<Metrics>) -> Self {
        Self {
            db,
            config,
            metrics,
            watched: HashMap::new(),
            dirty: HashMap::new(),
            flushing: false,
        }
    }

    fn check(&mut self) {
        let now = clock::now_ms();
        let unhealthy_ms = Config::ms(self.config.heartbeat_unhealthy_ms);
        let timeout_ms = Config::ms(self.config.heartbeat_timeout_ms);
        for (conn_id, w) in &mut self.watched {
            let beat = w.last_beat.load(Ordering::Acquire);
            if beat > w.flushed {
                w.flushed = beat;
                self.dirty.insert(w.session_id, beat);
            }
            match health(now - beat, unhealthy_ms, timeout_ms) {
                Health::Healthy => {
                    if w.unhealthy {
                        w.unhealthy = false;
                        w.health.do_send(SocketHealth {
                            conn_id: *conn_id,
                            healthy: true,
                        });
                    }
                }
                Health::Unhealthy => {
                    if !w.unhealthy {
                        w.unhealthy = true;
                        w.health.do_send(SocketHealth {
                            conn_id: *conn_id,
                            healthy: false,
                        });
                        self.metrics
                            .heartbeat_failures
                            .with_label_values(&["unhealthy"])
                            .inc();
                        log::info!(
                            "room {}: {} socket {conn_id} unhealthy (silent {} ms)",
                            w.room,
                            w.seat,
                            now - beat
                        );
                    }
                }
                Health::Disconnected => {
                    if !w.closing {
                        w.closing = true;
                        self.metrics
                            .heartbeat_failures
                            .with_label_values(&["timeout"])
                            .inc();
                        log::info!(
                            "room {}: {} socket {conn_id} silent {} ms; closing it",
                            w.room,
                            w.seat,
                            now - beat
                        );
                        w.close.do_send(CloseSocket {
                            code: CloseCode::HeartbeatTimeout,
                        });
                    }
                }
            }
        }
    }

    fn flush(&mut self, ctx: &mut Context<Self>) {
        if self.flushing || self.dirty.is_empty() {
            return;
        }
        self.flushing = true;
        let batch: Vec<(i64, i64)> = self.dirty.drain().collect();
        let db = self.db.clone();
        ctx.spawn(
            async move {
                let count = batch.len();
                let written = async {
                    // Short transactions: between two chunks the connection serves the log
                    // writer, so thousands of sockets' beats never hold up a move's commit.
                    for chunk in batch.chunks(FLUSH_CHUNK) {
                        let txn = db.begin().await?;
                        for (session_id, at) in chunk {
                            game_sessions::Entity::update_many()
                                .col_expr(
                                    game_sessions::Column::LastHeartbeat,
                                    Expr::value(clock::from_ms(*at)),
                                )
                                .filter(game_sessions::Column::Id.eq(*session_id))
                                .exec(&txn)
                                .await?;
                        }
                        txn.commit().await?;
                    }
                    Ok::<(), sea_orm::DbErr>(())
                }
                .await;
                match written {
                    Ok(()) => log::debug!("heartbeats of {count} sessions written"),
                    Err(err) => log::warn!("cannot write heartbeats: {err}"),
                }
            }
            .into_actor(self)
            .map(|(), act, _ctx| act.flushing = false),
        );
    }
}

impl Actor for HeartbeatMonitor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.run_interval(self.config.heartbeat_check(), |act, _ctx| act.check());
        ctx.run_interval(self.config.heartbeat_flush(), |act, ctx| act.flush(ctx));
    }
}

impl Handler<Watch> for HeartbeatMonitor {
    type Result = ();

    fn handle(&mut self, msg: Watch, _ctx: &mut Self::Context) {
        self.watched.insert(
            msg.conn_id,
            Watched {
                session_id: msg.session_id,
                room: msg.room,
                seat: msg.seat,
                last_beat: msg.last_beat,
                close: msg.close,
                health: msg.health,
                unhealthy: false,
                closing: false,
                flushed: 0,
            },
        );
    }
}

impl Handler<Unwatch> for HeartbeatMonitor {
    type Result = ();

    fn handle(&mut self, msg: Unwatch, _ctx: &mut Self::Context) {
        if let Some(w) = self.watched.remove(&msg.conn_id) {
            let beat = w.last_beat.load(Ordering::Acquire);
            if beat > w.flushed {
                self.dirty.insert(w.session_id, beat);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_follows_the_thresholds() {
        assert_eq!(health(0, 15_000, 30_000), Health::Healthy);
        assert_eq!(health(14_999, 15_000, 30_000), Health::Healthy);
        assert_eq!(health(15_000, 15_000, 30_000), Health::Unhealthy);
        assert_eq!(health(30_000, 15_000, 30_000), Health::Disconnected);
    }
}
