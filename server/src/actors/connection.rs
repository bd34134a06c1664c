//! `WsConnection`: one per socket. Parses frames into [`ClientMessage`]s, enforces the frame
//! size (from its header, `frame_guard.rs`, and in the codec) and a token-bucket rate limit, forwards what the player asks to its
//! room, and writes the room's [`ServerMessage`]s back. It holds no game state. When it stops it
//! tells its room how the socket ended (closed by the client, dropped, or silent).

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use actix::prelude::*;
use actix_web_actors::ws;
use game::protocol::{ClientMessage, CloseCode, ErrorCode, ServerMessage, PROTOCOL_VERSION};

use super::heartbeat::{HeartbeatMonitor, Unwatch, Watch};
use super::outbox::{CloseSocket, ConnSocket, Deliver, Outbox};
use super::room::RoomActor;
use super::room_messages::{
    Attach, ClaimVictory, Detach, Leave, ReadyForNextHand, SubmitAction, WaitForOpponent,
};
use super::session_manager::SessionConnected;
use super::SessionManager;
use crate::clock;
use crate::config::Config;
use crate::frames::parse;
use crate::metrics::Metrics;
use crate::ratelimit::TokenBucket;
use crate::room::DetachReason;
use crate::session_check::SessionClaims;
use crate::socket_slots::SocketSlot;

static NEXT_CONN_ID: AtomicU64 = AtomicU64::new(1);

/// What a socket needs besides its session: the actors it talks to and the limits.
pub struct ConnectionDeps {
    /// The session manager (records the connection).
    pub sessions: Addr<SessionManager>,
    /// The heartbeat monitor.
    pub heartbeats: Addr<HeartbeatMonitor>,
    /// Limits and durations.
    pub config: Arc<Config>,
    /// This socket's slot among the server's (`CASINO_MAX_CONNECTIONS`), given back when the
    /// connection stops.
    pub slot: Option<SocketSlot>,
    /// This server's metrics.
    pub metrics: Arc<Metrics>,
}

/// One WebSocket connection.
pub struct WsConnection {
    conn_id: u64,
    claims: SessionClaims,
    peer: String,
    user_agent: Option<String>,
    room: Addr<RoomActor>,
    deps: ConnectionDeps,
    bucket: TokenBucket,
    last_beat: Arc<AtomicI64>,
    last_seq: u64,
    refused_in_a_row: u32,
    pending: Arc<AtomicUsize>,
    greeted: bool,
    hello_timer: Option<SpawnHandle>,
    socket: Option<Arc<ConnSocket>>,
    /// How the socket ends, as its room will be told.
    end: DetachReason,
    /// Set by the frame guard when it refused a frame over the limit.
    oversized: Arc<AtomicBool>,
    /// Size of the last message sent, the first guess for the next one's buffer.
    last_frame: Cell<usize>,
}

impl WsConnection {
    /// A connection for the bearer of `claims`, talking to `room`; `socket` lets the room drop a
    /// reader that stopped reading (4008) even though this actor is not running then, and
    /// `oversized` is the frame guard's word that a frame was over the limit.
    pub fn new(
        claims: SessionClaims,
        peer: String,
        user_agent: Option<String>,
        room: Addr<RoomActor>,
        deps: ConnectionDeps,
        socket: Option<Arc<ConnSocket>>,
        oversized: Arc<AtomicBool>,
    ) -> Self {
        let bucket = TokenBucket::new(
            deps.config.rate_burst,
            deps.config.rate_per_sec,
            Instant::now(),
        );
        Self {
            conn_id: NEXT_CONN_ID.fetch_add(1, Ordering::Relaxed),
            claims,
            peer,
            user_agent,
            room,
            deps,
            bucket,
            last_beat: Arc::new(AtomicI64::new(clock::now_ms())),
            last_seq: 0,
            refused_in_a_row: 0,
            pending: Arc::new(AtomicUsize::new(0)),
            greeted: false,
            hello_timer: None,
            socket,
            end: DetachReason::Dropped,
            oversized,
            last_frame: Cell::new(0),
        }
    }

    /// Serializes `message` into one buffer sized like the socket's last message (a view is
    /// a few KiB: growing from serde_json's default 128 bytes reallocated it five times).
    fn send(&self, ctx: &mut ws::WebsocketContext<Self>, message: &ServerMessage) {
        let mut buf = Vec::with_capacity(self.last_frame.get().max(256));
        match serde_json::to_writer(&mut buf, message).map(|()| String::from_utf8(buf)) {
            Ok(Ok(text)) => {
                self.last_frame.set(text.len());
                ctx.text(text);
            }
            Ok(Err(err)) => log::error!("a server message is not UTF-8: {err}"),
            Err(err) => log::error!("cannot serialize a server message: {err}"),
        }
    }

