//! Wall-clock time as the protocol speaks it: milliseconds since the epoch.

use chrono::{DateTime, TimeZone, Utc};

/// Now, in ms since the epoch.
pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// A database timestamp as ms since the epoch.
pub fn to_ms(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// ms since the epoch as a database timestamp (out-of-range values clamp to the epoch).
pub fn from_ms(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}
