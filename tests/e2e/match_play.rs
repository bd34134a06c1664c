//! Whole matches over the real protocol: every ack in sequence, the game to `game_over`; on
//! SQLite, and on PostgreSQL when `CASINO_TEST_PG_URL` is set.

use game::protocol::ServerMessage;
use server::Config;
use tests::{play_turn, start_match, test_config, TestServer};

/// Plays a whole match on a server with `config`; returns the number of moves.
async fn complete_match(config: Config, variants: &[&str]) -> anyhow::Result<u64> {
    let server = TestServer::start(config).await?;
    let mut players = start_match(&server, variants).await?;
    assert!(players[0].my_turn(), "the creator (seat 0) plays first");
    assert!(!players[1].my_turn());
    let mut seq = 0;
    loop {
        seq += 1;
        let turn = play_turn(&mut players, seq, &format!("move-{seq}")).await?;
        if turn.game_over {
            break;
        }
        assert!(seq < 2000, "the match never ended");
    }
    for player in &players {
        let view = player.view.as_ref().expect("a view");
        let result = view.result.as_ref().expect("a result");
        assert_eq!(result.scores, view.scores);
        assert_eq!(player.last_seq, seq);
    }
    // The finished room says so, and a reconnect gets the final state and game_over again.
    let code = players[0].seated.room.clone();
    let (_, info) = server.get(&format!("/api/rooms/{code}")).await?;
    assert_eq!(info["status"], "finished");
    let mut again = server.connect(&players[1].seated.token).await?;
    // The first socket still holds the seat (R6): the new one asks with `takeover`.
    again
        .send(&game::protocol::ClientMessage::hello(seq))
        .await?;
    let mut welcome = again.recv().await?;
    if matches!(welcome, ServerMessage::Conflict { .. }) {
        again.send(&game::protocol::ClientMessage::Takeover).await?;
        welcome = again.recv().await?;
    }
    if let ServerMessage::Welcome {
        missed, seq: at, ..
    } = &welcome
    {
        assert!(missed.is_empty());
        assert_eq!(*at, seq);
    }
    assert!(matches!(
        again.recv().await?,
        ServerMessage::GameOver { .. }
    ));
    Ok(seq)
}

#[actix_web::test]
async fn a_complete_match_to_game_over_on_sqlite() -> anyhow::Result<()> {
    let moves = complete_match(test_config(), &[]).await?;
    assert!(moves >= 48, "at least one hand is played ({moves} moves)");
    Ok(())
}

#[actix_web::test]
async fn a_complete_match_to_game_over_on_postgres() -> anyhow::Result<()> {
    let Some(pg) = tests::pg::create("a_complete_match_to_game_over_on_postgres").await? else {
        return Ok(());
    };
    let mut config = test_config();
    config.database_url = pg.url.clone();
    let outcome = complete_match(config, &["V-TARGET-11"]).await;
    pg.drop_db().await?;
    outcome.map(|_| ())
}
