//! `RoomActor`: the one owner of a room. It loads itself by replay when started (this is also
//! crash recovery), takes the second seat, serializes moves, and writes to each seat's socket.
//! A move is answered only after the group-commit writer has committed it.

use std::sync::Arc;
use std::time::Instant;

use actix::prelude::*;
use entity::rooms::{AbandonmentDecision, EndReason, RoomStatus};
use game::protocol::{EndReason as WireEndReason, SeatStatus, ServerMessage};
use game::{GameState, Move, Outcome, Seat};
use sea_orm::DatabaseConnection;
use serde::Serialize;

use super::outbox::{Outbox, OutboxFull, SocketCloseReason};
use super::room_state::{
    Answer, Decision, EventBody, LoggedEvent, Room, SeatRow, FIRST_DEALER, VICTORY_CLAIMED,
};
use super::RoomError;
use crate::clock;
use crate::config::Config;
use crate::metrics::metrics;
use crate::store::rooms::{self as room_store, Issuer};
use crate::store::sessions as session_store;
use crate::store::{FinishRoom, LogRecord, LogWriter, StoreError};
use crate::token::TokenSigner;

/// What every room needs from the server.
#[derive(Clone)]
pub struct RoomDeps {
    /// The database.
    pub db: DatabaseConnection,
    /// The group-commit writer.
    pub writer: LogWriter,
    /// Signs the joiner's token.
    pub signer: Arc<TokenSigner>,
    /// Limits and durations.
    pub config: Arc<Config>,
}

/// Tells the registry a room actor has stopped, so its entry goes.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct RoomStopped {
    /// The room's code.
    pub code: String,
    /// Which actor instance stopped (a newer one may already be registered).
    pub instance: u64,
}

/// Takes the second seat of the room for `name` (`POST /api/rooms/{code}/join`).
#[derive(Debug, Message)]
#[rtype(result = "Result<Seated, RoomError>")]
pub struct JoinSeat {
    /// Validated player name.
    pub name: String,
}

/// A seat taken: the answer to create and join.
#[derive(Debug, Clone, Serialize)]
pub struct Seated {
    /// Room code.
    pub room: String,
    /// The seat.
    pub seat: Seat,
    /// The player's id.
    pub player_id: i64,
    /// The session token. Never logged.
    pub token: String,
    /// Token expiry, ms since the epoch.
    pub expires_at: i64,
}

/// Asks for the public facts of the room (`GET /api/rooms/{code}`).
#[derive(Debug, Message)]
#[rtype(result = "Result<RoomInfo, RoomError>")]
pub struct GetRoomInfo;

/// The public facts of a room: never the seed.
#[derive(Debug, Clone, Serialize)]
pub struct RoomInfo {
    /// Room code.
    pub room: String,
    /// `waiting`, `playing` or `finished`.
    pub status: &'static str,
    /// Seated players.
    pub players: Vec<game::protocol::SeatInfo>,
    /// Rule variants in play.
    pub variants: Vec<&'static str>,
}

/// A socket that said `hello` for a seat: it becomes the seat's connection and gets `welcome`.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Attach {
    /// The seat of the session.
    pub seat: Seat,
    /// The session's player (checked against the seat).
    pub player_id: i64,
    /// Last event sequence number the client saw.
    pub last_seq: u64,
    /// The client sent `takeover`: move the seat here even if another live socket holds it.
    pub takeover: bool,
    /// The socket.
    pub outbox: Outbox,
}

/// Claims victory over an opponent gone past the abandonment threshold (WebSocket
/// `claim_victory` or `POST /api/game/claim-victory`).
#[derive(Message)]
#[rtype(result = "Result<ClaimedVictory, ClaimRefused>")]
pub struct ClaimVictory {
    /// The claimant's seat.
    pub seat: Seat,
    /// The claimant's player id (checked against the seat).
    pub player_id: i64,
    /// The claimant's socket, told when the claim is refused (`None` over HTTP).
    pub outbox: Option<Outbox>,
}

/// A claim that ended the game.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimedVictory {
    /// Room code.
    pub room: String,
    /// Sequence number of the `victory_claimed` event in the action log.
    pub seq: u64,
    /// Final result: the claimant wins.
    pub result: game::GameResult,
    /// Always `victory_claimed`.
    pub reason: WireEndReason,
}

/// Why a claim of victory was refused.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ClaimRefused {
    /// The game has not started or is already over.
    #[error("there is no game in progress to claim")]
    NotInPlay,
    /// The opponent is connected or has not been gone long enough.
    #[error("the opponent has not been gone long enough to claim victory")]
    TooEarly,
    /// The session does not match the seat.
    #[error("this session does not hold a seat in this room")]
    NotSeated,
    /// The room or the database failed.
    #[error("{0}")]
    Room(RoomError),
}

