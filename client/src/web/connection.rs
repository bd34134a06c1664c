//! The one task that owns the room's WebSocket: it opens and reopens it (R1), keeps the
//! heartbeat (R3), feeds server messages to the game model (R4, R7) and sends moves.

use dioxus::prelude::*;
use futures_channel::mpsc::{unbounded, UnboundedReceiver as Receiver};
use futures_util::StreamExt;
use game::protocol::{ClientMessage, ServerMessage};
use game::Move;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::backoff::{BackoffAction, LinkState, Reconnector};
use crate::config::ClientConfig;
use crate::heartbeat::{Health, Heartbeat, HeartbeatAction};
use crate::model::{GameModel, Phase};
use crate::session_store::StoredSession;
use crate::web::browser::{self, now_ms};
use crate::web::socket::{Socket, SocketEvent};
use crate::web::storage::with_store;

/// How often the task looks at its timers.
const TICK_MS: u64 = 200;

/// What the UI asks of the connection.
#[derive(Debug, Clone)]
pub enum Command {
    /// Play this move.
    Move(Move),
    /// Retry after "Disconnected".
    Retry,
    /// Leave the room for good.
    Leave,
    /// Take the seat over from another connection.
    Takeover,
}

/// The link as the indicator shows it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkView {
    /// Lifecycle state.
    pub state: LinkState,
    /// Heartbeat health while connected.
    pub health: Health,
    /// Last round-trip time.
    pub rtt_ms: Option<i64>,
    /// The current round of attempts was started by the Retry button.
    pub manual: bool,
}

impl Default for LinkView {
    fn default() -> Self {
        Self {
            state: LinkState::Connecting,
            health: Health::Healthy,
            rtt_ms: None,
            manual: false,
        }
    }
}

enum Input {
    Command(Command),
    Socket(SocketEvent),
    Tick,
    Online,
    Offline,
}

struct Conn {
    config: ClientConfig,
    session: StoredSession,
    model: Signal<GameModel>,
    link: Signal<LinkView>,
    reconnector: Reconnector,
    heartbeat: Option<Heartbeat>,
    socket: Option<Socket>,
    generation: u32,
    manual: bool,
    events: futures_channel::mpsc::UnboundedSender<SocketEvent>,
}

impl Conn {
    fn connect(&mut self) {
        self.generation += 1;
        self.heartbeat = None;
        let url = format!(
            "{}/ws?session_token={}",
            browser::ws_origin(),
            js_sys::encode_uri_component(&self.session.token)
        );
        match Socket::open(&url, self.generation, self.events.clone()) {
            Ok(socket) => self.socket = Some(socket),
            Err(_) => {
                self.socket = None;
                let _ = self
                    .events
                    .unbounded_send(SocketEvent::Closed(self.generation));
            }
        }
    }

    fn send(&self, message: &ClientMessage) -> bool {
        let Some(socket) = &self.socket else {
            return false;
        };
        match serde_json::to_string(message) {
            Ok(text) => socket.send(&text),
            Err(_) => false,
        }
    }

    fn lost(&mut self) {
        self.socket = None;
        self.heartbeat = None;
        self.model.write().on_disconnect();
        let jitter = browser::random_below(self.config.backoff.max_jitter_ms + 1);
        self.reconnector.on_close(now_ms() as u64, jitter);
    }

    fn on_socket(&mut self, event: SocketEvent) {
        match event {
            SocketEvent::Open(g) if g == self.generation => {
                let hello = self.model.peek().hello();
                self.send(&hello);
            }
            SocketEvent::Message(g, text) if g == self.generation => {
                let Ok(message) = serde_json::from_str::<ServerMessage>(&text) else {
                    browser::log("casino: ignored an unreadable server message");
                    return;
                };
                self.on_message(message);
            }
            SocketEvent::Closed(g) if g == self.generation => self.lost(),
            _ => {}
        }
    }

