//! Seed scenarios 19.1 (reconnect with `last_seq`) and 19.4 (a move whose ack was lost is resent:
//! applied once, original answer), also across a server restart on the same database; on
//! SQLite, and the dedup test on PostgreSQL when `CASINO_TEST_PG_URL` is set.

use game::protocol::{ErrorCode, ServerMessage};
use game::Move;
use server::Config;
use tests::{pick_move, play_turn, start_match, test_config, Player, TempDir, TestServer};

fn mover(players: &[Player; 2]) -> usize {
    usize::from(!players[0].my_turn())
}

#[actix_web::test]
async fn scenario_19_1_reconnect_gets_exactly_the_missed_events() -> anyhow::Result<()> {
    let server = TestServer::start(test_config()).await?;
    let mut players = start_match(&server, &[]).await?;
    for seq in 1..=6 {
        play_turn(&mut players, seq, &format!("m{seq}")).await?;
    }
    // Seat 0 is to move again (moves alternate); seat 1 drops its connection.
    assert!(players[0].my_turn());
    let [mut p0, p1] = players;
    let p1_seated = p1.seated.clone();
    let p1_hand = p1.view.clone().expect("view").hand;
    p1.ws.close().await;

    let mv = pick_move(p0.view.as_ref().expect("view"), 7).expect("a move");
    p0.ws.action("m7", &mv).await?;
    assert!(matches!(
        p0.ws.recv().await?,
        ServerMessage::Ack { seq: 7, .. }
    ));
    p0.next_event().await?;

    // Back with last_seq 6: exactly event 7, the same hand, and the turn.
    let (p1, welcome) = Player::connect(server.addr, p1_seated.clone(), 6).await?;
    let ServerMessage::Welcome {
        missed,
        summary,
        seq,
        your_turn,
        view,
        ..
    } = welcome
    else {
        unreachable!("connect returns a welcome");
    };
    assert_eq!(seq, 7);
    assert_eq!(missed.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![7]);
    assert_eq!(summary.len(), 1);
    assert!(summary[0].starts_with("Opponent "), "{summary:?}");
    assert!(your_turn);
    let view = view.expect("view");
    assert_eq!(view.hand, p1_hand, "the hand is preserved");
    assert_eq!(view.table, p0.view.as_ref().expect("view").table);
    p1.ws.close().await;

    // An older last_seq gets everything after it; the summary keeps the last five.
    let (p1, welcome) = Player::connect(server.addr, p1_seated.clone(), 2).await?;
    if let ServerMessage::Welcome {
        missed, summary, ..
    } = &welcome
    {
        assert_eq!(
            missed.iter().map(|e| e.seq).collect::<Vec<_>>(),
            vec![3, 4, 5, 6, 7]
        );
        assert_eq!(summary.len(), 5);
    }
    p1.ws.close().await;
    let (mut p1, welcome) = Player::connect(server.addr, p1_seated, 0).await?;
    if let ServerMessage::Welcome {
        missed, summary, ..
    } = &welcome
    {
        assert_eq!(missed.len(), 7);
        assert_eq!(summary.len(), 5);
    }
    // The game goes on from there.
    let mut players = [p0, {
        p1.last_seq = 7;
        p1
    }];
    play_turn(&mut players, 8, "m8").await?;
    Ok(())
}