impl ClaimRefused {
    /// Stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            ClaimRefused::NotInPlay => "GAME_NOT_IN_PLAY",
            ClaimRefused::TooEarly => "CLAIM_TOO_EARLY",
            ClaimRefused::NotSeated => "NOT_SEATED",
            ClaimRefused::Room(err) => err.code(),
        }
    }
}

/// Chooses to wait for an opponent gone past the abandonment threshold.
#[derive(Message)]
#[rtype(result = "()")]
pub struct WaitForOpponent {
    /// The waiting player's seat.
    pub seat: Seat,
    /// Their player id.
    pub player_id: i64,
    /// Their socket.
    pub outbox: Outbox,
}

/// The session manager's sweep found a deadline past in the database: check now.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct CheckDeadlines;

/// A socket went away.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct Detach {
    /// Its seat.
    pub seat: Seat,
    /// Which socket.
    pub conn_id: u64,
}

/// A proposed move. Answered on `outbox` with `ack` (after commit) or `rejected`.
#[derive(Message)]
#[rtype(result = "()")]
pub struct SubmitAction {
    /// The mover's seat.
    pub seat: Seat,
    /// The mover's player id (checked against the seat).
    pub player_id: i64,
    /// Client idempotency key.
    pub action_id: String,
    /// The move.
    pub mv: Move,
    /// The socket that sent it, which gets the answer.
    pub outbox: Outbox,
}

/// A seat whose player is gone; the deadlines are `since` plus the configured thresholds.
#[derive(Debug, Clone, Default)]
struct Away {
    since: i64,
    temporarily: bool,
    abandoned: bool,
    waited: bool,
    expired: bool,
}

enum Phase {
    Loading,
    Ready(Box<Room>),
    Missing,
    Failed,
}

/// The actor owning one room.
pub struct RoomActor {
    code: String,
    instance: u64,
    deps: RoomDeps,
    registry: Recipient<RoomStopped>,
    phase: Phase,
    conns: [Option<Outbox>; 2],
    waiting: [Option<(Outbox, u64)>; 2],
    away: [Option<Away>; 2],
    persisted: [Option<i64>; 2],
    persisting: bool,
    decision: Option<AbandonmentDecision>,
    tick: Option<SpawnHandle>,
    /// Since when (ms) the room has been finished with no socket; see [`RoomActor::unload_if_idle`].
    idle_since: Option<i64>,
}

impl RoomActor {
    /// A room actor for `code`; it loads the room from the database when started.
    pub fn new(
        code: String,
        instance: u64,
        deps: RoomDeps,
        registry: Recipient<RoomStopped>,
    ) -> Self {
        Self {
            code,
            instance,
            deps,
            registry,
            phase: Phase::Loading,
            conns: [None, None],
            waiting: [None, None],
            away: [None, None],
            persisted: [None, None],
            persisting: false,
            decision: None,
            tick: None,
            idle_since: None,
        }
    }

    fn cfg(&self) -> &Config {
        &self.deps.config
    }

    fn status(&self) -> Vec<SeatStatus> {
        let now = clock::now_ms();
        let temp_ms = Config::ms(self.cfg().temporarily_disconnected_ms);
        Seat::BOTH
            .iter()
            .map(|seat| {
                let away = self.away[seat.index()].as_ref();
                let temporarily = away.is_some_and(|a| now - a.since >= temp_ms);
                SeatStatus {
                    seat: *seat,
                    connected: self.conns[seat.index()].is_some(),
                    disconnected_since: away.map(|a| a.since),
                    reconnecting: away.is_some() && !temporarily,
                    temporarily_disconnected: temporarily,
                }
            })
            .collect()
    }

    fn in_play(&self) -> bool {
        self.room().is_some_and(Room::in_play)
    }

    /// Whether `seat`'s opponent is past the abandonment threshold in a running game.
    fn opponent_abandoned(&self, seat: Seat, now: i64) -> Option<i64> {
        let away = self.away[seat.other().index()].as_ref()?;
        let abandon_ms = Config::ms(self.cfg().abandon_after_ms);
        (self.in_play() && now - away.since >= abandon_ms).then_some(away.since)
    }

    fn abandoned_message(since: i64) -> ServerMessage {
        ServerMessage::Abandoned {
            options: vec!["wait".to_owned(), "claim_victory".to_owned()],
            opponent_gone_since: since,
        }
    }

    /// The room's periodic check: persists absences, then passes the deadlines that are due.
    /// Stops the actor once the game is over, no socket is left and nothing is being written,
    /// for `room_unload_after_ms`: memory holds the rooms in use, not every room ever played.
    /// Everything it knows is in the database, so a later request loads it back.
    fn unload_if_idle(&mut self, now: i64, ctx: &mut Context<Self>) {
        let finished = self
            .room()
            .is_some_and(|room| room.status() == RoomStatus::Finished);
        let quiet = self.conns.iter().all(Option::is_none)
            && self.waiting.iter().all(Option::is_none)
            && !self.persisting;
        if !(finished && quiet) {
            self.idle_since = None;
            return;
        }
        let since = *self.idle_since.get_or_insert(now);
        if now - since >= Config::ms(self.deps.config.room_unload_after_ms) {
            log::debug!("room {}: finished and idle; unloaded", self.code);
            ctx.stop();
        }
    }