    fn on_message(&mut self, message: ServerMessage) {
        match &message {
            ServerMessage::Pong { t, .. } => {
                if let Some(hb) = &mut self.heartbeat {
                    hb.on_pong(*t, now_ms());
                }
                return;
            }
            ServerMessage::Welcome { .. } => {
                self.reconnector.on_welcome();
                self.manual = false;
                self.heartbeat = Some(Heartbeat::new(self.config.heartbeat, now_ms()));
            }
            _ => {}
        }
        let replies = self.model.write().apply(message);
        for reply in &replies {
            self.send(reply);
        }
        let phase = self.model.peek().phase.clone();
        match phase {
            Phase::Over { .. } => {
                let room = self.session.room.clone();
                with_store(|store| store.clear(&room));
            }
            Phase::SessionMoved => {
                self.reconnector.stop();
                self.socket = None;
            }
            _ => {}
        }
    }

    fn on_tick(&mut self) {
        let now = now_ms();
        let action = self.heartbeat.as_mut().map(|hb| hb.poll(now));
        match action {
            Some(HeartbeatAction::Ping(t)) => {
                self.send(&ClientMessage::Ping { t });
            }
            Some(HeartbeatAction::Reconnect) => self.lost(),
            _ => {}
        }
        if self.reconnector.poll(now as u64) == BackoffAction::Connect {
            self.connect();
        }
    }

    fn on_command(&mut self, command: Command) -> bool {
        match command {
            Command::Move(mv) => {
                let message = self.model.write().propose(browser::new_action_id(), mv);
                // Without a welcomed socket the move waits; it is sent right after `welcome`.
                if self.reconnector.state() == LinkState::Connected {
                    self.send(&message);
                }
            }
            Command::Retry => {
                if self.reconnector.retry(now_ms() as u64) {
                    self.manual = true;
                }
            }
            Command::Takeover => {
                self.send(&ClientMessage::Takeover);
            }
            Command::Leave => {
                self.send(&ClientMessage::Leave);
                self.reconnector.stop();
                self.socket = None;
                let room = self.session.room.clone();
                with_store(|store| store.clear(&room));
                return false;
            }
        }
        true
    }

    fn publish(&mut self) {
        let view = LinkView {
            state: self.reconnector.state(),
            health: self
                .heartbeat
                .as_ref()
                .map_or(Health::Healthy, Heartbeat::health),
            rtt_ms: self.heartbeat.as_ref().and_then(Heartbeat::rtt_ms),
            manual: self.manual,
        };
        if *self.link.peek() != view {
            self.link.set(view);
        }
    }
}

fn listen_network(tx: futures_channel::mpsc::UnboundedSender<Input>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    for (name, online) in [("online", true), ("offline", false)] {
        let tx = tx.clone();
        let callback = Closure::<dyn FnMut()>::new(move || {
            let _ = tx.unbounded_send(if online {
                Input::Online
            } else {
                Input::Offline
            });
        });
        let _ = window.add_event_listener_with_callback(name, callback.as_ref().unchecked_ref());
        // The page keeps listening for its whole life; a closed channel makes it a no-op.
        callback.forget();
    }
}

/// Runs the connection of `session` until the player leaves; `commands` come from the UI.
pub async fn run(
    session: StoredSession,
    config: ClientConfig,
    model: Signal<GameModel>,
    link: Signal<LinkView>,
    commands: Receiver<Command>,
) {
    let (event_tx, event_rx) = unbounded::<SocketEvent>();
    let (input_tx, input_rx) = unbounded::<Input>();
    listen_network(input_tx.clone());
    let ticker = input_tx.clone();
    spawn(async move {
        loop {
            browser::sleep_ms(TICK_MS).await;
            if ticker.unbounded_send(Input::Tick).is_err() {
                break;
            }
        }
    });
    let mut inputs = futures_util::stream::select(
        futures_util::stream::select(commands.map(Input::Command), event_rx.map(Input::Socket)),
        input_rx,
    );
    let mut conn = Conn {
        config,
        session,
        model,
        link,
        reconnector: Reconnector::new(config.backoff),
        heartbeat: None,
        socket: None,
        generation: 0,
        manual: false,
        events: event_tx,
    };
    conn.connect();
    while let Some(input) = inputs.next().await {
        match input {
            Input::Command(command) => {
                if !conn.on_command(command) {
                    conn.publish();
                    break;
                }
            }
            Input::Socket(event) => conn.on_socket(event),
            Input::Tick => conn.on_tick(),
            Input::Online => conn.reconnector.on_online(now_ms() as u64),
            Input::Offline => {
                if conn.socket.is_some() {
                    conn.lost();
                }
            }
        }
        conn.publish();
    }
    drop(input_tx);
}
