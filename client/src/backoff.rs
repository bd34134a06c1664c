//! The reconnection state machine (SPEC R1), free of timers and sockets: the socket owner tells
//! it what happened and when, and it answers when to try next.

use crate::config::BackoffConfig;

/// Where the connection lifecycle stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    /// Not connected yet (first connection of the page).
    Connecting,
    /// A `welcome` arrived on the current socket.
    Connected,
    /// Lost; attempt `attempt` of `max` is scheduled at `next_at` or running.
    Reconnecting {
        /// 1-based attempt number.
        attempt: u32,
        /// Attempts allowed.
        max: u32,
        /// When the attempt starts (ms, caller's clock).
        next_at: u64,
        /// Whether the attempt's socket is open already.
        in_flight: bool,
    },
    /// Gave up; a manual retry is offered.
    Disconnected,
    /// The player pressed "Leave" (or the session moved): never reconnect.
    Stopped,
}

/// What the socket owner should do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackoffAction {
    /// Nothing yet.
    Wait,
    /// Open a new socket now.
    Connect,
}

/// Reconnection with exponential backoff and jitter.
#[derive(Debug, Clone)]
pub struct Reconnector {
    config: BackoffConfig,
    state: LinkState,
}

impl Reconnector {
    /// A machine for a page that is about to open its first socket.
    pub fn new(config: BackoffConfig) -> Self {
        Self {
            config,
            state: LinkState::Connecting,
        }
    }

    /// The current state.
    pub fn state(&self) -> LinkState {
        self.state
    }

    /// The wait after `failures` failed attempts (1-based): base·2^(failures−1) plus
    /// `jitter_ms` (taken modulo the jitter range), capped.
    pub fn delay_after(&self, failures: u32, jitter_ms: u64) -> u64 {
        let exp = failures.saturating_sub(1).min(20);
        let base = self.config.base_ms.saturating_mul(1 << exp);
        let jitter = jitter_ms % (self.config.max_jitter_ms + 1);
        base.saturating_add(jitter).min(self.config.cap_ms)
    }

    /// The socket got its `welcome`: the link is up and the attempt count resets.
    pub fn on_welcome(&mut self) {
        if self.state != LinkState::Stopped {
            self.state = LinkState::Connected;
        }
    }

    /// The socket closed (or a heartbeat declared it dead) without the player asking.
    /// `jitter_ms` comes from the caller's random source.
    pub fn on_close(&mut self, now: u64, jitter_ms: u64) {
        self.state = match self.state {
            LinkState::Stopped => LinkState::Stopped,
            LinkState::Disconnected => LinkState::Disconnected,
            LinkState::Connecting | LinkState::Connected => LinkState::Reconnecting {
                attempt: 1,
                max: self.config.max_attempts,
                next_at: now + self.config.first_attempt_ms,
                in_flight: false,
            },
            LinkState::Reconnecting {
                attempt,
                max,
                in_flight,
                next_at,
            } => {
                if !in_flight {
                    // A close of a socket we no longer own: keep the schedule.
                    LinkState::Reconnecting {
                        attempt,
                        max,
                        next_at,
                        in_flight,
                    }
                } else if attempt >= max {
                    LinkState::Disconnected
                } else {
                    LinkState::Reconnecting {
                        attempt: attempt + 1,
                        max,
                        next_at: now + self.delay_after(attempt, jitter_ms),
                        in_flight: false,
                    }
                }
            }
        };
    }

    /// Called by the timer: whether to open a socket now.
    pub fn poll(&mut self, now: u64) -> BackoffAction {
        match self.state {
            LinkState::Reconnecting {
                attempt,
                max,
                next_at,
                in_flight: false,
            } if now >= next_at => {
                self.state = LinkState::Reconnecting {
                    attempt,
                    max,
                    next_at,
                    in_flight: true,
                };
                BackoffAction::Connect
            }
            _ => BackoffAction::Wait,
        }
    }

    /// When `poll` next wants to be called, if a reconnection is scheduled.
    pub fn next_at(&self) -> Option<u64> {
        match self.state {
            LinkState::Reconnecting {
                next_at,
                in_flight: false,
                ..
            } => Some(next_at),
            _ => None,
        }
    }

    /// The browser says the network is back: try at once instead of waiting out the delay.
    pub fn on_online(&mut self, now: u64) {
        if let LinkState::Reconnecting {
            attempt,
            max,
            in_flight: false,
            ..
        } = self.state
        {
            self.state = LinkState::Reconnecting {
                attempt,
                max,
                next_at: now,
                in_flight: false,
            };
        }
    }

    /// The player pressed Retry after "Disconnected": a fresh round of attempts, starting now.
    /// Ignored while a round runs, so the button cannot stack attempts.
    pub fn retry(&mut self, now: u64) -> bool {
        if self.state != LinkState::Disconnected {
            return false;
        }
        self.state = LinkState::Reconnecting {
            attempt: 1,
            max: self.config.max_attempts,
            next_at: now,
            in_flight: false,
        };
        true
    }

