//! The connection lifecycle against a real server with shrunken durations, on SQLite and on
//! PostgreSQL: leave, clean close and abrupt drop, abandonment with claim and with wait, the
//! end of the return window, takeover (R6), and 19.5 (a silent client is closed and reconnects).
//! Every wait is for a message or a polled condition, never a sleep.

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::Context;
use entity::{game_action_log, rooms};
use game::protocol::{
    AbandonOption, ClientMessage, EndReason, ErrorCode, EventKind, PresenceState, RoomStatus,
    ServerMessage,
};
use sea_orm::{ColumnTrait, Database, EntityTrait, QueryFilter, QueryOrder};
use server::Config;
use tests::{start_match, test_config, Player, Received, TempDir, TestServer, Ws};

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

/// Runs `scenario` on a SQLite file.
async fn on_sqlite<F, Fut>(scenario: F) -> anyhow::Result<()>
where
    F: FnOnce(Config) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let dir = TempDir::new()?;
    let mut config = lifecycle_config();
    config.database_url = dir.sqlite_url("lifecycle.db");
    scenario(config).await
}

/// Runs `scenario` on a fresh PostgreSQL database (skipped without `CASINO_TEST_PG_URL`).
async fn on_postgres<F, Fut>(name: &str, scenario: F) -> anyhow::Result<()>
where
    F: FnOnce(Config) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let Some(pg) = tests::pg::create(name).await? else {
        return Ok(());
    };
    let mut config = lifecycle_config();
    config.database_url = pg.url.clone();
    let outcome = scenario(config).await;
    pg.drop_db().await?;
    outcome
}

/// The next `abandoned` offer on `ws`: its options and whether the player waits.
async fn offer(ws: &mut Ws) -> anyhow::Result<(Vec<AbandonOption>, bool, i64, i64)> {
    ws.until("an abandoned offer", |m| match m {
        ServerMessage::Abandoned {
            options,
            waiting,
            opponent_gone_since,
            return_by,
        } => Some((options.clone(), *waiting, *opponent_gone_since, *return_by)),
        _ => None,
    })
    .await
}

/// The next `game_over` on `ws`.
async fn game_over(ws: &mut Ws) -> anyhow::Result<(game::GameResult, EndReason)> {
    ws.until("game over", |m| match m {
        ServerMessage::GameOver { result, reason, .. } => Some((result.clone(), *reason)),
        _ => None,
    })
    .await
}

// --- leave --------------------------------------------------------------------------------

#[actix_web::test]
async fn leave_ends_the_session_and_lets_the_opponent_claim_at_once() -> anyhow::Result<()> {
    on_sqlite(leave_scenario).await
}

#[actix_web::test]
async fn leave_on_postgres() -> anyhow::Result<()> {
    on_postgres("leave_on_postgres", leave_scenario).await
}

async fn leave_scenario(config: Config) -> anyhow::Result<()> {
    let server = TestServer::start(config).await?;
    let [mut p0, mut p1] = start_match(&server, &[]).await?;
    let code = p0.seated.room.clone();
    let leaver = p1.seated.clone();
    let asked = Instant::now();
    p1.ws.send(&ClientMessage::Leave).await?;
    p1.ws
        .until("left", |m| matches!(m, ServerMessage::Left).then_some(()))
        .await?;
    assert_eq!(p1.ws.closed().await?, Some(1000));

    // The opponent is told within a second and may claim at once.
    let seen = p0.ws.presence_of(1, |s| s == PresenceState::Left).await?;
    assert!(
        asked.elapsed() < Duration::from_secs(1),
        "told after {:?}",
        asked.elapsed()
    );
    assert!(seen.since.is_some());
    let (options, waiting, _, _) = offer(&mut p0.ws).await?;
    assert_eq!(options, [AbandonOption::ClaimVictory]);
    assert!(!waiting);
    p0.ws.send(&ClientMessage::ClaimVictory).await?;
    let (result, reason) = game_over(&mut p0.ws).await?;
    assert_eq!(reason, EndReason::VictoryClaimed);
    assert_eq!(result.winner.map(u8::from), Some(0));
    assert_eq!(server.room_status(&code).await?, RoomStatus::Finished);

    // The leaver's token is refused for good, at the upgrade and when asked.
    assert!(Ws::connect(server.addr, &leaver.token, None).await.is_err());
    assert_eq!(
        server.session_refusal(&leaver.token).await?,
        Some(ErrorCode::SessionRevoked)
    );
    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn leaving_a_waiting_room_closes_it() -> anyhow::Result<()> {
    let server = TestServer::start(lifecycle_config()).await?;
    let alice = server.create_room("Alice", &[]).await?;
    let (mut p0, _) = Player::connect(server.addr, alice.clone(), 0).await?;
    p0.ws.send(&ClientMessage::Leave).await?;
    assert_eq!(p0.ws.closed().await?, Some(1000));
    assert_eq!(
        server.room_status(&alice.room).await?,
        RoomStatus::Abandoned
    );
    let (status, body) = server
        .post(
            &format!("/api/rooms/{}/join", alice.room),
            &serde_json::json!({ "name": "Bob" }),
        )
        .await?;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "ROOM_CLOSED");
    server.stop().await;
    Ok(())
}

