//! Hostile input: each bad input gets its documented error (or refusal, or close code), nothing
//! crashes, and the game goes on unharmed.

use game::protocol::{ClientMessage, ErrorCode, ServerMessage};
use game::{Card, Move, Seat};
use tests::{
    next_hand, pick_move, play_move, play_turn, start_match, test_config, Player, Received,
    TestServer, Ws,
};

async fn expect_error(ws: &mut Ws, code: ErrorCode) -> anyhow::Result<()> {
    match ws.recv().await? {
        ServerMessage::Error { code: got, message } => {
            assert_eq!(got, code, "{message}");
            assert!(!message.is_empty());
        }
        other => panic!("expected error {code}, got {other:?}"),
    }
    Ok(())
}

async fn expect_rejected(ws: &mut Ws, action_id: &str, code: ErrorCode) -> anyhow::Result<()> {
    match ws.recv().await? {
        ServerMessage::Rejected {
            action_id: id,
            code: got,
            ..
        } => {
            assert_eq!(id, action_id);
            assert_eq!(got, code);
        }
        other => panic!("expected rejected {code}, got {other:?}"),
    }
    Ok(())
}

#[actix_web::test]
async fn bad_frames_get_errors_and_the_game_goes_on() -> anyhow::Result<()> {
    let server = TestServer::start(test_config()).await?;
    let mut players = start_match(&server, &[]).await?;
    play_turn(&mut players, 1, "m1").await?;
    let [p0, mut p1] = players;

    // Protocol-level garbage on seat 1's socket.
    p1.ws.send_text("{this is not json").await?;
    expect_error(&mut p1.ws, ErrorCode::MalformedJson).await?;
    p1.ws.send_text(r#"{"type":"dance"}"#).await?;
    expect_error(&mut p1.ws, ErrorCode::UnknownMessage).await?;
    p1.ws
        .send_text(r#"{"type":"action","action_id":"x"}"#)
        .await?;
    expect_error(&mut p1.ws, ErrorCode::InvalidMessage).await?;
    p1.ws.send_text("42").await?;
    expect_error(&mut p1.ws, ErrorCode::InvalidMessage).await?;
    p1.ws.send_binary(vec![1, 2, 3]).await?;
    expect_error(&mut p1.ws, ErrorCode::BinaryNotSupported).await?;
    // `takeover` from the socket that already holds the seat just resynchronises it.
    p1.ws.send(&ClientMessage::Takeover).await?;
    assert!(matches!(p1.ws.recv().await?, ServerMessage::Welcome { .. }));

    // Bad moves: rejected, nothing logged, the same player still to move.
    let view = p1.view.clone().expect("view");
    p1.ws
        .action("bad id with spaces", &Move::Trail { card: view.hand[0] })
        .await?;
    expect_rejected(&mut p1.ws, "bad id with spaces", ErrorCode::InvalidActionId).await?;
    let not_held = ["AS", "2S", "3S", "4S", "5S", "6S", "7S", "8S", "9S"]
        .iter()
        .filter_map(|c| c.parse::<Card>().ok())
        .find(|c| !view.hand.contains(c))
        .expect("a card not in hand");
    p1.ws
        .action("not-held", &Move::Trail { card: not_held })
        .await?;
    expect_rejected(&mut p1.ws, "not-held", ErrorCode::CardNotInHand).await?;

    // Out of turn: seat 0 moves while seat 1 is to move.
    let mut p0 = p0;
    let card = p0.view.as_ref().expect("view").hand[0];
    p0.ws.action("out-of-turn", &Move::Trail { card }).await?;
    expect_rejected(&mut p0.ws, "out-of-turn", ErrorCode::NotYourTurn).await?;

    // The game goes on: seat 1 plays move 2.
    let mut players = [p0, p1];
    play_turn(&mut players, 2, "m2").await?;
    play_turn(&mut players, 3, "m3").await?;
    Ok(())
}

#[actix_web::test]
async fn an_oversized_frame_closes_with_1009_and_the_seat_comes_back() -> anyhow::Result<()> {
    let mut config = test_config();
    config.max_frame_bytes = 2048;
    let server = TestServer::start(config).await?;
    let mut players = start_match(&server, &[]).await?;
    play_turn(&mut players, 1, "m1").await?;
    let [p0, mut p1] = players;
    let huge = format!(r#"{{"type":"ping","t":1,"pad":"{}"}}"#, "x".repeat(10_000));
    p1.ws.send_text(&huge).await?;
    let mut got_error = false;
    let code = loop {
        match p1.ws.recv_any().await? {
            Received::Message(message) => {
                if let ServerMessage::Error { code, .. } = *message {
                    got_error |= code == ErrorCode::FrameTooLarge;
                }
            }
            Received::Closed(code) => break code,
        }
    };
    assert!(got_error, "the error message precedes the close");
    assert_eq!(code, Some(1009));
    // Reconnect: the game goes on.
    let (p1, _) = Player::connect(server.addr, p1.seated.clone(), 1).await?;
    let mut players = [p0, p1];
    play_turn(&mut players, 2, "m2").await?;
    Ok(())
}

#[actix_web::test]
async fn a_flood_is_rate_limited_and_the_socket_keeps_working() -> anyhow::Result<()> {
    let mut config = test_config();
    config.rate_burst = 10;
    config.rate_per_sec = 20;
    let server = TestServer::start(config).await?;
    let mut players = start_match(&server, &[]).await?;
    for t in 0..100 {
        players[0].ws.send(&ClientMessage::Ping { t }).await?;
    }
    // The burst is answered, then the streak gets one RATE_LIMITED (not one per message).
    let mut pongs = 0;
    loop {
        match players[0].ws.recv().await? {
            ServerMessage::Pong { .. } => pongs += 1,
            ServerMessage::Error {
                code: ErrorCode::RateLimited,
                ..
            } => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(pongs < 100, "{pongs} pongs: nothing was limited");
    // The bucket refills (20 a second) and play continues; the move is resent with the same
    // action_id, a second apart, until acknowledged, as a client does (a copy dropped by the
    // limiter is harmless).
    let view = players[0].view.clone().expect("view");
    let mv = pick_move(&view, 1).expect("move");
    let mut acked = false;
    for _ in 0..10 {
        players[0].ws.action("after-flood", &mv).await?;
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(1);
        while let Ok(message) = tokio::time::timeout_at(deadline, players[0].ws.recv()).await {
            match message? {
                ServerMessage::Ack { action_id, seq, .. } => {
                    assert_eq!((action_id.as_str(), seq), ("after-flood", 1));
                    acked = true;
                    break;
                }
                ServerMessage::Pong { .. } | ServerMessage::Error { .. } => continue,
                other => panic!("unexpected {other:?}"),
            }
        }
        if acked {
            break;
        }
    }
    assert!(acked, "the move after the flood was acknowledged");
    Ok(())
}

#[actix_web::test]
async fn foreign_origins_are_refused_and_own_or_listed_ones_allowed() -> anyhow::Result<()> {
    let mut config = test_config();
    config.allowed_origins = vec!["https://casino.example".to_owned()];
    let server = TestServer::start(config).await?;
    let alice = server.create_room("Alice", &[]).await?;
    assert!(
        Ws::connect(server.addr, &alice.token, Some("https://evil.example"))
            .await
            .is_err()
    );
    let (status, body) = {
        let mut response = awc::Client::new()
            .get(server.url(&format!("/ws?session_token={}", alice.token)))
            .insert_header(("Origin", "https://evil.example"))
            .send()
            .await
            .map_err(|err| anyhow::anyhow!("{err}"))?;
        let body: serde_json::Value = response
            .json()
            .await
            .map_err(|err| anyhow::anyhow!("{err}"))?;
        (response.status().as_u16(), body)
    };
    assert_eq!(status, 403);
    assert_eq!(body["error"]["code"], "FORBIDDEN_ORIGIN");
    let own = format!("http://{}", server.addr);
    let mut ws = Ws::connect(server.addr, &alice.token, Some(&own)).await?;
    ws.hello(0).await?;
    let mut ws2 = Ws::connect(server.addr, &alice.token, Some("https://casino.example")).await?;
    ws2.send(&ClientMessage::hello(0)).await?;
    // The origin is accepted; the seat is held by the first socket, so this one is told so.
    assert!(matches!(
        ws2.recv().await?,
        ServerMessage::Conflict { .. } | ServerMessage::Welcome { .. }
    ));
    drop(ws);
    Ok(())
}

#[actix_web::test]
async fn moves_before_hello_and_wrong_protocol_are_refused() -> anyhow::Result<()> {
    let server = TestServer::start(test_config()).await?;
    let alice = server.create_room("Alice", &[]).await?;
    let mut ws = server.connect(&alice.token).await?;
    ws.action(
        "a1",
        &Move::Trail {
            card: "7C".parse()?,
        },
    )
    .await?;
    expect_error(&mut ws, ErrorCode::HelloRequired).await?;
    ws.send(&ClientMessage::Hello {
        protocol: 99,
        last_seq: 0,
    })
    .await?;
    expect_error(&mut ws, ErrorCode::UnsupportedProtocol).await?;
    assert_eq!(ws.closed().await?, Some(4002));
    // Before the game starts a move is rejected (and the socket stays).
    let mut ws = server.connect(&alice.token).await?;
    ws.hello(0).await?;
    ws.action(
        "early",
        &Move::Trail {
            card: "7C".parse()?,
        },
    )
    .await?;
    expect_rejected(&mut ws, "early", ErrorCode::GameNotStarted).await?;
    Ok(())
}

#[actix_web::test]
async fn a_silent_socket_is_closed_after_the_hello_timeout() -> anyhow::Result<()> {
    let mut config = test_config();
    config.hello_timeout_ms = 200;
    let server = TestServer::start(config).await?;
    let alice = server.create_room("Alice", &[]).await?;
    let mut ws = server.connect(&alice.token).await?;
    assert_eq!(ws.closed().await?, Some(4001));
    Ok(())
}

/// A second tab still waiting on the takeover question cannot say the seat is ready between
/// hands: refused `SEAT_HELD_ELSEWHERE` like its moves, and the next hand waits for the tab
/// that holds the seat.
#[actix_web::test]
async fn a_tab_waiting_on_conflict_cannot_mark_the_seat_ready() -> anyhow::Result<()> {
    let server = TestServer::start(test_config()).await?;
    let mut players = start_match(&server, &[]).await?;
    let mut seq = 0;
    let hand = loop {
        seq += 1;
        if let Some(hand) = play_move(&mut players, seq, &format!("m{seq}"))
            .await?
            .hand_break
        {
            break hand;
        }
        anyhow::ensure!(seq < 200, "the hand never ended");
    };
    let mut tab = Ws::connect(server.addr, &players[0].seated.token, None).await?;
    tab.send(&ClientMessage::hello(0)).await?;
    assert!(matches!(tab.recv().await?, ServerMessage::Conflict { .. }));
    tab.send(&ClientMessage::NextHand { hand }).await?;
    expect_error(&mut tab, ErrorCode::SeatHeldElsewhere).await?;
    // Bob is ready: only his seat is; the hand has not started.
    players[1]
        .ws
        .send(&ClientMessage::NextHand { hand })
        .await?;
    let ready = players[1]
        .ws
        .until("hand_break", |m| match m {
            ServerMessage::HandBreak { ready, .. } => Some(ready.clone()),
            ServerMessage::HandStarted { .. } => Some(vec![]),
            _ => None,
        })
        .await?;
    assert_eq!(ready, [Seat::SECOND]);
    // The tab holding Alice's seat says it: the hand starts for both.
    next_hand(&mut players, hand).await?;
    play_turn(&mut players, seq + 1, "after").await?;
    server.stop().await;
    Ok(())
}

/// A frame with a key given twice — `{"type":"ping","t":1,"type":"leave"}` would be a `leave`
/// to a parser keeping the last one and a `ping` to one keeping the first — is refused
/// `DUPLICATE_KEY` at any depth; the socket keeps its seat and the game goes on.
#[actix_web::test]
async fn a_frame_with_a_key_twice_is_refused_and_the_game_goes_on() -> anyhow::Result<()> {
    let server = TestServer::start(test_config()).await?;
    let mut players = start_match(&server, &[]).await?;
    play_turn(&mut players, 1, "m1").await?;
    let mover = usize::from(players[1].my_turn());
    let card = players[mover].view.as_ref().expect("view").hand[0];
    let ws = &mut players[mover].ws;
    for frame in [
        r#"{"type":"ping","t":1,"type":"leave"}"#.to_owned(),
        r#"{"type":"leave","type":"ping","t":1}"#.to_owned(),
        format!(
            r#"{{"type":"action","action_id":"dup","move":{{"type":"trail","card":"{card}","card":"{card}"}}}}"#
        ),
    ] {
        ws.send_text(&frame).await?;
        expect_error(ws, ErrorCode::DuplicateKey).await?;
    }
    // Nothing was left, nothing was played: the same player moves next, with the next seq.
    play_turn(&mut players, 2, "m2").await?;
    play_turn(&mut players, 3, "m3").await?;
    server.stop().await;
    Ok(())
}
