//! The reconnection state machine (SPEC R1, and beyond it), free of timers and sockets: the
//! socket owner tells it what happened and when, and it answers when to try next.
//!
//! Five quick attempts as R1 specifies (the first 250 ms after the drop, then 1, 2, 4 and 8 s
//! apart, each with up to 1 s of jitter; timings in `config.rs`); then "Disconnected" with a
//! manual Retry, while slow attempts go on by themselves for as long as the page is open (every
//! 15–20 s while the seat is kept, every minute after), so a player who comes out of a tunnel
//! or whose server restarted is back at the table without a click. No attempt runs, and none is
//! counted, while the browser says it is offline; the network coming back, the tab becoming
//! visible or getting the focus starts one at once.

use crate::config::BackoffConfig;

/// Where the connection lifecycle stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    /// Not connected yet (first connection of the page).
    Connecting,
    /// A `welcome` arrived on the current socket.
    Connected,
    /// Lost; quick attempt `attempt` of `max` is scheduled at `next_at` or running.
    Reconnecting {
        /// 1-based attempt number.
        attempt: u32,
        /// Quick attempts allowed.
        max: u32,
        /// When the attempt starts (ms, caller's clock).
        next_at: u64,
        /// Whether the attempt's socket is open already.
        in_flight: bool,
    },
    /// The quick attempts failed: a manual Retry is offered, and a slow attempt is scheduled at
    /// `next_at` or running.
    Disconnected {
        /// When the next slow attempt starts (ms, caller's clock).
        next_at: u64,
        /// Whether the attempt's socket is open already.
        in_flight: bool,
    },
    /// The player pressed "Leave" (or the session moved, or expired): never reconnect.
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

/// Reconnection with exponential backoff and jitter, then slow attempts.
#[derive(Debug, Clone)]
pub struct Reconnector {
    config: BackoffConfig,
    state: LinkState,
    /// The browser says there is no network.
    offline: bool,
    /// When the link was lost (the seat's return window runs from here).
    lost_at: Option<u64>,
    /// When the last attempt started.
    last_attempt_at: Option<u64>,
}

impl Reconnector {
    /// A machine for a page that is about to open its first socket.
    pub fn new(config: BackoffConfig) -> Self {
        Self {
            config,
            state: LinkState::Connecting,
            offline: false,
            lost_at: None,
            last_attempt_at: None,
        }
    }

    /// The current state.
    pub fn state(&self) -> LinkState {
        self.state
    }

    /// Whether the browser says it is offline (no attempt runs meanwhile).
    pub fn offline(&self) -> bool {
        self.offline
    }

    /// Until when the server keeps this player's seat, if the link is down (caller's clock).
    pub fn seat_kept_until(&self) -> Option<u64> {
        match self.state {
            LinkState::Reconnecting { .. } | LinkState::Disconnected { .. } => self
                .lost_at
                .map(|at| at.saturating_add(self.config.seat_kept_ms)),
            _ => None,
        }
    }

    /// The server said how long it keeps a seat after a drop (`welcome`).
    pub fn set_seat_kept_ms(&mut self, ms: u64) {
        if ms > 0 {
            self.config.seat_kept_ms = ms;
        }
    }

    /// The wait after `failures` failed quick attempts (1-based): base·2^(failures−1) plus
    /// `jitter_ms` (taken modulo the jitter range), capped.
    pub fn delay_after(&self, failures: u32, jitter_ms: u64) -> u64 {
        let exp = failures.saturating_sub(1).min(20);
        let base = self.config.base_ms.saturating_mul(1 << exp);
        let jitter = jitter_ms % (self.config.max_jitter_ms + 1);
        base.saturating_add(jitter).min(self.config.cap_ms)
    }

