//! Measures several nodes behind HAProxy on one PostgreSQL database (docs/SCALING.md), on a
//! scratch database of `CASINO_TEST_PG_URL`, with the release server beside this binary
//! (`cargo build --release -p server --bin casino-server -p tests --bin cluster-bench --bin
//! loadgen`):
//!
//! - `cluster-bench failover [--kills 20]`: three nodes; each round a new game is played through
//!   HAProxy, the node serving it is killed with SIGKILL, and the player to move reconnects
//!   through HAProxy every 100 ms until a move is acknowledged by the room's new owner. Reports
//!   the time from the kill to that ack (p50, p99, max), then restarts the node.
//! - `cluster-bench rolling [--rooms 20] [--duration 40s]`: three nodes under the load generator
//!   (drops and duplicates, consistency check) while each node in turn gets SIGTERM and is
//!   started again; prints the load generator's report (ack p99, longest reconnect).
//! - `cluster-bench throughput --nodes N [--rooms 200] [--duration 20s]`: the load generator
//!   flat out (no think time) through HAProxy at N nodes; prints its report.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use clap::{Parser, Subcommand};
use game::protocol::ServerMessage;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use tests::child::server_bin_beside_me;
use tests::cluster::Cluster;
use tests::{pick_move, view_of, TestServer, Ws};

#[derive(Debug, Parser)]
#[command(name = "cluster-bench")]
struct Args {
    /// The server binary (default: casino-server beside this binary).
    #[arg(long, env = "CASINO_SERVER_BIN")]
    server_bin: Option<String>,
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, Subcommand)]
enum What {
    /// Time from `kill -9` of a room's node to the first move acknowledged on its new owner.
    Failover {
        /// Kills to measure.
        #[arg(long, default_value_t = 20)]
        kills: usize,
    },
    /// A rolling restart (SIGTERM each node in turn) under the load generator.
    Rolling {
        /// Rooms played at a time.
        #[arg(long, default_value_t = 20)]
        rooms: usize,
        /// Length of the run.
        #[arg(long, default_value = "40s")]
        duration: String,
    },
    /// The load generator flat out through HAProxy at `--nodes` nodes.
    Throughput {
        /// Nodes (1 to 4).
        #[arg(long, default_value_t = 1)]
        nodes: usize,
        /// Rooms played at a time.
        #[arg(long, default_value_t = 200)]
        rooms: usize,
        /// Length of the run.
        #[arg(long, default_value = "20s")]
        duration: String,
    },
}

fn main() -> anyhow::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let args = Args::parse();
    let binary = args
        .server_bin
        .clone()
        .unwrap_or_else(|| server_bin_beside_me("release"));
    let rt = actix_web::rt::System::new();
    let pg = rt
        .block_on(tests::pg::create("cluster-bench"))?
        .ok_or_else(|| anyhow!("set CASINO_TEST_PG_URL to a PostgreSQL server"))?;
    let result = match args.what {
        What::Failover { kills } => rt.block_on(failover(&binary, &pg.url, kills)),
        What::Rolling { rooms, duration } => rolling(&binary, &pg.url, rooms, &duration),
        What::Throughput {
            nodes,
            rooms,
            duration,
        } => throughput(&binary, &pg.url, nodes, rooms, &duration),
    };
    rt.block_on(pg.drop_db())?;
    result
}

const QUIET: [(&str, &str); 1] = [("RUST_LOG", "warn")];

fn loadgen(cluster: &Cluster, url: &str, extra: &[&str]) -> anyhow::Result<()> {
    let loadgen = std::env::current_exe()?.with_file_name("loadgen");
    let lb = format!("http://{}", cluster.lb);
    let mut command = Command::new(&loadgen);
    command.args(["--url", &lb, "--database-url", url]);
    command.args(extra);
    let status = command
        .status()
        .with_context(|| format!("run {}", loadgen.display()))?;
    anyhow::ensure!(status.success(), "the load generator failed: {status}");
    Ok(())
}

fn throughput(
    binary: &str,
    url: &str,
    nodes: usize,
    rooms: usize,
    duration: &str,
) -> anyhow::Result<()> {
    // The per-socket rate limit off, as in BENCHMARKS.md's flat-out runs.
    let cluster = Cluster::start(
        binary,
        url,
        nodes,
        &[
            ("RUST_LOG", "warn"),
            ("CASINO_RATE_PER_SEC", "100000"),
            ("CASINO_RATE_BURST", "100000"),
        ],
    )?;
    println!("{nodes} node(s) behind HAProxy:");
    let rooms = rooms.to_string();
    loadgen(
        &cluster,
        url,
        &[
            "--rooms",
            &rooms,
            "--duration",
            duration,
            "--think",
            "0ms",
            "--warmup",
            "3s",
            "--rate-per-sec",
            "100000",
            "--rate-burst",
            "100000",
        ],
    )
}

