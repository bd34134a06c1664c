//! `RoomActor`: the one owner of a room. It loads itself by replay when started (this is also
//! crash recovery), takes the second seat, serializes moves, and writes to each seat's socket.
//! A move is answered only after the group-commit writer has committed it.

use std::sync::Arc;

use actix::prelude::*;
use entity::rooms::{EndReason, RoomStatus};
use game::protocol::{EndReason as WireEndReason, SeatStatus, ServerMessage};
use game::{GameState, Move, Outcome, Seat};
use sea_orm::DatabaseConnection;
use serde::Serialize;

use super::outbox::{Outbox, OutboxFull, SocketCloseReason};
use super::room_state::{Answer, Decision, LoggedEvent, Room, SeatRow, FIRST_DEALER};
use super::RoomError;
use crate::clock;
use crate::config::Config;
use crate::store::rooms::{self as room_store, Issuer};
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
    /// The socket.
    pub outbox: Outbox,
}

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
    gone_since: [Option<i64>; 2],
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
            gone_since: [None, None],
        }
    }

    fn status(&self) -> Vec<SeatStatus> {
        Seat::BOTH
            .iter()
            .map(|seat| SeatStatus {
                seat: *seat,
                connected: self.conns[seat.index()].is_some(),
                disconnected_since: self.gone_since[seat.index()],
                reconnecting: false,
                temporarily_disconnected: false,
            })
            .collect()
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
            self.gone_since[seat.index()] = Some(clock::now_ms());
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
        let event = LoggedEvent { seq, at, outcome };
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
        ctx.set_mailbox_capacity(self.deps.config.room_mailbox);
        let db = self.deps.db.clone();
        let code = self.code.clone();
        let started = std::time::Instant::now();
        // `wait`: no message is handled before the room is loaded.
        ctx.wait(
            async move { room_store::load(&db, &code).await }
                .into_actor(self)
                .map(move |loaded, act, ctx| {
                    act.phase = match loaded.and_then(|found| found.map(Room::rebuild).transpose())
                    {
                        Ok(Some(room)) => {
                            log::info!(
                                "room {} loaded: {} events replayed in {:?}",
                                act.code,
                                room.events.len(),
                                started.elapsed()
                            );
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
        if self.room().is_none() {
            msg.outbox.close(SocketCloseReason::RoomGone);
            return;
        }
        if !self.seat_matches(msg.seat, msg.player_id) {
            msg.outbox.close(SocketCloseReason::RoomGone);
            return;
        }
        let index = msg.seat.index();
        if let Some(old) = self.conns[index].take() {
            if old.conn_id != msg.outbox.conn_id {
                // One live connection per seat: the newest wins (issue 5 adds the `conflict`
                // and `takeover` dialogue in front of this).
                let _ = old.send(ServerMessage::SessionMoved);
                old.close(SocketCloseReason::SessionMoved);
            }
        }
        self.conns[index] = Some(msg.outbox);
        self.gone_since[index] = None;
        let status = self.status();
        let Some(room) = self.room() else {
            return;
        };
        let welcome = room.welcome(msg.seat, msg.last_seq, status);
        let over = room.game.as_ref().and_then(|g| g.result.clone());
        self.send_to(msg.seat, welcome);
        if let Some(result) = over {
            self.send_to(
                msg.seat,
                ServerMessage::GameOver {
                    result,
                    reason: WireEndReason::Completed,
                },
            );
        }
        self.broadcast_status();
    }
}

impl Handler<Detach> for RoomActor {
    type Result = ();

    fn handle(&mut self, msg: Detach, _ctx: &mut Self::Context) {
        let current = self.conns[msg.seat.index()]
            .as_ref()
            .map(|outbox| outbox.conn_id);
        if current == Some(msg.conn_id) {
            self.lose_conn(msg.seat);
        }
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
        let Some(room) = self.room() else {
            return done();
        };
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
                            Ok(()) => act.applied(msg, *next, *outcome, seq, at),
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
                            Ok(()) => act.rejected(msg, code, message),
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

fn storage_error() -> ServerMessage {
    ServerMessage::Error {
        code: "STORAGE_ERROR".to_owned(),
        message: "the move could not be stored; reconnect and resend it with the same action_id"
            .to_owned(),
    }
}
