//! Memory holds the rooms in use: a room nobody is connected to leaves memory after
//! `CASINO_ROOM_UNLOAD_AFTER_MS`, finished or in play, and comes back from the database when a
//! player returns, with its result, its log and its absences. It reads the server's own
//! `casino_active_rooms` gauge.

use std::time::Duration;

use game::protocol::{PresenceState, ServerMessage};
use tests::{eventually, metric_sample, play_turn, start_match, test_config, Player, TestServer};

async fn active_rooms(server: &TestServer) -> anyhow::Result<f64> {
    Ok(metric_sample(
        &server.metrics().await?,
        "casino_active_rooms",
        &[],
    ))
}

#[actix_web::test]
async fn finished_rooms_leave_memory_and_come_back_on_demand() -> anyhow::Result<()> {
    let mut config = test_config();
    config.room_unload_after_ms = 300;
    config.heartbeat_check_ms = 50;
    let server = TestServer::start(config).await?;

    // A whole (one-hand) match.
    let mut finished = start_match(&server, &["V-SINGLE-HAND"]).await?;
    let mut seq = 0;
    loop {
        seq += 1;
        if play_turn(&mut finished, seq, &format!("m{seq}"))
            .await?
            .game_over
        {
            break;
        }
        anyhow::ensure!(seq < 500, "the match never ended");
    }
    let final_seq = seq;
    // A second room, in play, whose players leave too.
    let mut playing = start_match(&server, &[]).await?;
    play_turn(&mut playing, 1, "p1").await?;
    assert_eq!(active_rooms(&server).await?, 2.0);

    let seats: Vec<_> = finished.iter().map(|p| p.seated.clone()).collect();
    let in_play: Vec<_> = playing.iter().map(|p| p.seated.clone()).collect();
    for player in finished.into_iter().chain(playing) {
        player.ws.close().await;
    }
    // Both leave memory: everything they know is in the database.
    eventually(
        Duration::from_secs(5),
        "both rooms leaving memory",
        || async { Ok((active_rooms(&server).await? == 0.0).then_some(())) },
    )
    .await?;

    // A player of the finished room comes back: the room is loaded from the database, with
    // the result and every event.
    let (player, welcome) = Player::connect(server.addr, seats[0].clone(), 0).await?;
    match &welcome {
        ServerMessage::Welcome { seq, view, .. } => {
            assert_eq!(*seq, final_seq);
            let view = view.as_ref().expect("a view of the finished game");
            assert!(view.result.is_some(), "{view:?}");
        }
        other => panic!("expected welcome, got {other:?}"),
    }
    assert_eq!(active_rooms(&server).await?, 1.0);
    // A player of the game in play comes back to it: its move, and the opponent still away.
    let (mut back, welcome) = Player::connect(server.addr, in_play[1].clone(), 0).await?;
    match &welcome {
        ServerMessage::Welcome { seq, presence, .. } => {
            assert_eq!(*seq, 1);
            let opponent = presence
                .iter()
                .find(|p| u8::from(p.seat) == 0)
                .expect("seat 0");
            assert_eq!(opponent.state, PresenceState::Disconnected);
        }
        other => panic!("expected welcome, got {other:?}"),
    }
    assert_eq!(active_rooms(&server).await?, 2.0);
    let (_, again) = Player::connect(server.addr, in_play[0].clone(), 1).await?;
    assert!(matches!(again, ServerMessage::Welcome { seq: 1, .. }));
    back.ws
        .presence_of(0, |s| s == PresenceState::Connected)
        .await?;
    player.ws.close().await;
    server.stop().await;
    Ok(())
}
