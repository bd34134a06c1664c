//! Rematch over the real HTTP API and sockets: both players ask after a finished game, a new room
//! is made with the same names and the seats swapped, each player gets their own session there
//! (one per seat, however often asked, also while the room is being made), a player may decline,
//! and the refusals say why. On SQLite, and on PostgreSQL when `CASINO_TEST_PG_URL` is set.

use entity::{game_sessions, rooms};
use game::protocol::{ClientMessage, ServerMessage};
use game::Seat;
use sea_orm::{ColumnTrait, Database, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use server::Config;
use tests::{play_turn, start_match, test_config, Player, Seated, TempDir, TestServer, Ws};

/// The next `rematch` message on `player`'s socket.
async fn rematch_message(player: &mut Player) -> anyhow::Result<(Vec<Seat>, Option<String>)> {
    let (offered, room, _) = rematch_told(&mut player.ws).await?;
    Ok((offered, room))
}

/// The next `rematch` message on `ws`: offered, room, declined.
async fn rematch_told(ws: &mut Ws) -> anyhow::Result<(Vec<Seat>, Option<String>, Vec<Seat>)> {
    ws.until("rematch", |m| match m {
        ServerMessage::Rematch {
            offered,
            room,
            declined,
        } => Some((offered.clone(), room.clone(), declined.clone())),
        _ => None,
    })
    .await
}

/// Plays the match's (single) hand to the end of the game.
async fn play_to_the_end(players: &mut [Player; 2]) -> anyhow::Result<()> {
    let mut seq = 0;
    loop {
        seq += 1;
        if play_turn(players, seq, &format!("m{seq}")).await?.game_over {
            return Ok(());
        }
        anyhow::ensure!(seq < 200, "the hand never ended");
    }
}

async fn rematch(config: Config) -> anyhow::Result<()> {
    let server = TestServer::start(config).await?;
    let mut players = start_match(&server, &["V-SINGLE-HAND"]).await?;
    let code = players[0].seated.room.clone();
    let path = format!("/api/rooms/{code}/rematch");
    let (alice_token, bob_token) = (
        players[0].seated.token.clone(),
        players[1].seated.token.clone(),
    );

    // Not before the game is over.
    let (status, body) = server.post_bearer(&path, &alice_token).await?;
    assert_eq!(
        (status, &body["error"]["code"]),
        (409, &json!("GAME_NOT_OVER"))
    );
    play_to_the_end(&mut players).await?;
    // Only with this room's session in the path.
    let other = server.create_room("Carol", &[]).await?;
    let (status, body) = server.post_bearer(&path, &other.token).await?;
    assert_eq!(
        (status, &body["error"]["code"]),
        (400, &json!("ROOM_MISMATCH"))
    );

    // Alice asks: she waits, and both sockets hear it.
    let (status, body) = server.post_bearer(&path, &alice_token).await?;
    assert_eq!(
        (status, &body),
        (202, &json!({ "offered": [0], "declined": [] }))
    );
    for player in players.iter_mut() {
        assert_eq!(rematch_message(player).await?, (vec![Seat::FIRST], None));
    }
    // Bob accepts: his seat in the new room is seat 0 (the seats are swapped).
    let (status, body) = server.post_bearer(&path, &bob_token).await?;
    assert_eq!(status, 200, "{body}");
    let bob: Seated = serde_json::from_value(body)?;
    assert_ne!(bob.room, code);
    assert_eq!(bob.seat, Seat::FIRST);
    for player in players.iter_mut() {
        assert_eq!(
            rematch_message(player).await?,
            (vec![Seat::FIRST, Seat::SECOND], Some(bob.room.clone()))
        );
    }
    // Alice asks again after the socket told her: the same room, seat 1.
    let (status, body) = server.post_bearer(&path, &alice_token).await?;
    assert_eq!(status, 200, "{body}");
    let alice: Seated = serde_json::from_value(body)?;
    assert_eq!(
        (alice.room.as_str(), alice.seat),
        (bob.room.as_str(), Seat::SECOND)
    );

    // The new room: names kept, seats swapped, the game running; Bob (seat 0) leads.
    let (status, info) = server.get(&format!("/api/rooms/{}", bob.room)).await?;
    assert_eq!(status, 200);
    assert_eq!(info["status"], "playing");
    assert_eq!(
        info["players"],
        json!([{ "seat": 0, "name": "Bob" }, { "seat": 1, "name": "Alice" }])
    );
    assert_eq!(info["variants"], json!(["V-SINGLE-HAND"]));
    let (new_bob, _) = Player::connect(server.addr, bob.clone(), 0).await?;
    let (new_alice, _) = Player::connect(server.addr, alice, 0).await?;
    assert!(new_bob.my_turn() && !new_alice.my_turn());
    // A deal of its own: another seed than the finished game's.
    assert_ne!(
        new_bob.view.as_ref().map(|v| v.hand.clone()),
        players[0].view.as_ref().map(|v| v.hand.clone())
    );

    // Bob leaves the finished room: the rematch already made is still Alice's to take.
    players[1]
        .ws
        .send(&game::protocol::ClientMessage::Leave)
        .await?;
    let (status, body) = server.post_bearer(&path, &alice_token).await?;
    assert_eq!((status, &body["room"]), (200, &json!(bob.room)));
    Ok(())
}

#[actix_web::test]
async fn both_players_ask_and_get_a_new_room_with_the_seats_swapped_on_sqlite() -> anyhow::Result<()>
{
    rematch(test_config()).await
}

#[actix_web::test]
async fn both_players_ask_and_get_a_new_room_with_the_seats_swapped_on_postgres(
) -> anyhow::Result<()> {
    let Some(pg) = tests::pg::create("rematch_on_postgres").await? else {
        return Ok(());
    };
    let mut config = test_config();
    config.database_url = pg.url.clone();
    let outcome = rematch(config).await;
    pg.drop_db().await?;
    outcome
}

#[actix_web::test]
async fn no_rematch_with_an_opponent_who_left() -> anyhow::Result<()> {
    let server = TestServer::start(test_config()).await?;
    let [mut p0, mut p1] = start_match(&server, &[]).await?;
    let code = p0.seated.room.clone();
    // Bob leaves; Alice claims the victory at once: the game is over.
    p1.ws.send(&game::protocol::ClientMessage::Leave).await?;
    p0.ws
        .until("abandoned", |m| {
            matches!(m, ServerMessage::Abandoned { .. }).then_some(())
        })
        .await?;
    p0.ws
        .send(&game::protocol::ClientMessage::ClaimVictory)
        .await?;
    p0.ws
        .until("game_over", |m| {
            matches!(m, ServerMessage::GameOver { .. }).then_some(())
        })
        .await?;
    let (status, body) = server
        .post_bearer(&format!("/api/rooms/{code}/rematch"), &p0.seated.token)
        .await?;
    assert_eq!(
        (status, &body["error"]["code"]),
        (409, &json!("OPPONENT_LEFT"))
    );
    Ok(())
}

/// `DELETE /api/rooms/{code}/rematch`: a seat says no (withdrawing its offer), both sockets hear
/// it, a socket coming back is told after `welcome`, asking again clears it, and once the room
/// is made it is too late to say no.
#[actix_web::test]
async fn a_player_declines_a_rematch_and_may_ask_again() -> anyhow::Result<()> {
    let server = TestServer::start(test_config()).await?;
    let mut players = start_match(&server, &["V-SINGLE-HAND"]).await?;
    let code = players[0].seated.room.clone();
    let path = format!("/api/rooms/{code}/rematch");
    let (alice_token, bob_token) = (
        players[0].seated.token.clone(),
        players[1].seated.token.clone(),
    );
    let (status, body) = server.delete_bearer(&path, &bob_token).await?;
    assert_eq!(
        (status, &body["error"]["code"]),
        (409, &json!("GAME_NOT_OVER"))
    );
    play_to_the_end(&mut players).await?;

    // Alice asks, then withdraws: she declined, nobody offers.
    let (status, _) = server.post_bearer(&path, &alice_token).await?;
    assert_eq!(status, 202);
    let (status, body) = server.delete_bearer(&path, &alice_token).await?;
    assert_eq!(
        (status, &body),
        (200, &json!({ "offered": [], "declined": [0] }))
    );
    for player in players.iter_mut() {
        assert_eq!(rematch_told(&mut player.ws).await?.0, vec![Seat::FIRST]);
        assert_eq!(
            rematch_told(&mut player.ws).await?,
            (vec![], None, vec![Seat::FIRST])
        );
    }
    // A socket coming back to the room hears of the decline after the result.
    let mut again = server.connect(&bob_token).await?;
    again.send(&ClientMessage::hello(0)).await?;
    again.send(&game::protocol::ClientMessage::Takeover).await?;
    assert_eq!(
        rematch_told(&mut again).await?,
        (vec![], None, vec![Seat::FIRST])
    );
    // Bob asks (a new question: Alice's earlier no does not answer it); Alice asks again: the
    // room is made.
    let (status, body) = server.post_bearer(&path, &bob_token).await?;
    assert_eq!(
        (status, &body),
        (202, &json!({ "offered": [1], "declined": [] }))
    );
    let (status, body) = server.post_bearer(&path, &alice_token).await?;
    assert_eq!(status, 200, "{body}");
    // Too late to say no; and only with this room's session in the path.
    let (status, body) = server.delete_bearer(&path, &bob_token).await?;
    assert_eq!(
        (status, &body["error"]["code"]),
        (409, &json!("REMATCH_MADE"))
    );
    let other = server.create_room("Carol", &[]).await?;
    let (status, body) = server.delete_bearer(&path, &other.token).await?;
    assert_eq!(
        (status, &body["error"]["code"]),
        (400, &json!("ROOM_MISMATCH"))
    );
    Ok(())
}

/// A match of one hand played to its end.
async fn finished_match(server: &TestServer) -> anyhow::Result<[Player; 2]> {
    let mut players = start_match(server, &["V-SINGLE-HAND"]).await?;
    play_to_the_end(&mut players).await?;
    Ok(players)
}

/// Asks racing the creation of the rematch's room: in each of 20 rounds Alice asks, then Bob's
/// ask and a burst of repeated asks from both go out at once, while Alice's sockets come and go
/// (the room commits each absence and return as it makes the new room and looks up its seats).
/// An answer may be 202 only while Alice alone has asked; every other is 200 with the asker's
/// seat in one and the same room.
async fn racing_asks(config: Config) -> anyhow::Result<()> {
    let server = TestServer::start(config).await?;
    for round in 0..20 {
        let [alice, bob] = finished_match(&server).await?;
        let alice_seated = alice.seated.clone();
        let path = format!("/api/rooms/{}/rematch", alice_seated.room);
        let (status, _) = server.post_bearer(&path, &alice_seated.token).await?;
        assert_eq!(status, 202);
        let askers: Vec<&Seated> = (0..10)
            .map(|i| {
                if i % 2 == 0 {
                    &bob.seated
                } else {
                    &alice_seated
                }
            })
            .collect();
        let asks = futures_util::future::join_all(
            askers.iter().map(|s| server.post_bearer(&path, &s.token)),
        );
        let (answers, churned) =
            futures_util::future::join(asks, comings_and_goings(&server, alice)).await;
        churned?;
        let mut rooms = std::collections::BTreeSet::new();
        for (asker, answer) in askers.iter().zip(answers) {
            let (status, body) = answer?;
            if status == 202 {
                assert_eq!(body["offered"], json!([0]), "round {round}: {body}");
                continue;
            }
            assert_eq!(status, 200, "round {round}: {body}");
            let seated: Seated = serde_json::from_value(body)?;
            assert_eq!(
                seated.seat,
                asker.seat.other(),
                "round {round}: seats swapped"
            );
            rooms.insert(seated.room);
        }
        assert_eq!(rooms.len(), 1, "round {round}: one new room, got {rooms:?}");
    }
    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn asks_racing_the_new_room_get_their_seat_in_it_on_sqlite() -> anyhow::Result<()> {
    racing_asks(test_config()).await
}

#[actix_web::test]
async fn asks_racing_the_new_room_get_their_seat_in_it_on_a_sqlite_file() -> anyhow::Result<()> {
    let dir = TempDir::new()?;
    let mut config = test_config();
    config.database_url = dir.sqlite_url("race.db");
    racing_asks(config).await
}

#[actix_web::test]
async fn asks_racing_the_new_room_get_their_seat_in_it_on_postgres() -> anyhow::Result<()> {
    let Some(pg) = tests::pg::create("rematch_race_on_postgres").await? else {
        return Ok(());
    };
    let mut config = test_config();
    config.database_url = pg.url.clone();
    let outcome = racing_asks(config).await;
    pg.drop_db().await?;
    outcome
}

/// `player`'s socket closes, then three more of the seat's come and go: each a commit of the
/// room (away, back).
async fn comings_and_goings(server: &TestServer, player: Player) -> anyhow::Result<()> {
    player.ws.close().await;
    for _ in 0..3 {
        let mut ws = server.connect(&player.seated.token).await?;
        // The last socket may not be gone yet: take the seat over rather than wait on conflict.
        ws.send(&ClientMessage::hello(0)).await?;
        ws.send(&ClientMessage::Takeover).await?;
        ws.until("welcome", |m| {
            matches!(m, ServerMessage::Welcome { .. }).then_some(())
        })
        .await?;
        ws.close().await;
    }
    Ok(())
}

/// The session rows of the room with `code`.
async fn session_rows(url: &str, code: &str) -> anyhow::Result<usize> {
    let db = Database::connect(url).await?;
    let room = rooms::Entity::find()
        .filter(rooms::Column::Code.eq(code))
        .one(&db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no room {code}"))?;
    let rows = game_sessions::Entity::find()
        .filter(game_sessions::Column::RoomId.eq(room.id))
        .count(&db)
        .await?;
    db.close().await?;
    Ok(usize::try_from(rows)?)
}

/// 500 asks after the rematch's room exists: each seat always gets its one session (the same
/// token), no new row, and a page already in the new room stays there. A player who left the
/// new room gets no session from the old room's endpoint.
async fn one_session_per_seat(config: Config) -> anyhow::Result<()> {
    let url = config.database_url.clone();
    let server = TestServer::start(config).await?;
    let [alice, bob] = finished_match(&server).await?;
    let path = format!("/api/rooms/{}/rematch", alice.seated.room);
    server.post_bearer(&path, &alice.seated.token).await?;
    let (status, body) = server.post_bearer(&path, &bob.seated.token).await?;
    assert_eq!(status, 200, "{body}");
    let first_bob: Seated = serde_json::from_value(body)?;
    let (mut new_bob, _) = Player::connect(server.addr, first_bob.clone(), 0).await?;
    let mut first_alice = None;
    for i in 0..500 {
        let asker = if i % 2 == 0 { &alice } else { &bob };
        let (status, body) = server.post_bearer(&path, &asker.seated.token).await?;
        assert_eq!(status, 200, "ask {i}: {body}");
        let seated: Seated = serde_json::from_value(body)?;
        let first = if i % 2 == 0 {
            first_alice.get_or_insert_with(|| seated.clone())
        } else {
            &first_bob
        };
        assert_eq!(
            (&seated.room, seated.seat, &seated.token),
            (&first.room, first.seat, &first.token),
            "ask {i}: the seat's one session"
        );
    }
    assert_eq!(session_rows(&url, &first_bob.room).await?, 2);
    // Both sessions work, and Bob's page in the new room was not moved out.
    let alice_new = first_alice.ok_or_else(|| anyhow::anyhow!("no answer for Alice"))?;
    assert_eq!(server.session_refusal(&alice_new.token).await?, None);
    assert_eq!(server.session_refusal(&first_bob.token).await?, None);
    new_bob.ws.send(&ClientMessage::Ping { t: 7 }).await?;
    new_bob
        .ws
        .until("pong", |m| {
            matches!(m, ServerMessage::Pong { t: 7, .. }).then_some(())
        })
        .await?;
    // Bob leaves the new room: the old room's endpoint has no session for him any more.
    new_bob.ws.send(&ClientMessage::Leave).await?;
    assert_eq!(new_bob.ws.closed().await?, Some(1000));
    let (status, body) = server.post_bearer(&path, &bob.seated.token).await?;
    assert_eq!(
        (status, &body["error"]["code"]),
        (409, &json!("REMATCH_LEFT"))
    );
    let (status, _) = server.post_bearer(&path, &alice.seated.token).await?;
    assert_eq!(status, 200);
    assert_eq!(session_rows(&url, &first_bob.room).await?, 2);
    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn a_rematch_seat_has_one_session_however_often_asked_on_sqlite() -> anyhow::Result<()> {
    let dir = TempDir::new()?;
    let mut config = test_config();
    config.database_url = dir.sqlite_url("sessions.db");
    one_session_per_seat(config).await
}

#[actix_web::test]
async fn a_rematch_seat_has_one_session_however_often_asked_on_postgres() -> anyhow::Result<()> {
    let Some(pg) = tests::pg::create("rematch_sessions_on_postgres").await? else {
        return Ok(());
    };
    let mut config = test_config();
    config.database_url = pg.url.clone();
    let outcome = one_session_per_seat(config).await;
    pg.drop_db().await?;
    outcome
}
