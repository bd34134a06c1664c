//! Every timing of the client in one place, so tests (and slow networks) can change them.

/// Reconnection schedule (SPEC R1, and beyond it: the page never gives up while the seat can
/// still be saved).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackoffConfig {
    /// Delay from an unexpected close to the first attempt (R1: "within 1 s").
    pub first_attempt_ms: u64,
    /// Delay after the first failed attempt; doubled after each further failure.
    pub base_ms: u64,
    /// Largest delay, jitter included.
    pub cap_ms: u64,
    /// Largest random jitter added to each delay.
    pub max_jitter_ms: u64,
    /// Quick attempts before showing "Disconnected" (with Retry); slow attempts follow.
    pub max_attempts: u32,
    /// After the quick attempts: the wait between slow attempts while the seat is kept.
    pub slow_ms: u64,
    /// Largest random jitter added to each slow wait (so pages do not come back in step).
    pub slow_jitter_ms: u64,
    /// Once the seat's return window has passed (the opponent may have chosen to wait longer):
    /// the wait between attempts until the server says the session is over.
    pub late_ms: u64,
    /// The network came back, the tab became visible or got the focus: an attempt at once,
    /// unless one started less than this long ago.
    pub wake_gap_ms: u64,
    /// How long the server keeps a seat after its connection drops, until its `welcome` says
    /// (SPEC R2: 5 minutes).
    pub seat_kept_ms: u64,
}

impl Default for BackoffConfig {
    fn default() -> Self {
        Self {
            first_attempt_ms: 250,
            base_ms: 1_000,
            cap_ms: 16_000,
            max_jitter_ms: 1_000,
            max_attempts: 5,
            slow_ms: 15_000,
            slow_jitter_ms: 5_000,
            late_ms: 60_000,
            wake_gap_ms: 1_000,
            seat_kept_ms: 300_000,
        }
    }
}

/// Heartbeat and connection health (SPEC R3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeartbeatConfig {
    /// Time between pings.
    pub ping_interval_ms: u64,
    /// A ping unanswered for this long counts as one failure.
    pub pong_timeout_ms: u64,
    /// Without any pong for this long the connection is "unstable".
    pub unstable_after_ms: u64,
    /// Consecutive answered pings that make an unstable connection healthy again.
    pub recover_after: u32,
    /// Consecutive failed pings that start a reconnection.
    pub reconnect_after: u32,
}

impl Default for HeartbeatConfig {
    fn default() -> Self {
        Self {
            ping_interval_ms: 10_000,
            pong_timeout_ms: 10_000,
            unstable_after_ms: 15_000,
            recover_after: 3,
            reconnect_after: 3,
        }
    }
}

/// All client timings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClientConfig {
    /// Reconnection schedule.
    pub backoff: BackoffConfig,
    /// Heartbeat.
    pub heartbeat: HeartbeatConfig,
    /// UI timings.
    pub ui: UiConfig,
}

/// Timings of transient UI elements. The break between hands is not one of them: the server
/// governs it (`hand_break` carries its end, `hand_started` ends it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UiConfig {
    /// The missed-actions dialog closes itself after this long (R4).
    pub missed_dialog_ms: u64,
    /// How long "Opponent reconnected" stays visible (R9).
    pub reconnected_notice_ms: u64,
    /// The opponent's disconnection timer shows after this long (R9).
    pub opponent_timer_after_ms: i64,
    /// The "Opponent disconnected" banner shows after this long (R5: 2 minutes), or as soon as
    /// the server marks the seat temporarily disconnected.
    pub opponent_banner_after_ms: i64,
    /// How long a new tab waits for another tab of the same room to answer before connecting
    /// (R6); 0 connects at once.
    pub tab_probe_ms: i64,
}

impl Default for UiConfig {
    fn default() -> Self {
        Self {
            missed_dialog_ms: 5_000,
            reconnected_notice_ms: 4_000,
            opponent_timer_after_ms: 60_000,
            opponent_banner_after_ms: 120_000,
            tab_probe_ms: 150,
        }
    }
}
