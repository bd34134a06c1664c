//! Measures a cold start with many unfinished games in the database: the time from starting the
//! `casino-server` process until `GET /healthz` answers 200 ("ready"), and until the first move
//! in one of those games is acknowledged ("first ack"). The goal is at most 2 s.
//!
//! `cargo run --release -p tests --bin cold-start -- [GAMES] [DATABASE_URL]` (default 10000
//! games and a SQLite file in a temporary folder; `postgres` makes a scratch database on
//! `CASINO_TEST_PG_URL` and drops it at the end). Needs the release server binary: `--server-bin`
//! or `CASINO_SERVER_BIN`, else `casino-server` beside this binary
//! (`cargo build --release -p server --bin casino-server`).
//!
//! 1. A server fills the database over HTTP: GAMES rooms created and joined (so dealt), a third
//!    of them with one move made and a third with two, then it is stopped (SIGTERM).
//! 2. Each run starts the server afresh on that database with the same session secret, polls
//!    `/healthz` every 5 ms, then in a game picked at random (seeded) connects the player to move
//!    with its stored token, says hello (the room is loaded and replayed), makes a legal move and
//!    waits for its ack. All times are from just before the process was spawned.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use clap::Parser;
use entity::rooms::{self, RoomStatus};
use futures_util::{stream, StreamExt};
use game::protocol::ServerMessage;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, Statement,
};
use tests::child::{free_addr, ChildServer};
use tests::loadgen::process;
use tests::{pick_move, view_of, TempDir, TestServer, Ws, TEST_SECRET};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The goal: ready and first move acknowledged within this long of the process start.
const GOAL: Duration = Duration::from_secs(2);

/// How often `/healthz` is polled while the server starts.
const POLL_EVERY: Duration = Duration::from_millis(5);

/// Longest wait for a start before the run fails.
const START_WITHIN: Duration = Duration::from_secs(300);

/// Cold start of the server with many unfinished games in its database.
#[derive(Debug, Parser)]
#[command(name = "cold-start")]
struct Args {
    /// Unfinished games to put in the database.
    #[arg(default_value_t = 10_000)]
    games: usize,
    /// Database: `sqlite://…`, `postgres://…` (an existing, empty database), or `postgres` for a
    /// scratch database on CASINO_TEST_PG_URL, dropped at the end. Default: a SQLite file in a
    /// temporary folder.
    database_url: Option<String>,
    /// The server binary (default: casino-server beside this binary).
    #[arg(long, env = "CASINO_SERVER_BIN")]
    server_bin: Option<String>,
    /// Cold starts to measure, each with a different game.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Games created at the same time while filling.
    #[arg(long, default_value_t = 48)]
    concurrency: usize,
    /// Seed of the choice of games.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Stop the server with SIGKILL (a crash) instead of SIGTERM before each start.
    #[arg(long)]
    sigkill: bool,
}

/// One unfinished game: its room, both players' tokens, and who is to move.
struct Game {
    room: String,
    tokens: [String; 2],
    moves: u32,
    to_move: usize,
}

/// What one cold start measured (times from just before the spawn, unless said otherwise).
struct Run {
    room: String,
    ready: Duration,
    connected: Duration,
    hello_to_welcome: Duration,
    welcome_seq: u64,
    ack_round_trip: Duration,
    first_ack: Duration,
    server: Option<process::Sample>,
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.games == 0 || args.runs == 0 {
        bail!("GAMES and --runs must be at least 1");
    }
    let dir = TempDir::new()?;
    let scratch = match args.database_url.as_deref() {
        Some("postgres") => Some(
            migration::scratch::PgScratch::create("cold_start")
                .await
                .context("create a scratch PostgreSQL database")?
                .context(
                    "set CASINO_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)",
                )?,
        ),
        _ => None,
    };
    let url = match (&scratch, &args.database_url) {
        (Some(scratch), _) => scratch.url.clone(),
        (None, Some(url)) => url.clone(),
        (None, None) => dir.sqlite_url("cold-start.db"),
    };
    let result = bench(&args, &dir, &url).await;
    if let Some(scratch) = scratch {
        scratch
            .drop_db()
            .await
            .context("drop the scratch database")?;
    }
    result
}

