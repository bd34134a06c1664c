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
use game::protocol::{ClientMessage, PresenceState, ServerMessage, PROTOCOL_VERSION};
use tests::{pick_move, test_config, Player, TestServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::time::{timeout, Instant};

/// How long the server may take to drop the slow reader once its queue is full.
const DROP_WITHIN: Duration = Duration::from_secs(20);

/// One client frame: FIN, opcode, masked payload (clients must mask).
fn client_frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mask = [0x37, 0xfa, 0x21, 0x3d];
    let mut frame = vec![0x80 | opcode];
    match payload.len() {
        len @ 0..=125 => frame.push(0x80 | len as u8),
        len @ 126..=0xffff => {
            frame.push(0x80 | 126);
            frame.extend_from_slice(&(len as u16).to_be_bytes());
        }
        len => {
            frame.push(0x80 | 127);
            frame.extend_from_slice(&(len as u64).to_be_bytes());
        }
    }
    frame.extend_from_slice(&mask);
    frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    frame
}

fn text_frame(message: &ClientMessage) -> anyhow::Result<Vec<u8>> {
    Ok(client_frame(
        0x1,
        serde_json::to_string(message)?.as_bytes(),
    ))
}

/// A WebSocket client on a bare TCP socket, so nothing reads behind the test's back.
struct RawWs {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl RawWs {
    /// Connects with a small receive buffer and completes the upgrade.
    async fn connect(server: &TestServer, token: &str) -> anyhow::Result<Self> {
        let socket = TcpSocket::new_v4()?;
        // Before connect, so the window announced in the handshake is already small.
        socket.set_recv_buffer_size(4096)?;
        let mut stream = socket.connect(server.addr).await?;
        let request = format!(
            "GET /ws?session_token={token} HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\n\
             Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
             Sec-WebSocket-Version: 13\r\n\r\n",
            server.addr
        );
        stream.write_all(request.as_bytes()).await?;
        let mut ws = RawWs {
            stream,
            buf: Vec::new(),
        };
        let head_end = loop {
            if let Some(i) = ws.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            ws.fill().await?;
        };
        let head = String::from_utf8_lossy(&ws.buf[..head_end]).into_owned();
        if !head.starts_with("HTTP/1.1 101") {
            bail!("upgrade refused: {head}");
        }
        ws.buf.drain(..head_end);
        Ok(ws)
    }

    async fn fill(&mut self) -> anyhow::Result<()> {
        let mut chunk = [0u8; 4096];
        let n = timeout(tests::RECV_TIMEOUT, self.stream.read(&mut chunk))
            .await
            .context("timed out reading the raw socket")??;
        if n == 0 {
            bail!("the server closed the connection");
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    /// The next server frame: opcode and payload (server frames are not masked).
    async fn frame(&mut self) -> anyhow::Result<(u8, Vec<u8>)> {
        loop {
            if self.buf.len() >= 2 {
                let (len, header) = match self.buf[1] & 0x7f {
                    126 if self.buf.len() >= 4 => {
                        (u16::from_be_bytes([self.buf[2], self.buf[3]]) as usize, 4)
                    }
                    127 if self.buf.len() >= 10 => {
                        let mut len = [0u8; 8];
                        len.copy_from_slice(&self.buf[2..10]);
                        (u64::from_be_bytes(len) as usize, 10)
                    }
                    126 | 127 => (usize::MAX, 0),
                    len => (len as usize, 2),
                };
                if len != usize::MAX && self.buf.len() >= header + len {
                    let opcode = self.buf[0] & 0x0f;
                    let payload = self.buf[header..header + len].to_vec();
                    self.buf.drain(..header + len);
                    return Ok((opcode, payload));
                }
            }
            self.fill().await?;
        }
    }

    /// Sends `hello` and reads up to the `welcome`.
    async fn hello(&mut self) -> anyhow::Result<()> {
        let hello = text_frame(&ClientMessage::Hello {
            protocol: PROTOCOL_VERSION,
            last_seq: 0,
        })?;
        self.stream.write_all(&hello).await?;
        loop {
            let (opcode, payload) = self.frame().await?;
            if opcode == 0x1 {
                if let ServerMessage::Welcome { .. } = serde_json::from_slice(&payload)? {
                    return Ok(());
                }
            } else if opcode == 0x8 {
                bail!("closed during hello");
            }
        }
    }
}

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
    let mut slow = RawWs::connect(&server, &bob.token).await?;
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
