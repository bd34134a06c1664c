//! One bot player (and the idle heartbeat sockets): a WebSocket speaking docs/API.md.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, bail, Context};
use futures_util::{SinkExt, StreamExt};
use game::protocol::{ClientMessage, ErrorCode, ServerMessage};
use game::{Move, PlayerView};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use server::ratelimit::TokenBucket;
use tokio::net::TcpStream;
use tokio::time::{sleep_until, timeout, Instant};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::stats::{record, SharedStats};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A silent socket for this long counts as stalled and is reconnected.
const STALL: Duration = Duration::from_secs(20);
/// Reconnection attempts in a row before a bot gives up.
const MAX_RECONNECT_ATTEMPTS: u32 = 6;
/// Rejections of its own moves after which a bot gives up (random legal moves are never refused).
const MAX_REJECTIONS: u32 = 20;

/// Settings every bot shares.
#[derive(Clone)]
pub struct BotConfig {
    /// `ws://127.0.0.1:PORT/ws`; a socket of room `CODE` opens `…/ws/CODE`, so a load
    /// balancer routing by room sends it to the room's node.
    pub ws_url: String,
    /// Mean think time.
    pub think: Duration,
    /// Drop probability per move.
    pub drop_rate: f64,
    /// Duplicate probability per move.
    pub duplicate_rate: f64,
    /// Ping interval.
    pub ping_interval: Duration,
    /// Client-side token bucket (kept under the server's).
    pub rate_per_sec: f64,
    /// Bucket size.
    pub rate_burst: f64,
    /// Set when the run should wind down (finish the move in flight, then stop).
    pub stop: Arc<AtomicBool>,
    /// Nothing runs past this.
    pub hard_deadline: Instant,
    /// Counters.
    pub stats: SharedStats,
}

/// The server's token bucket, kept a little under the server's limit so the bots never hit
/// `RATE_LIMITED`.
struct Bucket(TokenBucket);

impl Bucket {
    fn new(rate: f64, burst: f64) -> Self {
        let now = std::time::Instant::now();
        Bucket(TokenBucket::with_rate(
            (burst - 2.0).max(1.0),
            (rate * 0.9).max(0.1),
            now,
        ))
    }

    async fn take(&mut self) {
        while !self.0.try_take(std::time::Instant::now()) {
            tokio::time::sleep(self.0.wait()).await;
        }
    }
}

/// The move in flight.
struct InFlight {
    action_id: String,
    mv: Move,
    /// Set while the ack round-trip is measurable (no drop or resend in between).
    sent_at: Option<Instant>,
}

/// What a bot ends with, for the consistency check.
pub struct BotOutcome {
    /// 0 or 1.
    pub seat: u8,
    /// Every `action_id` acknowledged, with its seq.
    pub acked: HashMap<String, u64>,
    /// The view of the final `welcome` (after both bots stopped), or the last one seen.
    pub final_view: Option<PlayerView>,
    /// The `seq` of that welcome.
    pub final_seq: u64,
    /// Whether it saw `game_over`.
    pub game_over: bool,
    /// Whether the bot ended in an error.
    pub failed: Option<String>,
}

/// A bot at one seat.
pub struct Bot {
    config: BotConfig,
    seat: u8,
    room: String,
    token: String,
    rng: StdRng,
    bucket: Bucket,
    ws: Option<Socket>,
    view: Option<PlayerView>,
    last_seq: u64,
    inflight: Option<InFlight>,
    /// Wait for the event of this seq before moving again.
    wait_seq: u64,
    next_move_at: Option<Instant>,
    next_ping_at: Instant,
    last_rx: Instant,
    /// Set between opening a socket and its welcome.
    connecting_since: Option<(Instant, bool)>,
    /// Sockets the server closed since the last `welcome`: each waits longer before the next
    /// try, as a real client does (a full server answers 1013, "try again later").
    closes_in_a_row: u32,
    acked: HashMap<String, u64>,
    game_over: bool,
    moves: u64,
    rejections: u32,
}

