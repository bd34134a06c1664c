//! The server's one typed configuration: command-line flags with `CASINO_…` environment fallbacks.
//! Every duration and limit lives here, so tests shrink them through the same switches.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

/// Every setting of `casino-server`; `casino-server --help` lists them all.
#[derive(Clone, Parser)]
#[command(name = "casino-server", version, about = "Casino Online game server")]
pub struct Config {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "CASINO_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,

    /// Folder with the built web client (index.html, wasm, css); not served when absent.
    #[arg(long, env = "CASINO_STATIC_DIR", default_value = "client/dist")]
    pub static_dir: PathBuf,

    /// Database to use: `sqlite://FILE?mode=rwc`, `sqlite::memory:` or `postgres://…`. The default
    /// is the file `casino.db` in the working directory; it is created and migrated at start.
    #[arg(long, env = "DATABASE_URL", default_value = migration::DEFAULT_DATABASE_URL)]
    pub database_url: String,

    /// Secret that signs session tokens (at least 32 bytes). Unset: one is generated on first
    /// start and kept in the database, so tokens survive restarts.
    #[arg(long, env = "CASINO_SESSION_SECRET", hide_env_values = true)]
    pub session_secret: Option<String>,

    /// The secret being rotated out (at least 32 bytes): tokens it signed are still accepted
    /// until `--previous-secret-until`, while new tokens are signed with the session secret.
    #[arg(long, env = "CASINO_PREVIOUS_SESSION_SECRET", hide_env_values = true)]
    pub previous_session_secret: Option<String>,

    /// When the previous secret stops being accepted (RFC 3339, e.g. 2026-12-02T12:00:00Z).
    /// Unset: one token lifetime after this start, when every token it signed has expired.
    #[arg(long, env = "CASINO_PREVIOUS_SECRET_UNTIL")]
    pub previous_secret_until: Option<String>,

    /// Lifetime of a session token, in milliseconds (24 h).
    #[arg(long, env = "CASINO_SESSION_TTL_MS", default_value_t = 24 * 60 * 60 * 1000)]
    pub session_ttl_ms: u64,

    /// Origins (scheme://host[:port]) allowed to open the WebSocket besides the server's own;
    /// comma separated. Requests without an `Origin` header (non-browser clients) are allowed.
    #[arg(long, env = "CASINO_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,

    /// Largest WebSocket frame accepted from a client, in bytes; larger closes the socket (1009).
    #[arg(long, env = "CASINO_MAX_FRAME_BYTES", default_value_t = 4096)]
    pub max_frame_bytes: usize,

    /// Messages a client may send in a burst before the rate limit applies.
    #[arg(long, env = "CASINO_RATE_BURST", default_value_t = 20)]
    pub rate_burst: u32,

    /// Messages per second a client may send in the long run (token bucket refill rate).
    #[arg(long, env = "CASINO_RATE_PER_SEC", default_value_t = 10)]
    pub rate_per_sec: u32,

    /// Messages refused by the rate limit, in a row, after which the socket is closed (4029).
    #[arg(long, env = "CASINO_RATE_CLOSE_AFTER", default_value_t = 200)]
    pub rate_close_after: u32,

    /// Game sockets this server holds at most; one more is closed at once with 1013 (try
    /// again later), so overload is refused instead of slowing every game down. Lowered at start
    /// to what the open-file limit holds (one descriptor per socket).
    #[arg(long, env = "CASINO_MAX_CONNECTIONS", default_value_t = 20_000)]
    pub max_connections: usize,

    /// Server messages waiting for a socket that does not read before it is dropped (4008).
    #[arg(long, env = "CASINO_OUTBOUND_BUFFER", default_value_t = 64)]
    pub outbound_buffer: usize,

    /// Time a new socket has to send `hello`, in milliseconds; then it is closed (4001).
    #[arg(long, env = "CASINO_HELLO_TIMEOUT_MS", default_value_t = 10_000)]
    pub hello_timeout_ms: u64,

    /// Log appends waiting for the group-commit writer before rooms wait to enqueue.
    #[arg(long, env = "CASINO_LOG_QUEUE", default_value_t = 1024)]
    pub log_queue: usize,

    /// Most appends committed in one transaction by the group-commit writer.
    #[arg(long, env = "CASINO_LOG_MAX_BATCH", default_value_t = 256)]
    pub log_max_batch: usize,

