//! The server's game sockets against `CASINO_MAX_CONNECTIONS`: one counter, one check. The
//! upgrade takes a slot before any database work (a full server refuses a crowd of retries
//! cheaply); the connection holds it and gives it back when it is dropped, however it ends.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::metrics::Metrics;

/// Slots for the game sockets of one server.
pub struct SocketSlots {
    open: AtomicUsize,
    max: usize,
    metrics: Arc<Metrics>,
}

/// One socket's slot, given back on drop.
pub struct SocketSlot(Arc<SocketSlots>);

impl SocketSlots {
    /// Room for `max` sockets, counted in `metrics`' open-connections gauge.
    pub fn new(max: usize, metrics: Arc<Metrics>) -> Arc<Self> {
        Arc::new(Self {
            open: AtomicUsize::new(0),
            max,
            metrics,
        })
    }

    /// A slot, or `None` when `max` sockets are open already.
    pub fn take(self: &Arc<Self>) -> Option<SocketSlot> {
        if self.open.fetch_add(1, Ordering::AcqRel) >= self.max {
            self.open.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        self.metrics.active_connections.inc();
        Some(SocketSlot(self.clone()))
    }

    /// Sockets open now.
    pub fn open(&self) -> usize {
        self.open.load(Ordering::Acquire)
    }
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::AcqRel);
        self.0.metrics.active_connections.dec();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_bounded_and_come_back_when_dropped() {
        let metrics = Arc::new(Metrics::new().expect("metrics"));
        let slots = SocketSlots::new(2, metrics.clone());
        let (a, b) = (slots.take(), slots.take());
        assert!(a.is_some() && b.is_some());
        assert!(slots.take().is_none(), "a third socket is refused");
        assert_eq!(slots.open(), 2);
        assert_eq!(metrics.active_connections.get(), 2);
        drop(a);
        assert_eq!(slots.open(), 1);
        assert_eq!(metrics.active_connections.get(), 1);
        assert!(slots.take().is_some(), "a freed slot is usable");
    }
}
