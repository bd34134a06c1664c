//! What the server process costs, read from Linux's `/proc`: resident memory and CPU time, so a
//! run can report memory per socket and the share of a core the server used.

use serde_json::{json, Value};

/// Clock ticks per second of `/proc/PID/stat`'s CPU times (Linux's USER_HZ, 100 on every
/// mainstream architecture).
const TICKS_PER_SEC: f64 = 100.0;

/// One reading of a process.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// Resident memory now, KiB.
    pub rss_kib: u64,
    /// Peak resident memory so far, KiB.
    pub hwm_kib: u64,
    /// User + system CPU time so far, seconds.
    pub cpu_s: f64,
    /// Open file descriptors (sockets included).
    pub fds: usize,
    /// When it was taken.
    pub at: std::time::Instant,
}

/// Reads process `pid`; `None` if it is gone or this is not Linux.
pub fn sample(pid: u32) -> Option<Sample> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse::<u64>().ok())
    };
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may contain spaces) start after the last ')'.
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of stat; `after` starts at field 3.
    let ticks = |i: usize| fields.get(i - 3).and_then(|n| n.parse::<u64>().ok());
    let cpu_s = (ticks(14)? + ticks(15)?) as f64 / TICKS_PER_SEC;
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count());
    Some(Sample {
        rss_kib: field("VmRSS:")?,
        hwm_kib: field("VmHWM:")?,
        cpu_s,
        fds,
        at: std::time::Instant::now(),
    })
}

/// The server's cost between two samples, as report JSON: memory at the start and end of the
/// window, its peak, CPU used as a share of one core, and memory per socket added since
/// `baseline` (the process before the load started), counting `sockets` sockets.
pub fn report(baseline: Option<Sample>, start: Sample, end: Sample, sockets: usize) -> Value {
    let secs = end.at.duration_since(start.at).as_secs_f64().max(1e-9);
    let per_socket = baseline
        .filter(|_| sockets > 0)
        .map(|b| (end.rss_kib.saturating_sub(b.rss_kib)) as f64 * 1024.0 / sockets as f64);
    json!({
        "rss_mib_start": start.rss_kib as f64 / 1024.0,
        "rss_mib_end": end.rss_kib as f64 / 1024.0,
        "rss_mib_peak": end.hwm_kib as f64 / 1024.0,
        "rss_mib_before_load": baseline.map(|b| b.rss_kib as f64 / 1024.0),
        "fds_end": end.fds,
        "cpu_s": end.cpu_s - start.cpu_s,
        "cpu_pct_of_core": 100.0 * (end.cpu_s - start.cpu_s) / secs,
        "bytes_per_socket": per_socket,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_process() {
        let s = sample(std::process::id()).expect("own /proc entry");
        assert!(s.rss_kib > 0 && s.hwm_kib >= s.rss_kib);
        assert!(s.fds > 0);
        assert!(sample(u32::MAX).is_none());
    }
}
