//! Helpers shared by the end-to-end tests: a real server on an ephemeral port, HTTP calls, and a
//! WebSocket client speaking the game protocol.

use std::net::SocketAddr;
use std::time::Duration;

use actix_web::web::Bytes;
use anyhow::{anyhow, bail, Context};
use awc::ws::{Codec, Frame, Message};
use awc::BoxedSocket;
use futures_util::{SinkExt, StreamExt};
use game::protocol::{
    ClientMessage, ErrorBody, ErrorCode, PresenceState, RoomFacts, RoomStatus, SeatPresence,
    ServerMessage,
};
use game::{Move, PlayerView};
use serde_json::{json, Value};
use server::{Application, Config};

pub mod child;
pub mod cluster;
pub mod loadgen;
pub mod pg;
pub mod raw;

/// The session secret the test servers sign with, so tests can forge and tamper tokens.
pub const TEST_SECRET: &str = "test-secret-test-secret-test-secret!";

/// How long a test waits for any one server message.
pub const RECV_TIMEOUT: Duration = Duration::from_secs(15);

/// A configuration for tests: [`Config::for_tests`] with the known secret.
pub fn test_config() -> Config {
    let mut config = Config::for_tests();
    config.session_secret = Some(TEST_SECRET.to_owned());
    // Bots move as fast as the server answers; the hostile-input tests set tight limits.
    config.rate_burst = 100_000;
    config.rate_per_sec = 100_000;
    config
}

/// A running server.
pub struct TestServer {
    /// Where it listens.
    pub addr: SocketAddr,
    handle: Option<actix_web::dev::ServerHandle>,
}

/// The answer to create and join (one definition, in the protocol).
pub use game::protocol::Seated;

impl TestServer {
    /// Builds and starts a server with `config` on the current actix runtime.
    pub async fn start(config: Config) -> anyhow::Result<Self> {
        let _ = env_logger::builder().is_test(true).try_init();
        let app = Application::build(config).await?;
        let addr = app.addr();
        let handle = app.handle();
        actix_web::rt::spawn(app.run());
        Ok(Self {
            addr,
            handle: Some(handle),
        })
    }

    /// A server running elsewhere (e.g. a child process) at `addr`.
    pub fn at(addr: SocketAddr) -> Self {
        Self { addr, handle: None }
    }

    /// Stops the server (connections are dropped).
    pub async fn stop(self) {
        if let Some(handle) = self.handle {
            handle.stop(false).await;
        }
    }

    /// `http://addr{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// POSTs JSON; returns status and JSON body.
    pub async fn post(&self, path: &str, body: &Value) -> anyhow::Result<(u16, Value)> {
        let mut response = awc::Client::new()
            .post(self.url(path))
            .send_json(body)
            .await
            .map_err(|err| anyhow!("POST {path}: {err}"))?;
        let status = response.status().as_u16();
        let body = response
            .json::<Value>()
            .await
            .map_err(|err| anyhow!("body of POST {path}: {err}"))?;
        Ok((status, body))
    }

    /// GETs JSON; returns status and JSON body.
    pub async fn get(&self, path: &str) -> anyhow::Result<(u16, Value)> {
        let mut response = awc::Client::new()
            .get(self.url(path))
            .send()
            .await
            .map_err(|err| anyhow!("GET {path}: {err}"))?;
        let status = response.status().as_u16();
        let body = response
            .json::<Value>()
            .await
            .map_err(|err| anyhow!("body of GET {path}: {err}"))?;
        Ok((status, body))
    }

    /// Scrapes `GET /metrics` (Prometheus text).
    pub async fn metrics(&self) -> anyhow::Result<String> {
        let mut response = awc::Client::new()
            .get(self.url("/metrics"))
            .send()
            .await
            .map_err(|err| anyhow!("GET /metrics: {err}"))?;
        anyhow::ensure!(
            response.status().as_u16() == 200,
            "GET /metrics: status {}",
            response.status()
        );
        let body = response
            .body()
            .limit(1 << 20)
            .await
            .map_err(|err| anyhow!("body of GET /metrics: {err}"))?;
        Ok(String::from_utf8_lossy(&body).into_owned())
    }

