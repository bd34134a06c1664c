//! The connection lifecycle (issue 5) against a real server with shrunken durations: seed 19.2
//! (abandonment and claim of victory), takeover (R6), 19.5 (a silent client is closed and
//! reconnects cleanly), the heartbeat endpoint and a `/metrics` scrape.

use std::time::Duration;

use game::protocol::{ClientMessage, EndReason, ServerMessage};
use server::Config;
use tests::{start_match, test_config, Player, Received, TestServer, Ws};

fn lifecycle_config() -> Config {
    let mut config = test_config();
    config.heartbeat_check_ms = 50;
    // Players wait silently for the abandonment thresholds below: the heartbeat timeout stays
    // well above them (19.5 shrinks it on its own).
    config.heartbeat_unhealthy_ms = 4_000;
    config.heartbeat_timeout_ms = 8_000;
    config.heartbeat_flush_ms = 100;
    config.temporarily_disconnected_ms = 200;
    config.abandon_after_ms = 600;
    config.return_window_ms = 2_500;
    config
}

async fn post_bearer(
    server: &TestServer,
    path: &str,
    token: &str,
) -> anyhow::Result<(u16, serde_json::Value)> {
    let mut response = awc::Client::new()
        .post(server.url(path))
        .insert_header(("Authorization", format!("Bearer {token}")))
        .send()
        .await
        .map_err(|err| anyhow::anyhow!("POST {path}: {err}"))?;
    let status = response.status().as_u16();
    let body = response
        .json::<serde_json::Value>()
        .await
        .map_err(|err| anyhow::anyhow!("body: {err}"))?;
    Ok((status, body))
}

async fn next_non_status(ws: &mut Ws) -> anyhow::Result<ServerMessage> {
    ws.recv().await
}

#[actix_web::test]
async fn scenario_19_2_abandonment_claim_and_return() -> anyhow::Result<()> {
    abandonment_claim_and_return(lifecycle_config()).await
}

#[actix_web::test]
async fn scenario_19_2_on_postgres() -> anyhow::Result<()> {
    let Some(pg) = tests::pg::create("scenario_19_2_on_postgres").await? else {
        return Ok(());
    };
    let mut config = lifecycle_config();
    config.database_url = pg.url.clone();
    let outcome = abandonment_claim_and_return(config).await;
    pg.drop_db().await?;
    outcome
}

