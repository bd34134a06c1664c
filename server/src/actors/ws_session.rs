//! `WsSession`: one per socket. Parses frames into [`ClientMessage`]s, enforces the frame size
//! (in the codec) and a token-bucket rate limit, forwards moves to its room, and writes the
//! room's [`ServerMessage`]s back. It holds no game state.

use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use actix::prelude::*;
use actix_web_actors::ws;
use game::protocol::{ClientMessage, ServerMessage, PROTOCOL_VERSION};

use super::heartbeat::{HeartbeatMonitor, Unwatch, Watch};
use super::outbox::{CloseSocket, ConnSocket, Deliver, Outbox, SocketCloseReason};
use super::room::{Attach, ClaimVictory, Detach, RoomActor, SubmitAction, WaitForOpponent};
use super::session_manager::{EndSession, SessionClaims, SessionConnected, SessionDisconnected};
use super::SessionManager;
use crate::clock;
use crate::config::Config;
use crate::metrics::metrics;
use crate::ratelimit::TokenBucket;

/// The `type`s a client may send (to tell an unknown type from a malformed known one).
const CLIENT_TYPES: [&str; 7] = [
    "hello",
    "ping",
    "action",
    "takeover",
    "leave",
    "claim_victory",
    "wait",
];

static NEXT_CONN_ID: AtomicU64 = AtomicU64::new(1);

/// One WebSocket connection.
pub struct WsSession {
    conn_id: u64,
    claims: SessionClaims,
    peer: String,
    user_agent: Option<String>,
    room: Addr<RoomActor>,
    sessions: Addr<SessionManager>,
    heartbeats: Addr<HeartbeatMonitor>,
    config: Arc<Config>,
    bucket: TokenBucket,
    last_beat: Arc<AtomicI64>,
    last_seq: u64,
    refused_in_a_row: u32,
    pending: Arc<AtomicUsize>,
    greeted: bool,
    hello_timer: Option<SpawnHandle>,
    socket: Option<Arc<ConnSocket>>,
    sockets: Arc<AtomicUsize>,
}

impl WsSession {
    /// A session for the bearer of `claims`, talking to `room`.
    pub fn new(
        claims: SessionClaims,
        peer: String,
        user_agent: Option<String>,
        room: Addr<RoomActor>,
        sessions: Addr<SessionManager>,
        heartbeats: Addr<HeartbeatMonitor>,
        config: Arc<Config>,
    ) -> Self {
        let bucket = TokenBucket::new(config.rate_burst, config.rate_per_sec, Instant::now());
        Self {
            conn_id: NEXT_CONN_ID.fetch_add(1, Ordering::Relaxed),
            claims,
            peer,
            user_agent,
            room,
            sessions,
            heartbeats,
            config,
            bucket,
            last_beat: Arc::new(AtomicI64::new(clock::now_ms())),
            last_seq: 0,
            refused_in_a_row: 0,
            pending: Arc::new(AtomicUsize::new(0)),
            greeted: false,
            hello_timer: None,
            socket: None,
            sockets: Arc::default(),
        }
    }

    /// Counts the session in `sockets`, the server's open game sockets; past
    /// `max_connections` it closes at once with 1013.
    pub fn counted_in(mut self, sockets: Arc<AtomicUsize>) -> Self {
        self.sockets = sockets;
        self
    }

    /// Gives the session its connection's socket, so a room can drop a slow reader (4008)
    /// even though this actor is not running then.
    pub fn with_socket(mut self, socket: Option<Arc<ConnSocket>>) -> Self {
        self.socket = socket;
        self
    }

    fn send(&self, ctx: &mut ws::WebsocketContext<Self>, message: &ServerMessage) {
        match serde_json::to_string(message) {
            Ok(text) => ctx.text(text),
            Err(err) => log::error!("cannot serialize a server message: {err}"),
        }
    }

    fn error(&self, ctx: &mut ws::WebsocketContext<Self>, code: &str, message: String) {
        self.send(
            ctx,
            &ServerMessage::Error {
                code: code.to_owned(),
                message,
            },
        );
    }

    fn close(&self, ctx: &mut ws::WebsocketContext<Self>, reason: SocketCloseReason) {
        ctx.close(Some(ws::CloseReason {
            code: ws::CloseCode::Other(reason.code()),
            description: Some(reason.description().to_owned()),
        }));
        ctx.stop();
    }

    fn outbox(&self, ctx: &ws::WebsocketContext<Self>) -> Outbox {
        Outbox::new(
            self.conn_id,
            ctx.address().recipient(),
            ctx.address().recipient(),
            self.pending.clone(),
            self.config.outbound_buffer,
            self.socket.as_ref().map(Arc::downgrade).unwrap_or_default(),
            self.last_beat.clone(),
        )
    }