    /// Creates a room with `variants`; the creator is seat 0.
    pub async fn create_room(&self, name: &str, variants: &[&str]) -> anyhow::Result<Seated> {
        let (status, body) = self
            .post("/api/rooms", &json!({ "name": name, "variants": variants }))
            .await?;
        if status != 201 {
            bail!("create room: {status} {body}");
        }
        Ok(serde_json::from_value(body)?)
    }

    /// Joins room `code` as seat 1.
    pub async fn join(&self, code: &str, name: &str) -> anyhow::Result<Seated> {
        let (status, body) = self
            .post(&format!("/api/rooms/{code}/join"), &json!({ "name": name }))
            .await?;
        if status != 200 {
            bail!("join room: {status} {body}");
        }
        Ok(serde_json::from_value(body)?)
    }

    /// POSTs with `token` as `Authorization: Bearer`; returns status and JSON body.
    pub async fn post_bearer(&self, path: &str, token: &str) -> anyhow::Result<(u16, Value)> {
        self.with_bearer(awc::http::Method::POST, path, token).await
    }

    /// DELETEs with `token` as `Authorization: Bearer`; returns status and JSON body.
    pub async fn delete_bearer(&self, path: &str, token: &str) -> anyhow::Result<(u16, Value)> {
        self.with_bearer(awc::http::Method::DELETE, path, token)
            .await
    }

    async fn with_bearer(
        &self,
        method: awc::http::Method,
        path: &str,
        token: &str,
    ) -> anyhow::Result<(u16, Value)> {
        let mut response = awc::Client::new()
            .request(method.clone(), self.url(path))
            .insert_header(("Authorization", format!("Bearer {token}")))
            .send()
            .await
            .map_err(|err| anyhow!("{method} {path}: {err}"))?;
        let status = response.status().as_u16();
        let body = response
            .json::<Value>()
            .await
            .map_err(|err| anyhow!("body of {method} {path}: {err}"))?;
        Ok((status, body))
    }

    /// What `GET /api/session` says of `token`: `None` when it holds its seat, else the error
    /// code of the refusal.
    pub async fn session_refusal(&self, token: &str) -> anyhow::Result<Option<ErrorCode>> {
        let mut response = awc::Client::new()
            .get(self.url("/api/session"))
            .insert_header(("Authorization", format!("Bearer {token}")))
            .send()
            .await
            .map_err(|err| anyhow!("GET /api/session: {err}"))?;
        if response.status().as_u16() == 200 {
            return Ok(None);
        }
        let body = response
            .json::<ErrorBody>()
            .await
            .map_err(|err| anyhow!("error body of GET /api/session: {err}"))?;
        Ok(Some(body.error.code))
    }

    /// The room's public status (`GET /api/rooms/{code}`).
    pub async fn room_status(&self, code: &str) -> anyhow::Result<RoomStatus> {
        let (status, body) = self.get(&format!("/api/rooms/{code}")).await?;
        anyhow::ensure!(status == 200, "room {code}: {status} {body}");
        Ok(serde_json::from_value::<RoomFacts>(body)?.status)
    }

    /// Opens a game socket with `token` (no `Origin` header, like a non-browser client).
    pub async fn connect(&self, token: &str) -> anyhow::Result<Ws> {
        Ws::connect(self.addr, token, None).await
    }
}

/// A game socket.
pub struct Ws {
    framed: actix_codec::Framed<BoxedSocket, Codec>,
}

/// Anything a socket may yield.
#[derive(Debug)]
pub enum Received {
    /// A protocol message.
    Message(Box<ServerMessage>),
    /// A close frame with its code.
    Closed(Option<u16>),
}