    fn error(&self, ctx: &mut ws::WebsocketContext<Self>, code: ErrorCode, message: String) {
        self.send(ctx, &ServerMessage::Error { code, message });
    }

    fn close(&self, ctx: &mut ws::WebsocketContext<Self>, code: CloseCode) {
        ctx.close(Some(ws::CloseReason {
            code: ws::CloseCode::Other(code.code()),
            description: Some(code.description().to_owned()),
        }));
        ctx.stop();
    }

    fn outbox(&self, ctx: &ws::WebsocketContext<Self>) -> Outbox {
        Outbox::new(
            self.conn_id,
            ctx.address().recipient(),
            ctx.address().recipient(),
            self.pending.clone(),
            self.deps.config.outbound_buffer,
            self.socket.as_ref().map(Arc::downgrade).unwrap_or_default(),
            self.last_beat.clone(),
        )
    }

    /// Forwards `message` to the room. A room that has stopped (unloaded, or reloading after a
    /// storage error) closes the socket with 1012: the client reconnects and reaches the room
    /// loaded afresh. A full mailbox answers `SERVER_BUSY`.
    fn to_room<M>(&self, ctx: &mut ws::WebsocketContext<Self>, message: M)
    where
        M: Message + Send + 'static,
        M::Result: Send,
        RoomActor: Handler<M>,
    {
        match self.room.try_send(message) {
            Ok(()) => {}
            Err(SendError::Full(_)) => self.error(
                ctx,
                ErrorCode::ServerBusy,
                "the room is busy; resend (a move with the same action_id)".to_owned(),
            ),
            Err(SendError::Closed(_)) => self.close(ctx, CloseCode::RoomReloading),
        }
    }

    fn attach(&mut self, takeover: bool, ctx: &mut ws::WebsocketContext<Self>) {
        let attach = Attach {
            seat: self.claims.seat,
            player_id: self.claims.player_id,
            last_seq: self.last_seq,
            takeover,
            outbox: self.outbox(ctx),
        };
        self.to_room(ctx, attach);
    }

    /// Whether the rate limit lets this frame through; past it the frame is dropped, the first
    /// of a streak answered `RATE_LIMITED`, and a long streak closes the socket (4029).
    fn admit(&mut self, ctx: &mut ws::WebsocketContext<Self>) -> bool {
        if self.bucket.try_take(Instant::now()) {
            self.refused_in_a_row = 0;
            return true;
        }
        self.refused_in_a_row += 1;
        if self.refused_in_a_row >= self.deps.config.rate_close_after {
            log::warn!(
                "room {}: closing a flooding socket from {}",
                self.claims.room,
                self.peer
            );
            self.close(ctx, CloseCode::RateLimited);
        } else if self.refused_in_a_row == 1 {
            // One error per streak: answering every dropped message would double the flood.
            self.error(
                ctx,
                ErrorCode::RateLimited,
                format!(
                    "too many messages: at most {} per second; messages are being dropped",
                    self.deps.config.rate_per_sec
                ),
            );
        }
        false
    }

    fn hello(&mut self, protocol: u32, last_seq: u64, ctx: &mut ws::WebsocketContext<Self>) {
        if protocol != PROTOCOL_VERSION {
            self.error(
                ctx,
                ErrorCode::UnsupportedProtocol,
                format!("this server speaks protocol {PROTOCOL_VERSION}, not {protocol}"),
            );
            return self.close(ctx, CloseCode::UnsupportedProtocol);
        }
        if let Some(timer) = self.hello_timer.take() {
            ctx.cancel_future(timer);
        }
        if !self.greeted {
            self.greeted = true;
            self.deps.sessions.do_send(SessionConnected {
                session_id: self.claims.session_id,
                room: self.claims.room.clone(),
                ip: self.peer.clone(),
                user_agent: self.user_agent.clone(),
            });
            self.deps.heartbeats.do_send(Watch {
                conn_id: self.conn_id,
                session_id: self.claims.session_id,
                room: self.claims.room.clone(),
                seat: self.claims.seat,
                last_beat: self.last_beat.clone(),
                close: ctx.address().recipient(),
                health: self.room.clone().recipient(),
            });
        }
        self.last_seq = last_seq;
        self.attach(false, ctx);
    }

