//! Prometheus metrics of the server (`GET /metrics`). Names carry their unit; labels come only
//! from bounded enums (move kinds, outcomes, reasons), never room codes or player ids.

use game::MoveKind;
use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts,
    Registry, TextEncoder,
};

/// Metric names, with units in the names.
pub mod names {
    /// Sockets that said `hello` for a seat that had been away.
    pub const RECONNECTIONS_ATTEMPTED: &str = "casino_reconnections_attempted_total";
    /// Reconnections that got their seat back (`welcome`).
    pub const RECONNECTIONS_SUCCEEDED: &str = "casino_reconnections_succeeded_total";
    /// Time from a seat's disconnect to its restoration.
    pub const RECONNECTION_DURATION: &str = "casino_reconnection_duration_seconds";
    /// Running games abandoned: an absent player past the abandonment threshold, or a leave.
    pub const GAMES_ABANDONED: &str = "casino_games_abandoned_total";
    /// Games ended by a claim of victory.
    pub const VICTORIES_CLAIMED: &str = "casino_victories_claimed_total";
    /// Heartbeat failures, by reason (`unhealthy`, `timeout`).
    pub const HEARTBEAT_FAILURES: &str = "casino_heartbeat_failures_total";
    /// Live game sockets.
    pub const ACTIVE_CONNECTIONS: &str = "casino_active_connections";
    /// Room actors in memory.
    pub const ACTIVE_ROOMS: &str = "casino_active_rooms";
    /// Proposed moves, by kind and outcome (`applied`, `rejected`, `duplicate`).
    pub const MOVES: &str = "casino_moves_total";
    /// Time from a move reaching its room to its ack.
    pub const MOVE_DURATION: &str = "casino_move_duration_seconds";
    /// Appends per group commit of the log writer.
    pub const LOG_BATCH_SIZE: &str = "casino_log_batch_size_appends";
    /// Duration of one group commit.
    pub const LOG_COMMIT_DURATION: &str = "casino_log_commit_duration_seconds";
    /// Moves answered from the dedup table (a retry of an `action_id`).
    pub const DEDUP_HITS: &str = "casino_dedup_hits_total";
    /// Session tokens refused, by reason (the error code).
    pub const TOKEN_REJECTIONS: &str = "casino_token_rejections_total";
    /// Seats taken over by a second connection (`takeover`).
    pub const TAKEOVERS: &str = "casino_takeovers_total";
    /// Expired sessions deleted by the cleanup sweep.
    pub const SESSIONS_DELETED: &str = "casino_expired_sessions_deleted_total";
    /// Sockets closed at once (1013) because the server held `max_connections` already.
    pub const CONNECTIONS_REFUSED: &str = "casino_connections_refused_total";
    /// Room leases claimed by this node (several nodes on PostgreSQL, docs/SCALING.md).
    pub const LEASE_CLAIMS: &str = "casino_lease_claims_total";
    /// Room leases this node holds now.
    pub const LEASES_HELD: &str = "casino_leases_held";
    /// Leases this node found taken over when renewing them (its rooms were dropped).
    pub const LEASES_LOST: &str = "casino_leases_lost_total";
    /// Hand-overs: `asked` (this node asked an owner to release a room), `released` (this node
    /// released a room another node asked for).
    pub const HANDOVERS: &str = "casino_handovers_total";
    /// Appends refused because the room's lease had passed to another node (fencing).
    pub const FENCED_APPENDS: &str = "casino_fenced_appends_total";
    /// Rooms this node could not claim within the claim timeout: players of the room are told
    /// to reconnect and no node serves it meanwhile.
    pub const ROOMS_UNOWNED: &str = "casino_rooms_unowned_total";
    /// Hands started after the break between hands: `ready` (both players said so) or `timeout`
    /// (the break passed first).
    pub const HANDS_STARTED: &str = "casino_hands_started_total";
    /// Rematch rooms made after a finished game (both players asked).
    pub const REMATCHES: &str = "casino_rematches_total";
}

/// The `side` label values of [`names::HANDOVERS`].
pub const HANDOVER_SIDES: [&str; 2] = ["asked", "released"];

/// The `after` label values of [`names::HANDS_STARTED`].
pub const HAND_STARTS: [&str; 2] = ["ready", "timeout"];

/// Every move kind, as labelled in [`names::MOVES`] and [`names::MOVE_DURATION`].
pub const MOVE_KINDS: [MoveKind; 5] = [
    MoveKind::Trail,
    MoveKind::Capture,
    MoveKind::Build,
    MoveKind::Increase,
    MoveKind::Add,
];

/// The `outcome` label values of [`names::MOVES`].
pub const MOVE_OUTCOMES: [&str; 3] = ["applied", "rejected", "duplicate"];