fn rolling(binary: &str, url: &str, rooms: usize, duration: &str) -> anyhow::Result<()> {
    let mut cluster = Cluster::start(binary, url, 3, &QUIET)?;
    let rooms = rooms.to_string();
    let args: Vec<String> = [
        "--rooms",
        &rooms,
        "--duration",
        duration,
        "--think",
        "50ms",
        "--drop-rate",
        "0.02",
        "--duplicate-rate",
        "0.05",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let (lb, url_owned) = (cluster.lb, url.to_owned());
    let run = std::thread::spawn(move || {
        let loadgen = std::env::current_exe()?.with_file_name("loadgen");
        let status = Command::new(loadgen)
            .args([
                "--url",
                &format!("http://{lb}"),
                "--database-url",
                &url_owned,
            ])
            .args(&args)
            .status()?;
        anyhow::ensure!(status.success(), "the load generator failed: {status}");
        anyhow::Ok(())
    });
    std::thread::sleep(Duration::from_secs(5));
    for i in 0..3 {
        let took = cluster.terminate(i)?;
        println!("node{} drained and exited in {took:.2?}", i + 1);
        cluster.start_node(i)?;
        std::thread::sleep(Duration::from_secs(3));
    }
    run.join().map_err(|_| anyhow!("load generator thread"))??;
    Ok(())
}

async fn failover(binary: &str, url: &str, kills: usize) -> anyhow::Result<()> {
    let mut cluster = Cluster::start(binary, url, 3, &QUIET)?;
    let db = Database::connect(url).await?;
    let lb = TestServer::at(cluster.lb);
    let mut times = Vec::new();
    for round in 0..kills {
        let alice = lb.create_room("Alice", &[]).await?;
        let bob = lb.join(&alice.room, "Bob").await?;
        let mut sockets = Vec::new();
        let mut views = Vec::new();
        for seated in [&alice, &bob] {
            let mut ws = Ws::connect_room(cluster.lb, &seated.room, &seated.token).await?;
            let welcome = ws.hello(0).await?;
            views.push(
                view_of(&welcome)
                    .cloned()
                    .ok_or_else(|| anyhow!("no view"))?,
            );
            sockets.push(ws);
        }
        let mover = usize::from(!views[0].is_my_turn());
        let owner = db
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT node FROM room_leases WHERE room_code = $1",
                [alice.room.clone().into()],
            ))
            .await?
            .ok_or_else(|| anyhow!("room {} has no lease", alice.room))?
            .try_get::<String>("", "node")?;
        let victim: usize = owner
            .strip_prefix("node")
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| anyhow!("node name {owner}"))?
            - 1;
        let seated = if mover == 0 { &alice } else { &bob };
        let killed = Instant::now();
        cluster.kill(victim)?;
        drop(sockets);
        let mut attempt = 0;
        let took = loop {
            attempt += 1;
            if killed.elapsed() > Duration::from_secs(60) {
                bail!("round {round}: no ack within 60 s of the kill");
            }
            match move_once(cluster.lb, seated, round, attempt).await {
                Ok(()) => break killed.elapsed(),
                Err(err) => {
                    log::debug!("round {round} attempt {attempt}: {err:#}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        };
        println!(
            "round {:2}: node{} killed, first ack on the new owner after {:>7.1} ms ({attempt} attempts)",
            round + 1,
            victim + 1,
            took.as_secs_f64() * 1e3
        );
        times.push(took);
        cluster.start_node(victim)?;
    }
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "failover over {} kills: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        times.len(),
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );
    Ok(())
}

/// One reconnect through HAProxy: hello, a legal move, its ack.
async fn move_once(
    lb: std::net::SocketAddr,
    seated: &tests::Seated,
    round: usize,
    attempt: u32,
) -> anyhow::Result<()> {
    let within = Duration::from_secs(10);
    let mut ws =
        tokio::time::timeout(within, Ws::connect_room(lb, &seated.room, &seated.token)).await??;
    let welcome = tokio::time::timeout(within, ws.hello(0)).await??;
    let view = view_of(&welcome).ok_or_else(|| anyhow!("no view"))?;
    let mv = pick_move(view, round as u64).ok_or_else(|| anyhow!("no move"))?;
    let id = format!("failover-{round}");
    ws.action(&id, &mv).await?;
    loop {
        match tokio::time::timeout(within, ws.recv()).await?? {
            ServerMessage::Ack { action_id, .. } if action_id == id => return Ok(()),
            ServerMessage::Error { .. } | ServerMessage::Rejected { .. } => {
                bail!("attempt {attempt}: the move was refused")
            }
            _ => {}
        }
    }
}
