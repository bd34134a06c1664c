//! Seed scenarios 17.3 (connection status broadcast on disconnect and return, a concurrent
//! connection for a seat) and 17.4 (ping/pong, unhealthy marking, timeout detection, the
//! heartbeat endpoint) against a real server with shrunken durations.

use std::time::{Duration, Instant};

use game::protocol::{ClientMessage, PresenceState, ServerMessage};
use server::Config;
use tests::{start_match, test_config, Player, TestServer, Ws};

fn config() -> Config {
    let mut config = test_config();
    config.heartbeat_check_ms = 50;
    config.heartbeat_unhealthy_ms = 600;
    config.heartbeat_timeout_ms = 1_500;
    config.heartbeat_flush_ms = 100;
    config
}

async fn health(
    server: &TestServer,
    room: &str,
    token: Option<&str>,
) -> anyhow::Result<serde_json::Value> {
    let mut request = awc::Client::new().get(server.url(&format!("/api/heartbeat/{room}")));
    if let Some(token) = token {
        request = request.insert_header(("Authorization", format!("Bearer {token}")));
    }
    let mut response = request.send().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    anyhow::ensure!(
        response.status().as_u16() == 200,
        "status {}",
        response.status()
    );
    response.json().await.map_err(|e| anyhow::anyhow!("{e}"))
}

#[actix_web::test]
async fn scenario_17_3_status_is_broadcast_on_disconnect_and_return() -> anyhow::Result<()> {
    let server = TestServer::start(config()).await?;
    let [mut p0, p1] = start_match(&server, &[]).await?;
    let seated = p1.seated.clone();
    let last_seq = p1.last_seq;

    p1.ws.close().await;
    let closed = Instant::now();
    let seat1 = p0
        .ws
        .presence_of(1, |s| s != PresenceState::Connected)
        .await?;
    assert!(
        closed.elapsed() < Duration::from_secs(1),
        "told within a second"
    );
    assert!(seat1.since.is_some());

    // A second connection for seat 0 while the first is live: conflict, not a silent swap.
    let mut second = Ws::connect(server.addr, &p0.seated.token, None).await?;
    second.send(&ClientMessage::hello(0)).await?;
    assert!(matches!(
        second.recv().await?,
        ServerMessage::Conflict { .. }
    ));

    // Seat 1 comes back: everyone is told it is connected again.
    let (_p1, welcome) = Player::connect(server.addr, seated, last_seq).await?;
    assert!(matches!(welcome, ServerMessage::Welcome { .. }));
    p0.ws
        .presence_of(1, |s| s == PresenceState::Connected)
        .await?;
    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn scenario_17_4_ping_pong_unhealthy_then_timeout() -> anyhow::Result<()> {
    let server = TestServer::start(config()).await?;
    let [mut p0, mut p1] = start_match(&server, &[]).await?;
    let room = p0.seated.room.clone();

    // Pong at once, echoing the client's time, with the server's.
    let before = chrono::Utc::now().timestamp_millis();
    p1.ws.send(&ClientMessage::Ping { t: 12_345 }).await?;
    match p1.ws.recv().await? {
        ServerMessage::Pong { t, server_t } => {
            assert_eq!(t, 12_345);
            assert!(server_t >= before && server_t <= chrono::Utc::now().timestamp_millis());
        }
        other => anyhow::bail!("expected pong, got {other:?}"),
    }
    let report = health(&server, &room, None).await?;
    assert_eq!(report["players"][1]["health"], "healthy", "{report}");

    // Seat 1 goes silent with its socket open; seat 0 keeps beating.
    let start = Instant::now();
    let mut saw_unhealthy = false;
    while start.elapsed() < Duration::from_millis(1_300) {
        p0.ws.send(&ClientMessage::Ping { t: 1 }).await?;
        let report = health(&server, &room, Some(&p0.seated.token)).await?;
        assert_eq!(report["players"][0]["health"], "healthy", "{report}");
        assert!(
            report["players"][0]["last_heartbeat"].is_i64(),
            "members see last_heartbeat"
        );
        if report["players"][1]["health"] == "unhealthy" {
            saw_unhealthy = true;
            assert!(
                start.elapsed() >= Duration::from_millis(500),
                "not before the threshold"
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(saw_unhealthy, "seat 1 was never marked unhealthy");
    // Past the timeout the silent socket is closed with 4011 and the seat shows disconnected.
    assert_eq!(p1.ws.closed().await?, Some(4011));
    let report = health(&server, &room, None).await?;
    assert_eq!(report["players"][1]["health"], "disconnected", "{report}");
    assert!(
        report["players"][1].get("last_heartbeat").is_none(),
        "spectators see no times"
    );
    server.stop().await;
    Ok(())
}
