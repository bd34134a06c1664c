//! HTTP routes.

pub mod assets;
pub mod game;
pub mod health;
pub mod heartbeat;
pub mod metrics;
pub mod rooms;
pub mod ws;

use std::sync::Arc;

use actix::Addr;

use crate::actors::{HeartbeatMonitor, LeaseKeeper, RoomRegistry, SessionManager};
use crate::Config;

/// What the handlers share: the actors' addresses and the configuration.
#[derive(Clone)]
pub struct AppState {
    /// Rooms.
    pub registry: Addr<RoomRegistry>,
    /// Sessions.
    pub sessions: Addr<SessionManager>,
    /// Heartbeats.
    pub heartbeats: Addr<HeartbeatMonitor>,
    /// Configuration.
    pub config: Arc<Config>,
    /// The slots of the game sockets open on this server (bounded by `max_connections`).
    pub sockets: Arc<crate::socket_slots::SocketSlots>,
    /// This node's room leases (several nodes on PostgreSQL).
    pub keeper: Option<Addr<LeaseKeeper>>,
    /// Set on SIGTERM: `/healthz` answers 503 "draining" and new game sockets are refused.
    pub draining: Arc<std::sync::atomic::AtomicBool>,
    /// Checks session tokens at every door.
    pub session_check: crate::session_check::SessionCheck,
    /// This server's metrics (`GET /metrics`).
    pub metrics: Arc<crate::metrics::Metrics>,
}
