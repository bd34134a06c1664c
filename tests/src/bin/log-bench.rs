//! Measures the group-commit log writer on its own: many rooms appending moves at once, each
//! waiting for its append to be committed before the next (as a room does), through the
//! server's real `LogWriter` on a real database.
//!
//! `cargo run --release -p tests --bin log-bench -- [APPENDS] [ROOMS] [sqlite|postgres]`
//! (defaults 200000 appends, 512 rooms, a SQLite file in a temporary folder; `postgres` makes a
//! scratch database on `CASINO_TEST_PG_URL`). The writer's queue and batch limits are the
//! server's settings (`CASINO_LOG_QUEUE`, `CASINO_LOG_MAX_BATCH`). Prints appends per second, the
//! batch sizes the writer formed and the append latency (queue + commit).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use hdrhistogram::Histogram;
use server::room::{AwayReason, Record};
use server::store::rooms::{self, Issuer, NewRoom};
use server::store::LogWriter;
use server::token::TokenSigner;
use tests::TempDir;
use tokio::sync::Mutex;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let appends: u64 = args.next().map_or(Ok(200_000), |n| n.parse())?;
    let room_count: u64 = args.next().map_or(Ok(512), |n| n.parse())?;
    let dir = TempDir::new()?;
    let scratch = match args.next().as_deref() {
        None | Some("sqlite") => None,
        Some("postgres") => Some(
            migration::scratch::PgScratch::create("log_bench")
                .await?
                .context("set CASINO_TEST_PG_URL for the postgres run")?,
        ),
        Some(other) => anyhow::bail!("unknown database {other:?}: sqlite or postgres"),
    };
    let url = scratch
        .as_ref()
        .map_or_else(|| dir.sqlite_url("log-bench.db"), |s| s.url.clone());
    let db = migration::connect_and_migrate(&url).await?;
    let config = server::Config::parse_from(["casino-server"]);

    // Rooms and players to append for (the log's foreign keys).
    let signer = TokenSigner::new(&[7u8; 32]).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut seats = Vec::new();
    for i in 0..room_count {
        let (_, seat) = rooms::create(
            &db,
            NewRoom {
                name: "Bench",
                ruleset: game::Ruleset::default(),
                seed: i,
                salt: format!("bench-{i}"),
                away: config
                    .room_timing()
                    .away_from(server::clock::now_ms(), AwayReason::Joined),
                issuer: Issuer {
                    signer: &signer,
                    ttl_ms: 60_000,
                },
            },
        )
        .await
        .context("create a room")?;
        seats.push((seat.room_id, seat.player_id));
    }

    let metrics = Arc::new(server::metrics::Metrics::new()?);
    let writer = LogWriter::start(
        db.clone(),
        config.log_queue,
        config.log_max_batch,
        None,
        metrics.clone(),
    );
    let latency = Arc::new(Mutex::new(Histogram::<u64>::new_with_bounds(
        1, 60_000_000, 3,
    )?));
    let per_room = appends / room_count.max(1);
    let written_before = bytes_written();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (room_id, player_id) in seats {
        let (writer, latency) = (writer.clone(), latency.clone());
        tasks.push(actix_web::rt::spawn(async move {
            let mut local = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?;
            let mv: game::Move =
                serde_json::from_value(serde_json::json!({"type": "trail", "card": "7H"}))?;
            for seq in 1..=per_room {
                let record = Record::Move {
                    seq,
                    player_id,
                    action_id: format!("a{seq}"),
                    mv: mv.clone(),
                    at: server::clock::now_ms(),
                };
                let sent = Instant::now();
                writer.append(room_id, None, vec![record]).await?;
                local.record(sent.elapsed().as_micros().max(1) as u64)?;
            }
            latency.lock().await.add(&local)?;
            anyhow::Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    let elapsed = started.elapsed();
    let total = per_room * room_count;
    let written = bytes_written().saturating_sub(written_before);
    let latency = latency.lock().await;
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite (file, WAL)"
    };
    println!(
        "{backend}: {total} appends from {room_count} rooms in {:.2} s = {:.0} appends/s \
         (queue {}, max batch {})",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        config.log_queue,
        config.log_max_batch
    );
    println!(
        "append latency (enqueue → committed) µs: p50 {} p99 {} max {}",
        latency.value_at_quantile(0.50),
        latency.value_at_quantile(0.99),
        latency.max()
    );
    if !url.starts_with("postgres") {
        println!(
            "written to storage: {:.1} MB, {:.0} bytes per append (/proc/self/io write_bytes)",
            written as f64 / 1e6,
            written as f64 / total.max(1) as f64
        );
    }
    let batches = metrics.render();
    for line in batches.lines().filter(|l| {
        l.starts_with("casino_log_batch_size_appends_sum")
            || l.starts_with("casino_log_commit_duration_seconds_sum")
            || l.starts_with("casino_log_batch_size_appends_count")
    }) {
        println!("{line}");
    }
    drop(writer);
    db.close().await?;
    if let Some(scratch) = scratch {
        scratch.drop_db().await?;
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    Ok(())
}

/// Bytes this process has caused to be written to storage so far (`write_bytes` of
/// `/proc/self/io`; 0 where that file does not exist).
fn bytes_written() -> u64 {
    std::fs::read_to_string("/proc/self/io")
        .ok()
        .and_then(|io| {
            io.lines()
                .find_map(|line| line.strip_prefix("write_bytes: "))
                .and_then(|n| n.trim().parse().ok())
        })
        .unwrap_or(0)
}
