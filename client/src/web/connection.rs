//! The one task that owns the room's WebSocket: it opens and reopens it (R1), keeps the
//! heartbeat (R3) and the server's clock offset, feeds server messages to the game model (R4,
//! R7) and sends moves and "Next hand".

use dioxus::prelude::*;
use futures_channel::mpsc::{unbounded, UnboundedReceiver as Receiver, UnboundedSender};
use futures_util::StreamExt;
use game::protocol::{ClientMessage, ServerMessage};
use game::Move;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::backoff::{BackoffAction, LinkState, Reconnector};
use crate::config::ClientConfig;
use crate::heartbeat::{Health, Heartbeat, HeartbeatAction};
use crate::model::{Input, Phase};
use crate::navigation::{go, Screen};
use crate::session_store::StoredSession;
use crate::status_view::LinkView;
use crate::store::GameStore;
use crate::tabs::{TabCoordinator, TabEvent, TabMessage};
use crate::web::api;
use crate::web::browser::{self, now_ms};
use crate::web::socket::{Socket, SocketEvent};
use crate::web::storage::with_store;
use crate::web::tab_channel::TabChannel;

/// How often the task looks at its timers.
const TICK_MS: u64 = 200;
/// Close code a browser reports when a socket ended without a close frame (or never opened).
const ABNORMAL_CLOSE: u16 = 1006;
/// How long Leave waits for the server's `left` before going home anyway.
const LEAVE_TIMEOUT_MS: i64 = 3_000;

/// What the UI asks of the connection.
#[derive(Debug, Clone)]
pub enum Command {
    /// Play this move.
    Move(Move),
    /// Retry after "Disconnected".
    Retry,
    /// Leave the room for good (confirmed by the player).
    Leave,
    /// Take the seat over from another connection ("Take over").
    Takeover,
    /// Give up the seat to the other tab ("Cancel"): stop without clearing the session.
    Cancel,
    /// Wait for an opponent who abandoned the game.
    Wait,
    /// Claim victory over an opponent who abandoned the game.
    ClaimVictory,
    /// "Next hand" in the hand summary: `next_hand` during a break (once), else the dialog
    /// closes.
    NextHand,
}

/// What wakes the task.
enum TaskInput {
    Command(Command),
    Socket(SocketEvent),
    Tab(TabMessage),
    Tick,
    Online,
    Offline,
    /// The tab became visible or got the focus: a good moment to try again at once.
    Wake,
}

struct Conn {
    config: ClientConfig,
    session: StoredSession,
    model: GameStore,
    link: Signal<LinkView>,
    screen: Signal<Screen>,
    /// Leave was asked here: go home once the server confirms, or at this time anyway.
    leave_by: Option<i64>,
    reconnector: Reconnector,
    heartbeat: Option<Heartbeat>,
    socket: Option<Socket>,
    /// The current socket is open and its `hello` sent; its `welcome` has not come yet.
    hello_sent: bool,
    generation: u32,
    manual: bool,
    events: futures_channel::mpsc::UnboundedSender<SocketEvent>,
    tabs: TabCoordinator,
    channel: Option<TabChannel>,
}