impl Ws {
    /// Connects to `addr` with `token` and optional `origin`, by the older path `/ws` (the
    /// room is the token's).
    pub async fn connect(
        addr: SocketAddr,
        token: &str,
        origin: Option<&str>,
    ) -> anyhow::Result<Ws> {
        Self::open(format!("ws://{addr}/ws?session_token={token}"), origin).await
    }

    /// Connects to `addr` by `/ws/{room}`, the path a load balancer routes by room.
    pub async fn connect_room(addr: SocketAddr, room: &str, token: &str) -> anyhow::Result<Ws> {
        Self::open(format!("ws://{addr}/ws/{room}?session_token={token}"), None).await
    }

    async fn open(url: String, origin: Option<&str>) -> anyhow::Result<Ws> {
        let mut request = awc::Client::new().ws(url).max_frame_size(4 * 1024 * 1024);
        if let Some(origin) = origin {
            request = request.origin(origin);
        }
        let (_, framed) = request
            .connect()
            .await
            .map_err(|err| anyhow!("websocket connect: {err}"))?;
        Ok(Ws { framed })
    }

    /// Sends a protocol message.
    pub async fn send(&mut self, message: &ClientMessage) -> anyhow::Result<()> {
        self.send_text(&serde_json::to_string(message)?).await
    }

    /// Sends a raw text frame.
    pub async fn send_text(&mut self, text: &str) -> anyhow::Result<()> {
        self.framed
            .send(Message::Text(text.to_owned().into()))
            .await
            .map_err(|err| anyhow!("websocket send: {err}"))
    }

    /// Sends a raw binary frame.
    pub async fn send_binary(&mut self, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.framed
            .send(Message::Binary(Bytes::from(bytes)))
            .await
            .map_err(|err| anyhow!("websocket send: {err}"))
    }

    /// Sends a WebSocket ping frame.
    pub async fn send_ping(&mut self, payload: &[u8]) -> anyhow::Result<()> {
        self.framed
            .send(Message::Ping(Bytes::copy_from_slice(payload)))
            .await
            .map_err(|err| anyhow!("websocket send: {err}"))
    }

    /// The next protocol message or close, skipping pings.
    pub async fn recv_any(&mut self) -> anyhow::Result<Received> {
        loop {
            let frame = tokio::time::timeout(RECV_TIMEOUT, self.framed.next())
                .await
                .context("timed out waiting for a server message")?;
            match frame {
                None => return Ok(Received::Closed(None)),
                Some(Err(err)) => bail!("websocket receive: {err}"),
                Some(Ok(Frame::Text(text))) => {
                    let message = serde_json::from_slice(&text).with_context(|| {
                        format!("server message {:?}", String::from_utf8_lossy(&text))
                    })?;
                    return Ok(Received::Message(Box::new(message)));
                }
                Some(Ok(Frame::Close(reason))) => {
                    return Ok(Received::Closed(reason.map(|r| u16::from(r.code))))
                }
                Some(Ok(_)) => continue,
            }
        }
    }

    /// The next protocol message other than `presence`; a close is an error.
    pub async fn recv(&mut self) -> anyhow::Result<ServerMessage> {
        loop {
            match self.recv_any().await? {
                Received::Message(message) => {
                    if !matches!(*message, ServerMessage::Presence { .. }) {
                        return Ok(*message);
                    }
                }
                Received::Closed(code) => bail!("socket closed ({code:?})"),
            }
        }
    }

    /// Receives until `pick` finds what it looks for in a message (every message counts, presence
    /// included); a close first is an error. Bounded by [`RECV_TIMEOUT`] per message.
    pub async fn until<T>(
        &mut self,
        what: &str,
        mut pick: impl FnMut(&ServerMessage) -> Option<T>,
    ) -> anyhow::Result<T> {
        loop {
            match self
                .recv_any()
                .await
                .with_context(|| format!("waiting for {what}"))?
            {
                Received::Message(message) => {
                    if let Some(found) = pick(&message) {
                        return Ok(found);
                    }
                }
                Received::Closed(code) => {
                    bail!("socket closed ({code:?}) while waiting for {what}")
                }
            }
        }
    }