async fn bench(args: &Args, dir: &TempDir, url: &str) -> anyhow::Result<()> {
    let bin = args
        .server_bin
        .clone()
        .unwrap_or_else(|| tests::child::server_bin_beside_me("release"));
    let static_dir = dir.path().join("no-static").display().to_string();
    let env = |log: &str| {
        vec![
            ("DATABASE_URL".to_owned(), url.to_owned()),
            ("CASINO_SESSION_SECRET".to_owned(), TEST_SECRET.to_owned()),
            ("CASINO_STATIC_DIR".to_owned(), static_dir.clone()),
            ("RUST_LOG".to_owned(), log.to_owned()),
        ]
    };
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "cold start: {} games on {backend} ({}), server {bin}",
        args.games,
        migration::redact_url(url)
    );

    // 1. Fill.
    let fill_env = env("warn");
    let fill_env: Vec<(&str, &str)> = fill_env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let filler = ChildServer::spawn(&bin, &fill_env)
        .with_context(|| format!("start {bin} (build it, or pass --server-bin)"))?;
    let server = TestServer::at(filler.addr);
    let started = Instant::now();
    let mut games = Vec::with_capacity(args.games);
    let mut fills = stream::iter(0..args.games)
        .map(|i| fill_one(&server, i))
        .buffer_unordered(args.concurrency.max(1));
    while let Some(game) = fills.next().await {
        games.push(game?);
        if games.len() % 1000 == 0 {
            eprintln!(
                "  {} games filled in {:.1?}",
                games.len(),
                started.elapsed()
            );
        }
    }
    drop(fills);
    let fill_time = started.elapsed();
    let moves: u32 = games.iter().map(|g| g.moves).sum();
    let stop_time = stop(filler, false)?;
    println!(
        "filled {} games ({moves} moves made in {} of them) in {fill_time:.2?} \
         ({:.0} games/s, concurrency {}); server stopped in {stop_time:.2?}",
        games.len(),
        games.iter().filter(|g| g.moves > 0).count(),
        games.len() as f64 / fill_time.as_secs_f64(),
        args.concurrency
    );
    let (unfinished, size) = database_facts(url).await?;
    println!(
        "database: {unfinished} unfinished (playing) rooms, {:.1} MiB",
        size as f64 / (1024.0 * 1024.0)
    );

    // 2–4. Cold starts.
    let mut rng = StdRng::seed_from_u64(args.seed);
    let mut runs = Vec::new();
    let run_env = env("info");
    for n in 0..args.runs {
        if games.is_empty() {
            break;
        }
        let game = games.swap_remove(rng.random_range(0..games.len()));
        let (run, child) = cold_start(&bin, &run_env, &game, n as u64).await?;
        let cpu = run
            .server
            .map(|s| {
                format!(
                    ", server CPU {:.2} s, RSS {:.0} MiB",
                    s.cpu_s,
                    s.rss_kib as f64 / 1024.0
                )
            })
            .unwrap_or_default();
        println!(
            "run {}: room {} ({} moves before): ready {:.1?}, ws open {:.1?}, \
             hello→welcome {:.1?} (seq {}), ack round trip {:.1?}, first move acked {:.1?}{cpu}",
            n + 1,
            run.room,
            game.moves,
            ms(run.ready),
            ms(run.connected),
            ms(run.hello_to_welcome),
            run.welcome_seq,
            ms(run.ack_round_trip),
            ms(run.first_ack),
        );
        runs.push(run);
        stop(child, args.sigkill)?;
    }

    // 5. Summary.
    let summary = |pick: fn(&Run) -> Duration| {
        let mut values: Vec<Duration> = runs.iter().map(pick).collect();
        values.sort();
        let median = values.get(values.len() / 2).copied().unwrap_or_default();
        let worst = values.last().copied().unwrap_or_default();
        (median, worst)
    };
    let (ready_median, ready_worst) = summary(|r| r.ready);
    let (welcome_median, welcome_worst) = summary(|r| r.hello_to_welcome);
    let (ack_median, ack_worst) = summary(|r| r.first_ack);
    println!(
        "{} runs, {} games, {backend}, {:.1} MiB: ready median {:.1?} worst {:.1?}; \
         hello→welcome median {:.1?} worst {:.1?}; first move acked median {:.1?} worst {:.1?}",
        runs.len(),
        args.games,
        size as f64 / (1024.0 * 1024.0),
        ms(ready_median),
        ms(ready_worst),
        ms(welcome_median),
        ms(welcome_worst),
        ms(ack_median),
        ms(ack_worst),
    );
    if ack_worst <= GOAL {
        println!(
            "GOAL MET: worst first move acked {:.1?} ≤ {GOAL:?} after process start",
            ms(ack_worst)
        );
    } else {
        println!(
            "GOAL NOT MET: worst first move acked {:.1?} > {GOAL:?} after process start",
            ms(ack_worst)
        );
    }
    Ok(())
}