/// The `reason` label values of [`names::HEARTBEAT_FAILURES`].
pub const HEARTBEAT_REASONS: [&str; 2] = ["unhealthy", "timeout"];

/// The `reason` label values of [`names::TOKEN_REJECTIONS`]: every [`TokenError::code`].
///
/// [`TokenError::code`]: crate::token::TokenError::code
pub const TOKEN_REJECTION_REASONS: [&str; 6] = [
    "TOKEN_MISSING",
    "TOKEN_MALFORMED",
    "TOKEN_UNSUPPORTED_VERSION",
    "TOKEN_BAD_SIGNATURE",
    "SESSION_EXPIRED",
    "SESSION_REVOKED",
];

/// Every metric of the server, registered in one registry.
pub struct Metrics {
    registry: Registry,
    /// See [`names::RECONNECTIONS_ATTEMPTED`].
    pub reconnections_attempted: IntCounter,
    /// See [`names::RECONNECTIONS_SUCCEEDED`].
    pub reconnections_succeeded: IntCounter,
    /// See [`names::RECONNECTION_DURATION`].
    pub reconnection_duration: Histogram,
    /// See [`names::GAMES_ABANDONED`].
    pub games_abandoned: IntCounter,
    /// See [`names::VICTORIES_CLAIMED`].
    pub victories_claimed: IntCounter,
    /// See [`names::HEARTBEAT_FAILURES`].
    pub heartbeat_failures: IntCounterVec,
    /// See [`names::ACTIVE_CONNECTIONS`].
    pub active_connections: IntGauge,
    /// See [`names::ACTIVE_ROOMS`].
    pub active_rooms: IntGauge,
    /// See [`names::MOVES`].
    pub moves: IntCounterVec,
    /// See [`names::MOVE_DURATION`].
    pub move_duration: HistogramVec,
    /// See [`names::LOG_BATCH_SIZE`].
    pub log_batch_size: Histogram,
    /// See [`names::LOG_COMMIT_DURATION`].
    pub log_commit_duration: Histogram,
    /// See [`names::DEDUP_HITS`].
    pub dedup_hits: IntCounter,
    /// See [`names::TOKEN_REJECTIONS`].
    pub token_rejections: IntCounterVec,
    /// See [`names::TAKEOVERS`].
    pub takeovers: IntCounter,
    /// See [`names::CONNECTIONS_REFUSED`].
    pub connections_refused: IntCounter,
    /// See [`names::SESSIONS_DELETED`].
    pub sessions_deleted: IntCounter,
    /// See [`names::LEASE_CLAIMS`].
    pub lease_claims: IntCounter,
    /// See [`names::LEASES_HELD`].
    pub leases_held: IntGauge,
    /// See [`names::LEASES_LOST`].
    pub leases_lost: IntCounter,
    /// See [`names::HANDOVERS`].
    pub handovers: IntCounterVec,
    /// See [`names::FENCED_APPENDS`].
    pub fenced_appends: IntCounter,
    /// See [`names::ROOMS_UNOWNED`].
    pub rooms_unowned: IntCounter,
    /// See [`names::HANDS_STARTED`].
    pub hands_started: IntCounterVec,
    /// See [`names::REMATCHES`].
    pub rematches: IntCounter,
}

const SECONDS_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];
const RECONNECT_BUCKETS: &[f64] = &[
    0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0,
];
const BATCH_BUCKETS: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0];