    /// The player left (or the session moved elsewhere): no more reconnection, ever.
    pub fn stop(&mut self) {
        self.state = LinkState::Stopped;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine() -> Reconnector {
        Reconnector::new(BackoffConfig::default())
    }

    /// Runs one failed attempt: polls at its time, then closes the socket.
    fn fail_attempt(r: &mut Reconnector, jitter: u64) -> u64 {
        let at = r.next_at().expect("an attempt is scheduled");
        assert_eq!(r.poll(at), BackoffAction::Connect);
        r.on_close(at, jitter);
        at
    }

    #[test]
    fn delays_double_from_one_second_and_cap_at_sixteen() {
        let r = machine();
        let delays: Vec<u64> = (1..=6).map(|n| r.delay_after(n, 0)).collect();
        assert_eq!(delays, [1_000, 2_000, 4_000, 8_000, 16_000, 16_000]);
        assert_eq!(r.delay_after(1, 999), 1_999);
        assert_eq!(r.delay_after(5, 999), 16_000, "jitter never passes the cap");
        assert_eq!(r.delay_after(2, 1_000), 3_000);
        assert_eq!(
            r.delay_after(2, 1_001),
            2_000,
            "jitter is taken modulo 0..=1000"
        );
    }

    #[test]
    fn first_attempt_starts_within_one_second_of_an_unexpected_close() {
        let mut r = machine();
        r.on_welcome();
        r.on_close(10_000, 500);
        let at = r.next_at().expect("scheduled");
        assert!(at - 10_000 <= 1_000);
        assert_eq!(r.poll(at - 1), BackoffAction::Wait);
        assert_eq!(r.poll(at), BackoffAction::Connect);
        assert_eq!(r.poll(at), BackoffAction::Wait, "one socket per attempt");
    }

    #[test]
    fn five_failed_attempts_end_in_disconnected_with_growing_waits() {
        let mut r = machine();
        r.on_welcome();
        r.on_close(0, 0);
        let mut times = Vec::new();
        for n in 1..=5 {
            assert!(
                matches!(r.state(), LinkState::Reconnecting { attempt, max: 5, .. } if attempt == n)
            );
            times.push(fail_attempt(&mut r, 300));
        }
        assert_eq!(r.state(), LinkState::Disconnected);
        let gaps: Vec<u64> = times.windows(2).map(|w| w[1] - w[0]).collect();
        assert_eq!(gaps, [1_300, 2_300, 4_300, 8_300]);
        assert_eq!(r.poll(u64::MAX), BackoffAction::Wait);
    }

    #[test]
    fn welcome_resets_the_attempts() {
        let mut r = machine();
        r.on_welcome();
        r.on_close(0, 0);
        fail_attempt(&mut r, 0);
        let at = r.next_at().expect("scheduled");
        assert_eq!(r.poll(at), BackoffAction::Connect);
        r.on_welcome();
        assert_eq!(r.state(), LinkState::Connected);
        r.on_close(at + 5, 0);
        assert!(matches!(
            r.state(),
            LinkState::Reconnecting { attempt: 1, .. }
        ));
    }

    #[test]
    fn manual_retry_only_from_disconnected_and_not_twice() {
        let mut r = machine();
        r.on_welcome();
        assert!(!r.retry(0), "no retry while connected");
        r.on_close(0, 0);
        for _ in 0..5 {
            fail_attempt(&mut r, 0);
        }
        assert!(r.retry(100));
        assert!(!r.retry(100), "Retry is disabled while a retry runs");
        assert_eq!(r.poll(100), BackoffAction::Connect);
        r.on_welcome();
        assert_eq!(r.state(), LinkState::Connected);
    }

    #[test]
    fn no_reconnection_after_leave() {
        let mut r = machine();
        r.on_welcome();
        r.stop();
        r.on_close(0, 0);
        assert_eq!(r.state(), LinkState::Stopped);
        assert_eq!(r.next_at(), None);
        assert!(!r.retry(0));
        r.on_welcome();
        assert_eq!(r.state(), LinkState::Stopped);
    }

    #[test]
    fn going_online_brings_the_next_attempt_forward() {
        let mut r = machine();
        r.on_welcome();
        r.on_close(0, 0);
        fail_attempt(&mut r, 0);
        fail_attempt(&mut r, 0);
        r.on_online(1_500);
        assert_eq!(r.next_at(), Some(1_500));
    }

    #[test]
    fn a_failed_first_connection_also_backs_off() {
        let mut r = machine();
        r.on_close(0, 0);
        assert!(matches!(
            r.state(),
            LinkState::Reconnecting { attempt: 1, .. }
        ));
    }
}