async fn open(url: &str) -> anyhow::Result<Socket> {
    let (ws, _) = timeout(
        Duration::from_secs(10),
        tokio_tungstenite::connect_async(url),
    )
    .await
    .context("websocket connect timed out")?
    .map_err(|err| anyhow!("websocket connect: {err}"))?;
    // Moves are small writes: Nagle would hold one back for the server's delayed ACK.
    if let tokio_tungstenite::MaybeTlsStream::Plain(tcp) = ws.get_ref() {
        tcp.set_nodelay(true)?;
    }
    Ok(ws)
}

fn parse(message: Message) -> Option<Result<ServerMessage, Option<u16>>> {
    match message {
        Message::Text(text) => serde_json::from_str(text.as_str()).ok().map(Ok),
        Message::Close(frame) => Some(Err(frame.map(|f| u16::from(f.code)))),
        _ => None,
    }
}

impl Bot {
    /// A bot for `seat` of `room` with session `token`.
    pub fn new(config: BotConfig, seat: u8, room: String, token: String, seed: u64) -> Bot {
        let bucket = Bucket::new(config.rate_per_sec, config.rate_burst);
        let now = Instant::now();
        let next_ping_at = now + config.ping_interval;
        Bot {
            config,
            seat,
            room,
            token,
            rng: StdRng::seed_from_u64(seed),
            bucket,
            ws: None,
            view: None,
            last_seq: 0,
            inflight: None,
            wait_seq: 0,
            next_move_at: None,
            next_ping_at,
            last_rx: now,
            connecting_since: None,
            closes_in_a_row: 0,
            acked: HashMap::new(),
            game_over: false,
            moves: 0,
            rejections: 0,
        }
    }

    fn url(&self) -> String {
        format!(
            "{}/{}?session_token={}",
            self.config.ws_url, self.room, self.token
        )
    }

    async fn send(&mut self, message: &ClientMessage) -> anyhow::Result<()> {
        self.bucket.take().await;
        self.send_now(message).await
    }

    /// Sends without waiting for the bucket (the caller took a token). A socket that fails to
    /// send is dropped, not the bot: the main loop reconnects, and what was not acknowledged is
    /// resent after the `welcome`.
    async fn send_now(&mut self, message: &ClientMessage) -> anyhow::Result<()> {
        let text = serde_json::to_string(message)?;
        let Some(ws) = self.ws.as_mut() else {
            return Ok(());
        };
        if let Err(err) = ws.send(Message::Text(text.into())).await {
            log::debug!("room {} seat {}: send: {err}", self.room, self.seat);
            self.config.stats.error("client:send_failed");
            self.ws = None;
        }
        Ok(())
    }

    /// Opens a socket and says hello with `last_seq`; bounded retries with backoff.
    async fn connect(&mut self, reconnect: bool) -> anyhow::Result<()> {
        let mut attempt = 0;
        loop {
            let started = Instant::now();
            match open(&self.url()).await {
                Ok(ws) => {
                    self.ws = Some(ws);
                    self.connecting_since = Some((started, reconnect));
                    self.last_rx = Instant::now();
                    let hello = ClientMessage::hello(self.last_seq);
                    self.send(&hello).await?;
                    if self.ws.is_some() {
                        return Ok(());
                    }
                }
                Err(err) => {
                    self.config.stats.error("client:connect_failed");
                    log::debug!("room {} seat {}: {err}", self.room, self.seat);
                }
            }
            attempt += 1;
            if attempt >= MAX_RECONNECT_ATTEMPTS || Instant::now() > self.config.hard_deadline {
                bail!("room {} seat {}: could not reconnect", self.room, self.seat);
            }
            tokio::time::sleep(Duration::from_millis(100 << attempt.min(5))).await;
        }
    }

    /// Drops the socket without a close frame and reconnects.
    async fn drop_and_reconnect(&mut self) -> anyhow::Result<()> {
        self.ws = None;
        if let Some(inflight) = &mut self.inflight {
            inflight.sent_at = None;
        }
        self.next_move_at = None;
        self.connect(true).await
    }

    fn my_turn(&self) -> bool {
        self.view.as_ref().is_some_and(PlayerView::is_my_turn)
    }

    fn schedule_move(&mut self) {
        if self.game_over
            || self.inflight.is_some()
            || self.next_move_at.is_some()
            || self.connecting_since.is_some()
            || self.last_seq < self.wait_seq
            || !self.my_turn()
        {
            return;
        }
        let think = self.config.think.mul_f64(self.rng.random_range(0.5..1.5));
        self.next_move_at = Some(Instant::now() + think);
    }