/// 19.4 on a server with `config`: returns nothing, panics on failure.
async fn lost_ack_is_answered_once(config: Config, restart: bool) -> anyhow::Result<()> {
    let mut server = TestServer::start(config.clone()).await?;
    let mut players = start_match(&server, &[]).await?;
    for seq in 1..=4 {
        play_turn(&mut players, seq, &format!("m{seq}")).await?;
    }
    let m = mover(&players);
    let other = 1 - m;

    // A move out of turn is rejected, and remembered.
    let waiting_view = players[other].view.clone().expect("view");
    let out_of_turn = Move::Trail {
        card: waiting_view.hand[0],
    };
    players[other].ws.action("early", &out_of_turn).await?;
    let ServerMessage::Rejected { code, .. } = players[other].ws.recv().await? else {
        panic!("expected rejected");
    };
    assert_eq!(code, ErrorCode::NotYourTurn);

    // The mover sends move 5 and drops the socket before reading the ack.
    let mv = pick_move(players[m].view.as_ref().expect("view"), 5).expect("move");
    players[m].ws.action("lost-ack", &mv).await?;
    let [p0, p1] = players;
    let (mover_p, mut other_p) = if m == 0 { (p0, p1) } else { (p1, p0) };
    let mover_seated = mover_p.seated.clone();
    drop(mover_p.ws);
    // The opponent sees move 5 exactly once: it was committed.
    let (event, _) = other_p.next_event().await?;
    assert!(matches!(event, ServerMessage::Event { seq: 5, .. }));

    if restart {
        let other_seated = other_p.seated.clone();
        drop(other_p);
        server.stop().await;
        server = TestServer::start(config.clone()).await?;
        other_p = Player::connect(server.addr, other_seated, 5).await?.0;
    }

    // Reconnect and resend the same action_id: the original ack, nothing applied twice.
    let (mut mover_p2, welcome) = Player::connect(server.addr, mover_seated, 4).await?;
    if let ServerMessage::Welcome { seq, missed, .. } = &welcome {
        assert_eq!(*seq, 5);
        assert_eq!(missed.len(), 1);
    }
    mover_p2.ws.action("lost-ack", &mv).await?;
    let first = mover_p2.ws.recv().await?;
    let ServerMessage::Ack { seq, at, .. } = first.clone() else {
        panic!("expected the original ack, got {first:?}");
    };
    assert_eq!(seq, 5);
    mover_p2.ws.action("lost-ack", &mv).await?;
    assert_eq!(
        mover_p2.ws.recv().await?,
        ServerMessage::Ack {
            action_id: "lost-ack".to_owned(),
            seq: 5,
            at
        }
    );

    // The same id with another move is refused, never treated as the first.
    let other_move = Move::Trail {
        card: mover_p2.view.as_ref().expect("view").hand[0],
    };
    let reused = if other_move == mv {
        Move::Trail {
            card: mover_p2.view.as_ref().expect("view").hand[1],
        }
    } else {
        other_move
    };
    mover_p2.ws.action("lost-ack", &reused).await?;
    let ServerMessage::Rejected { code, .. } = mover_p2.ws.recv().await? else {
        panic!("expected rejected");
    };
    assert_eq!(code, ErrorCode::ActionIdReused);

    // Now it is the other seat's turn; its early move's id still answers the original
    // rejection instead of being applied.
    assert!(other_p.my_turn());
    other_p.ws.action("early", &out_of_turn).await?;
    let ServerMessage::Rejected { code, .. } = other_p.ws.recv().await? else {
        panic!("expected the original rejection");
    };
    assert_eq!(code, ErrorCode::NotYourTurn);

    // And the game continues at seq 6.
    let mut players = if m == 0 {
        [mover_p2, other_p]
    } else {
        [other_p, mover_p2]
    };
    play_turn(&mut players, 6, "m6").await?;
    play_turn(&mut players, 7, "m7").await?;
    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn scenario_19_4_resent_move_is_applied_once() -> anyhow::Result<()> {
    lost_ack_is_answered_once(test_config(), false).await
}

#[actix_web::test]
async fn scenario_19_4_after_a_restart_on_the_same_database() -> anyhow::Result<()> {
    let dir = TempDir::new()?;
    let mut config = test_config();
    config.database_url = dir.sqlite_url("casino.db");
    lost_ack_is_answered_once(config, true).await
}

#[actix_web::test]
async fn scenario_19_4_after_a_restart_on_postgres() -> anyhow::Result<()> {
    let Some(pg) = tests::pg::create("scenario_19_4_after_a_restart_on_postgres").await? else {
        return Ok(());
    };
    let mut config = test_config();
    config.database_url = pg.url.clone();
    let outcome = lost_ack_is_answered_once(config, true).await;
    pg.drop_db().await?;
    outcome
}
