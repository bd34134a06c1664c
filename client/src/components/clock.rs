//! The room's one-second clock: the room screen starts it, and only the components that show
//! a countdown or a timer read it (so a tick redraws them, not the whole room).

use dioxus::prelude::*;

use crate::web::browser::{now_ms, sleep_ms};

/// This browser's time (ms since the epoch), renewed every second.
#[derive(Clone, Copy)]
struct Clock(Signal<i64>);

/// Starts the clock for the calling component's descendants.
pub fn use_clock_provider() {
    let mut now = use_signal(now_ms);
    use_future(move || async move {
        loop {
            sleep_ms(1_000).await;
            now.set(now_ms());
        }
    });
    use_context_provider(|| Clock(now));
}

/// The clock's time; the caller is redrawn on every tick.
pub fn use_clock() -> i64 {
    let Clock(now) = use_context::<Clock>();
    now()
}
