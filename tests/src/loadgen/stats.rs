//! Counters and latency histograms shared by every bot.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use hdrhistogram::Histogram;
use serde_json::{json, Value};

/// Everything the run counts.
pub struct Stats {
    /// Moves acknowledged (first ack of each action_id).
    pub moves_acked: u64,
    /// Moves sent (first send of each action_id).
    pub moves_sent: u64,
    /// Deliberate duplicate sends.
    pub duplicates_sent: u64,
    /// Acks for an action_id already acknowledged (answers to duplicates and resends).
    pub repeat_acks: u64,
    /// Sockets dropped on purpose.
    pub drops: u64,
    /// Successful reconnections (socket open → welcome).
    pub reconnects: u64,
    /// Rooms created.
    pub rooms_created: u64,
    /// Matches that reached `game_over`.
    pub matches_finished: u64,
    /// Pongs received.
    pub pongs: u64,
    /// Errors by code: `rejected:CODE`, `error:CODE`, `close:CODE`, `client:WHAT`.
    pub errors: BTreeMap<String, u64>,
    /// Move sent → ack, microseconds (moves not interrupted by a drop), in the measured window.
    pub ack_us: Histogram<u64>,
    /// The same, since the last progress line.
    pub ack_us_interval: Histogram<u64>,
    /// `moves_acked` when the measured window began (after the warm-up).
    pub window_base_moves: u64,
    /// Socket open → welcome on reconnection, microseconds.
    pub reconnect_us: Histogram<u64>,
}

/// Shared handle.
#[derive(Clone)]
pub struct SharedStats(Arc<Mutex<Stats>>);

impl Default for SharedStats {
    fn default() -> Self {
        Self::new()
    }
}

fn histogram() -> Histogram<u64> {
    // 1 µs .. 1 h, 3 significant digits; auto-resize guards against anything larger.
    let mut h = Histogram::new_with_bounds(1, 3_600_000_000, 3).unwrap_or_else(|_| {
        Histogram::new(3).unwrap_or_else(|_| unreachable!("3 significant digits is valid"))
    });
    h.auto(true);
    h
}

impl SharedStats {
    /// Empty statistics.
    pub fn new() -> Self {
        SharedStats(Arc::new(Mutex::new(Stats {
            moves_acked: 0,
            moves_sent: 0,
            duplicates_sent: 0,
            repeat_acks: 0,
            drops: 0,
            reconnects: 0,
            rooms_created: 0,
            matches_finished: 0,
            pongs: 0,
            errors: BTreeMap::new(),
            ack_us: histogram(),
            ack_us_interval: histogram(),
            window_base_moves: 0,
            reconnect_us: histogram(),
        })))
    }

    /// Locks (a poisoned lock still yields the data).
    pub fn lock(&self) -> MutexGuard<'_, Stats> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts one error under `key`.
    pub fn error(&self, key: impl Into<String>) {
        *self.lock().errors.entry(key.into()).or_insert(0) += 1;
    }
}

fn us(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX).max(1)
}

/// Records `d` into `h`.
pub fn record(h: &mut Histogram<u64>, d: Duration) {
    let _ = h.record(us(d));
}

/// The `q` quantile of `h` in milliseconds (0 when empty).
pub fn ms(h: &Histogram<u64>, q: f64) -> f64 {
    if h.is_empty() {
        return 0.0;
    }
    h.value_at_quantile(q) as f64 / 1000.0
}

fn max_ms(h: &Histogram<u64>) -> f64 {
    if h.is_empty() {
        0.0
    } else {
        h.max() as f64 / 1000.0
    }
}

impl Stats {
    /// Records one ack round trip.
    pub fn record_ack(&mut self, d: Duration) {
        record(&mut self.ack_us, d);
        record(&mut self.ack_us_interval, d);
    }

    /// Starts the measured window: latency histograms restart, moves/s counts from here.
    pub fn start_window(&mut self) {
        self.ack_us.reset();
        self.reconnect_us.reset();
        self.window_base_moves = self.moves_acked;
    }

    /// The report's numbers as JSON (latencies in milliseconds); `window` is the measured
    /// window's length (the run minus the warm-up).
    pub fn to_json(&self, elapsed: Duration, window: Duration) -> Value {
        let secs = window.as_secs_f64().max(1e-9);
        json!({
            "elapsed_s": elapsed.as_secs_f64(),
            "window_s": window.as_secs_f64(),
            "moves_acked": self.moves_acked,
            "moves_sent": self.moves_sent,
            "moves_per_s": (self.moves_acked - self.window_base_moves) as f64 / secs,
            "duplicates_sent": self.duplicates_sent,
            "repeat_acks": self.repeat_acks,
            "drops": self.drops,
            "reconnects": self.reconnects,
            "rooms_created": self.rooms_created,
            "matches_finished": self.matches_finished,
            "pongs": self.pongs,
            "ack_rtt_ms": {
                "count": self.ack_us.len(),
                "p50": ms(&self.ack_us, 0.50),
                "p95": ms(&self.ack_us, 0.95),
                "p99": ms(&self.ack_us, 0.99),
                "max": max_ms(&self.ack_us),
            },
            "reconnect_to_state_ms": {
                "count": self.reconnect_us.len(),
                "p50": ms(&self.reconnect_us, 0.50),
                "p99": ms(&self.reconnect_us, 0.99),
                "max": max_ms(&self.reconnect_us),
            },
            "errors": self.errors,
        })
    }
}
