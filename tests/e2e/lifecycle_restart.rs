//! A `kill -9` in every lifecycle state keeps every deadline and every decision. Five rooms, one
//! server (a child process): a seat away (not yet abandoned), a wait after abandonment, a
//! leave, a claim of victory, and a game ended by the return window. The server is killed,
//! restarted with other durations, and each room must go on exactly as the stored deadlines and
//! decisions say, not as the new configuration would. On SQLite and PostgreSQL.

use std::time::{Duration, Instant};

use anyhow::Context;
use game::protocol::{
    AbandonOption, ClientMessage, EndReason, ErrorCode, PresenceState, RoomStatus, ServerMessage,
};
use tests::child::ChildServer;
use tests::{start_match, Player, TempDir, TestServer, Ws, TEST_SECRET};

const BINARY: &str = env!("CARGO_BIN_EXE_casino-server-e2e");
const ABANDON_MS: i64 = 2_000;
const RETURN_MS: i64 = 8_000;

fn env<'a>(url: &'a str, durations: &'a [(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut env = vec![
        ("DATABASE_URL", url),
        ("CASINO_SESSION_SECRET", TEST_SECRET),
        ("CASINO_STATIC_DIR", "/nonexistent"),
        ("CASINO_HEARTBEAT_CHECK_MS", "50"),
        ("CASINO_ABANDON_CHECK_MS", "200"),
    ];
    env.extend_from_slice(durations);
    env
}

/// The first server's durations.
const BEFORE: [(&str, &str); 3] = [
    ("CASINO_TEMPORARILY_DISCONNECTED_MS", "5000"),
    ("CASINO_ABANDON_AFTER_MS", "2000"),
    ("CASINO_RETURN_WINDOW_MS", "8000"),
];

/// The restarted server's: a minute each, so anything recomputed from them would show.
const AFTER: [(&str, &str); 3] = [
    ("CASINO_TEMPORARILY_DISCONNECTED_MS", "60000"),
    ("CASINO_ABANDON_AFTER_MS", "60000"),
    ("CASINO_RETURN_WINDOW_MS", "60000"),
];

struct Offer {
    options: Vec<AbandonOption>,
    waiting: bool,
    since: i64,
    return_by: i64,
}

async fn offer(ws: &mut Ws) -> anyhow::Result<Offer> {
    ws.until("an abandoned offer", |m| match m {
        ServerMessage::Abandoned {
            options,
            waiting,
            opponent_gone_since,
            return_by,
        } => Some(Offer {
            options: options.clone(),
            waiting: *waiting,
            since: *opponent_gone_since,
            return_by: *return_by,
        }),
        _ => None,
    })
    .await
}

async fn game_over(ws: &mut Ws) -> anyhow::Result<(Option<u8>, EndReason)> {
    ws.until("game over", |m| match m {
        ServerMessage::GameOver { result, reason, .. } => {
            Some((result.winner.map(u8::from), *reason))
        }
        _ => None,
    })
    .await
}

#[actix_web::test]
async fn kill_9_in_every_lifecycle_state_keeps_deadlines_and_decisions() -> anyhow::Result<()> {
    let dir = TempDir::new()?;
    restart_scenario(&dir.sqlite_url("restart.db")).await
}

#[actix_web::test]
async fn kill_9_in_every_lifecycle_state_on_postgres() -> anyhow::Result<()> {
    let Some(pg) = tests::pg::create("kill_9_in_every_lifecycle_state_on_postgres").await? else {
        return Ok(());
    };
    let outcome = restart_scenario(&pg.url).await;
    pg.drop_db().await?;
    outcome
}