    fn on_text(&mut self, text: &str, ctx: &mut ws::WebsocketContext<Self>) {
        let message = match parse(text) {
            Ok(message) => message,
            Err((code, message)) => return self.error(ctx, code, message),
        };
        let (seat, player_id, conn_id) = (self.claims.seat, self.claims.player_id, self.conn_id);
        match message {
            ClientMessage::Hello { protocol, last_seq } => self.hello(protocol, last_seq, ctx),
            ClientMessage::Ping { t } => self.send(
                ctx,
                &ServerMessage::Pong {
                    t,
                    server_t: clock::now_ms(),
                },
            ),
            _ if !self.greeted => self.error(
                ctx,
                ErrorCode::HelloRequired,
                "send hello before anything else".to_owned(),
            ),
            ClientMessage::Action { action_id, mv } => self.to_room(
                ctx,
                SubmitAction {
                    conn_id,
                    seat,
                    player_id,
                    action_id,
                    mv,
                },
            ),
            ClientMessage::Takeover => self.attach(true, ctx),
            ClientMessage::Leave => self.to_room(
                ctx,
                Leave {
                    conn_id,
                    seat,
                    player_id,
                },
            ),
            ClientMessage::ClaimVictory => self.to_room(
                ctx,
                ClaimVictory {
                    conn_id: Some(conn_id),
                    seat,
                    player_id,
                },
            ),
            ClientMessage::Wait => self.to_room(
                ctx,
                WaitForOpponent {
                    conn_id,
                    seat,
                    player_id,
                },
            ),
            ClientMessage::NextHand { hand } => self.to_room(
                ctx,
                ReadyForNextHand {
                    conn_id,
                    seat,
                    player_id,
                    hand,
                },
            ),
        }
    }
}

impl Actor for WsConnection {
    type Context = ws::WebsocketContext<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.hello_timer = Some(ctx.run_later(self.deps.config.hello_timeout(), |act, ctx| {
            if !act.greeted {
                act.close(ctx, CloseCode::HelloTimeout);
            }
        }));
    }

    fn stopping(&mut self, _ctx: &mut Self::Context) -> Running {
        self.deps.slot = None;
        self.deps.heartbeats.do_send(Unwatch {
            conn_id: self.conn_id,
        });
        if self.greeted {
            self.room.do_send(Detach {
                conn_id: self.conn_id,
                reason: self.end,
            });
        }
        Running::Stop
    }
}

impl Handler<Deliver> for WsConnection {
    type Result = ();

    fn handle(&mut self, msg: Deliver, ctx: &mut Self::Context) {
        self.pending.fetch_sub(1, Ordering::AcqRel);
        self.send(ctx, &msg.message);
    }
}

impl Handler<CloseSocket> for WsConnection {
    type Result = ();

    fn handle(&mut self, msg: CloseSocket, ctx: &mut Self::Context) {
        if msg.code == CloseCode::HeartbeatTimeout {
            self.end = DetachReason::Silent;
        }
        self.close(ctx, msg.code);
    }
}

impl StreamHandler<Result<ws::Message, ws::ProtocolError>> for WsConnection {
    fn handle(&mut self, item: Result<ws::Message, ws::ProtocolError>, ctx: &mut Self::Context) {
        if item.is_ok() {
            // Any frame from the peer proves it alive: the heartbeat monitor reads this.
            self.last_beat.store(clock::now_ms(), Ordering::Release);
        }
        // Every frame the client sends is charged to the rate limit, whatever its kind: an
        // answered binary frame or WebSocket ping costs the server as much as a message.
        let charged = matches!(
            item,
            Ok(ws::Message::Text(_))
                | Ok(ws::Message::Binary(_))
                | Ok(ws::Message::Continuation(_))
                | Ok(ws::Message::Ping(_))
        );
        if charged && !self.admit(ctx) {
            return;
        }
        match item {
            Ok(ws::Message::Text(text)) => self.on_text(&text, ctx),
            Ok(ws::Message::Binary(_)) => self.error(
                ctx,
                ErrorCode::BinaryNotSupported,
                "send JSON text frames".to_owned(),
            ),
            Ok(ws::Message::Continuation(_)) => self.error(
                ctx,
                ErrorCode::FragmentedNotSupported,
                "send each message in one frame".to_owned(),
            ),
            Ok(ws::Message::Ping(bytes)) => ctx.pong(&bytes),
            Ok(ws::Message::Pong(_)) | Ok(ws::Message::Nop) => {}
            Ok(ws::Message::Close(reason)) => {
                // A goodbye from the client (a closed tab): shown as "disconnected".
                self.end = DetachReason::Closed;
                ctx.close(reason);
                ctx.stop();
            }
            Err(err)
                if matches!(err, ws::ProtocolError::Overflow)
                    || self.oversized.load(Ordering::Acquire) =>
            {
                log::info!(
                    "room {}: frame over {} bytes from {}",
                    self.claims.room,
                    self.deps.config.max_frame_bytes,
                    self.peer
                );
                self.error(
                    ctx,
                    ErrorCode::FrameTooLarge,
                    format!(
                        "frames are limited to {} bytes",
                        self.deps.config.max_frame_bytes
                    ),
                );
                self.close(ctx, CloseCode::FrameTooLarge);
            }
            Err(err) => {
                log::info!("room {}: websocket protocol error: {err}", self.claims.room);
                self.close(ctx, CloseCode::ProtocolError);
            }
        }
    }
}
