//! Load generator: plays many rooms of Casino over the documented protocol (docs/API.md)
//! with random legal moves, drops and duplicate resends, then checks the server's log.
//! `cargo run --release -p tests --bin loadgen -- --help`; README.md "Load generator".

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{anyhow, bail, Context};
use clap::Parser;
use tests::child::ChildServer;
use tests::loadgen::bot::{idle_socket, Bot, BotConfig, BotOutcome};
use tests::loadgen::check::{check, RoomRecord};
use tests::loadgen::process;
use tests::loadgen::stats::{self, SharedStats};
use tests::loadgen::Options;
use tests::{TempDir, TestServer};
use tokio::time::Instant;

/// Parses `http://127.0.0.1:PORT`; only loopback addresses are accepted.
fn loopback_addr(url: &str) -> anyhow::Result<SocketAddr> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| anyhow!("--url must start with http://"))?;
    let addr: SocketAddr = rest
        .trim_end_matches('/')
        .parse()
        .with_context(|| format!("--url {url}: expected http://127.0.0.1:PORT"))?;
    if !addr.ip().is_loopback() {
        bail!("--url {url}: the load generator only targets loopback addresses");
    }
    Ok(addr)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// Every `every`, kills the server with SIGKILL and starts it again on `addr` with `env`, until