impl Metrics {
    /// A registry of its own with every metric at zero: one per application instance, so two
    /// servers in one process (the tests) count apart.
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let counter = |name: &str, help: &str| -> Result<IntCounter, prometheus::Error> {
            let c = IntCounter::new(name, help)?;
            registry.register(Box::new(c.clone()))?;
            Ok(c)
        };
        let counter_vec =
            |name: &str, help: &str, labels: &[&str]| -> Result<IntCounterVec, prometheus::Error> {
                let c = IntCounterVec::new(Opts::new(name, help), labels)?;
                registry.register(Box::new(c.clone()))?;
                Ok(c)
            };
        let gauge = |name: &str, help: &str| -> Result<IntGauge, prometheus::Error> {
            let g = IntGauge::new(name, help)?;
            registry.register(Box::new(g.clone()))?;
            Ok(g)
        };
        let histogram =
            |name: &str, help: &str, buckets: &[f64]| -> Result<Histogram, prometheus::Error> {
                let h =
                    Histogram::with_opts(HistogramOpts::new(name, help).buckets(buckets.to_vec()))?;
                registry.register(Box::new(h.clone()))?;
                Ok(h)
            };
        let move_duration = HistogramVec::new(
            HistogramOpts::new(
                names::MOVE_DURATION,
                "Move received by its room until acked",
            )
            .buckets(SECONDS_BUCKETS.to_vec()),
            &["kind"],
        )?;
        registry.register(Box::new(move_duration.clone()))?;
        let metrics = Self {
            reconnections_attempted: counter(
                names::RECONNECTIONS_ATTEMPTED,
                "Sockets that said hello for a seat that had been away",
            )?,
            reconnections_succeeded: counter(
                names::RECONNECTIONS_SUCCEEDED,
                "Reconnections that got their seat back",
            )?,
            reconnection_duration: histogram(
                names::RECONNECTION_DURATION,
                "Disconnect until the seat is restored",
                RECONNECT_BUCKETS,
            )?,
            games_abandoned: counter(
                names::GAMES_ABANDONED,
                "Games whose absent player passed the abandonment threshold",
            )?,
            victories_claimed: counter(names::VICTORIES_CLAIMED, "Games ended by a claim")?,
            heartbeat_failures: counter_vec(
                names::HEARTBEAT_FAILURES,
                "Heartbeat failures by reason (unhealthy, timeout)",
                &["reason"],
            )?,
            active_connections: gauge(names::ACTIVE_CONNECTIONS, "Live game sockets")?,
            active_rooms: gauge(names::ACTIVE_ROOMS, "Room actors in memory")?,
            moves: counter_vec(
                names::MOVES,
                "Proposed moves by kind and outcome (applied, rejected, duplicate)",
                &["kind", "outcome"],
            )?,
            move_duration,
            log_batch_size: histogram(
                names::LOG_BATCH_SIZE,
                "Appends per group commit",
                BATCH_BUCKETS,
            )?,
            log_commit_duration: histogram(
                names::LOG_COMMIT_DURATION,
                "Duration of one group commit",
                SECONDS_BUCKETS,
            )?,
            dedup_hits: counter(names::DEDUP_HITS, "Moves answered from the dedup table")?,
            token_rejections: counter_vec(
                names::TOKEN_REJECTIONS,
                "Session tokens refused, by reason",
                &["reason"],
            )?,
            takeovers: counter(names::TAKEOVERS, "Seats taken over by a second connection")?,
            connections_refused: counter(
                names::CONNECTIONS_REFUSED,
                "Sockets closed at once (1013) because the server was full",
            )?,
            sessions_deleted: counter(
                names::SESSIONS_DELETED,
                "Expired sessions deleted by the cleanup sweep",
            )?,
            lease_claims: counter(names::LEASE_CLAIMS, "Room leases claimed by this node")?,
            leases_held: gauge(names::LEASES_HELD, "Room leases this node holds")?,
            leases_lost: counter(
                names::LEASES_LOST,
                "Leases found taken over by another node when renewing",
            )?,
            handovers: counter_vec(
                names::HANDOVERS,
                "Room hand-overs asked of another node or released to one",
                &["side"],
            )?,
            fenced_appends: counter(
                names::FENCED_APPENDS,
                "Appends refused because the room's lease had passed to another node",
            )?,
            hands_started: counter_vec(
                names::HANDS_STARTED,
                "Hands started after the break between hands, by what ended the break",
                &["after"],
            )?,
            rematches: counter(names::REMATCHES, "Rematch rooms made after a finished game")?,
            rooms_unowned: counter(
                names::ROOMS_UNOWNED,
                "Rooms this node could not claim within the claim timeout",
            )?,
            registry,
        };
        metrics.initialise_labels();
        Ok(metrics)
    }

    /// Creates every labelled series at zero, so a fresh server exports every family (a vector
    /// renders nothing until a label set is used) and `rate()` sees each series from its start.
    fn initialise_labels(&self) {
        for kind in MOVE_KINDS {
            let kind = kind.as_str();
            for outcome in MOVE_OUTCOMES {
                self.moves.with_label_values(&[kind, outcome]);
            }
            self.move_duration.with_label_values(&[kind]);
        }
        for reason in HEARTBEAT_REASONS {
            self.heartbeat_failures.with_label_values(&[reason]);
        }
        for reason in TOKEN_REJECTION_REASONS {
            self.token_rejections.with_label_values(&[reason]);
        }
        for side in HANDOVER_SIDES {
            self.handovers.with_label_values(&[side]);
        }
        for after in HAND_STARTS {
            self.hands_started.with_label_values(&[after]);
        }
    }

    /// Counts what a room reports; a move's latency runs from `input_at`, when it reached its room.
    pub fn count(&self, metric: crate::room::Metric, input_at: std::time::Instant) {
        use crate::room::Metric;
        match metric {
            Metric::ReconnectionAttempted => self.reconnections_attempted.inc(),
            Metric::ReconnectionSucceeded { after_ms } => {
                self.reconnections_succeeded.inc();
                self.reconnection_duration
                    .observe(after_ms.max(0) as f64 / 1000.0);
            }
            Metric::Takeover => self.takeovers.inc(),
            Metric::GameAbandoned => self.games_abandoned.inc(),
            Metric::VictoryClaimed => self.victories_claimed.inc(),
            Metric::HandStarted { both_ready } => self
                .hands_started
                .with_label_values(&[HAND_STARTS[usize::from(!both_ready)]])
                .inc(),
            Metric::Rematch => self.rematches.inc(),
            Metric::MoveApplied(kind) => {
                self.moves
                    .with_label_values(&[kind.as_str(), "applied"])
                    .inc();
                self.move_duration
                    .with_label_values(&[kind.as_str()])
                    .observe(input_at.elapsed().as_secs_f64());
            }
            Metric::MoveRejected(kind) => self
                .moves
                .with_label_values(&[kind.as_str(), "rejected"])
                .inc(),
            Metric::MoveDuplicate(kind) => {
                self.dedup_hits.inc();
                self.moves
                    .with_label_values(&[kind.as_str(), "duplicate"])
                    .inc();
            }
        }
    }

    /// The whole registry in the Prometheus text format.
    pub fn render(&self) -> String {
        let mut buffer = Vec::new();
        if let Err(err) = TextEncoder::new().encode(&self.registry.gather(), &mut buffer) {
            log::error!("cannot encode metrics: {err}");
        }
        String::from_utf8(buffer).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use game::MoveKind;

    use super::{MOVE_KINDS, TOKEN_REJECTION_REASONS};
    use crate::token::TokenError;

    #[test]
    fn label_lists_are_complete() {
        // No wildcard arms: a new move kind or token error stops this from compiling until it
        // is added here and to the list its series are created from.
        let position = |kind: MoveKind| match kind {
            MoveKind::Trail => 0,
            MoveKind::Capture => 1,
            MoveKind::Build => 2,
            MoveKind::Increase => 3,
            MoveKind::Add => 4,
        };
        for (i, kind) in MOVE_KINDS.into_iter().enumerate() {
            assert_eq!(position(kind), i, "{kind:?}");
        }
        let errors = [
            TokenError::Missing,
            TokenError::Malformed,
            TokenError::UnsupportedVersion(0),
            TokenError::BadSignature,
            TokenError::Expired,
            TokenError::Revoked,
        ];
        for err in &errors {
            match err {
                TokenError::Missing
                | TokenError::Malformed
                | TokenError::UnsupportedVersion(_)
                | TokenError::BadSignature
                | TokenError::Expired
                | TokenError::Revoked => {
                    assert!(
                        TOKEN_REJECTION_REASONS.contains(&err.code().as_str()),
                        "{err:?}"
                    )
                }
            }
        }
        assert_eq!(errors.len(), TOKEN_REJECTION_REASONS.len());
    }

    #[test]
    fn a_fresh_registry_exports_every_labelled_series_at_zero() {
        let text = super::Metrics::new().expect("valid").render();
        for line in [
            "casino_moves_total{kind=\"increase\",outcome=\"duplicate\"} 0",
            "casino_move_duration_seconds_count{kind=\"add\"} 0",
            "casino_heartbeat_failures_total{reason=\"unhealthy\"} 0",
            "casino_token_rejections_total{reason=\"SESSION_REVOKED\"} 0",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "{line} missing from:\n{text}"
            );
        }
    }

    #[test]
    fn every_metric_renders() {
        let m = super::Metrics::new().expect("valid");
        m.moves.with_label_values(&["trail", "applied"]).inc();
        m.heartbeat_failures.with_label_values(&["timeout"]).inc();
        m.token_rejections
            .with_label_values(&["TOKEN_BAD_SIGNATURE"])
            .inc();
        m.move_duration.with_label_values(&["trail"]).observe(0.01);
        let text = m.render();
        for name in [
            super::names::RECONNECTIONS_ATTEMPTED,
            super::names::MOVES,
            super::names::LOG_COMMIT_DURATION,
            super::names::ACTIVE_ROOMS,
        ] {
            assert!(text.contains(name), "{name} missing");
        }
    }

    #[test]
    fn two_instances_count_apart() {
        let (a, b) = (
            super::Metrics::new().expect("valid"),
            super::Metrics::new().expect("valid"),
        );
        a.active_rooms.inc();
        let sample = |m: &super::Metrics| {
            m.render()
                .lines()
                .find(|l| l.starts_with(super::names::ACTIVE_ROOMS))
                .map(str::to_owned)
        };
        assert_eq!(
            sample(&a),
            Some(format!("{} 1", super::names::ACTIVE_ROOMS))
        );
        assert_eq!(
            sample(&b),
            Some(format!("{} 0", super::names::ACTIVE_ROOMS))
        );
    }
}