    fn on_tick(&mut self, ctx: &mut Context<Self>) {
        self.persist_away(ctx);
        self.unload_if_idle(clock::now_ms(), ctx);
        let now = clock::now_ms();
        let cfg = self.deps.config.clone();
        let in_play = self.in_play();
        let mut changed = false;
        let mut expire = Vec::new();
        let mut abandoned = Vec::new();
        for seat in Seat::BOTH {
            let Some(away) = self.away[seat.index()].as_mut() else {
                continue;
            };
            let gone = now - away.since;
            if !away.temporarily && gone >= Config::ms(cfg.temporarily_disconnected_ms) {
                away.temporarily = true;
                changed = true;
            }
            if in_play && !away.abandoned && gone >= Config::ms(cfg.abandon_after_ms) {
                away.abandoned = true;
                abandoned.push((seat, away.since, away.waited));
            }
            if !away.expired && gone >= Config::ms(cfg.return_window_ms) {
                away.expired = true;
                expire.push(seat);
            }
        }
        for (seat, since, waited) in abandoned {
            log::info!("room {}: {seat} abandoned the game", self.code);
            metrics().games_abandoned.inc();
            if let Some(room) = self.room() {
                let (db, room_id) = (self.deps.db.clone(), room.id);
                detach(async move {
                    if let Err(err) =
                        session_store::record_abandoned(&db, room_id, clock::from_ms(now)).await
                    {
                        log::warn!("cannot record abandonment: {err}");
                    }
                });
            }
            if !waited {
                self.send_to(seat.other(), Self::abandoned_message(since));
            }
        }
        for seat in expire {
            let Some(player_id) = self.player_of(seat) else {
                continue;
            };
            log::info!(
                "room {}: {seat} did not come back in time; its session expires",
                self.code
            );
            let db = self.deps.db.clone();
            detach(async move {
                if let Err(err) =
                    session_store::expire_player(&db, player_id, clock::from_ms(now)).await
                {
                    log::warn!("cannot expire sessions: {err}");
                }
            });
        }
        if changed {
            self.broadcast_status();
        }
    }

    fn player_of(&self, seat: Seat) -> Option<i64> {
        self.room()
            .and_then(|room| room.seats[seat.index()].as_ref())
            .map(|row| row.player_id)
    }

    /// Writes the absences to the database as absolute deadlines, one write at a time, so
    /// they survive a restart.
    fn persist_away(&mut self, ctx: &mut Context<Self>) {
        if self.persisting {
            return;
        }
        let Some(seat) = Seat::BOTH.into_iter().find(|seat| {
            self.away[seat.index()].as_ref().map(|a| a.since) != self.persisted[seat.index()]
        }) else {
            return;
        };
        let Some(player_id) = self.player_of(seat) else {
            return;
        };
        let since = self.away[seat.index()].as_ref().map(|a| a.since);
        let cfg = self.deps.config.clone();
        let deadlines = since.map(|since| {
            (
                clock::from_ms(since),
                clock::from_ms(since + Config::ms(cfg.abandon_after_ms)),
                clock::from_ms(since + Config::ms(cfg.return_window_ms)),
            )
        });
        let db = self.deps.db.clone();
        self.persisting = true;
        ctx.spawn(
            detached(async move { session_store::set_away(&db, player_id, deadlines).await })
                .into_actor(self)
                .map(move |written, act, _ctx| {
                    act.persisting = false;
                    match written {
                        Ok(()) => act.persisted[seat.index()] = since,
                        Err(err) => log::warn!("room {}: cannot record absence: {err}", act.code),
                    }
                }),
        );
    }

    /// Makes `outbox` the seat's connection and sends it the complete state.
    fn seat_conn(&mut self, seat: Seat, outbox: Outbox, last_seq: u64) {
        let index = seat.index();
        self.conns[index] = Some(outbox);
        let now = clock::now_ms();
        if let Some(away) = self.away[index].take() {
            metrics().reconnections_succeeded.inc();
            metrics()
                .reconnection_duration
                .observe((now - away.since).max(0) as f64 / 1000.0);
            log::info!(
                "room {}: {seat} reconnected after {} ms",
                self.code,
                now - away.since
            );
        }
        let status = self.status();
        let Some(room) = self.room() else {
            return;
        };
        let welcome = room.welcome(seat, last_seq, status);
        let over = room.final_result();
        self.send_to(seat, welcome);
        if let Some((result, reason)) = over {
            self.send_to(seat, ServerMessage::GameOver { result, reason });
        } else if let Some(since) = self.opponent_abandoned(seat, now) {
            let waited = self.away[seat.other().index()]
                .as_ref()
                .is_some_and(|a| a.waited);
            if !waited {
                self.send_to(seat, Self::abandoned_message(since));
            }
        }
        self.broadcast_status();
    }