    fn take_view(&mut self, view: Option<PlayerView>, seq: u64) {
        if view.as_ref().is_some_and(|v| v.result.is_some()) {
            self.game_over = true;
        }
        self.view = view;
        self.last_seq = seq;
    }

    async fn handle(&mut self, message: ServerMessage) -> anyhow::Result<()> {
        let stats = self.config.stats.clone();
        match message {
            ServerMessage::Welcome { view, seq, .. } => {
                self.closes_in_a_row = 0;
                if let Some((started, reconnect)) = self.connecting_since.take() {
                    if reconnect {
                        let mut s = stats.lock();
                        s.reconnects += 1;
                        record(&mut s.reconnect_us, started.elapsed());
                    }
                }
                self.take_view(view, seq);
                // A move whose ack never arrived is resent verbatim (SPEC R7).
                if let Some(inflight) = &self.inflight {
                    let resend = ClientMessage::Action {
                        action_id: inflight.action_id.clone(),
                        mv: inflight.mv.clone(),
                    };
                    self.send(&resend).await?;
                }
            }
            ServerMessage::Event { seq, view, .. } => self.take_view(Some(view), seq),
            // Between hands: ready at once; the next hand's view comes with `hand_started`.
            ServerMessage::HandBreak { hand, ready, .. } => {
                if !ready.iter().any(|s| u8::from(*s) == self.seat) {
                    self.send(&ClientMessage::NextHand { hand }).await?;
                }
            }
            ServerMessage::HandStarted { view, .. } => self.take_view(Some(view), self.last_seq),
            ServerMessage::Ack { action_id, seq, .. } => {
                if let Some(first) = self.acked.get(&action_id) {
                    stats.lock().repeat_acks += 1;
                    if *first != seq {
                        stats.error("client:ack_seq_changed");
                    }
                } else if self
                    .inflight
                    .as_ref()
                    .is_some_and(|f| f.action_id == action_id)
                {
                    let sent_at = self.inflight.take().and_then(|f| f.sent_at);
                    let mut s = stats.lock();
                    s.moves_acked += 1;
                    if let Some(sent_at) = sent_at {
                        s.record_ack(sent_at.elapsed());
                    }
                    drop(s);
                    self.acked.insert(action_id, seq);
                    self.wait_seq = seq;
                } else {
                    stats.error("client:unexpected_ack");
                }
            }
            ServerMessage::Rejected {
                action_id, code, ..
            } => {
                stats.error(format!("rejected:{code}"));
                if self
                    .inflight
                    .as_ref()
                    .is_some_and(|f| f.action_id == action_id)
                {
                    self.inflight = None;
                    self.rejections += 1;
                    if self.rejections > MAX_REJECTIONS {
                        bail!("room {} seat {}: too many rejections", self.room, self.seat);
                    }
                }
            }
            ServerMessage::GameOver { .. } => {
                if !self.game_over {
                    self.game_over = true;
                }
            }
            ServerMessage::Conflict { .. } => {
                // Our previous socket still holds the seat: move the session here.
                self.send(&ClientMessage::Takeover).await?;
                let hello = ClientMessage::hello(self.last_seq);
                self.send(&hello).await?;
            }
            ServerMessage::Error { code, .. } => {
                stats.error(format!("error:{code}"));
                if matches!(code, ErrorCode::RateLimited | ErrorCode::ServerBusy) {
                    // Whatever was dropped is resent through a fresh hello.
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    let hello = ClientMessage::hello(self.last_seq);
                    self.send(&hello).await?;
                    self.connecting_since = Some((Instant::now(), false));
                }
            }
            ServerMessage::Pong { .. } => stats.lock().pongs += 1,
            ServerMessage::SessionMoved => stats.error("client:session_moved"),
            ServerMessage::Abandoned { .. } => stats.error("client:abandoned"),
            ServerMessage::Left => stats.error("client:left"),
            ServerMessage::PlayerJoined { .. }
            | ServerMessage::Presence { .. }
            | ServerMessage::Rematch { .. } => {}
        }
        self.schedule_move();
        Ok(())
    }