    /// The wait before the next slow attempt at `now`: short while the seat is kept, long after.
    pub fn slow_delay(&self, now: u64, jitter_ms: u64) -> u64 {
        let kept = self
            .lost_at
            .is_none_or(|at| now < at.saturating_add(self.config.seat_kept_ms));
        if kept {
            let jitter = jitter_ms % (self.config.slow_jitter_ms + 1);
            self.config.slow_ms.saturating_add(jitter)
        } else {
            self.config.late_ms
        }
    }

    /// The socket got its `welcome`: the link is up and the attempt count resets.
    pub fn on_welcome(&mut self) {
        if self.state != LinkState::Stopped {
            self.state = LinkState::Connected;
            self.lost_at = None;
        }
    }

    /// The socket closed (or a heartbeat declared it dead) without the player asking.
    /// `jitter_ms` comes from the caller's random source.
    pub fn on_close(&mut self, now: u64, jitter_ms: u64) {
        self.state = match self.state {
            LinkState::Stopped => LinkState::Stopped,
            LinkState::Connecting | LinkState::Connected => {
                self.lost_at.get_or_insert(now);
                self.quick(1, now + self.config.first_attempt_ms)
            }
            // A close of a socket we no longer own: keep the schedule.
            state @ (LinkState::Reconnecting {
                in_flight: false, ..
            }
            | LinkState::Disconnected {
                in_flight: false, ..
            }) => state,
            // An attempt made while the browser was offline does not count.
            LinkState::Reconnecting { attempt, .. } if self.offline => {
                self.quick(attempt, now + self.config.first_attempt_ms)
            }
            LinkState::Reconnecting { attempt, max, .. } if attempt < max => {
                self.quick(attempt + 1, now + self.delay_after(attempt, jitter_ms))
            }
            LinkState::Reconnecting { .. } | LinkState::Disconnected { .. } => {
                LinkState::Disconnected {
                    next_at: now + self.slow_delay(now, jitter_ms),
                    in_flight: false,
                }
            }
        };
    }

    fn quick(&self, attempt: u32, next_at: u64) -> LinkState {
        LinkState::Reconnecting {
            attempt,
            max: self.config.max_attempts,
            next_at,
            in_flight: false,
        }
    }

    /// Called by the timer: whether to open a socket now. Never while offline.
    pub fn poll(&mut self, now: u64) -> BackoffAction {
        if self.offline {
            return BackoffAction::Wait;
        }
        let next = match self.state {
            LinkState::Reconnecting {
                attempt,
                max,
                next_at,
                in_flight: false,
            } if now >= next_at => LinkState::Reconnecting {
                attempt,
                max,
                next_at,
                in_flight: true,
            },
            LinkState::Disconnected {
                next_at,
                in_flight: false,
            } if now >= next_at => LinkState::Disconnected {
                next_at,
                in_flight: true,
            },
            _ => return BackoffAction::Wait,
        };
        self.state = next;
        self.last_attempt_at = Some(now);
        BackoffAction::Connect
    }

    /// When the next attempt is due, if one is scheduled and not running.
    pub fn next_at(&self) -> Option<u64> {
        match self.state {
            LinkState::Reconnecting {
                next_at,
                in_flight: false,
                ..
            }
            | LinkState::Disconnected {
                next_at,
                in_flight: false,
            } => Some(next_at),
            _ => None,
        }
    }

    /// Whether an attempt's socket is open (waiting for its `welcome` or its failure).
    pub fn in_flight(&self) -> bool {
        matches!(
            self.state,
            LinkState::Reconnecting {
                in_flight: true,
                ..
            } | LinkState::Disconnected {
                in_flight: true,
                ..
            }
        )
    }

    /// The browser went offline (`false`) or online (`true`, which brings the next attempt
    /// forward to `now`).
    pub fn set_online(&mut self, online: bool, now: u64) {
        self.offline = !online;
        if online {
            self.wake(now);
        }
    }

