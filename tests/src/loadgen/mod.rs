//! The load generator's parts: options, shared statistics, bots and the consistency check.
//! The binary is `tests/src/bin/loadgen.rs`; README.md ("Load generator") describes its use.

pub mod bot;
pub mod check;
pub mod process;
pub mod stats;

use std::time::Duration;

use clap::Parser;

/// Plays many rooms of Casino against a server over the documented protocol and checks that
/// every acknowledged move is in the log exactly once and that each room replays to the state
/// its players saw.
#[derive(Debug, Clone, Parser)]
#[command(name = "loadgen", version)]
pub struct Options {
    /// Server to load (loopback only), e.g. http://127.0.0.1:8080.
    #[arg(long, conflicts_with = "spawn")]
    pub url: Option<String>,
    /// Start `casino-server` as a child process on a free port with a temporary SQLite database.
    #[arg(long)]
    pub spawn: bool,
    /// The server binary for --spawn (default: casino-server beside this binary).
    #[arg(long)]
    pub server_bin: Option<String>,
    /// Database the server writes, read for the consistency check (default with --spawn: the
    /// spawned server's). Without one the check is skipped.
    #[arg(long)]
    pub database_url: Option<String>,
    /// Rooms played at the same time (two bots each); a finished match is followed by a new room.
    #[arg(long, default_value_t = 10)]
    pub rooms: usize,
    /// How long to play (e.g. 30s, 2m, 500ms); default 30s unless --matches is given.
    #[arg(long, value_parser = parse_duration)]
    pub duration: Option<Duration>,
    /// Stop after this many matches were started (each runs to its end).
    #[arg(long)]
    pub matches: Option<u64>,
    /// Hard limit on the whole run, whatever else is set.
    #[arg(long, value_parser = parse_duration, default_value = "10m")]
    pub max_time: Duration,
    /// Mean think time before a move (uniformly 0.5x to 1.5x of it).
    #[arg(long, value_parser = parse_duration, default_value = "50ms")]
    pub think: Duration,
    /// Probability per move of dropping the socket abruptly right after sending the move, then
    /// reconnecting with the stored token and `last_seq` and resending the move.
    #[arg(long, default_value_t = 0.0)]
    pub drop_rate: f64,
    /// Probability per move of sending it twice with the same `action_id`.
    #[arg(long, default_value_t = 0.0)]
    pub duplicate_rate: f64,
    /// Extra sockets that only send `ping` (seated in extra rooms that never move).
    #[arg(long, default_value_t = 0)]
    pub idle_sockets: usize,
    /// Interval between pings, on every socket.
    #[arg(long, value_parser = parse_duration, default_value = "10s")]
    pub ping_interval: Duration,
    /// The server's per-socket rate limit (CASINO_RATE_PER_SEC); bots stay under it.
    #[arg(long, default_value_t = 10.0)]
    pub rate_per_sec: f64,
    /// The server's per-socket burst (CASINO_RATE_BURST).
    #[arg(long, default_value_t = 20.0)]
    pub rate_burst: f64,
    /// Variants for every room (e.g. V-TARGET-11, V-SINGLE-HAND); repeat the option.
    #[arg(long = "variant")]
    pub variants: Vec<String>,
    /// Seed of the bots' random choices (moves, think times, drops).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Time at the start excluded from the report's latencies and moves/s; the rooms start
    /// spread evenly over it, so their matches do not all end at once. The consistency check
    /// still covers the whole run.
    #[arg(long, value_parser = parse_duration, default_value = "0s")]
    pub warmup: Duration,
    /// Extra environment of the server started by --spawn, e.g. --server-env
    /// DATABASE_URL=postgres://… or --server-env CASINO_RATE_PER_SEC=50; repeat the option.
    /// With --spawn: kill the server with SIGKILL this often and start it again on the same
    /// address and database, under load (crash survival; the consistency check still applies).
    #[arg(long, value_parser = parse_duration, requires = "spawn")]
    pub kill_every: Option<Duration>,
    #[arg(long = "server-env", value_parser = parse_key_value)]
    pub server_env: Vec<(String, String)>,
    /// Process id of the server given by --url, to report its memory and CPU (Linux /proc);
    /// with --spawn the child's is used.
    #[arg(long)]
    pub server_pid: Option<u32>,
    /// Print the final report as JSON on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Parses `KEY=VALUE`.
pub fn parse_key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
        _ => Err(format!("expected KEY=VALUE, got {text:?}")),
    }
}

/// Parses `250ms`, `30s`, `2m`, `1h` or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("not a duration: {text:?} (e.g. 30s, 500ms, 2m)"))?;
    let secs = match unit {
        "ms" => value / 1000.0,
        "" | "s" => value,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        _ => return Err(format!("unknown unit {unit:?} in {text:?} (ms, s, m, h)")),
    };
    if !secs.is_finite() || secs < 0.0 {
        return Err(format!("not a duration: {text:?}"));
    }
    Ok(Duration::from_secs_f64(secs))
}