    async fn play_one(&mut self) -> anyhow::Result<()> {
        self.next_move_at = None;
        let Some(view) = self.view.clone() else {
            return Ok(());
        };
        if !view.is_my_turn() {
            return Ok(());
        }
        let moves = view.legal_moves();
        if moves.is_empty() {
            bail!("room {} seat {}: no legal move", self.room, self.seat);
        }
        let mv = moves[self.rng.random_range(0..moves.len())].clone();
        self.moves += 1;
        let action_id = format!("lg-{}-{}-{}", self.room, self.seat, self.moves);
        let message = ClientMessage::Action {
            action_id: action_id.clone(),
            mv: mv.clone(),
        };
        // The round trip starts when the frame leaves, not while waiting for the rate limit.
        self.bucket.take().await;
        let duplicate = self
            .rng
            .random_bool(self.config.duplicate_rate.clamp(0.0, 1.0));
        self.inflight = Some(InFlight {
            action_id,
            mv,
            // A duplicate may wait for the bucket before the ack is read: no clean sample.
            sent_at: (!duplicate).then(Instant::now),
        });
        self.send_now(&message).await?;
        self.config.stats.lock().moves_sent += 1;
        if duplicate {
            self.send(&message).await?;
            self.config.stats.lock().duplicates_sent += 1;
        }
        if self.rng.random_bool(self.config.drop_rate.clamp(0.0, 1.0)) {
            self.config.stats.lock().drops += 1;
            self.drop_and_reconnect().await?;
        }
        Ok(())
    }

    /// Plays until the game is over or the run stops (after the move in flight is acked).
    pub async fn run(&mut self) -> anyhow::Result<()> {
        self.connect(false).await?;
        loop {
            let now = Instant::now();
            if now > self.config.hard_deadline {
                bail!("room {} seat {}: hard deadline", self.room, self.seat);
            }
            let stopping = self.config.stop.load(Ordering::Relaxed);
            if (self.game_over || stopping)
                && self.inflight.is_none()
                && self.connecting_since.is_none()
            {
                return Ok(());
            }
            if stopping {
                self.next_move_at = None;
            }
            if self.ws.is_none() {
                // A send failed on a dead socket.
                self.drop_and_reconnect().await?;
                continue;
            }
            let mut wake = self.next_ping_at.min(self.last_rx + STALL);
            if let Some(at) = self.next_move_at {
                wake = wake.min(at);
            }
            let ws = self.ws.as_mut().ok_or_else(|| anyhow!("no socket"))?;
            tokio::select! {
                frame = ws.next() => match frame {
                    Some(Ok(message)) => {
                        self.last_rx = Instant::now();
                        match parse(message) {
                            Some(Ok(message)) => self.handle(message).await?,
                            Some(Err(code)) => {
                                let code = code.map_or("none".to_owned(), |c| c.to_string());
                                self.config.stats.error(format!("close:{code}"));
                                self.closes_in_a_row += 1;
                                let pause = 100u64 << self.closes_in_a_row.min(5);
                                tokio::time::sleep(Duration::from_millis(pause)).await;
                                self.drop_and_reconnect().await?;
                            }
                            None => {}
                        }
                    }
                    Some(Err(err)) => {
                        log::debug!("room {} seat {}: {err}", self.room, self.seat);
                        self.config.stats.error("client:socket_error");
                        self.drop_and_reconnect().await?;
                    }
                    None => {
                        self.config.stats.error("client:socket_ended");
                        self.drop_and_reconnect().await?;
                    }
                },
                _ = sleep_until(wake) => {
                    let now = Instant::now();
                    if now >= self.last_rx + STALL {
                        self.config.stats.error("client:stalled");
                        self.drop_and_reconnect().await?;
                    } else if self.next_move_at.is_some_and(|at| now >= at) {
                        self.play_one().await?;
                    } else if now >= self.next_ping_at {
                        self.next_ping_at = now + self.config.ping_interval;
                        self.send(&ClientMessage::Ping { t: chrono::Utc::now().timestamp_millis() }).await?;
                    }
                }
            }
        }
    }

