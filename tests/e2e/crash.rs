//! Crash survival: the server as a child process is killed with SIGKILL in the middle of a
//! match (one move in flight), restarted on the same SQLite file, and the match is finished.
//! Every acknowledged move is in the log, the in-flight move is applied exactly once, and the
//! whole log replays through the rules engine to the state the players see.

use entity::{game_action_log, players as players_table, rooms};
use game::protocol::ServerMessage;
use game::{GameState, Move, Ruleset, Seat};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use tests::child::ChildServer;
use tests::{pick_move, play_turn, start_match, Player, TempDir, TestServer, TEST_SECRET};

const BINARY: &str = env!("CARGO_BIN_EXE_casino-server-e2e");

#[actix_web::test]
async fn kill_9_mid_match_loses_no_acknowledged_move() -> anyhow::Result<()> {
    let dir = TempDir::new()?;
    let url = dir.sqlite_url("casino.db");
    let env = [
        ("DATABASE_URL", url.as_str()),
        ("CASINO_SESSION_SECRET", TEST_SECRET),
        ("CASINO_RATE_BURST", "100000"),
        ("CASINO_RATE_PER_SEC", "100000"),
        ("CASINO_STATIC_DIR", "/nonexistent"),
    ];
    let child = ChildServer::spawn(BINARY, &env)?;
    let server = TestServer::at(child.addr);
    let mut players = start_match(&server, &[]).await?;
    let mut acked: Vec<(String, u64)> = Vec::new();
    for seq in 1..=20 {
        let id = format!("before-{seq}");
        play_turn(&mut players, seq, &id).await?;
        acked.push((id, seq));
    }

    // One move in flight, then SIGKILL before its answer is read.
    let m = usize::from(!players[0].my_turn());
    let in_flight: Move = pick_move(players[m].view.as_ref().expect("view"), 21).expect("move");
    players[m].ws.action("in-flight", &in_flight).await?;
    child.kill()?;
    let seated = [players[0].seated.clone(), players[1].seated.clone()];
    let last = [players[0].last_seq, players[1].last_seq];
    drop(players);

    // Restart on the same file; both players come back with what they had seen.
    let child = ChildServer::spawn(BINARY, &env)?;
    let (p0, w0) = Player::connect(child.addr, seated[0].clone(), last[0]).await?;
    let (p1, _) = Player::connect(child.addr, seated[1].clone(), last[1]).await?;
    let recovered_seq = match w0 {
        ServerMessage::Welcome { seq, .. } => seq,
        _ => unreachable!("connect returns a welcome"),
    };
    assert!(
        recovered_seq == 20 || recovered_seq == 21,
        "seq {recovered_seq}"
    );
    let mut players = [p0, p1];
    // The in-flight move, resent with its action_id, lands exactly once at seq 21.
    players[m].ws.action("in-flight", &in_flight).await?;
    let ack = players[m].ws.recv().await?;
    assert!(
        matches!(&ack, ServerMessage::Ack { action_id, seq: 21, .. } if action_id == "in-flight"),
        "{ack:?}"
    );
    acked.push(("in-flight".to_owned(), 21));
    if recovered_seq == 20 {
        for player in players.iter_mut() {
            player.next_event().await?;
        }
    }

    let mut seq = 21;
    loop {
        seq += 1;
        let id = format!("after-{seq}");
        let turn = play_turn(&mut players, seq, &id).await?;
        acked.push((id, seq));
        if turn.game_over {
            break;
        }
        assert!(seq < 2000, "the match never ended");
    }
    drop(child);

    // The log holds every acknowledged move at its sequence number, and replays to the state
    // both players ended with.
    let db = migration::connect(&url).await?;
    let room = rooms::Entity::find()
        .filter(rooms::Column::Code.eq(seated[0].room.as_str()))
        .one(&db)
        .await?
        .expect("the room");
    assert_eq!(room.status, rooms::RoomStatus::Finished);
    let log = game_action_log::Entity::find()
        .filter(game_action_log::Column::RoomId.eq(room.id))
        .order_by_asc(game_action_log::Column::SequenceNumber)
        .all(&db)
        .await?;
    assert_eq!(log.len() as u64, seq);
    for (action_id, seq) in &acked {
        let row = &log[(*seq - 1) as usize];
        assert_eq!(&row.action_id, action_id, "seq {seq}");
    }
    let seats = players_table::Entity::find()
        .filter(players_table::Column::RoomId.eq(room.id))
        .all(&db)
        .await?;
    let seat_of = |player_id: Option<i64>| -> Seat {
        let row = seats
            .iter()
            .find(|p| Some(p.id) == player_id)
            .expect("a seated player");
        Seat::try_from(row.seat as u8).expect("seat 0 or 1")
    };
    let moves: Vec<(Seat, Move)> = log
        .iter()
        .map(|row| {
            let mv: Move = serde_json::from_value(row.action_data.clone()).expect("a move");
            (seat_of(row.player_id), mv)
        })
        .collect();
    let ruleset: Ruleset = serde_json::from_value(room.ruleset.clone())?;
    let replayed = GameState::replay(
        room.deal_seed as u64,
        Seat::SECOND,
        ruleset,
        moves.iter().map(|(seat, mv)| (*seat, mv)),
    )?;
    assert!(replayed.is_over());
    for player in &players {
        let view = player.view.as_ref().expect("view");
        assert_eq!(&replayed.view(view.seat), view);
    }
    Ok(())
}
