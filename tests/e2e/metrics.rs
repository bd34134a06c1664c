//! A `/metrics` scrape whose counters move exactly as a scenario says: one applied move, its
//! duplicate, one refused move, one reconnection, one refused token. The server's metrics are its own (not
//! the process's), so nothing else running counts in them.

use game::protocol::ServerMessage;
use tests::{metric_sample, pick_move, start_match, test_config, Player, TestServer, Ws};

async fn ack_of(ws: &mut Ws, action_id: &str) -> anyhow::Result<u64> {
    loop {
        match ws.recv().await? {
            ServerMessage::Ack {
                action_id: id, seq, ..
            } if id == action_id => return Ok(seq),
            ServerMessage::Event { .. } | ServerMessage::PlayerJoined { .. } => continue,
            other => anyhow::bail!("expected the ack of {action_id}, got {other:?}"),
        }
    }
}

#[actix_web::test]
async fn counters_move_as_the_scenario_says() -> anyhow::Result<()> {
    let server = TestServer::start(test_config()).await?;
    let [mut p0, p1] = start_match(&server, &[]).await?;
    let before = server.metrics().await?;

    // One applied move, then the same action_id again: answered from the dedup table.
    let view = p0.view.clone().ok_or_else(|| anyhow::anyhow!("no view"))?;
    let mv = pick_move(&view, 1).ok_or_else(|| anyhow::anyhow!("no move"))?;
    p0.ws.action("m-1", &mv).await?;
    let seq = ack_of(&mut p0.ws, "m-1").await?;
    p0.ws.action("m-1", &mv).await?;
    assert_eq!(ack_of(&mut p0.ws, "m-1").await?, seq, "the original ack");

    // Out of turn now: refused.
    p0.ws.action("m-2", &mv).await?;
    loop {
        match p0.ws.recv().await? {
            ServerMessage::Rejected { action_id, .. } if action_id == "m-2" => break,
            ServerMessage::Event { .. } => continue,
            other => anyhow::bail!("expected rejected, got {other:?}"),
        }
    }

    // Seat 1 leaves and comes back.
    let seated = p1.seated.clone();
    let last_seq = p1.last_seq;
    p1.ws.close().await;
    // Seat 0 is told once the absence is committed: the return is a reconnection.
    p0.ws
        .presence_of(1, |s| s != game::protocol::PresenceState::Connected)
        .await?;
    let (_p1, welcome) = Player::connect(server.addr, seated, last_seq).await?;
    assert!(matches!(welcome, ServerMessage::Welcome { .. }));

    // A forged token is refused before the upgrade.
    assert!(Ws::connect(server.addr, "forged", None).await.is_err());

    let after = server.metrics().await?;
    let delta = |name: &str, labels: &[&str]| {
        metric_sample(&after, name, labels) - metric_sample(&before, name, labels)
    };
    assert_eq!(delta("casino_moves_total", &["outcome=\"applied\""]), 1.0);
    assert_eq!(delta("casino_moves_total", &["outcome=\"duplicate\""]), 1.0);
    assert_eq!(delta("casino_moves_total", &["outcome=\"rejected\""]), 1.0);
    assert_eq!(delta("casino_dedup_hits_total", &[]), 1.0);
    assert_eq!(delta("casino_reconnections_succeeded_total", &[]), 1.0);
    assert_eq!(delta("casino_reconnections_attempted_total", &[]), 1.0);
    assert_eq!(delta("casino_token_rejections_total", &[]), 1.0);
    assert!(
        delta("casino_log_batch_size_appends_count", &[]) >= 1.0,
        "a group commit happened"
    );
    assert!(delta("casino_move_duration_seconds_count", &[]) >= 1.0);
    assert_eq!(metric_sample(&after, "casino_active_connections", &[]), 2.0);
    assert!(metric_sample(&after, "casino_active_rooms", &[]) >= 1.0);
    Ok(())
}