impl Conn {
    fn connect(&mut self) {
        self.generation += 1;
        self.heartbeat = None;
        self.hello_sent = false;
        // The room in the path lets a load balancer send the socket to the room's node.
        let url = format!(
            "{}/ws/{}?session_token={}",
            browser::ws_origin(),
            js_sys::encode_uri_component(&self.session.room),
            js_sys::encode_uri_component(&self.session.token)
        );
        match Socket::open(&url, self.generation, self.events.clone()) {
            Ok(socket) => self.socket = Some(socket),
            Err(_) => {
                self.socket = None;
                let _ = self
                    .events
                    .unbounded_send(SocketEvent::Closed(self.generation, 1006));
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

    /// Sends `messages` if the socket is welcomed; otherwise they wait in the model and go
    /// after the next `welcome`.
    fn send_if_connected(&self, messages: &[ClientMessage]) {
        if self.reconnector.state() == LinkState::Connected {
            for message in messages {
                self.send(message);
            }
        }
    }

    fn post(&self, message: &TabMessage) {
        if let Some(channel) = &self.channel {
            channel.post(message);
        }
    }

    /// The session ended for good here (moved, expired, left): no socket, no reconnection.
    fn stop_for_good(&mut self) {
        self.reconnector.stop();
        self.socket = None;
        self.heartbeat = None;
        let phase = self.model.peek().phase.clone();
        match phase {
            Phase::SessionMoved => self.tabs.on_session_moved(),
            Phase::Expired | Phase::Left => {
                self.tabs.close();
                self.forget();
            }
            _ => self.tabs.close(),
        }
        if phase == Phase::Left && self.leave_by.take().is_some() {
            self.go_home();
        }
    }

    /// Removes the room's stored session (and so its "Resume" entry).
    fn forget(&self) {
        let room = self.session.room.clone();
        with_store(|store| store.clear(&room));
    }

    fn go_home(&self) {
        go(
            self.screen,
            Screen::Home {
                code: String::new(),
                notice: Some(format!("You left room {}.", self.session.room)),
            },
        );
    }

    fn on_tab_event(&mut self, event: TabEvent) {
        match event {
            TabEvent::Connect => self.connect(),
            TabEvent::ShowConflict => {
                self.model.dispatch(Input::TabConflict);
            }
            TabEvent::SessionMoved => {
                self.model.dispatch(Input::Moved);
                self.stop_for_good();
            }
        }
    }

    fn on_tab_message(&mut self, message: TabMessage) {
        let (reply, event) = self.tabs.on_message(&message);
        if let Some(reply) = reply {
            self.post(&reply);
        }
        if let Some(event) = event {
            self.on_tab_event(event);
        }
    }

    fn lost(&mut self) {
        self.socket = None;
        self.heartbeat = None;
        self.hello_sent = false;
        self.model.dispatch(Input::Disconnected);
        let jitter = browser::random_below(self.config.backoff.max_jitter_ms + 1);
        self.reconnector.on_close(now_ms() as u64, jitter);
    }

    fn on_socket(&mut self, event: SocketEvent) {
        match event {
            SocketEvent::Open(g) if g == self.generation => {
                let hello = self.model.peek().hello();
                self.hello_sent = self.send(&hello);
            }
            SocketEvent::Message(g, text) if g == self.generation => {
                let Ok(message) = serde_json::from_str::<ServerMessage>(&text) else {
                    browser::log("casino: ignored an unreadable server message");
                    return;
                };
                self.on_message(message);
            }
            SocketEvent::Closed(g, code) if g == self.generation => {
                if self.model.dispatch(Input::Closed(code)).stop {
                    self.stop_for_good();
                } else if self.tabs.may_connect() {
                    if code == ABNORMAL_CLOSE {
                        self.ask_whether_refused();
                    }
                    self.lost();
                } else {
                    // Waiting in the conflict dialog: reconnect only if the player takes over.
                    self.socket = None;
                }
            }
            SocketEvent::Refused(code, message) => {
                self.model.dispatch(Input::Refused { code, message });
                self.stop_for_good();
            }
            _ => {}
        }
    }

    /// A socket that failed without a close frame may have been refused before the upgrade
    /// (401: expired or revoked session); the server says so over HTTP.
    fn ask_whether_refused(&self) {
        let token = self.session.token.clone();
        let events = self.events.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Some((code, message)) = api::refused_session(&token).await {
                let _ = events.unbounded_send(SocketEvent::Refused(code, message));
            }
        });
    }

    fn on_message(&mut self, message: ServerMessage) {
        match &message {
            ServerMessage::Pong { t, server_t } => {
                let now = now_ms();
                if let Some(hb) = &mut self.heartbeat {
                    hb.on_pong(*t, now);
                }
                // The break's countdown runs on the server's clock (written only when it
                // changes, not to redraw the room on every pong).
                if self.model.peek().pong_is_quicker(*t, now) {
                    self.model.dispatch(Input::Pong {
                        t: *t,
                        server_t: *server_t,
                        now,
                    });
                }
                return;
            }
            ServerMessage::Welcome { seat_kept_ms, .. } => {
                self.reconnector.set_seat_kept_ms(*seat_kept_ms);
                self.reconnector.on_welcome();
                self.hello_sent = false;
                self.manual = false;
                self.heartbeat = Some(Heartbeat::new(self.config.heartbeat, now_ms()));
                if let Some(told) = self.tabs.on_welcome() {
                    self.post(&told);
                }
            }
            ServerMessage::Conflict { .. } => {
                if self.tabs.answers_conflict_with_takeover() {
                    self.send(&ClientMessage::Takeover);
                    return;
                }
                self.tabs.on_server_conflict();
            }
            _ => {}
        }
        let out = self.model.dispatch(Input::Server(message));
        for reply in &out.send {
            self.send(reply);
        }
        // A finished game keeps its session while its screen is up (a reload still offers the
        // rematch); "Play again" or the rematch's room forgets it.
        if out.stop {
            self.stop_for_good();
        }
    }

    fn on_tick(&mut self) {
        let now = now_ms();
        if self.leave_by.is_some_and(|by| now >= by) {
            // No answer: the server will treat the seat as gone; this tab forgets it anyway.
            self.model.dispatch(Input::LeaveTimedOut);
            self.stop_for_good();
            return;
        }
        if let Some(event) = self.tabs.poll(now) {
            self.on_tab_event(event);
        }
        let action = self.heartbeat.as_mut().map(|hb| hb.poll(now));
        match action {
            Some(HeartbeatAction::Ping(t)) => {
                self.send(&ClientMessage::Ping { t });
            }
            Some(HeartbeatAction::Reconnect) => self.lost(),
            _ => {}
        }
        if self.tabs.may_connect() && self.reconnector.poll(now as u64) == BackoffAction::Connect {
            self.connect();
        }
    }

    fn on_command(&mut self, command: Command) -> bool {
        match command {
            Command::Move(mv) => {
                let out = self.model.dispatch(Input::Propose {
                    action_id: browser::new_action_id(),
                    mv,
                });
                // Without a welcomed socket the move waits; it is sent right after `welcome`.
                self.send_if_connected(&out.send);
            }
            Command::Retry => {
                if self.reconnector.retry(now_ms() as u64) {
                    self.manual = true;
                }
            }
            Command::Takeover => {
                if self.tabs.take_over() == Some(TabEvent::Connect) {
                    self.model.dispatch(Input::TakeOver);
                    // A socket the server keeps waiting (after `conflict`) takes over at once;
                    // otherwise a new one answers the server's `conflict` with `takeover`.
                    if !self.send(&ClientMessage::Takeover) {
                        self.connect();
                    }
                }
            }
            Command::Cancel => {
                self.tabs.close();
                self.reconnector.stop();
                self.socket = None;
                return false;
            }
            Command::Wait => {
                for message in self.model.dispatch(Input::Wait).send {
                    self.send(&message);
                }
            }
            Command::ClaimVictory => {
                for message in self.model.dispatch(Input::ClaimVictory).send {
                    self.send(&message);
                }
            }
            Command::NextHand => {
                // Unsent while the socket is down: the `hand_break` after the next `welcome`
                // does not list this seat, and the model says it again then.
                let out = self.model.dispatch(Input::NextHand);
                self.send_if_connected(&out.send);
            }
            Command::Leave => {
                // Sent now if the socket is up, else after the next `welcome`; the server's
                // `left` (or close 1000) ends the session here.
                let out = self.model.dispatch(Input::Leave);
                self.send_if_connected(&out.send);
                self.leave_by = Some(now_ms() + LEAVE_TIMEOUT_MS);
            }
        }
        true
    }

    fn publish(&mut self) {
        let state = self.reconnector.state();
        let view = LinkView {
            state,
            health: self
                .heartbeat
                .as_ref()
                .map_or(Health::Healthy, Heartbeat::health),
            rtt_ms: self.heartbeat.as_ref().and_then(Heartbeat::rtt_ms),
            manual: self.manual,
            offline: self.reconnector.offline(),
            seat_kept_until: self
                .reconnector
                .seat_kept_until()
                .and_then(|at| i64::try_from(at).ok()),
            awaiting_welcome: self.hello_sent && state != LinkState::Connected,
        };
        if *self.link.peek() != view {
            self.link.set(view);
        }
    }
}

/// Sends `input` on `tx` whenever `target` fires `event` (for the page's whole life: a closed
/// channel makes it a no-op).
fn forward(
    target: &web_sys::EventTarget,
    event: &str,
    tx: &UnboundedSender<TaskInput>,
    input: fn() -> TaskInput,
) {
    let tx = tx.clone();
    let callback = Closure::<dyn FnMut()>::new(move || {
        let _ = tx.unbounded_send(input());
    });
    let _ = target.add_event_listener_with_callback(event, callback.as_ref().unchecked_ref());
    callback.forget();
}

/// The browser's network, visibility and focus changes, as inputs.
fn listen_browser(tx: &UnboundedSender<TaskInput>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    forward(&window, "online", tx, || TaskInput::Online);
    forward(&window, "offline", tx, || TaskInput::Offline);
    forward(&window, "focus", tx, || TaskInput::Wake);
    if let Some(document) = window.document() {
        let visible = document.clone();
        let tx = tx.clone();
        let callback = Closure::<dyn FnMut()>::new(move || {
            if visible.visibility_state() == web_sys::VisibilityState::Visible {
                let _ = tx.unbounded_send(TaskInput::Wake);
            }
        });
        let _ = document.add_event_listener_with_callback(
            "visibilitychange",
            callback.as_ref().unchecked_ref(),
        );
        callback.forget();
    }
}

/// Runs the connection of `session` until the player leaves; `commands` come from the UI, and
/// `screen` is where a confirmed leave goes home.
pub async fn run(
    session: StoredSession,
    config: ClientConfig,
    model: GameStore,
    link: Signal<LinkView>,
    screen: Signal<Screen>,
    commands: Receiver<Command>,
) {
    let (event_tx, event_rx) = unbounded::<SocketEvent>();
    let (input_tx, input_rx) = unbounded::<TaskInput>();
    let (tab_tx, tab_rx) = unbounded::<TabMessage>();
    let channel = TabChannel::open(tab_tx);
    let window = if channel.is_some() {
        config.ui.tab_probe_ms
    } else {
        0
    };
    let tab_id = format!("tab-{}", browser::new_action_id());
    let (tabs, probe) = TabCoordinator::start(&session.room, &tab_id, now_ms(), window);
    listen_browser(&input_tx);
    let ticker = input_tx.clone();
    spawn(async move {
        loop {
            browser::sleep_ms(TICK_MS).await;
            if ticker.unbounded_send(TaskInput::Tick).is_err() {
                break;
            }
        }
    });
    let mut inputs = futures_util::stream::select(
        futures_util::stream::select(
            commands.map(TaskInput::Command),
            event_rx.map(TaskInput::Socket),
        ),
        futures_util::stream::select(input_rx, tab_rx.map(TaskInput::Tab)),
    );
    let mut conn = Conn {
        config,
        session,
        model,
        link,
        screen,
        leave_by: None,
        reconnector: Reconnector::new(config.backoff),
        heartbeat: None,
        socket: None,
        hello_sent: false,
        generation: 0,
        manual: false,
        events: event_tx,
        tabs,
        channel,
    };
    conn.reconnector
        .set_online(browser::online(), now_ms() as u64);
    conn.post(&probe);
    if conn.tabs.may_connect() {
        conn.connect();
    }
    while let Some(input) = inputs.next().await {
        match input {
            TaskInput::Command(command) => {
                if !conn.on_command(command) {
                    conn.publish();
                    break;
                }
            }
            TaskInput::Socket(event) => conn.on_socket(event),
            TaskInput::Tab(message) => conn.on_tab_message(message),
            TaskInput::Tick => conn.on_tick(),
            TaskInput::Online => conn.reconnector.set_online(true, now_ms() as u64),
            TaskInput::Offline => {
                conn.reconnector.set_online(false, now_ms() as u64);
                if conn.socket.is_some() {
                    conn.lost();
                }
            }
            TaskInput::Wake => conn.reconnector.wake(now_ms() as u64),
        }
        conn.publish();
    }
    drop(input_tx);
}