    /// Sends to the seat's live socket; a socket that is gone or too far behind is dropped.
    fn send_to(&mut self, seat: Seat, message: ServerMessage) {
        let Some(outbox) = &self.conns[seat.index()] else {
            return;
        };
        match outbox.send(message) {
            Ok(()) => {}
            Err(OutboxFull::Slow) => {
                log::warn!(
                    "room {}: {seat} does not read its socket; dropping the connection",
                    self.code
                );
                outbox.close(SocketCloseReason::SlowConsumer);
                self.lose_conn(seat);
            }
            Err(OutboxFull::Closed) => self.lose_conn(seat),
        }
    }

    fn lose_conn(&mut self, seat: Seat) {
        if self.conns[seat.index()].take().is_some() {
            self.away[seat.index()] = Some(Away {
                since: clock::now_ms(),
                ..Away::default()
            });
            self.broadcast_status();
        }
    }

    fn broadcast_status(&mut self) {
        let status = self.status();
        for seat in Seat::BOTH {
            if self.conns[seat.index()].is_some() {
                self.send_to(
                    seat,
                    ServerMessage::ConnectionStatus {
                        players: status.clone(),
                    },
                );
            }
        }
    }

    fn room(&self) -> Option<&Room> {
        match &self.phase {
            Phase::Ready(room) => Some(room),
            _ => None,
        }
    }

    fn room_error(&self) -> RoomError {
        match self.phase {
            Phase::Missing => RoomError::NotFound,
            _ => RoomError::Unavailable,
        }
    }

    fn seat_matches(&self, seat: Seat, player_id: i64) -> bool {
        self.room()
            .and_then(|room| room.seats[seat.index()].as_ref())
            .is_some_and(|row| row.player_id == player_id)
    }

    /// After a storage error the in-memory state may disagree with the log (the truth): close
    /// every socket and stop, so the next request rebuilds the room from the database.
    fn reload(&mut self, ctx: &mut Context<Self>) {
        for outbox in self.conns.iter_mut().filter_map(Option::take) {
            outbox.close(SocketCloseReason::RoomReloading);
        }
        self.phase = Phase::Failed;
        ctx.stop();
    }

    fn applied(&mut self, msg: SubmitAction, next: GameState, outcome: Outcome, seq: u64, at: i64) {
        let Phase::Ready(room) = &mut self.phase else {
            return;
        };
        room.game = Some(next);
        room.dedup.insert(
            msg.action_id.clone(),
            Answer::Applied {
                seat: msg.seat,
                mv: msg.mv,
                seq,
                at,
            },
        );
        let game_over = outcome.game_over.clone();
        let event = LoggedEvent {
            seq,
            at,
            body: EventBody::Move(outcome),
        };
        if cfg!(debug_assertions) {
            room.check_integrity(&format!("move {seq}"));
        }
        let messages: Vec<(Seat, Option<ServerMessage>)> = Seat::BOTH
            .iter()
            .map(|seat| (*seat, room.event_for(&event, *seat)))
            .collect();
        room.events.push(event);
        let _ = msg.outbox.send(ServerMessage::Ack {
            action_id: msg.action_id,
            seq,
            at,
        });
        for (seat, message) in messages {
            if let Some(message) = message {
                self.send_to(seat, message);
            }
        }
        if let Some(result) = game_over {
            log::info!("room {}: game over {:?}", self.code, result.winner);
            for seat in Seat::BOTH {
                self.send_to(
                    seat,
                    ServerMessage::GameOver {
                        result: result.clone(),
                        reason: WireEndReason::Completed,
                    },
                );
            }
        }
    }

    fn rejected(&mut self, msg: SubmitAction, code: String, message: String) {
        let Phase::Ready(room) = &mut self.phase else {
            return;
        };
        room.rejections += 1;
        room.dedup.insert(
            msg.action_id.clone(),
            Answer::Rejected {
                seat: msg.seat,
                mv: msg.mv,
                code: code.clone(),
                message: message.clone(),
            },
        );
        let _ = msg.outbox.send(ServerMessage::Rejected {
            action_id: msg.action_id,
            code,
            message,
        });
    }
}