    /// Messages a room's mailbox holds before senders are told the server is busy.
    #[arg(long, env = "CASINO_ROOM_MAILBOX", default_value_t = 256)]
    pub room_mailbox: usize,

    /// A room no socket holds (waiting, playing or over) leaves memory after this long, in
    /// milliseconds; asked for again, or due a deadline, it is loaded back from the database.
    #[arg(long, env = "CASINO_ROOM_UNLOAD_AFTER_MS", default_value_t = 30_000)]
    pub room_unload_after_ms: u64,

    /// The break after a hand, in milliseconds: the next hand starts when both players said
    /// they are ready, or when this has passed (0: at once, no break).
    #[arg(long, env = "CASINO_HAND_BREAK_MS", default_value_t = 30_000)]
    pub hand_break_ms: u64,

    /// Rejected moves a room remembers (for exactly-once answers) before it stops recording
    /// more; a client past it gets `TOO_MANY_REJECTIONS`.
    #[arg(long, env = "CASINO_MAX_REJECTIONS_PER_ROOM", default_value_t = 1000)]
    pub max_rejections_per_room: usize,

    /// A socket silent this long (no frame, no ping) is marked unhealthy, in milliseconds.
    #[arg(long, env = "CASINO_HEARTBEAT_UNHEALTHY_MS", default_value_t = 15_000)]
    pub heartbeat_unhealthy_ms: u64,

    /// A socket silent this long is closed (4011) and its player treated as gone, in milliseconds.
    #[arg(long, env = "CASINO_HEARTBEAT_TIMEOUT_MS", default_value_t = 30_000)]
    pub heartbeat_timeout_ms: u64,

    /// How often the heartbeat monitor checks every socket, in milliseconds.
    #[arg(long, env = "CASINO_HEARTBEAT_CHECK_MS", default_value_t = 1_000)]
    pub heartbeat_check_ms: u64,

    /// How often the heartbeat monitor writes `last_heartbeat` to the database (one batch).
    #[arg(long, env = "CASINO_HEARTBEAT_FLUSH_MS", default_value_t = 5_000)]
    pub heartbeat_flush_ms: u64,