    /// After both bots of the room stopped: a fresh `hello` for the final state. A socket that
    /// died while the bot was idle (a restart of the server, say) is replaced, a few times.
    pub async fn final_sync(&mut self) -> anyhow::Result<()> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            match self.final_hello().await {
                Ok(()) => break,
                Err(err) if attempts < 4 => {
                    log::debug!(
                        "room {} seat {}: final hello: {err:#}",
                        self.room,
                        self.seat
                    );
                    self.ws = None;
                    tokio::time::sleep(Duration::from_millis(200 << attempts)).await;
                }
                Err(err) => return Err(err),
            }
        }
        if let Some(mut ws) = self.ws.take() {
            let _ = ws.close(None).await;
        }
        Ok(())
    }

    /// One try of the final `hello`: on the socket there is, else a new one.
    async fn final_hello(&mut self) -> anyhow::Result<()> {
        if self.ws.is_none() {
            self.connect(true).await?;
        } else {
            let hello = ClientMessage::hello(self.last_seq);
            self.send(&hello).await?;
        }
        let until = Instant::now() + Duration::from_secs(15);
        loop {
            let ws = self.ws.as_mut().ok_or_else(|| anyhow!("the socket died"))?;
            let frame = timeout(until.saturating_duration_since(Instant::now()), ws.next())
                .await
                .context("no welcome for the final hello")?;
            match frame.map(|f| f.map(parse)) {
                Some(Ok(Some(Ok(ServerMessage::Welcome { view, seq, .. })))) => {
                    self.connecting_since = None;
                    self.take_view(view, seq);
                    return Ok(());
                }
                Some(Ok(Some(Ok(other)))) => {
                    if let ServerMessage::Ack { .. } = other {
                        self.handle(other).await?;
                    }
                }
                Some(Ok(Some(Err(code)))) => bail!("socket closed ({code:?}) at the final hello"),
                Some(Ok(None)) => {}
                Some(Err(err)) => bail!("websocket receive: {err}"),
                None => bail!("socket ended at the final hello"),
            }
        }
    }

    /// The bot's results.
    pub fn outcome(self, failed: Option<String>) -> BotOutcome {
        BotOutcome {
            seat: self.seat,
            acked: self.acked,
            final_view: self.view,
            final_seq: self.last_seq,
            game_over: self.game_over,
            failed,
        }
    }
}

/// An idle socket: hello once, then only `ping` every interval until the run stops.
pub async fn idle_socket(config: BotConfig, room: String, token: String) -> anyhow::Result<()> {
    let url = format!("{}/{room}?session_token={token}", config.ws_url);
    let mut bucket = Bucket::new(config.rate_per_sec, config.rate_burst);
    let mut ws = open(&url).await?;
    let hello = serde_json::to_string(&ClientMessage::hello(0))?;
    ws.send(Message::Text(hello.into())).await?;
    let mut next_ping = Instant::now() + config.ping_interval;
    let mut reconnects = 0;
    while !config.stop.load(Ordering::Relaxed) && Instant::now() < config.hard_deadline {
        let wake = next_ping.min(Instant::now() + Duration::from_millis(250));
        tokio::select! {
            frame = ws.next() => match frame.map(|f| f.map(parse)) {
                Some(Ok(Some(Ok(ServerMessage::Pong { .. })))) => config.stats.lock().pongs += 1,
                Some(Ok(Some(Ok(_)))) | Some(Ok(None)) => {}
                Some(Ok(Some(Err(_)))) | Some(Err(_)) | None => {
                    config.stats.error("client:idle_socket_lost");
                    reconnects += 1;
                    if reconnects > MAX_RECONNECT_ATTEMPTS {
                        bail!("idle socket: too many reconnections");
                    }
                    ws = open(&url).await?;
                    let hello = serde_json::to_string(&ClientMessage::hello(0))?;
                    ws.send(Message::Text(hello.into())).await?;
                }
            },
            _ = sleep_until(wake) => {
                if Instant::now() >= next_ping {
                    next_ping = Instant::now() + config.ping_interval;
                    bucket.take().await;
                    let ping = serde_json::to_string(&ClientMessage::Ping { t: chrono::Utc::now().timestamp_millis() })?;
                    ws.send(Message::Text(ping.into())).await?;
                }
            }
        }
    }
    let _ = ws.close(None).await;
    Ok(())
}