impl Actor for RoomActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        metrics().active_rooms.inc();
        ctx.set_mailbox_capacity(self.deps.config.room_mailbox);
        self.tick = Some(
            ctx.run_interval(self.deps.config.heartbeat_check(), |act, ctx| {
                act.on_tick(ctx)
            }),
        );
        let db = self.deps.db.clone();
        let code = self.code.clone();
        let started = std::time::Instant::now();
        // `wait`: no message is handled before the room is loaded.
        ctx.wait(
            async move { room_store::load(&db, &code).await }
                .into_actor(self)
                .map(move |loaded, act, ctx| {
                    let lifecycle = loaded.as_ref().ok().and_then(Option::as_ref).map(|stored| {
                        let mut away: [Option<Away>; 2] = [None, None];
                        for player in &stored.players {
                            let Some(since) = player.disconnected_at else {
                                continue;
                            };
                            if let Ok(index) = usize::try_from(player.seat) {
                                if index < 2 {
                                    away[index] = Some(Away {
                                        since: clock::to_ms(since),
                                        waited: stored.room.abandonment_decision
                                            == Some(AbandonmentDecision::Wait)
                                            && stored.room.abandonment_decided_at >= Some(since),
                                        ..Away::default()
                                    });
                                }
                            }
                        }
                        (away, stored.room.abandonment_decision)
                    });
                    if let Some((away, decision)) = lifecycle {
                        act.persisted = away.clone().map(|a| a.map(|a| a.since));
                        act.away = away;
                        act.decision = decision;
                    }
                    act.phase = match loaded.and_then(|found| found.map(Room::rebuild).transpose())
                    {
                        Ok(Some(room)) => {
                            log::info!(
                                "room {} loaded: {} events replayed in {:?}",
                                act.code,
                                room.events.len(),
                                started.elapsed()
                            );
                            // A seat of a running game with no record of leaving was connected
                            // when the server stopped: it is gone from now on.
                            if room.in_play() {
                                let now = clock::now_ms();
                                for away in act.away.iter_mut().filter(|a| a.is_none()) {
                                    *away = Some(Away {
                                        since: now,
                                        ..Away::default()
                                    });
                                }
                            }
                            Phase::Ready(Box::new(room))
                        }
                        Ok(None) => {
                            ctx.stop();
                            Phase::Missing
                        }
                        Err(err) => {
                            log::error!("room {} cannot be loaded: {err}", act.code);
                            ctx.stop();
                            Phase::Failed
                        }
                    };
                }),
        );
    }

    fn stopping(&mut self, _ctx: &mut Self::Context) -> Running {
        metrics().active_rooms.dec();
        self.registry.do_send(RoomStopped {
            code: self.code.clone(),
            instance: self.instance,
        });
        Running::Stop
    }
}

impl Handler<GetRoomInfo> for RoomActor {
    type Result = Result<RoomInfo, RoomError>;

    fn handle(&mut self, _msg: GetRoomInfo, _ctx: &mut Self::Context) -> Self::Result {
        let room = self.room().ok_or_else(|| self.room_error())?;
        Ok(RoomInfo {
            room: room.code.clone(),
            status: match room.status() {
                RoomStatus::Waiting => "waiting",
                RoomStatus::Playing => "playing",
                RoomStatus::Finished => "finished",
                RoomStatus::Abandoned => "abandoned",
            },
            players: room.players(),
            variants: room.ruleset.variants(),
        })
    }
}

impl Handler<JoinSeat> for RoomActor {
    type Result = AtomicResponse<Self, Result<Seated, RoomError>>;

    fn handle(&mut self, msg: JoinSeat, _ctx: &mut Self::Context) -> Self::Result {
        let room = match self.room() {
            Some(room) if room.seats[1].is_none() => room,
            Some(_) => return AtomicResponse::new(Box::pin(fut::ready(Err(RoomError::Full)))),
            None => {
                let err = self.room_error();
                return AtomicResponse::new(Box::pin(fut::ready(Err(err))));
            }
        };
        let (db, signer) = (self.deps.db.clone(), self.deps.signer.clone());
        let ttl_ms = i64::try_from(self.deps.config.session_ttl_ms).unwrap_or(i64::MAX);
        let (room_id, code) = (room.id, room.code.clone());
        let name = msg.name;
        AtomicResponse::new(Box::pin(
            async move {
                let issuer = Issuer {
                    signer: &signer,
                    ttl_ms,
                };
                let seat = room_store::join(&db, room_id, &code, &name, &issuer).await?;
                Ok::<_, StoreError>(seat.map(|seat| (seat, name)))
            }
            .into_actor(self)
            .map(|joined, act, _ctx| {
                let (seat, name) = joined?.ok_or(RoomError::Full)?;
                let status = act.status();
                let Phase::Ready(room) = &mut act.phase else {
                    return Err(RoomError::Unavailable);
                };
                room.seats[1] = Some(SeatRow {
                    player_id: seat.player_id,
                    name: name.clone(),
                });
                room.game = Some(GameState::new(room.seed, FIRST_DEALER, room.ruleset));
                let code = room.code.clone();
                log::info!("room {code}: second player joined; the game starts");
                let welcome = room.welcome(Seat::FIRST, room.seq(), status);
                act.send_to(
                    Seat::FIRST,
                    ServerMessage::PlayerJoined {
                        seat: Seat::SECOND,
                        name,
                    },
                );
                act.send_to(Seat::FIRST, welcome);
                Ok(Seated {
                    room: code,
                    seat: Seat::SECOND,
                    player_id: seat.player_id,
                    token: seat.token,
                    expires_at: seat.expires_at,
                })
            }),
        ))
    }
}

