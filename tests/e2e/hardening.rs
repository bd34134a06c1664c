//! Regression tests of the adversarial run's findings, each against the real server on the
//! wire: an oversized frame refused from its header, a move that cannot take a claim's id, the
//! heartbeat of an unknown room, sockets of a reloading room, binary frames and pings under the
//! rate limit, invisible names, and tokens in another byte form.

use anyhow::Context;
use base64::Engine;
use entity::{game_action_log, players, rooms};
use game::protocol::{ClientMessage, ErrorCode, ServerMessage};
use sea_orm::{ActiveModelTrait, ColumnTrait, Database, EntityTrait, QueryFilter, Set};
use serde_json::json;
use tests::raw::RawWs;
use tests::{pick_move, start_match, test_config, Player, Received, TempDir, TestServer, Ws};
use tokio::io::AsyncWriteExt;

/// Close code of a frame over the limit.
const TOO_LARGE: u16 = 1009;

#[actix_web::test]
async fn an_oversized_frame_is_refused_as_soon_as_its_header_is_read() -> anyhow::Result<()> {
    let server = TestServer::start(test_config()).await?;
    let seated = server.create_room("Alice", &[]).await?;
    let mut raw = RawWs::connect(&server, &seated.token, None).await?;
    raw.hello().await?;
    // A text frame announcing 2^40 bytes, then a mebibyte of it: the server must not wait for
    // the rest (it never comes) before refusing.
    let mut header = vec![0x81, 0x80 | 127];
    header.extend_from_slice(&(1u64 << 40).to_be_bytes());
    header.extend_from_slice(&[9, 8, 7, 6]);
    raw.stream.write_all(&header).await?;
    let _ = raw.stream.write_all(&vec![b'x'; 1 << 20]).await;
    let mut told = false;
    let close = loop {
        let (opcode, payload) = raw.frame().await.context("the server never refused")?;
        match opcode {
            0x1 => {
                let message: ServerMessage = serde_json::from_slice(&payload)?;
                told |= matches!(
                    message,
                    ServerMessage::Error {
                        code: ErrorCode::FrameTooLarge,
                        ..
                    }
                );
            }
            0x8 => break u16::from_be_bytes([payload[0], payload[1]]),
            _ => {}
        }
    };
    assert!(told, "an error FRAME_TOO_LARGE precedes the close");
    assert_eq!(close, TOO_LARGE);
    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn a_move_cannot_take_the_id_a_claim_of_victory_will_need() -> anyhow::Result<()> {
    let mut config = test_config();
    config.heartbeat_check_ms = 50;
    let server = TestServer::start(config).await?;
    let [mut p0, mut p1] = start_match(&server, &[]).await?;
    let view = p0.view.clone().context("a view")?;
    let mv = pick_move(&view, 3).context("a move")?;
    // The system id of the claim that will come at seq 2 cannot be a client's.
    p0.ws.action("system victory_claimed 2", &mv).await?;
    let refused = p0
        .ws
        .until("the refusal", |m| match m {
            ServerMessage::Rejected { code, .. } => Some(*code),
            _ => None,
        })
        .await?;
    assert_eq!(refused, ErrorCode::InvalidActionId);
    // The form system ids had before is an ordinary id now, and a claim after it works.
    p0.ws.action("system:victory_claimed:2", &mv).await?;
    p0.ws
        .until("the ack", |m| {
            matches!(m, ServerMessage::Ack { seq: 1, .. }).then_some(())
        })
        .await?;
    p1.ws.send(&ClientMessage::Leave).await?;
    assert_eq!(p1.ws.closed().await?, Some(1000));
    let (status, body) = server
        .post_bearer("/api/game/claim-victory", &p0.seated.token)
        .await?;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["seq"], 2);
    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn a_finished_game_reveals_the_deal_it_committed_to() -> anyhow::Result<()> {
    let server = TestServer::start(test_config()).await?;
    let alice = server.create_room("Alice", &["V-SINGLE-HAND"]).await?;
    let (mut p0, waiting) = Player::connect(server.addr, alice.clone(), 0).await?;
    let ServerMessage::Welcome {
        deal_commitment: Some(committed),
        ..
    } = waiting
    else {
        anyhow::bail!("no commitment before the game: {waiting:?}");
    };
    let bob = server.join(&alice.room, "Bob").await?;
    p0.ws.recv().await?; // player_joined
    let welcome = p0.ws.recv().await?;
    p0.absorb(&welcome);
    let dealt = p0.view.clone().context("the dealt view")?;
    let (p1, _) = Player::connect(server.addr, bob, 0).await?;
    let mut players = [p0, p1];
    let mut seq = 0;
    loop {
        seq += 1;
        if tests::play_turn(&mut players, seq, &format!("m{seq}"))
            .await?
            .game_over
        {
            break;
        }
        anyhow::ensure!(seq < 500, "the hand never ended");
    }
    // A fresh hello on the finished game: the seed and salt are told, and they hold.
    let [mut back, _] = players;
    let again = back.ws.hello(0).await?;
    assert!(
        matches!(&again, ServerMessage::Welcome { deal_commitment: Some(c), .. } if *c == committed)
    );
    let reveal = back
        .ws
        .until("game over", |m| match m {
            ServerMessage::GameOver { deal, .. } => Some(deal.clone()),
            _ => None,
        })
        .await?
        .context("a revealed deal")?;
    let seed: u64 = reveal.seed.parse()?;
    let seen = game::fairness::SeenDeal {
        hand_number: 1,
        deal_number: 1,
        dealer: dealt.dealer,
        cards: dealt.hand.clone(),
        table: Some(dealt.table.loose.clone()),
    };
    assert_eq!(
        game::fairness::verify(&committed, seed, &reveal.salt, dealt.seat, &[seen]),
        Ok(1)
    );
    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn the_heartbeat_of_an_unknown_room_is_not_found() -> anyhow::Result<()> {
    let server = TestServer::start(test_config()).await?;
    let (status, body) = server.get("/api/heartbeat/ZZZZZZ").await?;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"]["code"], "ROOM_NOT_FOUND");
    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn sockets_of_a_reloading_room_are_told_to_reconnect() -> anyhow::Result<()> {
    let dir = TempDir::new()?;
    let mut config = test_config();
    config.database_url = dir.sqlite_url("reload.db");
    let server = TestServer::start(config.clone()).await?;
    let [mut p0, mut p1] = start_match(&server, &[]).await?;
    // A socket that has not said hello yet, and one waiting on `conflict`.
    let mut idle = Ws::connect(server.addr, &p0.seated.token, None).await?;
    let mut waiting = Ws::connect(server.addr, &p1.seated.token, None).await?;
    waiting.send(&ClientMessage::hello(0)).await?;
    assert!(matches!(
        waiting.recv().await?,
        ServerMessage::Conflict { .. }
    ));

    // Another writer takes seq 1 behind the room's back: the room's own append of seq 1 fails.
    let view = p0.view.clone().context("a view")?;
    let mv = pick_move(&view, 1).context("a move")?;
    let db = Database::connect(config.database_url.as_str()).await?;
    let room = rooms::Entity::find()
        .filter(rooms::Column::Code.eq(p0.seated.room.clone()))
        .one(&db)
        .await?
        .context("the room")?;
    let alice = players::Entity::find()
        .filter(players::Column::RoomId.eq(room.id))
        .filter(players::Column::Seat.eq(0))
        .one(&db)
        .await?
        .context("seat 0")?;
    game_action_log::ActiveModel {
        room_id: Set(room.id),
        player_id: Set(Some(alice.id)),
        sequence_number: Set(1),
        action_id: Set("written-elsewhere".to_owned()),
        action_type: Set(mv.kind().as_str().to_owned()),
        action_data: Set(serde_json::to_value(&mv)?),
        created_at: Set(chrono::Utc::now()),
    }
    .insert(&db)
    .await?;
    db.close().await?;
    p0.ws.action("m1", &mv).await?;

    // Every socket the room knew is told to reconnect…
    for ws in [&mut p0.ws, &mut p1.ws, &mut waiting] {
        assert_eq!(ws.closed().await?, Some(1012));
    }
    // …and one it did not know yet, on its first message to the stopped room.
    idle.send(&ClientMessage::hello(0)).await?;
    assert_eq!(idle.closed().await?, Some(1012));
    // Reconnecting reaches the room loaded afresh, with the move written elsewhere.
    let (_, welcome) = Player::connect(server.addr, p0.seated.clone(), 0).await?;
    assert!(
        matches!(welcome, ServerMessage::Welcome { seq: 1, .. }),
        "{welcome:?}"
    );
    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn binary_frames_and_pings_count_against_the_rate_limit() -> anyhow::Result<()> {
    let mut config = test_config();
    config.rate_burst = 20;
    config.rate_per_sec = 10;
    config.rate_close_after = 50;
    let server = TestServer::start(config).await?;
    for binary in [true, false] {
        let seated = server.create_room("Alice", &[]).await?;
        let (mut player, _) = Player::connect(server.addr, seated, 0).await?;
        for _ in 0..200 {
            let sent = if binary {
                player.ws.send_binary(vec![1, 2, 3]).await
            } else {
                player.ws.send_ping(b"hi").await
            };
            if sent.is_err() {
                break;
            }
        }
        let mut limited = false;
        let code = loop {
            match player.ws.recv_any().await? {
                Received::Message(message) => {
                    limited |= matches!(
                        *message,
                        ServerMessage::Error {
                            code: ErrorCode::RateLimited,
                            ..
                        }
                    );
                }
                Received::Closed(code) => break code,
            }
        };
        assert!(limited, "binary {binary}: RATE_LIMITED before the close");
        assert_eq!(code, Some(4029), "binary {binary}");
    }
    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn invisible_and_spoofing_names_are_refused() -> anyhow::Result<()> {
    let server = TestServer::start(test_config()).await?;
    let zero_widths = "\u{200B}".repeat(32);
    for name in [zero_widths.as_str(), "Alice\u{202E}ecilA", "\u{FEFF}Bob"] {
        let (status, body) = server.post("/api/rooms", &json!({ "name": name })).await?;
        assert_eq!(status, 400, "{name:?}: {body}");
        assert_eq!(body["error"]["code"], "INVALID_NAME");
    }
    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn a_token_is_accepted_in_one_byte_form_only() -> anyhow::Result<()> {
    let server = TestServer::start(test_config()).await?;
    let seated = server.create_room("Alice", &[]).await?;
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&seated.token)?;
    let value: serde_json::Value = serde_json::from_slice(&json)?;
    let spaced = serde_json::to_vec_pretty(&value)?;
    for form in [
        base64::engine::general_purpose::STANDARD.encode(&json),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(spaced),
    ] {
        assert_ne!(form, seated.token);
        assert_eq!(
            server.session_refusal(&form).await?,
            Some(ErrorCode::TokenMalformed),
            "{form}"
        );
    }
    assert_eq!(server.session_refusal(&seated.token).await?, None);
    server.stop().await;
    Ok(())
}

/// Names that draw no ink — Hangul fillers, the blank Braille pattern — are refused at create
/// and join with `INVALID_NAME`, so no opponent sees an empty name; real scripts pass.
#[actix_web::test]
async fn names_that_render_blank_are_refused_at_create_and_join() -> anyhow::Result<()> {
    let server = TestServer::start(test_config()).await?;
    let blank = [
        "\u{3164}",
        "\u{FFA0}\u{FFA0}",
        "\u{115F}\u{1160}",
        "\u{2800}\u{2800}\u{2800}",
    ];
    for name in blank {
        let (status, body) = server.post("/api/rooms", &json!({ "name": name })).await?;
        assert_eq!(
            (status, &body["error"]["code"]),
            (400, &json!("INVALID_NAME")),
            "{name:?}"
        );
    }
    let alice = server.create_room("김민준", &[]).await?;
    for name in blank {
        let path = format!("/api/rooms/{}/join", alice.room);
        let (status, body) = server.post(&path, &json!({ "name": name })).await?;
        assert_eq!(
            (status, &body["error"]["code"]),
            (400, &json!("INVALID_NAME")),
            "{name:?}"
        );
    }
    server.join(&alice.room, "محمد 😀").await?;
    server.stop().await;
    Ok(())
}