    fn attach(&mut self, takeover: bool, ctx: &mut ws::WebsocketContext<Self>) {
        let attach = Attach {
            seat: self.claims.seat,
            player_id: self.claims.player_id,
            last_seq: self.last_seq,
            takeover,
            outbox: self.outbox(ctx),
        };
        if self.room.try_send(attach).is_err() {
            self.error(ctx, "SERVER_BUSY", "the room is busy; retry".to_owned());
        }
    }

    fn on_text(&mut self, text: &str, ctx: &mut ws::WebsocketContext<Self>) {
        if !self.bucket.try_take(Instant::now()) {
            self.refused_in_a_row += 1;
            if self.refused_in_a_row >= self.config.rate_close_after {
                log::warn!(
                    "room {}: closing a flooding socket from {}",
                    self.claims.room,
                    self.peer
                );
                self.close(ctx, SocketCloseReason::RateLimited);
            } else if self.refused_in_a_row == 1 {
                // One error per streak: answering every dropped message would double the flood.
                self.error(
                    ctx,
                    "RATE_LIMITED",
                    format!(
                        "too many messages: at most {} per second; messages are being dropped",
                        self.config.rate_per_sec
                    ),
                );
            }
            return;
        }
        self.refused_in_a_row = 0;
        let message = match parse(text) {
            Ok(message) => message,
            Err((code, message)) => return self.error(ctx, code, message),
        };
        match message {
            ClientMessage::Hello { protocol, last_seq } => {
                if protocol != PROTOCOL_VERSION {
                    self.error(
                        ctx,
                        "UNSUPPORTED_PROTOCOL",
                        format!("this server speaks protocol {PROTOCOL_VERSION}, not {protocol}"),
                    );
                    return self.close(ctx, SocketCloseReason::UnsupportedProtocol);
                }
                if let Some(timer) = self.hello_timer.take() {
                    ctx.cancel_future(timer);
                }
                if !self.greeted {
                    self.greeted = true;
                    self.sessions.do_send(SessionConnected {
                        session_id: self.claims.session_id,
                        room: self.claims.room.clone(),
                        ip: self.peer.clone(),
                        user_agent: self.user_agent.clone(),
                    });
                    self.heartbeats.do_send(Watch {
                        conn_id: self.conn_id,
                        session_id: self.claims.session_id,
                        room: self.claims.room.clone(),
                        seat: self.claims.seat,
                        last_beat: self.last_beat.clone(),
                        close: ctx.address().recipient(),
                    });
                }
                self.last_seq = last_seq;
                self.attach(false, ctx);
            }
            ClientMessage::Ping { t } => self.send(
                ctx,
                &ServerMessage::Pong {
                    t,
                    server_t: clock::now_ms(),
                },
            ),
            ClientMessage::Action { action_id, mv } => {
                if !self.greeted {
                    return self.error(
                        ctx,
                        "HELLO_REQUIRED",
                        "send hello before anything else".to_owned(),
                    );
                }
                let submit = SubmitAction {
                    seat: self.claims.seat,
                    player_id: self.claims.player_id,
                    action_id,
                    mv,
                    outbox: self.outbox(ctx),
                };
                if let Err(err) = self.room.try_send(submit) {
                    log::warn!("room {}: cannot forward a move: {err}", self.claims.room);
                    self.error(
                        ctx,
                        "SERVER_BUSY",
                        "the room is busy; resend the move with the same action_id".to_owned(),
                    );
                }
            }
            ClientMessage::Takeover
            | ClientMessage::Leave
            | ClientMessage::ClaimVictory
            | ClientMessage::Wait
                if !self.greeted =>
            {
                self.error(
                    ctx,
                    "HELLO_REQUIRED",
                    "send hello before anything else".to_owned(),
                )
            }
            ClientMessage::Takeover => self.attach(true, ctx),
            ClientMessage::Leave => {
                log::info!(
                    "room {}: {} leaves the room",
                    self.claims.room,
                    self.claims.seat
                );
                self.sessions.do_send(EndSession {
                    session_id: self.claims.session_id,
                });
                self.close(ctx, SocketCloseReason::Left);
            }
            ClientMessage::ClaimVictory => {
                let claim = ClaimVictory {
                    seat: self.claims.seat,
                    player_id: self.claims.player_id,
                    outbox: Some(self.outbox(ctx)),
                };
                if self.room.try_send(claim).is_err() {
                    self.error(ctx, "SERVER_BUSY", "the room is busy; retry".to_owned());
                }
            }
            ClientMessage::Wait => {
                let wait = WaitForOpponent {
                    seat: self.claims.seat,
                    player_id: self.claims.player_id,
                    outbox: self.outbox(ctx),
                };
                if self.room.try_send(wait).is_err() {
                    self.error(ctx, "SERVER_BUSY", "the room is busy; retry".to_owned());
                }
            }
        }
    }
}