impl Handler<Attach> for RoomActor {
    type Result = ();

    fn handle(&mut self, msg: Attach, _ctx: &mut Self::Context) {
        if self.room().is_none() || !self.seat_matches(msg.seat, msg.player_id) {
            msg.outbox.close(SocketCloseReason::RoomGone);
            return;
        }
        let index = msg.seat.index();
        let now = clock::now_ms();
        let return_ms = Config::ms(self.cfg().return_window_ms);
        if let Some(away) = &self.away[index] {
            // The seat was gone: this is a reconnection, whether or not it succeeds.
            if self.conns[index].is_none() {
                metrics().reconnections_attempted.inc();
            }
            if away.expired || now - away.since >= return_ms {
                let _ = msg.outbox.send(ServerMessage::Error {
                    code: "SESSION_EXPIRED".to_owned(),
                    message: "this game session has expired: you were gone too long".to_owned(),
                });
                msg.outbox.close(SocketCloseReason::SessionExpired);
                return;
            }
        }
        if let Some(old) = &self.conns[index] {
            if old.conn_id != msg.outbox.conn_id {
                let silent_ms = Config::ms(self.cfg().heartbeat_unhealthy_ms);
                if !old.is_live(now, silent_ms) {
                    // Already dead (closed, or silent past the unhealthy threshold): replace
                    // it without asking.
                    log::info!("room {}: {} replaces a stale socket", self.code, msg.seat);
                    old.close(SocketCloseReason::SessionMoved);
                } else if msg.takeover {
                    log::info!(
                        "room {}: {} taken over by a new socket",
                        self.code,
                        msg.seat
                    );
                    metrics().takeovers.inc();
                    let _ = old.send(ServerMessage::SessionMoved);
                    old.close(SocketCloseReason::SessionMoved);
                } else {
                    // One seat, one live connection (R6): the newcomer waits for `takeover`,
                    // or for the old socket to go away.
                    let _ = msg.outbox.send(ServerMessage::Conflict {
                        message: "this game is open in another tab or device; send takeover to \
                                  move it here"
                            .to_owned(),
                    });
                    self.waiting[index] = Some((msg.outbox, msg.last_seq));
                    return;
                }
            }
        }
        if self.waiting[index]
            .as_ref()
            .is_some_and(|(w, _)| w.conn_id == msg.outbox.conn_id)
        {
            self.waiting[index] = None;
        }
        self.seat_conn(msg.seat, msg.outbox, msg.last_seq);
    }
}

impl Handler<Detach> for RoomActor {
    type Result = ();

    fn handle(&mut self, msg: Detach, _ctx: &mut Self::Context) {
        let index = msg.seat.index();
        if self.waiting[index]
            .as_ref()
            .is_some_and(|(w, _)| w.conn_id == msg.conn_id)
        {
            self.waiting[index] = None;
        }
        let current = self.conns[index].as_ref().map(|outbox| outbox.conn_id);
        if current == Some(msg.conn_id) {
            self.lose_conn(msg.seat);
            // A socket waiting on `conflict` gets the seat once the old one is gone (a
            // reloaded tab's new socket, typically).
            if let Some((outbox, last_seq)) = self.waiting[index].take() {
                if outbox.is_live(clock::now_ms(), i64::MAX) {
                    metrics().reconnections_attempted.inc();
                    self.seat_conn(msg.seat, outbox, last_seq);
                }
            }
        }
    }
}

impl Handler<CheckDeadlines> for RoomActor {
    type Result = ();

    fn handle(&mut self, _msg: CheckDeadlines, ctx: &mut Self::Context) {
        self.on_tick(ctx);
    }
}

impl Handler<WaitForOpponent> for RoomActor {
    type Result = ();

    fn handle(&mut self, msg: WaitForOpponent, _ctx: &mut Self::Context) {
        let now = clock::now_ms();
        if !self.seat_matches(msg.seat, msg.player_id) {
            return;
        }
        let Some(since) = self.opponent_abandoned(msg.seat, now) else {
            let _ = msg.outbox.send(ServerMessage::Error {
                code: "NOT_ABANDONED".to_owned(),
                message: "the opponent has not abandoned the game".to_owned(),
            });
            return;
        };
        if let Some(away) = self.away[msg.seat.other().index()].as_mut() {
            away.waited = true;
        }
        self.decision = Some(AbandonmentDecision::Wait);
        log::info!("room {}: {} chose to wait", self.code, msg.seat);
        if let Some(room) = self.room() {
            let (db, room_id) = (self.deps.db.clone(), room.id);
            detach(async move {
                if let Err(err) = session_store::record_decision(
                    &db,
                    room_id,
                    AbandonmentDecision::Wait,
                    clock::from_ms(since + Config::ms(0)),
                    clock::from_ms(now),
                )
                .await
                {
                    log::warn!("cannot record the wait decision: {err}");
                }
            });
        }
    }
}