// --- clean close and abrupt drop (R9) ----------------------------------------------------------

#[actix_web::test]
async fn a_clean_close_shows_disconnected_and_a_drop_reconnecting() -> anyhow::Result<()> {
    on_sqlite(close_and_drop_scenario).await
}

#[actix_web::test]
async fn close_and_drop_on_postgres() -> anyhow::Result<()> {
    on_postgres("close_and_drop_on_postgres", close_and_drop_scenario).await
}

async fn close_and_drop_scenario(mut config: Config) -> anyhow::Result<()> {
    config.temporarily_disconnected_ms = 60_000;
    let server = TestServer::start(config).await?;
    let [mut p0, p1] = start_match(&server, &[]).await?;
    let seated = p1.seated.clone();

    let closed = Instant::now();
    p1.ws.close().await;
    p0.ws
        .presence_of(1, |s| s == PresenceState::Disconnected)
        .await?;
    assert!(
        closed.elapsed() < Duration::from_secs(5),
        "R9: within 5 s of a clean disconnect"
    );

    let (back, _) = Player::connect(server.addr, seated, 0).await?;
    p0.ws
        .presence_of(1, |s| s == PresenceState::Connected)
        .await?;
    back.ws.drop_abruptly();
    p0.ws
        .presence_of(1, |s| s == PresenceState::Reconnecting)
        .await?;
    server.stop().await;
    Ok(())
}

// --- abandonment: claim, wait, the end of the window -------------------------------------------

#[actix_web::test]
async fn abandonment_claim_and_return() -> anyhow::Result<()> {
    on_sqlite(claim_scenario).await
}

#[actix_web::test]
async fn abandonment_claim_and_return_on_postgres() -> anyhow::Result<()> {
    on_postgres("abandonment_claim_and_return_on_postgres", claim_scenario).await
}

