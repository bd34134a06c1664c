//! A token bucket: `burst` messages at once, `per_sec` in the long run. Pure (the caller passes
//! the time), so it is tested without sleeping. The server limits each socket's incoming
//! messages with it; the load generator paces its bots' sends with it, a little under the
//! server's.

use std::time::{Duration, Instant};

/// One connection's budget of incoming messages.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    capacity: f64,
    per_sec: f64,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket.
    pub fn new(burst: u32, per_sec: u32, now: Instant) -> Self {
        Self::with_rate(f64::from(burst), f64::from(per_sec), now)
    }

    /// A full bucket of `burst` tokens (at least one) refilled at `per_sec`, fractions allowed.
    pub fn with_rate(burst: f64, per_sec: f64, now: Instant) -> Self {
        let capacity = burst.max(1.0);
        Self {
            capacity,
            per_sec,
            tokens: capacity,
            last: now,
        }
    }

    /// How long after the last take a token will be there (zero when one is).
    pub fn wait(&self) -> Duration {
        let missing = (1.0 - self.tokens).max(0.0);
        if missing == 0.0 || self.per_sec <= 0.0 {
            return Duration::ZERO;
        }
        Duration::from_secs_f64(missing / self.per_sec)
    }

    /// Takes one token if there is one.
    pub fn try_take(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.per_sec).min(self.capacity);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_burst_then_the_refill_rate() {
        let t0 = Instant::now();
        let mut bucket = TokenBucket::new(3, 2, t0);
        assert!(bucket.try_take(t0));
        assert!(bucket.try_take(t0));
        assert!(bucket.try_take(t0));
        assert!(!bucket.try_take(t0));
        assert!(bucket.try_take(t0 + Duration::from_millis(500)));
        assert!(!bucket.try_take(t0 + Duration::from_millis(600)));
        // Refill never exceeds the burst.
        let later = t0 + Duration::from_secs(60);
        assert!((0..3).all(|_| bucket.try_take(later)));
        assert!(!bucket.try_take(later));
        // Empty at 2 a second: the next token is half a second away.
        assert_eq!(bucket.wait(), Duration::from_millis(500));
        assert!(bucket.try_take(later + bucket.wait()));
    }
}
