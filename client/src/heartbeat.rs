//! Connection health from pings and pongs (SPEC R3), free of timers: the socket owner calls
//! `poll` on a tick and `on_pong` when a pong arrives, and does what the answer says.

use crate::config::HeartbeatConfig;

/// How the link looks from the heartbeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    /// Pongs arrive.
    Healthy,
    /// No pong for a while; not yet given up.
    Unstable,
}

/// What the socket owner should do after a `poll`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeartbeatAction {
    /// Nothing.
    Idle,
    /// Send `ping {t}` with this client time.
    Ping(i64),
    /// Too many failures: drop the socket and reconnect.
    Reconnect,
}

/// The heartbeat of one socket; make a new one for each socket.
#[derive(Debug, Clone)]
pub struct Heartbeat {
    config: HeartbeatConfig,
    health: Health,
    next_ping_at: i64,
    outstanding: Option<i64>,
    last_pong_at: i64,
    successes: u32,
    failures: u32,
    rtt_ms: Option<i64>,
}

impl Heartbeat {
    /// A heartbeat for a socket that became usable at `now` (its first ping goes out at once).
    pub fn new(config: HeartbeatConfig, now: i64) -> Self {
        Self {
            config,
            health: Health::Healthy,
            next_ping_at: now,
            outstanding: None,
            last_pong_at: now,
            successes: 0,
            failures: 0,
            rtt_ms: None,
        }
    }

    /// Current health.
    pub fn health(&self) -> Health {
        self.health
    }

    /// Last measured round-trip time.
    pub fn rtt_ms(&self) -> Option<i64> {
        self.rtt_ms
    }

    /// Called on every tick of the socket owner's timer.
    pub fn poll(&mut self, now: i64) -> HeartbeatAction {
        if let Some(sent) = self.outstanding {
            if now - sent >= self.config.pong_timeout_ms as i64 {
                self.outstanding = None;
                self.failures += 1;
                self.successes = 0;
                if self.failures >= self.config.reconnect_after {
                    return HeartbeatAction::Reconnect;
                }
            }
        }
        if now - self.last_pong_at >= self.config.unstable_after_ms as i64 {
            self.health = Health::Unstable;
            self.successes = 0;
        }
        if now >= self.next_ping_at && self.outstanding.is_none() {
            self.outstanding = Some(now);
            self.next_ping_at = now + self.config.ping_interval_ms as i64;
            return HeartbeatAction::Ping(now);
        }
        HeartbeatAction::Idle
    }

    /// A pong echoing client time `t` arrived at `now`.
    pub fn on_pong(&mut self, t: i64, now: i64) {
        if self.outstanding != Some(t) {
            // A late answer to a ping already counted as failed: it still proves the link lives.
            self.last_pong_at = now;
            return;
        }
        self.outstanding = None;
        self.rtt_ms = Some((now - t).max(0));
        self.last_pong_at = now;
        self.failures = 0;
        self.successes += 1;
        if self.health == Health::Unstable && self.successes >= self.config.recover_after {
            self.health = Health::Healthy;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> HeartbeatConfig {
        HeartbeatConfig::default()
    }

    /// Pings at `now` and answers after `rtt` ms.
    fn round(hb: &mut Heartbeat, now: i64, rtt: i64) {
        match hb.poll(now) {
            HeartbeatAction::Ping(t) => hb.on_pong(t, now + rtt),
            other => panic!("expected a ping at {now}, got {other:?}"),
        }
    }

    #[test]
    fn pings_every_ten_seconds_and_measures_rtt() {
        let mut hb = Heartbeat::new(config(), 0);
        round(&mut hb, 0, 40);
        assert_eq!(hb.rtt_ms(), Some(40));
        assert_eq!(hb.poll(9_999), HeartbeatAction::Idle);
        assert_eq!(hb.poll(10_000), HeartbeatAction::Ping(10_000));
        assert_eq!(hb.health(), Health::Healthy);
    }

    #[test]
    fn unstable_after_fifteen_seconds_without_pong() {
        let mut hb = Heartbeat::new(config(), 0);
        assert_eq!(hb.poll(0), HeartbeatAction::Ping(0));
        // The first ping timed out at 10 s (one failure) and the next goes out.
        assert_eq!(hb.poll(14_999), HeartbeatAction::Ping(14_999));
        assert_eq!(hb.health(), Health::Healthy);
        hb.poll(15_000);
        assert_eq!(hb.health(), Health::Unstable);
    }

    #[test]
    fn three_successes_make_it_healthy_again() {
        let mut hb = Heartbeat::new(config(), 0);
        hb.poll(0);
        hb.poll(15_000);
        assert_eq!(hb.health(), Health::Unstable);
        // The ping sent at 15 s is answered, then two more.
        hb.on_pong(15_000, 15_050);
        assert_eq!(hb.health(), Health::Unstable);
        round(&mut hb, 25_000, 50);
        assert_eq!(hb.health(), Health::Unstable);
        round(&mut hb, 35_000, 50);
        assert_eq!(hb.health(), Health::Healthy);
    }

    #[test]
    fn three_failures_start_a_reconnection() {
        let mut hb = Heartbeat::new(config(), 0);
        let mut actions = Vec::new();
        let mut now = 0;
        while now <= 40_000 {
            let a = hb.poll(now);
            if a != HeartbeatAction::Idle {
                actions.push((now, a));
            }
            if a == HeartbeatAction::Reconnect {
                break;
            }
            now += 1_000;
        }
        assert_eq!(
            actions,
            [
                (0, HeartbeatAction::Ping(0)),
                (10_000, HeartbeatAction::Ping(10_000)),
                (20_000, HeartbeatAction::Ping(20_000)),
                (30_000, HeartbeatAction::Reconnect),
            ]
        );
    }

    #[test]
    fn a_success_resets_the_failure_count() {
        let mut hb = Heartbeat::new(config(), 0);
        hb.poll(0);
        hb.poll(10_000); // first failure, second ping
        hb.poll(20_000); // second failure, third ping
        hb.on_pong(20_000, 20_100);
        hb.poll(30_000);
        hb.poll(40_000);
        assert_eq!(
            hb.poll(41_000),
            HeartbeatAction::Idle,
            "two failures are not three"
        );
    }
}