    /// Something says the network may work now (it came back, the tab became visible, the
    /// page got the focus): the next attempt starts at once, unless one started moments ago.
    pub fn wake(&mut self, now: u64) {
        let recent = self
            .last_attempt_at
            .is_some_and(|at| now < at.saturating_add(self.config.wake_gap_ms));
        if recent {
            return;
        }
        self.state = match self.state {
            LinkState::Reconnecting {
                attempt,
                max,
                next_at,
                in_flight: false,
            } => LinkState::Reconnecting {
                attempt,
                max,
                next_at: next_at.min(now),
                in_flight: false,
            },
            LinkState::Disconnected {
                next_at,
                in_flight: false,
            } => LinkState::Disconnected {
                next_at: next_at.min(now),
                in_flight: false,
            },
            state => state,
        };
    }

    /// The player pressed Retry after "Disconnected": a fresh round of quick attempts, starting
    /// now. Ignored while an attempt runs, so the button cannot stack attempts.
    pub fn retry(&mut self, now: u64) -> bool {
        if !matches!(
            self.state,
            LinkState::Disconnected {
                in_flight: false,
                ..
            }
        ) {
            return false;
        }
        self.state = self.quick(1, now);
        true
    }

    /// The player left (or the session moved elsewhere, or expired): no more reconnection.
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

    /// A machine whose five quick attempts failed, the link lost at 0.
    fn given_up() -> Reconnector {
        let mut r = machine();
        r.on_welcome();
        r.on_close(0, 0);
        for _ in 0..5 {
            fail_attempt(&mut r, 0);
        }
        assert!(matches!(r.state(), LinkState::Disconnected { .. }));
        r
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
        assert!(matches!(r.state(), LinkState::Disconnected { .. }));
        let gaps: Vec<u64> = times.windows(2).map(|w| w[1] - w[0]).collect();
        assert_eq!(gaps, [1_300, 2_300, 4_300, 8_300]);
    }

    #[test]
    fn after_the_quick_attempts_slow_ones_go_on_while_the_seat_is_kept() {
        let mut r = given_up();
        for _ in 0..10 {
            let at = fail_attempt(&mut r, 2_000);
            assert!(matches!(r.state(), LinkState::Disconnected { .. }));
            let next = r.next_at().expect("another slow attempt");
            assert_eq!(next - at, 17_000, "15 s plus the jitter");
        }
        // Past the seat's five minutes: once a minute, still.
        let mut late = given_up();
        assert_eq!(late.poll(300_000), BackoffAction::Connect);
        late.on_close(300_000, 2_000);
        assert_eq!(late.next_at(), Some(360_000));
    }

    #[test]
    fn slow_jitter_is_bounded() {
        let r = given_up();
        assert_eq!(r.slow_delay(20_000, 0), 15_000);
        assert_eq!(r.slow_delay(20_000, 5_000), 20_000);
        assert_eq!(r.slow_delay(20_000, 5_001), 15_000);
        assert_eq!(r.slow_delay(300_000, 0), 60_000);
    }

    #[test]
    fn welcome_resets_the_attempts_and_the_seat_window() {
        let mut r = machine();
        r.on_welcome();
        r.on_close(0, 0);
        assert_eq!(r.seat_kept_until(), Some(300_000));
        fail_attempt(&mut r, 0);
        let at = r.next_at().expect("scheduled");
        assert_eq!(r.poll(at), BackoffAction::Connect);
        r.on_welcome();
        assert_eq!(r.state(), LinkState::Connected);
        assert_eq!(r.seat_kept_until(), None);
        r.on_close(at + 5, 0);
        assert!(matches!(
            r.state(),
            LinkState::Reconnecting { attempt: 1, .. }
        ));
        assert_eq!(r.seat_kept_until(), Some(at + 5 + 300_000));
    }

    #[test]
    fn the_server_sets_the_seat_window() {
        let mut r = machine();
        r.set_seat_kept_ms(20_000);
        r.on_welcome();
        r.on_close(1_000, 0);
        assert_eq!(r.seat_kept_until(), Some(21_000));
        r.set_seat_kept_ms(0);
        assert_eq!(r.seat_kept_until(), Some(21_000), "0 is no answer");
    }

