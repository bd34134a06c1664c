//! A WebSocket client on a bare TCP socket, for tests that need what a library would not send
//! or would read behind their back: slow readers, oversized and malformed frames.

use anyhow::{bail, Context};
use game::protocol::{ClientMessage, ServerMessage};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::time::timeout;

use crate::TestServer;

/// One client frame: FIN, opcode, masked payload (clients must mask).
pub fn client_frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
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

pub fn text_frame(message: &ClientMessage) -> anyhow::Result<Vec<u8>> {
    Ok(client_frame(
        0x1,
        serde_json::to_string(message)?.as_bytes(),
    ))
}

/// A WebSocket client on a bare TCP socket, so nothing reads behind the test's back.
pub struct RawWs {
    /// The TCP connection.
    pub stream: TcpStream,
    buf: Vec<u8>,
}

impl RawWs {
    /// Connects (with a receive buffer of `recv_buffer` bytes if given) and completes the
    /// upgrade.
    pub async fn connect(
        server: &TestServer,
        token: &str,
        recv_buffer: Option<u32>,
    ) -> anyhow::Result<Self> {
        let socket = TcpSocket::new_v4()?;
        if let Some(size) = recv_buffer {
            // Before connect, so the window announced in the handshake is already small.
            socket.set_recv_buffer_size(size)?;
        }
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
        let n = timeout(crate::RECV_TIMEOUT, self.stream.read(&mut chunk))
            .await
            .context("timed out reading the raw socket")??;
        if n == 0 {
            bail!("the server closed the connection");
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    /// The next server frame: opcode and payload (server frames are not masked).
    pub async fn frame(&mut self) -> anyhow::Result<(u8, Vec<u8>)> {
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
    pub async fn hello(&mut self) -> anyhow::Result<()> {
        let hello = text_frame(&ClientMessage::hello(0))?;
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