    /// The presence state of `seat` in the next `presence` message that satisfies `want`.
    pub async fn presence_of(
        &mut self,
        seat: u8,
        mut want: impl FnMut(PresenceState) -> bool,
    ) -> anyhow::Result<SeatPresence> {
        self.until("a presence change", |message| match message {
            ServerMessage::Presence { seats } => seats
                .iter()
                .find(|p| u8::from(p.seat) == seat && want(p.state))
                .cloned(),
            _ => None,
        })
        .await
    }

    /// Drops the connection without a close frame, as a network failure would.
    pub fn drop_abruptly(self) {
        drop(self);
    }

    /// Waits for the socket to close; returns the close code.
    pub async fn closed(&mut self) -> anyhow::Result<Option<u16>> {
        loop {
            if let Received::Closed(code) = self.recv_any().await? {
                return Ok(code);
            }
        }
    }

    /// Sends `hello` and returns the `welcome`.
    pub async fn hello(&mut self, last_seq: u64) -> anyhow::Result<ServerMessage> {
        self.send(&ClientMessage::hello(last_seq)).await?;
        let welcome = self.recv().await?;
        if !matches!(welcome, ServerMessage::Welcome { .. }) {
            bail!("expected welcome, got {welcome:?}");
        }
        Ok(welcome)
    }

    /// Sends a move.
    pub async fn action(&mut self, action_id: &str, mv: &Move) -> anyhow::Result<()> {
        self.send(&ClientMessage::Action {
            action_id: action_id.to_owned(),
            mv: mv.clone(),
        })
        .await
    }

    /// Closes the socket politely and waits (a little) for the server's close frame, as a
    /// WebSocket client does: by then the server has let go of the seat, so a socket opened
    /// next is not taken for a second tab.
    pub async fn close(mut self) {
        if self.framed.send(Message::Close(None)).await.is_ok() {
            let _ = tokio::time::timeout(Duration::from_secs(2), self.closed()).await;
        }
    }
}

/// The view inside a `welcome` or `event`.
pub fn view_of(message: &ServerMessage) -> Option<&PlayerView> {
    match message {
        ServerMessage::Welcome { view, .. } => view.as_ref(),
        ServerMessage::Event { view, .. } => Some(view),
        ServerMessage::HandStarted { view, .. } => Some(view),
        _ => None,
    }
}

/// One player: a socket, the latest view, the last event sequence number seen.
pub struct Player {
    /// Seat and token.
    pub seated: Seated,
    /// The socket.
    pub ws: Ws,
    /// Latest view.
    pub view: Option<PlayerView>,
    /// Highest event seq applied.
    pub last_seq: u64,
}

impl Player {
    /// Connects, says hello with `last_seq`, keeps the welcome's view.
    pub async fn connect(
        server_addr: SocketAddr,
        seated: Seated,
        last_seq: u64,
    ) -> anyhow::Result<(Player, ServerMessage)> {
        let mut ws = Ws::connect(server_addr, &seated.token, None).await?;
        let welcome = ws.hello(last_seq).await?;
        let mut player = Player {
            seated,
            ws,
            view: None,
            last_seq,
        };
        player.absorb(&welcome);
        Ok((player, welcome))
    }

    /// Updates view and last_seq from a welcome or event.
    pub fn absorb(&mut self, message: &ServerMessage) {
        match message {
            ServerMessage::Welcome { view, seq, .. } => {
                self.view = view.clone();
                self.last_seq = *seq;
            }
            ServerMessage::Event { view, seq, .. } => {
                self.view = Some(view.clone());
                self.last_seq = *seq;
            }
            ServerMessage::HandStarted { view, .. } => self.view = Some(view.clone()),
            _ => {}
        }
    }