/// `stopping`; counts the kills.
async fn kill_and_restart(
    child: Arc<Mutex<Option<ChildServer>>>,
    bin: String,
    env: Vec<(String, String)>,
    addr: SocketAddr,
    every: Duration,
    stopping: Arc<AtomicBool>,
    kills: Arc<AtomicU64>,
) {
    loop {
        let until = Instant::now() + every;
        while Instant::now() < until {
            if stopping.load(Ordering::Relaxed) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        if let Some(running) = lock(&child).take() {
            if let Err(err) = running.kill() {
                log::warn!("cannot kill the server: {err:#}");
            }
            kills.fetch_add(1, Ordering::Relaxed);
        }
        let (bin, env) = (bin.clone(), env.clone());
        let started = tokio::task::spawn_blocking(move || {
            let env: Vec<(&str, &str)> =
                env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            ChildServer::spawn_at(&bin, &env, addr)
        })
        .await;
        match started {
            Ok(Ok(server)) => *lock(&child) = Some(server),
            Ok(Err(err)) => log::error!("cannot restart the server: {err:#}"),
            Err(err) => log::error!("cannot restart the server: {err}"),
        }
    }
}

/// Plays one room to its end (or to the stop), then takes both bots' final state.
async fn play_room(
    server: Arc<TestServer>,
    config: BotConfig,
    variants: Vec<String>,
    seed: u64,
) -> anyhow::Result<RoomRecord> {
    let variants: Vec<&str> = variants.iter().map(String::as_str).collect();
    let a = server.create_room("BotA", &variants).await?;
    let b = server.join(&a.room, "BotB").await?;
    config.stats.lock().rooms_created += 1;
    let mut bots = [
        Bot::new(config.clone(), 0, a.room.clone(), a.token, seed),
        Bot::new(
            config.clone(),
            1,
            a.room.clone(),
            b.token,
            seed ^ 0x9e37_79b9,
        ),
    ];
    let [bot0, bot1] = &mut bots;
    let (r0, r1) = tokio::join!(bot0.run(), bot1.run());
    let mut failed = [r0.err(), r1.err()];
    for (bot, failed) in bots.iter_mut().zip(failed.iter_mut()) {
        if failed.is_none() {
            if let Err(err) = bot.final_sync().await {
                *failed = Some(err);
            }
        }
    }
    let [bot0, bot1] = bots;
    let [f0, f1] = failed;
    let outcomes: Vec<BotOutcome> = vec![
        bot0.outcome(f0.map(|e| format!("{e:#}"))),
        bot1.outcome(f1.map(|e| format!("{e:#}"))),
    ];
    if outcomes.iter().any(|o| o.game_over) {
        config.stats.lock().matches_finished += 1;
    }
    for outcome in &outcomes {
        if let Some(err) = &outcome.failed {
            config.stats.error("client:bot_failed");
            log::warn!("room {} seat {}: {err}", a.room, outcome.seat);
        }
    }
    Ok(RoomRecord {
        code: a.room,
        bots: outcomes,
    })
}

/// The server under load: spawned (and killed and restarted with `--kill-every`), or given.
struct Target {
    server: Arc<TestServer>,
    database_url: Option<String>,
    child: Arc<Mutex<Option<ChildServer>>>,
    given_pid: Option<u32>,
    kills: Arc<AtomicU64>,
    /// Set once the rooms are done: no more kills.
    stopping: Arc<AtomicBool>,
    restarts: Option<actix_web::rt::task::JoinHandle<()>>,
    /// The spawned server's database and empty static folder.
    _dir: TempDir,
}

impl Target {
    async fn new(options: &Options) -> anyhow::Result<Self> {
        let mut target = Self {
            server: Arc::new(TestServer::at(SocketAddr::from(([127, 0, 0, 1], 0)))),
            database_url: options.database_url.clone(),
            child: Arc::default(),
            given_pid: options.server_pid,
            kills: Arc::default(),
            stopping: Arc::default(),
            restarts: None,
            _dir: TempDir::new()?,
        };
        let addr = if options.spawn {
            target.spawn(options)?
        } else {
            let url = options
                .url
                .as_deref()
                .ok_or_else(|| anyhow!("give --url http://127.0.0.1:PORT or --spawn"))?;
            loopback_addr(url)?
        };
        target.server = Arc::new(TestServer::at(addr));
        Ok(target)
    }

    /// Starts the server (and its killer), returns its address.
    fn spawn(&mut self, options: &Options) -> anyhow::Result<SocketAddr> {
        let url = self._dir.sqlite_url("loadgen.db");
        let bin = options
            .server_bin
            .clone()
            .unwrap_or_else(|| tests::child::server_bin_beside_me("debug"));
        let static_dir = self._dir.path().join("no-static").display().to_string();
        let mut env: Vec<(String, String)> = vec![
            ("DATABASE_URL".to_owned(), url.clone()),
            ("CASINO_STATIC_DIR".to_owned(), static_dir),
        ];
        env.extend(options.server_env.iter().cloned());
        // A DATABASE_URL in --server-env replaces the SQLite file; --database-url wins for the
        // consistency check.
        let url = options
            .server_env
            .iter()
            .find(|(k, _)| k == "DATABASE_URL")
            .map_or(url, |(_, v)| v.clone());
        let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let spawned = ChildServer::spawn(&bin, &pairs)
            .with_context(|| format!("start {bin} (build it, or pass --server-bin)"))?;
        let addr = spawned.addr;
        *lock(&self.child) = Some(spawned);
        if let Some(every) = options.kill_every {
            self.restarts = Some(actix_web::rt::spawn(kill_and_restart(
                self.child.clone(),
                bin,
                env,
                addr,
                every,
                self.stopping.clone(),
                self.kills.clone(),
            )));
        }
        self.database_url = self.database_url.take().or(Some(url));
        Ok(addr)
    }

    /// A sample of the server process, when its pid is known.
    fn sample(&self) -> Option<process::Sample> {
        lock(&self.child)
            .as_ref()
            .map(ChildServer::pid)
            .or(self.given_pid)
            .and_then(process::sample)
    }

    /// No more kills; waits for the killer to finish.
    async fn stop_killing(&mut self) {
        self.stopping.store(true, Ordering::Relaxed);
        if let Some(restarts) = self.restarts.take() {
            let _ = restarts.await;
        }
    }
}

/// Idle sockets: extra rooms whose two seats only heartbeat (there are no spectators).
async fn spawn_idle_sockets(
    server: &TestServer,
    config: &BotConfig,
    count: usize,
) -> anyhow::Result<Vec<actix_web::rt::task::JoinHandle<()>>> {
    let mut idle = Vec::new();
    for i in 0..count.div_ceil(2) {
        let a = server.create_room("Idle", &[]).await?;
        let mut tokens = vec![a.token.clone()];
        if 2 * i + 1 < count {
            tokens.push(server.join(&a.room, "Idle2").await?.token);
        }
        for token in tokens {
            let (config, room) = (config.clone(), a.room.clone());
            idle.push(actix_web::rt::spawn(async move {
                if let Err(err) = idle_socket(config.clone(), room, token).await {
                    log::warn!("idle socket: {err:#}");
                    config.stats.error("client:idle_socket_failed");
                }
            }));
        }
    }
    Ok(idle)
}

/// What every room slot shares.
#[derive(Clone)]
struct Slots {
    server: Arc<TestServer>,
    config: BotConfig,
    records: Arc<Mutex<Vec<RoomRecord>>>,
    tickets: Arc<AtomicU64>,
    variants: Vec<String>,
    matches: Option<u64>,
    seed: u64,
}

impl Slots {
    /// Room slot `slot`: plays matches one after another, starting after `delay`.
    async fn run(self, slot: usize, delay: Duration) {
        tokio::time::sleep(delay).await;
        let mut round = 0u64;
        let mut failures = 0;
        let config = &self.config;
        while !config.stop.load(Ordering::Relaxed) && Instant::now() < config.hard_deadline {
            let ticket = self.tickets.fetch_add(1, Ordering::Relaxed);
            if self.matches.is_some_and(|m| ticket >= m) {
                break;
            }
            round += 1;
            let seed = self
                .seed
                .wrapping_mul(1_000_003)
                .wrapping_add((slot as u64) << 20)
                .wrapping_add(round);
            match play_room(
                self.server.clone(),
                config.clone(),
                self.variants.clone(),
                seed,
            )
            .await
            {
                Ok(record) => {
                    failures = 0;
                    lock(&self.records).push(record);
                }
                Err(err) => {
                    log::warn!("room slot {slot}: {err:#}");
                    config.stats.error("client:room_setup_failed");
                    failures += 1;
                    if failures > 5 {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        }
    }
}

/// The measured window: its start and end, with a server sample at each.
struct Window {
    start: (Instant, Option<process::Sample>),
    end: (Instant, Option<process::Sample>),
}

/// Prints progress every second until the duration ends or every slot is done; the window.
async fn watch(
    options: &Options,
    target: &Target,
    stats: &SharedStats,
    stop: &AtomicBool,
    slots: &[actix_web::rt::task::JoinHandle<()>],
    started: Instant,
    hard_deadline: Instant,
) -> Window {
    let duration = options
        .duration
        .or((options.matches.is_none()).then_some(Duration::from_secs(30)));
    let stop_at = duration.map_or(started + options.max_time, |d| {
        started + d.min(options.max_time)
    });
    let window_at = started + options.warmup;
    let (mut window_start, mut window_end) = (None, None);
    let mut last_moves = 0;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.tick().await;
    loop {
        tick.tick().await;
        let now = Instant::now();
        if window_start.is_none() && now >= window_at {
            stats.lock().start_window();
            window_start = Some((now, target.sample()));
        }
        if now >= stop_at && !stop.load(Ordering::Relaxed) {
            stop.store(true, Ordering::Relaxed);
            window_end = Some((now, target.sample()));
        }
        // With no rooms (idle sockets only) the run lasts its duration.
        let done = slots.iter().all(|s| s.is_finished())
            && (!slots.is_empty() || stop.load(Ordering::Relaxed));
        last_moves = progress(stats, started, now, last_moves, target.sample(), stop);
        if done || now >= hard_deadline {
            stop.store(true, Ordering::Relaxed);
            break;
        }
    }
    Window {
        start: window_start.unwrap_or((started, None)),
        end: window_end.unwrap_or_else(|| (Instant::now(), target.sample())),
    }
}

/// One line of progress; the moves acknowledged so far.
fn progress(
    stats: &SharedStats,
    started: Instant,
    now: Instant,
    last_moves: u64,
    server: Option<process::Sample>,
    stop: &AtomicBool,
) -> u64 {
    let mut s = stats.lock();
    let errors: u64 = s.errors.values().sum();
    eprintln!(
        "[{:>5.1}s] moves {} (+{}/s, p99 {:.1} ms) rooms {} matches {} drops {} reconnects {} dups {} errors {}{}{}",
        (now - started).as_secs_f64(),
        s.moves_acked,
        s.moves_acked - last_moves,
        stats::ms(&s.ack_us_interval, 0.99),
        s.rooms_created,
        s.matches_finished,
        s.drops,
        s.reconnects,
        s.duplicates_sent,
        errors,
        server.map_or(String::new(), |p| format!(
            " | server {:.0} MiB, {} fds",
            p.rss_kib as f64 / 1024.0,
            p.fds
        )),
        if stop.load(Ordering::Relaxed) { " (stopping)" } else { "" }
    );
    s.ack_us_interval.reset();
    s.moves_acked
}

/// The report: the bots' statistics, the server's CPU and memory over the window, the kills
/// and the consistency check.
fn report(
    options: &Options,
    stats: &SharedStats,
    elapsed: Duration,
    window: &Window,
    baseline: Option<process::Sample>,
    kills: u64,
    check_report: Option<&tests::loadgen::check::CheckReport>,
) -> serde_json::Value {
    let span = window.end.0.saturating_duration_since(window.start.0);
    let mut report = stats.lock().to_json(elapsed, span);
    let start_sample = window.start.1.or(baseline);
    report["server"] = match (start_sample, window.end.1) {
        (Some(start), Some(end)) => process::report(
            baseline,
            start,
            end,
            options.idle_sockets + 2 * options.rooms,
        ),
        _ => serde_json::Value::Null,
    };
    // Server CPU per acknowledged move: the figure that stays comparable on a noisy machine.
    let moves_in_window =
        report["moves_per_s"].as_f64().unwrap_or(0.0) * report["window_s"].as_f64().unwrap_or(0.0);
    if let Some(cpu_s) = report["server"]["cpu_s"].as_f64() {
        if moves_in_window > 0.0 {
            report["server"]["cpu_us_per_move"] = (cpu_s * 1e6 / moves_in_window).into();
        }
    }
    report["rooms"] = options.rooms.into();
    report["server_kills"] = kills.into();
    report["idle_sockets"] = options.idle_sockets.into();
    report["consistency"] = check_report.map_or(serde_json::Value::Null, |c| c.to_json());
    report
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let options = Options::parse();
    if !(0.0..=1.0).contains(&options.drop_rate) || !(0.0..=1.0).contains(&options.duplicate_rate) {
        bail!("--drop-rate and --duplicate-rate are probabilities in 0..=1");
    }
    if options.rooms == 0 && options.idle_sockets == 0 {
        bail!("nothing to do: --rooms 0 and --idle-sockets 0");
    }
    let mut target = Target::new(&options).await?;
    let baseline = target.sample();
    let started = Instant::now();
    let hard_deadline = started + options.max_time + Duration::from_secs(60);
    let stop = Arc::new(AtomicBool::new(false));
    let stats = SharedStats::new();
    let config = BotConfig {
        ws_url: format!("ws://{}/ws", target.server.addr),
        think: options.think,
        drop_rate: options.drop_rate,
        duplicate_rate: options.duplicate_rate,
        ping_interval: options.ping_interval,
        rate_per_sec: options.rate_per_sec,
        rate_burst: options.rate_burst,
        stop: stop.clone(),
        hard_deadline,
        stats: stats.clone(),
    };
    let idle = spawn_idle_sockets(&target.server, &config, options.idle_sockets).await?;
    let shared = Slots {
        server: target.server.clone(),
        config,
        records: Arc::default(),
        tickets: Arc::default(),
        variants: options.variants.clone(),
        matches: options.matches,
        seed: options.seed,
    };
    // Rooms start spread evenly over the warm-up, so matches do not end in one wave.
    let slots: Vec<_> = (0..options.rooms)
        .map(|slot| {
            let delay = options.warmup.mul_f64(slot as f64 / options.rooms as f64);
            actix_web::rt::spawn(shared.clone().run(slot, delay))
        })
        .collect();
    let window = watch(
        &options,
        &target,
        &stats,
        &stop,
        &slots,
        started,
        hard_deadline,
    )
    .await;
    let elapsed = started.elapsed();
    for slot in slots {
        let _ = slot.await;
    }
    // No kill once the rooms are done: their final state is read next.
    target.stop_killing().await;
    for socket in idle {
        let _ = socket.await;
    }
    let records = std::mem::take(&mut *lock(&shared.records));
    let check_report = match &target.database_url {
        Some(url) => Some(check(url, &records).await?),
        None => None,
    };
    drop(lock(&target.child).take());
    let kills = target.kills.load(Ordering::Relaxed);
    let report = report(
        &options,
        &stats,
        elapsed,
        &window,
        baseline,
        kills,
        check_report.as_ref(),
    );
    if options.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_text(&report);
    }
    match check_report {
        Some(c) if !c.passed() => {
            eprintln!("consistency check FAILED");
            std::process::exit(1);
        }
        None => eprintln!("consistency check skipped: no --database-url"),
        Some(_) => {}
    }
    Ok(())
}

fn print_text(r: &serde_json::Value) {
    let f = |v: &serde_json::Value| v.as_f64().unwrap_or(0.0);
    println!("load generator report");
    println!(
        "  elapsed {:.1}s (measured window {:.1}s), {} rooms at a time, {} idle sockets",
        f(&r["elapsed_s"]),
        f(&r["window_s"]),
        r["rooms"],
        r["idle_sockets"]
    );
    println!(
        "  moves acked {} ({:.1} moves/s in the window), sent {}, duplicates sent {}, repeat acks {}",
        r["moves_acked"],
        f(&r["moves_per_s"]),
        r["moves_sent"],
        r["duplicates_sent"],
        r["repeat_acks"]
    );
    println!(
        "  rooms created {}, matches finished {}, drops {}, reconnects {}, pongs {}, server kills {}",
        r["rooms_created"],
        r["matches_finished"],
        r["drops"],
        r["reconnects"],
        r["pongs"],
        r["server_kills"]
    );
    let p = &r["server"];
    if !p.is_null() {
        println!(
            "  server process: RSS {:.1} MiB before load, {:.1} → {:.1} MiB over the window (peak {:.1}), {} fds, CPU {:.1} s = {:.1}% of one core{}",
            f(&p["rss_mib_before_load"]),
            f(&p["rss_mib_start"]),
            f(&p["rss_mib_end"]),
            f(&p["rss_mib_peak"]),
            p["fds_end"],
            f(&p["cpu_s"]),
            f(&p["cpu_pct_of_core"]),
            p["bytes_per_socket"].as_f64().map_or(String::new(), |b| format!(
                ", {:.1} KiB per socket",
                b / 1024.0
            ))
        );
        if let Some(us) = p["cpu_us_per_move"].as_f64() {
            println!("  server CPU per acked move: {us:.1} µs");
        }
    }
    let a = &r["ack_rtt_ms"];
    println!(
        "  ack round-trip ms: p50 {:.3} p95 {:.3} p99 {:.3} max {:.3} (n={})",
        f(&a["p50"]),
        f(&a["p95"]),
        f(&a["p99"]),
        f(&a["max"]),
        a["count"]
    );
    let c = &r["reconnect_to_state_ms"];
    println!(
        "  reconnect (socket open -> welcome) ms: p50 {:.3} p99 {:.3} max {:.3} (n={})",
        f(&c["p50"]),
        f(&c["p99"]),
        f(&c["max"]),
        c["count"]
    );
    match r["errors"].as_object() {
        Some(errors) if !errors.is_empty() => {
            println!("  errors by code:");
            for (code, n) in errors {
                println!("    {code}: {n}");
            }
        }
        _ => println!("  errors: none"),
    }
    let k = &r["consistency"];
    if k.is_null() {
        println!("  consistency check: skipped");
    } else {
        println!(
            "  consistency check: {} ({} rooms, {} log rows, {} acked moves found once, {} logged but not acked, {} views equal to the replay)",
            if k["passed"].as_bool().unwrap_or(false) { "PASSED" } else { "FAILED" },
            k["rooms"], k["log_rows"], k["acked_found_once"], k["logged_not_acked"], k["views_compared"]
        );
        if let Some(failures) = k["failures"].as_array() {
            for failure in failures.iter().take(20) {
                println!("    {}", failure.as_str().unwrap_or_default());
            }
            if failures.len() > 20 {
                println!("    … and {} more", failures.len() - 20);
            }
        }
    }
}