/// A duration in milliseconds, for printing.
fn ms(d: Duration) -> MilliSeconds {
    MilliSeconds(d)
}

struct MilliSeconds(Duration);

impl std::fmt::Debug for MilliSeconds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = self.0.as_secs_f64() * 1000.0;
        match f.precision() {
            Some(p) => write!(f, "{value:.p$} ms"),
            None => write!(f, "{value} ms"),
        }
    }
}

/// Creates game `i`: a room created and joined (so dealt), with `i % 3` moves made.
async fn fill_one(server: &TestServer, i: usize) -> anyhow::Result<Game> {
    let alice = server
        .create_room("Alice", &[])
        .await
        .with_context(|| format!("create room {i}"))?;
    let bob = server
        .join(&alice.room, "Bob")
        .await
        .with_context(|| format!("join room {}", alice.room))?;
    let moves = (i % 3) as u32;
    let mut game = Game {
        room: alice.room,
        tokens: [alice.token, bob.token],
        moves,
        // Seat 1 deals the first hand, so seat 0 leads (checked when a move is made).
        to_move: 0,
    };
    for n in 0..moves {
        let mut ws = server
            .connect(&game.tokens[game.to_move])
            .await
            .with_context(|| format!("connect to room {}", game.room))?;
        let id = format!("fill-{i}-{n}");
        make_move(&mut ws, &id, i as u64 + u64::from(n))
            .await
            .with_context(|| format!("move {n} in room {}", game.room))?;
        ws.close().await;
        game.to_move = 1 - game.to_move;
    }
    Ok(game)
}

/// What [`make_move`] saw.
struct Moved {
    /// The welcome's seq (events in the room).
    welcome_seq: u64,
    /// From sending hello to receiving the welcome.
    hello_to_welcome: Duration,
    /// From sending the move to receiving its ack.
    ack_round_trip: Duration,
}

/// Says hello, makes a legal move and waits for its ack.
async fn make_move(ws: &mut Ws, action_id: &str, salt: u64) -> anyhow::Result<Moved> {
    let hello_sent = Instant::now();
    let welcome = ws.hello(0).await?;
    let hello_to_welcome = hello_sent.elapsed();
    let seq = match &welcome {
        ServerMessage::Welcome { seq, .. } => *seq,
        _ => 0,
    };
    let view = view_of(&welcome).ok_or_else(|| anyhow!("no game in the welcome"))?;
    if !view.is_my_turn() {
        bail!("not this player's turn (to move: {:?})", view.to_move);
    }
    let mv = pick_move(view, salt).ok_or_else(|| anyhow!("no legal move"))?;
    let sent = Instant::now();
    ws.action(action_id, &mv).await?;
    ws.until("the ack", |message| match message {
        ServerMessage::Ack { action_id: id, .. } if id == action_id => Some(Ok(())),
        ServerMessage::Rejected {
            action_id: id,
            code,
            message,
        } if id == action_id => Some(Err(anyhow!("move rejected: {code:?} {message}"))),
        ServerMessage::Error { code, message } => {
            Some(Err(anyhow!("server error: {code:?} {message}")))
        }
        _ => None,
    })
    .await??;
    Ok(Moved {
        welcome_seq: seq,
        hello_to_welcome,
        ack_round_trip: sent.elapsed(),
    })
}