    /// Whether it is this player's turn.
    pub fn my_turn(&self) -> bool {
        self.view.as_ref().is_some_and(PlayerView::is_my_turn)
    }

    /// Receives until an `event`, which it absorbs and returns; other messages are returned in
    /// the side list.
    pub async fn next_event(&mut self) -> anyhow::Result<(ServerMessage, Vec<ServerMessage>)> {
        let mut others = Vec::new();
        loop {
            let message = self.ws.recv().await?;
            if matches!(message, ServerMessage::Event { .. }) {
                self.absorb(&message);
                return Ok((message, others));
            }
            others.push(message);
        }
    }
}

/// Sum of the samples of metric `name` in a `/metrics` scrape whose label set contains every
/// `labels` pair (`k="v"`).
pub fn metric_sample(text: &str, name: &str, labels: &[&str]) -> f64 {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.rsplit_once(' '))
        .filter(|(series, _)| {
            let (metric, label_set) = series.split_once('{').unwrap_or((series, ""));
            metric == name && labels.iter().all(|l| label_set.contains(l))
        })
        .filter_map(|(_, value)| value.parse::<f64>().ok())
        .sum()
}

/// Polls `probe` every 20 ms until it yields a value or `within` has passed; the error names
/// `what` did not happen. For conditions the test cannot be told about by a message.
pub async fn eventually<T, F, Fut>(within: Duration, what: &str, mut probe: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<Option<T>>>,
{
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if let Some(found) = probe().await? {
            return Ok(found);
        }
        if tokio::time::Instant::now() >= deadline {
            bail!("{what} did not happen within {within:?}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// [`eventually`] for tests on a plain thread (child processes, blocking HTTP): polls `probe`
/// every 20 ms until it yields a value or `within` has passed.
pub fn eventually_blocking<T>(
    within: Duration,
    what: &str,
    mut probe: impl FnMut() -> anyhow::Result<Option<T>>,
) -> anyhow::Result<T> {
    let deadline = std::time::Instant::now() + within;
    loop {
        if let Some(found) = probe()? {
            return Ok(found);
        }
        if std::time::Instant::now() >= deadline {
            bail!("{what} did not happen within {within:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A legal move for `view`, varied by `salt` so games differ.
pub fn pick_move(view: &PlayerView, salt: u64) -> Option<Move> {
    let moves = view.legal_moves();
    if moves.is_empty() {
        return None;
    }
    // Prefer captures now and then, so hands end with varied scores.
    let index = (salt.wrapping_mul(2_654_435_761) % moves.len() as u64) as usize;
    moves.get(index).cloned()
}

/// Result of one turn played through [`play_turn`].
pub struct Turn {
    /// The ack's seq.
    pub seq: u64,
    /// Whether the game ended.
    pub game_over: bool,
    /// The hand the move ended, when the game goes on after a break ([`play_move`] only: after
    /// [`play_turn`] the next hand has started).
    pub hand_break: Option<u32>,
}

/// Plays one turn: whoever is to move picks a legal move, sends it, and both players read
/// their messages up to the event. Checks the ack's sequence number is `expected_seq`. A move
/// that ends a hand is followed by both players' `next_hand`.
pub async fn play_turn(
    players: &mut [Player; 2],
    expected_seq: u64,
    action_id: &str,
) -> anyhow::Result<Turn> {
    let turn = play_move(players, expected_seq, action_id).await?;
    if let Some(hand) = turn.hand_break {
        next_hand(players, hand).await?;
    }
    Ok(turn)
}

/// [`play_turn`] without the `next_hand`s: a move that ends a hand leaves the room in the break.
pub async fn play_move(
    players: &mut [Player; 2],
    expected_seq: u64,
    action_id: &str,
) -> anyhow::Result<Turn> {
    let mover = if players[0].my_turn() {
        0
    } else if players[1].my_turn() {
        1
    } else {
        bail!("nobody is to move");
    };
    let view = players[mover]
        .view
        .clone()
        .ok_or_else(|| anyhow!("mover has no view"))?;
    let mv = pick_move(&view, expected_seq).ok_or_else(|| anyhow!("no legal move"))?;
    players[mover].ws.action(action_id, &mv).await?;
    let ack = players[mover].ws.recv().await?;
    match &ack {
        ServerMessage::Ack {
            action_id: id, seq, ..
        } if id == action_id => {
            if *seq != expected_seq {
                bail!("ack seq {seq}, expected {expected_seq}");
            }
        }
        other => bail!("expected ack of {action_id}, got {other:?}"),
    }
    let mut game_over = false;
    let mut hand_break = None;
    for player in players.iter_mut() {
        let (event, _) = player.next_event().await?;
        if let ServerMessage::Event { seq, .. } = event {
            if seq != expected_seq {
                bail!("event seq {seq}, expected {expected_seq}");
            }
        }
        if player.view.as_ref().is_some_and(|v| v.result.is_some()) {
            game_over = true;
            match player.ws.recv().await? {
                ServerMessage::GameOver { .. } => {}
                other => bail!("expected game_over, got {other:?}"),
            }
        } else if player.view.as_ref().is_some_and(|v| v.to_move.is_none()) {
            match player.ws.recv().await? {
                ServerMessage::HandBreak { hand, .. } => hand_break = Some(hand),
                other => bail!("expected hand_break, got {other:?}"),
            }
        }
    }
    Ok(Turn {
        seq: expected_seq,
        game_over,
        hand_break,
    })
}

/// Both players say they are ready for the hand after `hand`; each reads up to `hand_started`
/// and keeps its view.
pub async fn next_hand(players: &mut [Player; 2], hand: u32) -> anyhow::Result<()> {
    for player in players.iter_mut() {
        player.ws.send(&ClientMessage::NextHand { hand }).await?;
    }
    for player in players.iter_mut() {
        loop {
            match player.ws.recv().await? {
                ServerMessage::HandBreak { .. } => {}
                started @ ServerMessage::HandStarted { .. } => {
                    player.absorb(&started);
                    break;
                }
                other => bail!("expected hand_started, got {other:?}"),
            }
        }
    }
    Ok(())
}

/// Creates a room, joins it, connects both players (hello 0). Returns the two players.
pub async fn start_match(server: &TestServer, variants: &[&str]) -> anyhow::Result<[Player; 2]> {
    let alice = server.create_room("Alice", variants).await?;
    let (mut p0, _) = Player::connect(server.addr, alice.clone(), 0).await?;
    let bob = server.join(&alice.room, "Bob").await?;
    // Seat 0 learns of the join: player_joined, then a fresh welcome with the dealt view.
    match p0.ws.recv().await? {
        ServerMessage::PlayerJoined { seat, .. } if u8::from(seat) == 1 => {}
        other => bail!("expected player_joined, got {other:?}"),
    }
    let welcome = p0.ws.recv().await?;
    p0.absorb(&welcome);
    let (p1, _) = Player::connect(server.addr, bob, 0).await?;
    Ok([p0, p1])
}

/// A temporary folder removed on drop (`tempfile`), for SQLite files that outlive one server.
pub struct TempDir(tempfile::TempDir);

impl TempDir {
    /// A new empty folder.
    pub fn new() -> anyhow::Result<Self> {
        Ok(Self(
            tempfile::Builder::new().prefix("casino-e2e-").tempdir()?,
        ))
    }

    /// URL of SQLite file `name` in the folder.
    pub fn sqlite_url(&self, name: &str) -> String {
        format!("sqlite://{}?mode=rwc", self.0.path().join(name).display())
    }

    /// The folder.
    pub fn path(&self) -> &std::path::Path {
        self.0.path()
    }
}
