//! A client that stops reading its socket: the server bounds what waits for it
//! (`CASINO_OUTBOUND_BUFFER`), drops it (close code 4008) and closes the connection, and the room
//! and the other player go on unharmed.
//!
//! The slow reader is a raw TCP client with a tiny receive buffer: it does the WebSocket
//! handshake and `hello` by hand, floods `ping`s (allowed by a raised rate limit) until the
//! server's writes to it are stuck, and never reads again. The other player then makes the room
//! send it `presence` messages (each reconnection of hers is an absence and a return) until its
//! outgoing queue is full.

use std::time::Duration;

use anyhow::{bail, Context};
use game::protocol::{ClientMessage, PresenceState, ServerMessage};
use tests::raw::{text_frame, RawWs};
use tests::{pick_move, test_config, Player, TestServer};
use tokio::io::AsyncWriteExt;
use tokio::time::{timeout, Instant};

/// How long the server may take to drop the slow reader once its queue is full.
const DROP_WITHIN: Duration = Duration::from_secs(20);

/// Whether seat 1 is connected, as the room tells seat 0.
fn seat1_connected(message: &ServerMessage) -> Option<bool> {
    let presence = match message {
        ServerMessage::Welcome { presence, .. } => presence,
        ServerMessage::Presence { seats } => seats,
        _ => return None,
    };
    presence
        .iter()
        .find(|s| u8::from(s.seat) == 1)
        .map(|s| s.state == PresenceState::Connected)
}

#[actix_web::test]
async fn a_socket_that_does_not_read_is_dropped_and_the_room_goes_on() -> anyhow::Result<()> {
    let mut config = test_config();
    config.outbound_buffer = 8;
    // The slow reader's ping flood must be answered, not refused by the rate limit.
    config.rate_burst = 10_000_000;
    config.rate_per_sec = 10_000_000;
    let server = TestServer::start(config).await?;

    // Alice (seat 0) is a well-behaved client; Bob (seat 1) is the slow reader.
    let alice = server.create_room("Alice", &[]).await?;
    let (mut p0, _) = Player::connect(server.addr, alice.clone(), 0).await?;
    let bob = server.join(&alice.room, "Bob").await?;
    match p0.ws.recv().await? {
        ServerMessage::PlayerJoined { .. } => {}
        other => bail!("expected player_joined, got {other:?}"),
    }
    let welcome = p0.ws.recv().await?;
    p0.absorb(&welcome);
    let mut slow = RawWs::connect(&server, &bob.token, Some(4096)).await?;
    slow.hello().await?;

    // Bob floods pings and reads nothing: the pongs fill the kernel buffers and the server's
    // write buffer. The writer stalls once the server stops reading too.
    let (_read_half, mut write_half) = slow.stream.into_split();
    let mut batch = Vec::new();
    for t in 0..1_000 {
        batch.extend(text_frame(&ClientMessage::Ping { t })?);
    }
    let flood = actix_web::rt::spawn(async move {
        let mut sent = 0u64;
        while sent < 2_000_000 {
            write_half.write_all(&batch).await?;
            sent += 1_000;
        }
        // The server kept reading: its writes to a silent peer never stalled.
        Ok::<u64, std::io::Error>(sent)
    });

    // Alice reconnects: each absence and return makes the room send Bob a `presence`. Once
    // Bob's queue is full the room drops him, and Alice's next welcome says so.
    let started = Instant::now();
    let mut hellos = 0;
    let dropped_after = loop {
        if started.elapsed() > DROP_WITHIN {
            bail!("the room still counts the slow reader as connected after {hellos} returns");
        }
        let last_seq = p0.last_seq;
        p0.ws.close().await;
        let (again, welcome) = Player::connect(server.addr, alice.clone(), last_seq).await?;
        p0 = again;
        hellos += 1;
        if seat1_connected(&welcome) == Some(false) {
            break started.elapsed();
        }
    };
    log::info!("the room dropped the slow reader after {hellos} hellos ({dropped_after:?})");

    // The server closes the slow reader's connection without it having to read: the socket
    // is reset (unread pings in the server's receive buffer make the close a RST), which the
    // flooding writer sees as an error.
    let flood_result = timeout(DROP_WITHIN, flood)
        .await
        .context("the server never closed the slow reader's connection")?
        .context("flood task")?;
    match flood_result {
        Err(err) => log::info!("the slow reader's connection was closed: {err}"),
        Ok(sent) => bail!("the server answered {sent} pings to a peer that reads nothing"),
    }

    // The room and Alice go on: she plays her move and gets its ack.
    let view = p0.view.clone().context("Alice has a view")?;
    let mv = pick_move(&view, 1).context("a legal move")?;
    p0.ws.action("after-slow-reader", &mv).await?;
    loop {
        match p0.ws.recv().await? {
            ServerMessage::Ack { action_id, seq, .. } => {
                assert_eq!((action_id.as_str(), seq), ("after-slow-reader", 1));
                break;
            }
            ServerMessage::Welcome { .. } | ServerMessage::Pong { .. } => continue,
            other => bail!("expected the ack, got {other:?}"),
        }
    }
    let (event, _) = p0.next_event().await?;
    assert!(matches!(event, ServerMessage::Event { seq: 1, .. }));

    // Bob can come back on a fresh socket and sees the move.
    let (p1, welcome) = Player::connect(server.addr, bob, 0).await?;
    assert_eq!(p1.last_seq, 1, "{welcome:?}");
    server.stop().await;
    Ok(())
}
