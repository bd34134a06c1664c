//! Measures the cost of a move on loopback: ack round-trip p50/p99 over a few thousand moves
//! (bots playing whole matches, one move at a time), then the time to rebuild a room from its
//! log on a fresh server (hello → welcome on a cold room, which loads and replays it).
//!
//! `cargo run --release -p tests --bin ack-bench -- [MOVES] [DATABASE_URL]`; without a URL a
//! SQLite file in a temporary folder is used.

use std::time::{Duration, Instant};

use anyhow::bail;
use game::protocol::ServerMessage;
use tests::{next_hand, pick_move, start_match, test_config, Player, TempDir, TestServer};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let moves: usize = args.next().map_or(Ok(3000), |n| n.parse())?;
    let dir = TempDir::new()?;
    let url = args.next().unwrap_or_else(|| dir.sqlite_url("bench.db"));
    let mut config = test_config();
    config.database_url = url.clone();
    let server = TestServer::start(config.clone()).await?;

    let mut latencies = Vec::with_capacity(moves);
    let mut rooms = Vec::new();
    let mut salt = 0u64;
    while latencies.len() < moves {
        let mut players = start_match(&server, &[]).await?;
        rooms.push(players[0].seated.clone());
        loop {
            let m = usize::from(!players[0].my_turn());
            let Some(view) = players[m].view.clone() else {
                bail!("no view")
            };
            salt += 1;
            let Some(mv) = pick_move(&view, salt) else {
                break;
            };
            let id = format!("b{salt}");
            let started = Instant::now();
            players[m].ws.action(&id, &mv).await?;
            match players[m].ws.recv().await? {
                ServerMessage::Ack { .. } => latencies.push(started.elapsed()),
                other => bail!("expected ack, got {other:?}"),
            }
            let mut over = false;
            for player in players.iter_mut() {
                player.next_event().await?;
                if player.view.as_ref().is_some_and(|v| v.result.is_some()) {
                    over = true;
                    player.ws.recv().await?;
                }
            }
            if over || latencies.len() >= moves {
                break;
            }
            // A hand ended: both are ready at once (the break is not what this measures).
            let between = players[0].view.as_ref().filter(|v| v.to_move.is_none());
            if let Some(hand) = between.map(|v| v.hand_number - 1) {
                next_hand(&mut players, hand).await?;
            }
        }
    }
    latencies.sort();
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite (file, WAL)"
    };
    println!(
        "{backend}: {} moves in {} rooms: ack round-trip p50 {:?}, p99 {:?}, max {:?}",
        latencies.len(),
        rooms.len(),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or_default()
    );
    server.stop().await;

    // Rebuild: a fresh server knows no room; the first hello loads and replays it.
    let server = TestServer::start(config).await?;
    let mut rebuilds = Vec::new();
    for seated in &rooms {
        let started = Instant::now();
        let (player, welcome) = Player::connect(server.addr, seated.clone(), u64::MAX).await?;
        let elapsed = started.elapsed();
        if let ServerMessage::Welcome { seq, .. } = welcome {
            rebuilds.push((elapsed, seq));
        }
        player.ws.close().await;
    }
    rebuilds.sort();
    let (median, median_seq) = rebuilds[rebuilds.len() / 2];
    let (worst, worst_seq) = rebuilds[rebuilds.len() - 1];
    println!(
        "room rebuild on first use (connect + hello → welcome, includes load + replay): \
         median {median:?} ({median_seq} events), max {worst:?} ({worst_seq} events)"
    );
    server.stop().await;
    // Lets in-flight session bookkeeping finish before the runtime is torn down.
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(())
}