async fn restart_scenario(url: &str) -> anyhow::Result<()> {
    let child = ChildServer::spawn(BINARY, &env(url, &BEFORE))?;
    let server = TestServer::at(child.addr);
    let [mut ended, ended_away] = start_match(&server, &[]).await?;
    let [mut waited, waited_away] = start_match(&server, &[]).await?;
    let [mut left, mut leaver] = start_match(&server, &[]).await?;
    let [mut claimed, claimed_away] = start_match(&server, &[]).await?;
    let [mut away, away_away] = start_match(&server, &[]).await?;
    let seats = |a: &Player, b: &Player| [a.seated.clone(), b.seated.clone()];
    let ended_seats = seats(&ended, &ended_away);
    let waited_seats = seats(&waited, &waited_away);
    let left_seats = seats(&left, &leaver);
    let claimed_seats = seats(&claimed, &claimed_away);
    let away_seats = seats(&away, &away_away);

    // "Ended": its window (8 s) runs out before the kill.
    ended_away.ws.close().await;
    // Its "temporarily disconnected" announcement (5 s) is the cue for the next three rooms,
    // whose windows then end only after the restart.
    ended
        .ws
        .presence_of(1, |s| s == PresenceState::Away)
        .await?;
    waited_away.ws.close().await;
    claimed_away.ws.close().await;
    leaver.ws.send(&ClientMessage::Leave).await?;
    assert_eq!(leaver.ws.closed().await?, Some(1000));
    assert_eq!(
        offer(&mut left.ws).await?.options,
        [AbandonOption::ClaimVictory]
    );

    let first = offer(&mut waited.ws).await?;
    waited.ws.send(&ClientMessage::Wait).await?;
    let waiting = offer(&mut waited.ws).await?;
    assert!(waiting.waiting);
    assert_eq!(waiting.return_by, first.return_by);
    offer(&mut claimed.ws).await?;
    claimed.ws.send(&ClientMessage::ClaimVictory).await?;
    assert_eq!(
        game_over(&mut claimed.ws).await?,
        (Some(0), EndReason::VictoryClaimed)
    );
    assert_eq!(
        game_over(&mut ended.ws).await?,
        (Some(0), EndReason::Abandoned)
    );

    // "Away": gone just before the kill, not yet abandoned.
    away_away.ws.close().await;
    let gone = away
        .ws
        .presence_of(1, |s| s == PresenceState::Disconnected)
        .await?
        .since
        .context("a disconnect time")?;
    child.kill()?;
    let killed = Instant::now();
    drop((ended, waited, left, claimed, away));

    let child = ChildServer::spawn(BINARY, &env(url, &AFTER))?;
    let server = TestServer::at(child.addr);
    // Checked in the order their stored deadlines come: the leave's and the wait's windows end
    // about 8 s after the cue.

    // Left: the leaver stays out; the opponent may still claim.
    assert_eq!(
        server.session_refusal(&left_seats[1].token).await?,
        Some(ErrorCode::SessionRevoked)
    );
    let (mut p0, _) = Player::connect(server.addr, left_seats[0].clone(), 0).await?;
    assert_eq!(
        offer(&mut p0.ws).await?.options,
        [AbandonOption::ClaimVictory]
    );
    p0.ws.send(&ClientMessage::ClaimVictory).await?;
    assert_eq!(
        game_over(&mut p0.ws).await?,
        (Some(0), EndReason::VictoryClaimed)
    );

    // Claimed: both see the result (the absent player is still within the window).
    for seated in &claimed_seats {
        let (mut p, _) = Player::connect(server.addr, seated.clone(), 0).await?;
        assert_eq!(
            game_over(&mut p.ws).await?,
            (Some(0), EndReason::VictoryClaimed)
        );
    }

    // Away: abandoned at its stored deadline (2 s after leaving), not a minute after the restart.
    let (mut p0, _) = Player::connect(server.addr, away_seats[0].clone(), 0).await?;
    let again = offer(&mut p0.ws).await?;
    assert_eq!(again.since, gone);
    assert_eq!(
        again.return_by - again.since,
        RETURN_MS,
        "the stored window"
    );
    assert!(
        killed.elapsed() < Duration::from_millis(u64::try_from(ABANDON_MS)? * 10),
        "long before the restarted server's own threshold"
    );

    // Waited: still waiting, the claim still offered, and the game ends at the stored window.
    let (mut p0, _) = Player::connect(server.addr, waited_seats[0].clone(), 0).await?;
    let again = offer(&mut p0.ws).await?;
    assert!(again.waiting, "the decision to wait survives");
    assert_eq!(again.options, [AbandonOption::ClaimVictory]);
    assert_eq!(again.return_by, first.return_by);
    let ended_at = p0
        .ws
        .until("the end of the window", |m| match m {
            ServerMessage::Event { at, .. } => Some(*at),
            _ => None,
        })
        .await?;
    assert!(ended_at >= first.return_by && ended_at < first.return_by + 5_000);
    assert_eq!(
        game_over(&mut p0.ws).await?,
        (Some(0), EndReason::Abandoned)
    );

    // Ended: the result stays; the absent player's session has expired.
    let (mut p0, _) = Player::connect(server.addr, ended_seats[0].clone(), 0).await?;
    assert_eq!(
        game_over(&mut p0.ws).await?,
        (Some(0), EndReason::Abandoned)
    );
    assert_eq!(
        server.session_refusal(&ended_seats[1].token).await?,
        Some(ErrorCode::SessionExpired)
    );
    assert_eq!(
        server.room_status(&ended_seats[0].room).await?,
        RoomStatus::Abandoned
    );
    drop(child);
    Ok(())
}