impl Handler<ClaimVictory> for RoomActor {
    type Result = AtomicResponse<Self, Result<ClaimedVictory, ClaimRefused>>;

    fn handle(&mut self, msg: ClaimVictory, _ctx: &mut Self::Context) -> Self::Result {
        let refuse = |act: &Self, outbox: &Option<Outbox>, err: ClaimRefused| {
            log::info!("room {}: claim of victory refused: {err}", act.code);
            if let Some(outbox) = outbox {
                let _ = outbox.send(ServerMessage::Error {
                    code: err.code().to_owned(),
                    message: err.to_string(),
                });
            }
            AtomicResponse::new(Box::pin(fut::ready(Err(err))))
        };
        if !self.seat_matches(msg.seat, msg.player_id) {
            return refuse(self, &msg.outbox, ClaimRefused::NotSeated);
        }
        if !self.in_play() {
            return refuse(self, &msg.outbox, ClaimRefused::NotInPlay);
        }
        let now = clock::now_ms();
        if self.conns[msg.seat.other().index()].is_some()
            || self.opponent_abandoned(msg.seat, now).is_none()
        {
            return refuse(self, &msg.outbox, ClaimRefused::TooEarly);
        }
        let Some(room) = self.room() else {
            return refuse(self, &msg.outbox, ClaimRefused::NotInPlay);
        };
        let Some(result) = room.claim_result(msg.seat) else {
            return refuse(self, &msg.outbox, ClaimRefused::NotInPlay);
        };
        let seq = room.seq() + 1;
        let record = LogRecord::Applied {
            room_id: room.id,
            player_id: msg.player_id,
            seq: seq as i64,
            action_id: format!("system:{VICTORY_CLAIMED}:{seq}"),
            action_type: VICTORY_CLAIMED.to_owned(),
            action_data: serde_json::json!({ "type": VICTORY_CLAIMED }),
            at: clock::from_ms(now),
            finish: Some(FinishRoom {
                winner_seat: Some(i16::from(u8::from(msg.seat))),
                reason: EndReason::VictoryClaimed,
            }),
        };
        let (writer, db, room_id) = (self.deps.writer.clone(), self.deps.db.clone(), room.id);
        let abandoned_at = self.away[msg.seat.other().index()]
            .as_ref()
            .map_or(now, |a| a.since + Config::ms(self.cfg().abandon_after_ms));
        AtomicResponse::new(Box::pin(
            async move {
                writer.append(record).await?;
                if let Err(err) = session_store::record_decision(
                    &db,
                    room_id,
                    AbandonmentDecision::Claimed,
                    clock::from_ms(abandoned_at),
                    clock::from_ms(now),
                )
                .await
                {
                    log::warn!("cannot record the claim decision: {err}");
                }
                Ok::<_, StoreError>(())
            }
            .into_actor(self)
            .map(move |written, act, ctx| {
                if let Err(err) = written {
                    log::error!("room {}: claim not stored: {err}", act.code);
                    act.reload(ctx);
                    return Err(ClaimRefused::Room(RoomError::from(err)));
                }
                let Phase::Ready(room) = &mut act.phase else {
                    return Err(ClaimRefused::Room(RoomError::Unavailable));
                };
                room.claimed = Some(msg.seat);
                let event = LoggedEvent {
                    seq,
                    at: now,
                    body: EventBody::System {
                        seat: msg.seat,
                        kind: VICTORY_CLAIMED,
                    },
                };
                let messages: Vec<(Seat, Option<ServerMessage>)> = Seat::BOTH
                    .iter()
                    .map(|seat| (*seat, room.event_for(&event, *seat)))
                    .collect();
                room.events.push(event);
                let code = room.code.clone();
                act.decision = Some(AbandonmentDecision::Claimed);
                metrics().victories_claimed.inc();
                log::info!("room {code}: {} claimed victory (event {seq})", msg.seat);
                for (seat, message) in messages {
                    if let Some(message) = message {
                        act.send_to(seat, message);
                    }
                    act.send_to(
                        seat,
                        ServerMessage::GameOver {
                            result: result.clone(),
                            reason: WireEndReason::VictoryClaimed,
                        },
                    );
                }
                Ok(ClaimedVictory {
                    room: code,
                    seq,
                    result,
                    reason: WireEndReason::VictoryClaimed,
                })
            }),
        ))
    }
}

impl Handler<SubmitAction> for RoomActor {
    type Result = AtomicResponse<Self, ()>;