async fn abandonment_claim_and_return(config: Config) -> anyhow::Result<()> {
    let server = TestServer::start(config).await?;
    let [mut p0, p1] = start_match(&server, &[]).await?;
    let p1_seated = p1.seated.clone();
    p1.ws.close().await;

    // Too early: refused over the socket and over HTTP.
    p0.ws.send(&ClientMessage::ClaimVictory).await?;
    match next_non_status(&mut p0.ws).await? {
        ServerMessage::Error { code, .. } => assert_eq!(code, "CLAIM_TOO_EARLY"),
        other => panic!("expected an error, got {other:?}"),
    }
    let (status, body) = post_bearer(&server, "/api/game/claim-victory", &p0.seated.token).await?;
    assert_eq!(status, 409, "{body}");
    // A forged token is refused.
    let (status, _) = post_bearer(&server, "/api/game/claim-victory", "forged.token").await?;
    assert_eq!(status, 401);

    // At the threshold the connected player is offered wait / claim_victory.
    match next_non_status(&mut p0.ws).await? {
        ServerMessage::Abandoned { options, .. } => {
            assert_eq!(options, vec!["wait", "claim_victory"])
        }
        other => panic!("expected abandoned, got {other:?}"),
    }
    // The absent player's token cannot claim against a connected opponent.
    let (status, _) = post_bearer(&server, "/api/game/claim-victory", &p1_seated.token).await?;
    assert_eq!(status, 409);

    let (status, body) = post_bearer(&server, "/api/game/claim-victory", &p0.seated.token).await?;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["reason"], "victory_claimed");
    assert_eq!(body["result"]["winner"], 0);
    let event = next_non_status(&mut p0.ws).await?;
    assert!(
        matches!(&event, ServerMessage::Event { kind, .. } if kind == "victory_claimed"),
        "{event:?}"
    );
    assert!(matches!(
        next_non_status(&mut p0.ws).await?,
        ServerMessage::GameOver {
            reason: EndReason::VictoryClaimed,
            ..
        }
    ));

    // The absent player comes back within the window and sees the result.
    let (mut back, _) = Player::connect(server.addr, p1_seated.clone(), 0).await?;
    assert!(matches!(
        back.ws.recv().await?,
        ServerMessage::GameOver {
            reason: EndReason::VictoryClaimed,
            ..
        }
    ));
    back.ws.close().await;
    // After the return window the session has expired: 401 before the upgrade.
    tokio::time::sleep(Duration::from_millis(3_000)).await;
    assert!(Ws::connect(server.addr, &p1_seated.token, None)
        .await
        .is_err());
    // A browser cannot read that 401; it asks here and learns why.
    let mut response = awc::Client::new()
        .get(server.url("/api/session"))
        .insert_header(("Authorization", format!("Bearer {}", p1_seated.token)))
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    assert_eq!(response.status().as_u16(), 401);
    let body: serde_json::Value = response.json().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    assert_eq!(body["error"]["code"], "SESSION_EXPIRED", "{body}");
    let mut response = awc::Client::new()
        .get(server.url("/api/session"))
        .insert_header(("Authorization", format!("Bearer {}", p0.seated.token)))
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    assert_eq!(response.status().as_u16(), 200);
    let body: serde_json::Value = response.json().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    assert_eq!(body["seat"], 0, "{body}");
    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn the_wait_path_resumes_the_game() -> anyhow::Result<()> {
    let server = TestServer::start(lifecycle_config()).await?;
    let [mut p0, p1] = start_match(&server, &[]).await?;
    let p1_seated = p1.seated.clone();
    p1.ws.close().await;
    assert!(matches!(
        next_non_status(&mut p0.ws).await?,
        ServerMessage::Abandoned { .. }
    ));
    p0.ws.send(&ClientMessage::Wait).await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (p1, welcome) = Player::connect(server.addr, p1_seated, 0).await?;
    assert!(matches!(welcome, ServerMessage::Welcome { .. }));
    assert!(p1.view.as_ref().is_some_and(|v| v.result.is_none()));
    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn takeover_moves_the_seat_and_closes_the_old_socket() -> anyhow::Result<()> {
    let server = TestServer::start(lifecycle_config()).await?;
    let [mut p0, _p1] = start_match(&server, &[]).await?;
    // Keep the first socket alive (beats) while the second one asks.
    p0.ws.send(&ClientMessage::Ping { t: 1 }).await?;
    let mut second = Ws::connect(server.addr, &p0.seated.token, None).await?;
    second
        .send(&ClientMessage::Hello {
            protocol: game::protocol::PROTOCOL_VERSION,
            last_seq: 0,
        })
        .await?;
    assert!(matches!(
        second.recv().await?,
        ServerMessage::Conflict { .. }
    ));
    second.send(&ClientMessage::Takeover).await?;
    assert!(matches!(
        second.recv().await?,
        ServerMessage::Welcome { .. }
    ));
    loop {
        match p0.ws.recv_any().await? {
            Received::Message(m) if matches!(*m, ServerMessage::SessionMoved) => break,
            Received::Message(_) => continue,
            Received::Closed(code) => panic!("closed before session_moved: {code:?}"),
        }
    }
    assert_eq!(p0.ws.closed().await?, Some(4009));
    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn scenario_19_5_silent_client_is_closed_and_reconnects() -> anyhow::Result<()> {
    let mut config = lifecycle_config();
    config.heartbeat_unhealthy_ms = 400;
    config.heartbeat_timeout_ms = 800;
    config.abandon_after_ms = 60_000;
    let server = TestServer::start(config).await?;
    let [mut p0, p1] = start_match(&server, &[]).await?;
    let room = p0.seated.room.clone();
    let (status, body) = server.get(&format!("/api/heartbeat/{room}")).await?;
    assert_eq!(status, 200, "{body}");
    assert!(body["players"][0].get("last_heartbeat").is_none(), "{body}");
    let seated = p1.seated.clone();
    let mut silent = p1.ws;
    // p0 keeps beating; p1 says nothing: unhealthy, then closed with 4011.
    let beat = async {
        for t in 0..30 {
            let _ = p0.ws.send(&ClientMessage::Ping { t }).await;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        p0
    };
    let (code, p0) = tokio::join!(silent.closed(), beat);
    assert_eq!(code?, Some(4011));
    let mut p0 = p0;
    let (_back, welcome) = Player::connect(server.addr, seated, 0).await?;
    assert!(matches!(welcome, ServerMessage::Welcome { .. }));
    let _ = p0.ws.send(&ClientMessage::Ping { t: 99 }).await;
    let metrics = awc::Client::new()
        .get(server.url("/metrics"))
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .body()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let text = String::from_utf8_lossy(&metrics);
    assert!(
        text.contains("casino_heartbeat_failures_total{reason=\"timeout\"}"),
        "{text}"
    );
    assert!(text.contains("casino_reconnections_succeeded_total"));
    server.stop().await;
    Ok(())
}