/// Starts the server on the filled database and plays the first move of `game`.
async fn cold_start(
    bin: &str,
    env: &[(String, String)],
    game: &Game,
    run: u64,
) -> anyhow::Result<(Run, ChildServer)> {
    let addr = free_addr()?;
    let (bin_owned, env_owned) = (bin.to_owned(), env.to_vec());
    let spawn_at = Instant::now();
    // `spawn_at` blocks until it sees the server ready (polling every 50 ms); this thread polls
    // every 5 ms meanwhile.
    let mut spawner: Option<JoinHandle<anyhow::Result<ChildServer>>> =
        Some(std::thread::spawn(move || {
            let env: Vec<(&str, &str)> = env_owned
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            ChildServer::spawn_at(&bin_owned, &env, addr)
        }));
    let mut child = None;
    let ready = loop {
        if healthz(addr).await {
            break spawn_at.elapsed();
        }
        if spawner.as_ref().is_some_and(JoinHandle::is_finished) {
            child = Some(join(&mut spawner)?);
        }
        if spawn_at.elapsed() > START_WITHIN {
            bail!("{bin} not ready on {addr} within {START_WITHIN:?}");
        }
        tokio::time::sleep(POLL_EVERY).await;
    };

    let mut ws = Ws::connect(addr, &game.tokens[game.to_move], None)
        .await
        .with_context(|| format!("connect to room {} after the restart", game.room))?;
    let connected = spawn_at.elapsed();
    let id = format!("cold-{run}");
    let moved = make_move(&mut ws, &id, 1000 + run)
        .await
        .with_context(|| format!("first move in room {} after the restart", game.room))?;
    let first_ack = spawn_at.elapsed();
    ws.close().await;

    let child = match child {
        Some(child) => child,
        None => join(&mut spawner)?,
    };
    let server = process::sample(child.pid());
    Ok((
        Run {
            room: game.room.clone(),
            ready,
            connected,
            hello_to_welcome: moved.hello_to_welcome,
            welcome_seq: moved.welcome_seq,
            ack_round_trip: moved.ack_round_trip,
            first_ack,
            server,
        },
        child,
    ))
}

fn join(
    spawner: &mut Option<JoinHandle<anyhow::Result<ChildServer>>>,
) -> anyhow::Result<ChildServer> {
    spawner
        .take()
        .ok_or_else(|| anyhow!("server already joined"))?
        .join()
        .map_err(|_| anyhow!("the spawning thread panicked"))?
}

/// Whether `GET /healthz` answers 200. A connection made before the server serves waits in the
/// listen backlog and is answered as soon as it does, so the answer's arrival is the ready time.
async fn healthz(addr: SocketAddr) -> bool {
    let attempt = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await?;
        let request = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await?;
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).await?;
        Ok::<_, std::io::Error>(head.starts_with(b"HTTP/1.1 200"))
    };
    matches!(
        tokio::time::timeout(START_WITHIN, attempt).await,
        Ok(Ok(true))
    )
}

/// Stops `child` with SIGTERM (waiting for it to exit) or SIGKILL; returns how long it took.
fn stop(child: ChildServer, sigkill: bool) -> anyhow::Result<Duration> {
    let started = Instant::now();
    if sigkill {
        child.kill().context("kill the server")?;
        return Ok(started.elapsed());
    }
    let pid = child.pid();
    let status = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .context("run kill -TERM")?;
    if !status.success() {
        bail!("kill -TERM {pid}: {status}");
    }
    while !exited(pid) {
        if started.elapsed() > Duration::from_secs(60) {
            eprintln!("server {pid} still running 60 s after SIGTERM; killing it");
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    // Reaps it (or kills it if it would not stop).
    drop(child);
    Ok(started.elapsed())
}

/// Whether process `pid` has exited (gone, or a zombie waiting to be reaped).
fn exited(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with(['Z', 'X'])),
    }
}

/// Unfinished rooms in the database and its size in bytes.
async fn database_facts(url: &str) -> anyhow::Result<(u64, u64)> {
    let db = migration::connect(url)
        .await
        .context("open the database to count its rooms")?;
    let unfinished = rooms::Entity::find()
        .filter(rooms::Column::Status.eq(RoomStatus::Playing))
        .count(&db)
        .await
        .context("count unfinished rooms")?;
    let size = if url.starts_with("postgres") {
        let row = db
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT pg_database_size(current_database()) AS size",
            ))
            .await
            .context("database size")?
            .ok_or_else(|| anyhow!("no answer to pg_database_size"))?;
        let size: i64 = row.try_get("", "size").context("database size")?;
        u64::try_from(size).unwrap_or(0)
    } else {
        let file = sqlite_file(url);
        ["", "-wal", "-shm"]
            .iter()
            .filter_map(|suffix| {
                let mut path = file.clone().into_os_string();
                path.push(suffix);
                std::fs::metadata(path).ok().map(|m| m.len())
            })
            .sum()
    };
    db.close().await.context("close the database")?;
    Ok((unfinished, size))
}

/// The file of a `sqlite://FILE?…` URL.
fn sqlite_file(url: &str) -> PathBuf {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    PathBuf::from(rest.split('?').next().unwrap_or(rest))
}
