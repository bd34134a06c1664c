//! The abandonment deadline is an absolute time in the database: after a server restart it
//! continues where it was instead of starting again.

use std::time::{Duration, Instant};

use game::protocol::ServerMessage;
use tests::{start_match, test_config, Player, TempDir, TestServer};

#[actix_web::test]
async fn an_abandonment_deadline_survives_a_restart() -> anyhow::Result<()> {
    let dir = TempDir::new()?;
    deadline_survives_restart(dir.sqlite_url("deadline.db")).await
}

#[actix_web::test]
async fn an_abandonment_deadline_survives_a_restart_on_postgres() -> anyhow::Result<()> {
    let Some(pg) =
        tests::pg::create("an_abandonment_deadline_survives_a_restart_on_postgres").await?
    else {
        return Ok(());
    };
    let outcome = deadline_survives_restart(pg.url.clone()).await;
    pg.drop_db().await?;
    outcome
}

async fn deadline_survives_restart(database_url: String) -> anyhow::Result<()> {
    let mut config = test_config();
    config.database_url = database_url;
    config.heartbeat_check_ms = 50;
    config.temporarily_disconnected_ms = 2_000;
    config.abandon_after_ms = 3_000;
    config.return_window_ms = 60_000;

    let server = TestServer::start(config.clone()).await?;
    let [mut p0, p1] = start_match(&server, &[]).await?;
    let p0_seated = p0.seated.clone();
    let p0_seq = p0.last_seq;
    p1.ws.close().await;
    let gone = Instant::now();
    // Most of the grace passes on the first server (until the "away" announcement at 2 s),
    // then it stops.
    p0.ws
        .presence_of(1, |s| s == game::protocol::PresenceState::Away)
        .await?;
    p0.ws.close().await;
    server.stop().await;

    let server = TestServer::start(config).await?;
    let (mut p0, _) = Player::connect(server.addr, p0_seated, p0_seq).await?;
    let reconnected = Instant::now();
    loop {
        match p0.ws.recv().await? {
            ServerMessage::Abandoned { .. } => break,
            ServerMessage::Event { .. } | ServerMessage::PlayerJoined { .. } => continue,
            other => anyhow::bail!("expected abandoned, got {other:?}"),
        }
    }
    // A deadline counted afresh from the reload would need the full 3 s after reconnecting.
    let waited = reconnected.elapsed();
    assert!(
        waited < Duration::from_millis(2_000),
        "abandoned came {waited:?} after the reconnect: the deadline restarted"
    );
    assert!(
        gone.elapsed() >= Duration::from_millis(3_000),
        "not before the threshold"
    );
    server.stop().await;
    Ok(())
}