/// Parses a text frame: malformed JSON, an unknown `type` and a known type with bad fields
/// are told apart.
fn parse(text: &str) -> Result<ClientMessage, (&'static str, String)> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|err| ("MALFORMED_JSON", format!("not valid JSON: {err}")))?;
    let kind = value
        .get("type")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
        .ok_or((
            "INVALID_MESSAGE",
            "a message is a JSON object with a string \"type\"".to_owned(),
        ))?;
    if !CLIENT_TYPES.contains(&kind.as_str()) {
        let kind: String = kind.chars().take(32).collect();
        return Err(("UNKNOWN_MESSAGE", format!("unknown message type {kind:?}")));
    }
    serde_json::from_value(value)
        .map_err(|err| ("INVALID_MESSAGE", format!("invalid {kind} message: {err}")))
}

impl Actor for WsSession {
    type Context = ws::WebsocketContext<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        metrics().active_connections.inc();
        if self.sockets.fetch_add(1, Ordering::AcqRel) >= self.config.max_connections {
            log::warn!(
                "refusing a socket from {}: {} sockets open already",
                self.peer,
                self.config.max_connections
            );
            metrics().connections_refused.inc();
            self.close(ctx, SocketCloseReason::ServerFull);
            return;
        }
        self.hello_timer = Some(ctx.run_later(self.config.hello_timeout(), |act, ctx| {
            if !act.greeted {
                act.close(ctx, SocketCloseReason::HelloTimeout);
            }
        }));
    }

    fn stopping(&mut self, _ctx: &mut Self::Context) -> Running {
        metrics().active_connections.dec();
        self.sockets.fetch_sub(1, Ordering::AcqRel);
        self.heartbeats.do_send(Unwatch {
            conn_id: self.conn_id,
        });
        self.room.do_send(Detach {
            seat: self.claims.seat,
            conn_id: self.conn_id,
        });
        if self.greeted {
            self.sessions.do_send(SessionDisconnected {
                session_id: self.claims.session_id,
            });
        }
        Running::Stop
    }
}

impl Handler<Deliver> for WsSession {
    type Result = ();

    fn handle(&mut self, msg: Deliver, ctx: &mut Self::Context) {
        self.pending.fetch_sub(1, Ordering::AcqRel);
        self.send(ctx, &msg.message);
    }
}

impl Handler<CloseSocket> for WsSession {
    type Result = ();

    fn handle(&mut self, msg: CloseSocket, ctx: &mut Self::Context) {
        self.close(ctx, msg.reason);
    }
}

impl StreamHandler<Result<ws::Message, ws::ProtocolError>> for WsSession {
    fn handle(&mut self, item: Result<ws::Message, ws::ProtocolError>, ctx: &mut Self::Context) {
        if item.is_ok() {
            // Any frame from the peer proves it alive: the heartbeat monitor reads this.
            self.last_beat.store(clock::now_ms(), Ordering::Release);
        }
        match item {
            Ok(ws::Message::Text(text)) => self.on_text(&text, ctx),
            Ok(ws::Message::Binary(_)) => self.error(
                ctx,
                "BINARY_NOT_SUPPORTED",
                "send JSON text frames".to_owned(),
            ),
            Ok(ws::Message::Continuation(_)) => self.error(
                ctx,
                "FRAGMENTED_NOT_SUPPORTED",
                "send each message in one frame".to_owned(),
            ),
            Ok(ws::Message::Ping(bytes)) => ctx.pong(&bytes),
            Ok(ws::Message::Pong(_)) | Ok(ws::Message::Nop) => {}
            Ok(ws::Message::Close(reason)) => {
                ctx.close(reason);
                ctx.stop();
            }
            Err(ws::ProtocolError::Overflow) => {
                log::info!(
                    "room {}: frame over {} bytes from {}",
                    self.claims.room,
                    self.config.max_frame_bytes,
                    self.peer
                );
                self.error(
                    ctx,
                    "FRAME_TOO_LARGE",
                    format!(
                        "frames are limited to {} bytes",
                        self.config.max_frame_bytes
                    ),
                );
                self.close(ctx, SocketCloseReason::FrameTooLarge);
            }
            Err(err) => {
                log::info!("room {}: websocket protocol error: {err}", self.claims.room);
                self.close(ctx, SocketCloseReason::ProtocolError);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_classified() {
        assert_eq!(parse("{nope").map_err(|e| e.0), Err("MALFORMED_JSON"));
        assert_eq!(parse("[1,2]").map_err(|e| e.0), Err("INVALID_MESSAGE"));
        assert_eq!(
            parse(r#"{"type":"dance"}"#).map_err(|e| e.0),
            Err("UNKNOWN_MESSAGE")
        );
        assert_eq!(
            parse(r#"{"type":"ping"}"#).map_err(|e| e.0),
            Err("INVALID_MESSAGE")
        );
        assert_eq!(
            parse(r#"{"type":"ping","t":5}"#),
            Ok(ClientMessage::Ping { t: 5 })
        );
    }
}
