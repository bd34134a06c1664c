//! Overload is refused, not queued: past `CASINO_MAX_CONNECTIONS` sockets a new one is closed at
//! once with 1013 (try again later), the seated players play on, and a freed slot is usable.

use game::protocol::ServerMessage;
use tests::{eventually, play_turn, start_match, test_config, TestServer};

#[actix_web::test]
async fn sockets_past_the_limit_are_closed_with_1013() -> anyhow::Result<()> {
    let mut config = test_config();
    config.max_connections = 2;
    let server = TestServer::start(config).await?;
    let mut players = start_match(&server, &[]).await?;

    // A third socket (a second tab of seat 0) is refused before anything else is said.
    let mut extra = server.connect(&players[0].seated.token).await?;
    assert_eq!(extra.closed().await?, Some(1013));

    // The seated players are unaffected.
    play_turn(&mut players, 1, "m1").await?;

    // Once a socket closes, its slot is free again: seat 1 comes back.
    let [p0, p1] = players;
    let seated = p1.seated.clone();
    p1.ws.close().await;
    // The old socket's slot may not be released yet: a refused try is tried again.
    let back = eventually(
        std::time::Duration::from_secs(2),
        "seat 1 coming back after a slot was freed",
        || async {
            let mut ws = server.connect(&seated.token).await?;
            Ok(match ws.hello(1).await {
                Ok(ServerMessage::Welcome { seq, .. }) => Some(seq),
                _ => None,
            })
        },
    )
    .await?;
    assert_eq!(back, 1);
    p0.ws.close().await;
    server.stop().await;
    Ok(())
}