    #[test]
    fn manual_retry_only_when_disconnected_and_not_twice() {
        let mut r = machine();
        r.on_welcome();
        assert!(!r.retry(0), "no retry while connected");
        r.on_close(0, 0);
        assert!(!r.retry(0), "no retry during the quick attempts");
        for _ in 0..5 {
            fail_attempt(&mut r, 0);
        }
        assert!(r.retry(100));
        assert!(!r.retry(100), "Retry is disabled while a retry runs");
        assert_eq!(r.poll(100), BackoffAction::Connect);
        assert!(!r.retry(150), "nor while its socket is open");
        r.on_welcome();
        assert_eq!(r.state(), LinkState::Connected);
    }

    #[test]
    fn retry_during_a_slow_attempt_waits_for_it() {
        let mut r = given_up();
        let at = r.next_at().expect("scheduled");
        assert_eq!(r.poll(at), BackoffAction::Connect);
        assert!(!r.retry(at + 10));
        r.on_close(at + 20, 0);
        assert!(r.retry(at + 30));
        assert!(matches!(
            r.state(),
            LinkState::Reconnecting { attempt: 1, .. }
        ));
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
        r.set_online(true, 0);
        assert_eq!(r.poll(u64::MAX), BackoffAction::Wait);
        r.on_welcome();
        assert_eq!(r.state(), LinkState::Stopped);
    }

    #[test]
    fn nothing_is_tried_or_counted_while_offline() {
        let mut r = machine();
        r.on_welcome();
        r.set_online(false, 0);
        r.on_close(0, 0);
        for t in (0..120_000).step_by(200) {
            assert_eq!(r.poll(t), BackoffAction::Wait, "no attempt at {t} ms");
        }
        assert!(matches!(
            r.state(),
            LinkState::Reconnecting { attempt: 1, .. }
        ));
        // An attempt already running when the network went fails: it is not counted either.
        r.set_online(true, 120_000);
        assert_eq!(
            r.poll(120_000),
            BackoffAction::Connect,
            "online: try at once"
        );
        r.set_online(false, 120_050);
        r.on_close(120_100, 0);
        assert!(matches!(
            r.state(),
            LinkState::Reconnecting { attempt: 1, .. }
        ));
    }

    #[test]
    fn going_online_tries_at_once_even_after_giving_up() {
        let mut r = given_up();
        r.set_online(false, 40_000);
        assert_eq!(r.poll(200_000), BackoffAction::Wait);
        r.set_online(true, 200_000);
        assert!(r.next_at().is_some_and(|at| at <= 200_000), "due now");
        assert_eq!(r.poll(200_000), BackoffAction::Connect);
    }

    #[test]
    fn going_online_brings_a_quick_attempt_forward() {
        let mut r = machine();
        r.on_welcome();
        r.on_close(0, 0);
        fail_attempt(&mut r, 0);
        fail_attempt(&mut r, 0);
        r.set_online(true, 2_500);
        assert_eq!(r.next_at(), Some(2_500));
    }

    #[test]
    fn waking_tries_at_once_but_not_twice_in_a_second() {
        let mut r = given_up();
        let due = r.next_at().expect("scheduled");
        let now = due - 10_000;
        r.wake(now);
        assert_eq!(r.next_at(), Some(now));
        assert_eq!(r.poll(now), BackoffAction::Connect);
        r.on_close(now + 100, 0);
        let next = r.next_at().expect("scheduled again");
        r.wake(now + 500);
        assert_eq!(
            r.next_at(),
            Some(next),
            "a focus right after an attempt waits"
        );
        r.wake(now + 1_000);
        assert_eq!(r.next_at(), Some(now + 1_000));
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

    #[test]
    fn a_stale_close_keeps_the_schedule() {
        let mut r = given_up();
        let due = r.next_at();
        r.on_close(1, 0);
        assert_eq!(r.next_at(), due);
    }
}