    fn handle(&mut self, msg: SubmitAction, _ctx: &mut Self::Context) -> Self::Result {
        let done = || AtomicResponse::new(Box::pin(fut::ready(())));
        if !self.seat_matches(msg.seat, msg.player_id) {
            msg.outbox.close(SocketCloseReason::RoomGone);
            return done();
        }
        let holder = self.conns[msg.seat.index()].as_ref().map(|o| o.conn_id);
        if holder != Some(msg.outbox.conn_id) {
            let _ = msg.outbox.send(ServerMessage::Rejected {
                action_id: msg.action_id.chars().take(64).collect(),
                code: "SEAT_HELD_ELSEWHERE".to_owned(),
                message: "another connection holds this seat; send takeover to move it here"
                    .to_owned(),
            });
            return done();
        }
        let Some(room) = self.room() else {
            return done();
        };
        let kind = msg.mv.kind().as_str();
        let received = Instant::now();
        if room.dedup.contains_key(&msg.action_id) {
            metrics().dedup_hits.inc();
            metrics()
                .moves
                .with_label_values(&[kind, "duplicate"])
                .inc();
        }
        let max_rejections = self.deps.config.max_rejections_per_room;
        let now = clock::now_ms();
        let data = match serde_json::to_value(&msg.mv) {
            Ok(data) => data,
            Err(err) => {
                log::error!("room {}: move does not serialize: {err}", self.code);
                return done();
            }
        };
        let writer = self.deps.writer.clone();
        log::debug!(
            "room {}: {} proposes {} ({})",
            self.code,
            msg.seat,
            msg.action_id,
            msg.mv.kind().as_str()
        );
        match room.decide(msg.seat, &msg.action_id, &msg.mv, now, max_rejections) {
            Decision::Reply(message) => {
                let _ = msg.outbox.send(*message);
                done()
            }
            Decision::Apply {
                next,
                outcome,
                seq,
                at,
            } => {
                let finish = next.result.as_ref().map(|result| FinishRoom {
                    winner_seat: result.winner.map(|seat| i16::from(u8::from(seat))),
                    reason: EndReason::Completed,
                });
                let record = LogRecord::Applied {
                    room_id: room.id,
                    player_id: msg.player_id,
                    seq: seq as i64,
                    action_id: msg.action_id.clone(),
                    action_type: outcome.kind().as_str().to_owned(),
                    action_data: data,
                    at: clock::from_ms(at),
                    finish,
                };
                AtomicResponse::new(Box::pin(
                    async move { writer.append(record).await }
                        .into_actor(self)
                        .map(move |written, act, ctx| match written {
                            Ok(()) => {
                                metrics().moves.with_label_values(&[kind, "applied"]).inc();
                                metrics()
                                    .move_duration
                                    .with_label_values(&[kind])
                                    .observe(received.elapsed().as_secs_f64());
                                act.applied(msg, *next, *outcome, seq, at)
                            }
                            Err(err) => {
                                log::error!("room {}: append failed: {err}", act.code);
                                let _ = msg.outbox.send(storage_error());
                                act.reload(ctx);
                            }
                        }),
                ))
            }
            Decision::Reject { code, message } => {
                let record = LogRecord::Rejected {
                    room_id: room.id,
                    player_id: msg.player_id,
                    action_id: msg.action_id.clone(),
                    action_data: data,
                    code: code.clone(),
                    message: message.clone(),
                    at: clock::from_ms(now),
                };
                AtomicResponse::new(Box::pin(
                    async move { writer.append(record).await }
                        .into_actor(self)
                        .map(move |written, act, ctx| match written {
                            Ok(()) => {
                                metrics().moves.with_label_values(&[kind, "rejected"]).inc();
                                act.rejected(msg, code, message)
                            }
                            Err(err) => {
                                log::error!("room {}: rejection not stored: {err}", act.code);
                                let _ = msg.outbox.send(storage_error());
                                act.reload(ctx);
                            }
                        }),
                ))
            }
        }
    }
}

/// Runs a database write in a task of its own. A room must not run one in its own context:
/// while a move's commit is awaited atomically (`AtomicResponse`), the room's other futures
/// are not polled, so one holding SQLite's only pooled connection would never give it back and
/// the commit would wait for it forever.
fn detach(write: impl std::future::Future<Output = ()> + 'static) {
    actix::spawn(write);
}

/// [`detach`], for a write whose result the room needs: the room awaits the task, which goes on
/// (and releases the connection) whether or not the room is being polled.
async fn detached<T: 'static>(
    write: impl std::future::Future<Output = Result<T, StoreError>> + 'static,
) -> Result<T, StoreError> {
    actix::spawn(write)
        .await
        .map_err(|err| StoreError::Corrupt(format!("database task failed: {err}")))?
}

fn storage_error() -> ServerMessage {
    ServerMessage::Error {
        code: "STORAGE_ERROR".to_owned(),
        message: "the move could not be stored; reconnect and resend it with the same action_id"
            .to_owned(),
    }
}