/// Seed 19.2: abandonment and a claim of victory, refused too early, then accepted; the absent
/// player comes back within the window to the result, and after it finds the session expired.
async fn claim_scenario(config: Config) -> anyhow::Result<()> {
    let server = TestServer::start(config).await?;
    let [mut p0, p1] = start_match(&server, &[]).await?;
    let absent = p1.seated.clone();
    p1.ws.close().await;

    // Too early: refused over the socket and over HTTP.
    p0.ws.send(&ClientMessage::ClaimVictory).await?;
    let code = p0
        .ws
        .until("an error", |m| match m {
            ServerMessage::Error { code, .. } => Some(*code),
            _ => None,
        })
        .await?;
    assert_eq!(code, ErrorCode::ClaimTooEarly);
    let (status, body) = server
        .post_bearer("/api/game/claim-victory", &p0.seated.token)
        .await?;
    assert_eq!(status, 409, "{body}");
    let (status, _) = server
        .post_bearer("/api/game/claim-victory", "forged.token")
        .await?;
    assert_eq!(status, 401);

    // At the threshold the connected player is offered wait / claim_victory.
    let (options, _, _, _) = offer(&mut p0.ws).await?;
    assert_eq!(options, [AbandonOption::Wait, AbandonOption::ClaimVictory]);
    // The absent player's token cannot claim against a connected opponent.
    let (status, _) = server
        .post_bearer("/api/game/claim-victory", &absent.token)
        .await?;
    assert_eq!(status, 409);

    let (status, body) = server
        .post_bearer("/api/game/claim-victory", &p0.seated.token)
        .await?;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["reason"], "victory_claimed");
    assert_eq!(body["result"]["winner"], 0);
    let kind = p0
        .ws
        .until("the claim's event", |m| match m {
            ServerMessage::Event { kind, .. } => Some(*kind),
            _ => None,
        })
        .await?;
    assert_eq!(kind, EventKind::VictoryClaimed);
    assert_eq!(game_over(&mut p0.ws).await?.1, EndReason::VictoryClaimed);

    // The absent player comes back within the window and sees the result.
    let (mut back, _) = Player::connect(server.addr, absent.clone(), 0).await?;
    assert_eq!(game_over(&mut back.ws).await?.1, EndReason::VictoryClaimed);
    back.ws.close().await;
    // After the window the session has expired: 401 at the upgrade and when asked.
    tests::eventually(Duration::from_secs(10), "the session to expire", || async {
        Ok(server
            .session_refusal(&absent.token)
            .await?
            .filter(|code| *code == ErrorCode::SessionExpired))
    })
    .await?;
    assert!(Ws::connect(server.addr, &absent.token, None).await.is_err());
    assert_eq!(server.session_refusal(&p0.seated.token).await?, None);
    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn after_wait_the_end_of_the_window_ends_the_game() -> anyhow::Result<()> {
    on_sqlite(window_end_scenario).await
}

#[actix_web::test]
async fn window_end_on_postgres() -> anyhow::Result<()> {
    on_postgres("window_end_on_postgres", window_end_scenario).await
}