    /// Absence after which a seat is "temporarily disconnected", in milliseconds (2 min).
    #[arg(
        long,
        env = "CASINO_TEMPORARILY_DISCONNECTED_MS",
        default_value_t = 120_000
    )]
    pub temporarily_disconnected_ms: u64,

    /// Absence after which the game is abandoned and the opponent may claim victory (5 min).
    #[arg(long, env = "CASINO_ABANDON_AFTER_MS", default_value_t = 300_000)]
    pub abandon_after_ms: u64,

    /// Absence after which the seat is lost: its session is refused and a running game ends,
    /// the other player winning (10 min).
    #[arg(long, env = "CASINO_RETURN_WINDOW_MS", default_value_t = 600_000)]
    pub return_window_ms: u64,

    /// How often the session manager loads unfinished rooms with a deadline due (60 s).
    #[arg(long, env = "CASINO_ABANDON_CHECK_MS", default_value_t = 60_000)]
    pub abandon_check_ms: u64,

    /// How often the session manager deletes expired sessions (1 h).
    #[arg(long, env = "CASINO_SESSION_CLEANUP_MS", default_value_t = 3_600_000)]
    pub session_cleanup_ms: u64,

    /// This node's name among several nodes sharing one PostgreSQL database (docs/SCALING.md);
    /// it owns the room leases it claims. Unset: `HOSTNAME:PORT`, so a node restarted on the same
    /// address takes its own leases back at once. Refused with SQLite, which serves one node.
    #[arg(long, env = "CASINO_NODE_ID")]
    pub node_id: Option<String>,

    /// Length of a room lease, in milliseconds (PostgreSQL only): a node that stops renewing
    /// (killed, cut off) loses its rooms this long after its last renewal.
    #[arg(long, env = "CASINO_LEASE_MS", default_value_t = 3_000)]
    pub lease_ms: u64,

    /// How often a node renews all its room leases in one statement, in milliseconds.
    #[arg(long, env = "CASINO_LEASE_RENEW_MS", default_value_t = 1_000)]
    pub lease_renew_ms: u64,

    /// How long a node loading a room waits for the lease held by another node (asked to
    /// release it, or left to expire) before it tells the players to reconnect, in milliseconds.
    #[arg(long, env = "CASINO_LEASE_CLAIM_TIMEOUT_MS", default_value_t = 5_000)]
    pub lease_claim_timeout_ms: u64,

    /// On SIGTERM, how long `/healthz` reports "draining" (so the load balancer stops sending
    /// players here) before the node hands its rooms back and exits, in milliseconds.
    #[arg(long, env = "CASINO_DRAIN_NOTICE_MS", default_value_t = 2_000)]
    pub drain_notice_ms: u64,

    /// Proxies (IP addresses, comma separated) whose `X-Forwarded-For` names the client's
    /// address, for security logs and the access log. From any other peer the header is ignored.
    #[arg(long, env = "CASINO_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("bind", &self.bind)
            .field("static_dir", &self.static_dir)
            .field("database_url", &migration::redact_url(&self.database_url))
            .field(
                "session_secret",
                &self.session_secret.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "previous_session_secret",
                &self.previous_session_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("session_ttl_ms", &self.session_ttl_ms)
            .field("allowed_origins", &self.allowed_origins)
            .field("max_frame_bytes", &self.max_frame_bytes)
            .field("rate_burst", &self.rate_burst)
            .field("rate_per_sec", &self.rate_per_sec)
            .field("outbound_buffer", &self.outbound_buffer)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// A configuration for tests: ephemeral port, no static files, a private in-memory database,
    /// every other value its default.
    pub fn for_tests() -> Self {
        let mut config = Config::parse_from(["casino-server"]);
        config.bind = "127.0.0.1:0".to_owned();
        config.static_dir = PathBuf::from("/nonexistent");
        // Each connection pool gets its own in-memory database, so tests never share state.
        config.database_url = "sqlite::memory:".to_owned();
        config
    }

    /// [`Config::heartbeat_check_ms`] as a duration (at least 1 ms).
    pub fn heartbeat_check(&self) -> Duration {
        Duration::from_millis(self.heartbeat_check_ms.max(1))
    }

    /// [`Config::heartbeat_flush_ms`] as a duration (at least 1 ms).
    pub fn heartbeat_flush(&self) -> Duration {
        Duration::from_millis(self.heartbeat_flush_ms.max(1))
    }

    /// [`Config::abandon_check_ms`] as a duration (at least 1 ms).
    pub fn abandon_check(&self) -> Duration {
        Duration::from_millis(self.abandon_check_ms.max(1))
    }

    /// [`Config::session_cleanup_ms`] as a duration (at least 1 ms).
    pub fn session_cleanup(&self) -> Duration {
        Duration::from_millis(self.session_cleanup_ms.max(1))
    }

    /// A configuration value in milliseconds as a signed offset for absolute deadlines.
    pub fn ms(value: u64) -> i64 {
        i64::try_from(value).unwrap_or(i64::MAX / 4)
    }

    /// The durations a room core works with.
    pub fn room_timing(&self) -> crate::room::Timing {
        crate::room::Timing {
            temporarily_ms: Config::ms(self.temporarily_disconnected_ms),
            abandon_ms: Config::ms(self.abandon_after_ms),
            return_ms: Config::ms(self.return_window_ms),
            unload_ms: Config::ms(self.room_unload_after_ms),
            hand_break_ms: Config::ms(self.hand_break_ms),
            max_rejections: self.max_rejections_per_room,
        }
    }

    /// The node name owning this process's room leases: [`Config::node_id`], else
    /// `HOSTNAME:PORT` of the address bound.
    pub fn node_name(&self, bound: std::net::SocketAddr) -> String {
        self.node_id.clone().unwrap_or_else(|| {
            let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
                .map(|h| h.trim().to_owned())
                .ok()
                .filter(|h| !h.is_empty())
                .unwrap_or_else(|| "localhost".to_owned());
            format!("{host}:{}", bound.port())
        })
    }

    /// [`Config::hello_timeout_ms`] as a duration.
    pub fn hello_timeout(&self) -> Duration {
        Duration::from_millis(self.hello_timeout_ms)
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Config;

    /// docs/CONFIG.md is what operators read: every flag and its environment variable is in it.
    #[test]
    fn every_setting_is_documented() {
        let doc = include_str!("../../docs/CONFIG.md");
        for arg in Config::command().get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            if long == "help" || long == "version" {
                continue;
            }
            assert!(doc.contains(&format!("`--{long}`")), "--{long} missing");
            if let Some(env) = arg.get_env() {
                let env = env.to_string_lossy();
                assert!(doc.contains(&format!("`{env}`")), "{env} missing");
            }
        }
    }
}