async fn window_end_scenario(config: Config) -> anyhow::Result<()> {
    let url = config.database_url.clone();
    let return_ms = i64::try_from(config.return_window_ms)?;
    let server = TestServer::start(config).await?;
    let [mut p0, p1] = start_match(&server, &[]).await?;
    let code = p0.seated.room.clone();
    let absent = p1.seated.clone();
    p1.ws.close().await;
    let gone = p0
        .ws
        .presence_of(1, |s| s == PresenceState::Disconnected)
        .await?;
    let (_, waiting, since, return_by) = offer(&mut p0.ws).await?;
    assert!(!waiting);
    assert_eq!(Some(since), gone.since);
    assert_eq!(return_by - since, return_ms);

    // `wait` is answered: the offer again, waiting, with claim victory still in it.
    p0.ws.send(&ClientMessage::Wait).await?;
    let (options, waiting, _, _) = offer(&mut p0.ws).await?;
    assert!(waiting);
    assert_eq!(options, [AbandonOption::ClaimVictory]);

    // The window ends: the game is over, the player who stayed wins.
    let summary = p0
        .ws
        .until("the abandoned event", |m| match m {
            ServerMessage::Event {
                kind: EventKind::Abandoned,
                summary,
                at,
                ..
            } => Some((summary.clone(), *at)),
            _ => None,
        })
        .await?;
    assert_eq!(summary.0, "Opponent did not come back: you win");
    assert!(summary.1 >= return_by, "not before the window ends");
    let (result, reason) = game_over(&mut p0.ws).await?;
    assert_eq!(reason, EndReason::Abandoned);
    assert_eq!(result.winner.map(u8::from), Some(0));
    assert_eq!(server.room_status(&code).await?, RoomStatus::Abandoned);
    assert_eq!(
        server.session_refusal(&absent.token).await?,
        Some(ErrorCode::SessionExpired)
    );

    // The log says so too.
    let db = Database::connect(url.as_str()).await?;
    let room = rooms::Entity::find()
        .filter(rooms::Column::Code.eq(code.clone()))
        .one(&db)
        .await?
        .context("the room row")?;
    assert_eq!(room.status, rooms::RoomStatus::Abandoned);
    assert_eq!(room.end_reason, Some(rooms::EndReason::Abandoned));
    assert_eq!(room.winner_seat, Some(0));
    let last = game_action_log::Entity::find()
        .filter(game_action_log::Column::RoomId.eq(room.id))
        .order_by_desc(game_action_log::Column::SequenceNumber)
        .one(&db)
        .await?
        .context("a log entry")?;
    assert_eq!(last.action_type, "abandoned");
    assert_eq!(last.action_data["winner"], 0);
    db.close().await?;
    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn after_wait_a_reconnect_and_a_restart_still_offer_the_claim() -> anyhow::Result<()> {
    on_sqlite(wait_reload_scenario).await
}

#[actix_web::test]
async fn wait_reload_on_postgres() -> anyhow::Result<()> {
    on_postgres("wait_reload_on_postgres", wait_reload_scenario).await
}

async fn wait_reload_scenario(mut config: Config) -> anyhow::Result<()> {
    config.return_window_ms = 30_000;
    let server = TestServer::start(config.clone()).await?;
    let [mut p0, p1] = start_match(&server, &[]).await?;
    let stayer = p0.seated.clone();
    p1.ws.close().await;
    offer(&mut p0.ws).await?;
    p0.ws.send(&ClientMessage::Wait).await?;
    let (_, waiting, _, return_by) = offer(&mut p0.ws).await?;
    assert!(waiting);

    // A reload: the offer comes back after the welcome, still waiting.
    p0.ws.close().await;
    let (mut p0, _) = Player::connect(server.addr, stayer.clone(), 0).await?;
    let (options, waiting, _, again) = offer(&mut p0.ws).await?;
    assert!(waiting);
    assert_eq!(options, [AbandonOption::ClaimVictory]);
    assert_eq!(again, return_by);

    // A restart: the same, read back from the database.
    p0.ws.close().await;
    server.stop().await;
    let server = TestServer::start(config).await?;
    let (mut p0, _) = Player::connect(server.addr, stayer, 0).await?;
    let (_, waiting, _, again) = offer(&mut p0.ws).await?;
    assert!(waiting);
    assert_eq!(
        again, return_by,
        "the deadline is read back, not recomputed"
    );
    p0.ws.send(&ClientMessage::ClaimVictory).await?;
    assert_eq!(game_over(&mut p0.ws).await?.1, EndReason::VictoryClaimed);
    server.stop().await;
    Ok(())
}

/// `welcome` tells the client how long its seat is kept after a drop: the configured return
/// window, the one that decides when a returning player gets `SESSION_EXPIRED`.
#[actix_web::test]
async fn welcome_carries_the_configured_return_window() -> anyhow::Result<()> {
    let mut config = lifecycle_config();
    config.return_window_ms = 123_456;
    let server = TestServer::start(config).await?;
    let alice = server.create_room("Alice", &[]).await?;
    let mut ws = server.connect(&alice.token).await?;
    match ws.hello(0).await? {
        ServerMessage::Welcome { seat_kept_ms, .. } => assert_eq!(seat_kept_ms, 123_456),
        other => anyhow::bail!("expected welcome, got {other:?}"),
    }
    server.stop().await;
    Ok(())
}

// --- one seat, one connection; a silent socket ------------------------------------------------

#[actix_web::test]
async fn takeover_moves_the_seat_and_closes_the_old_socket() -> anyhow::Result<()> {
    let server = TestServer::start(lifecycle_config()).await?;
    let [mut p0, _p1] = start_match(&server, &[]).await?;
    // Keep the first socket alive (beats) while the second one asks.
    p0.ws.send(&ClientMessage::Ping { t: 1 }).await?;
    let mut second = Ws::connect(server.addr, &p0.seated.token, None).await?;
    second.send(&ClientMessage::hello(0)).await?;
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
    config.temporarily_disconnected_ms = 60_000;
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
    // Silence is an abrupt end: the opponent reads "reconnecting".
    p0.ws
        .presence_of(1, |s| s == PresenceState::Reconnecting)
        .await?;
    let (_back, welcome) = Player::connect(server.addr, seated, 0).await?;
    assert!(matches!(welcome, ServerMessage::Welcome { .. }));
    let text = server.metrics().await?;
    assert!(
        text.contains("casino_heartbeat_failures_total{reason=\"timeout\"}"),
        "{text}"
    );
    assert!(text.contains("casino_reconnections_succeeded_total"));
    server.stop().await;
    Ok(())
}
