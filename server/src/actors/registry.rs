//! `RoomRegistry`: room code → `RoomActor`. Creating a room writes it to the database; finding
//! a room not in memory starts its actor, which rebuilds it from the log (crash recovery).

use std::collections::HashMap;

use actix::prelude::*;
use game::{Ruleset, Seat};

use super::room::{RoomActor, RoomDeps};
use super::room_messages::{Release, ReleaseReason, RoomStopped, Seated};
use super::RoomError;
use crate::room::AwayReason;
use crate::store::rooms::{self as room_store, Issuer, NewRoom};

/// Creates a room with its creator in seat 0 (`POST /api/rooms`).
#[derive(Debug, Message)]
#[rtype(result = "Result<Seated, RoomError>")]
pub struct CreateRoom {
    /// Validated creator name.
    pub name: String,
    /// The rules variant.
    pub ruleset: Ruleset,
}

/// The actor of room `code`, started (and loading) if it was not in memory.
#[derive(Debug, Message)]
#[rtype(result = "Addr<RoomActor>")]
pub struct FindRoom {
    /// A well-formed room code.
    pub code: String,
}

/// Drain (SIGTERM): every room in memory closes its sockets with 1012 after its commit in
/// flight and releases its lease; answered with the number of rooms once all have.
#[derive(Debug, Message)]
#[rtype(result = "usize")]
pub struct DrainRooms;

/// The registry of rooms in memory.
pub struct RoomRegistry {
    deps: RoomDeps,
    rooms: HashMap<String, (u64, Addr<RoomActor>)>,
    next_instance: u64,
    /// One arbiter (thread) per core; a room lives on one of them, taken in turn, for its
    /// whole life, so each room still has exactly one owner and handles its inputs in order.
    threads: Vec<ArbiterHandle>,
}

impl RoomRegistry {
    /// An empty registry, with its room threads started (call it inside the actix system).
    pub fn new(deps: RoomDeps) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self {
            deps,
            rooms: HashMap::new(),
            next_instance: 0,
            threads: (0..cores).map(|_| Arbiter::new().handle()).collect(),
        }
    }
}

impl Actor for RoomRegistry {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.set_mailbox_capacity(self.deps.config.room_mailbox.max(1024));
    }
}

impl Handler<CreateRoom> for RoomRegistry {
    type Result = ResponseFuture<Result<Seated, RoomError>>;

    fn handle(&mut self, msg: CreateRoom, _ctx: &mut Self::Context) -> Self::Result {
        let deps = self.deps.clone();
        Box::pin(async move {
            let (seed, salt) = room_store::new_deal();
            let ttl_ms = i64::try_from(deps.config.session_ttl_ms).unwrap_or(i64::MAX);
            // The creator counts as away until their first socket, so a room nobody ever
            // connects to still closes when the return window ends.
            let away = deps
                .config
                .room_timing()
                .away_from(crate::clock::now_ms(), AwayReason::Joined);
            let (code, seat) = room_store::create(
                &deps.db,
                NewRoom {
                    name: &msg.name,
                    ruleset: msg.ruleset,
                    seed,
                    salt,
                    away,
                    issuer: Issuer {
                        signer: &deps.signer,
                        ttl_ms,
                    },
                },
            )
            .await?;
            log::info!("room {code} created");
            Ok(Seated {
                room: code,
                seat: Seat::FIRST,
                player_id: seat.player_id,
                token: seat.token,
                expires_at: seat.expires_at,
            })
        })
    }
}

impl Handler<FindRoom> for RoomRegistry {
    type Result = MessageResult<FindRoom>;

    fn handle(&mut self, msg: FindRoom, ctx: &mut Self::Context) -> Self::Result {
        if let Some((_, addr)) = self.rooms.get(&msg.code) {
            if addr.connected() {
                return MessageResult(addr.clone());
            }
        }
        self.next_instance += 1;
        let instance = self.next_instance;
        let actor = RoomActor::new(
            msg.code.clone(),
            instance,
            self.deps.clone(),
            ctx.address().recipient(),
        );
        let thread = &self.threads[(instance % self.threads.len() as u64) as usize];
        let addr = RoomActor::start_in_arbiter(thread, move |_| actor);
        self.rooms.insert(msg.code, (instance, addr.clone()));
        MessageResult(addr)
    }
}

impl Handler<RoomStopped> for RoomRegistry {
    type Result = ();

    fn handle(&mut self, msg: RoomStopped, _ctx: &mut Self::Context) {
        if self
            .rooms
            .get(&msg.code)
            .is_some_and(|(instance, _)| *instance == msg.instance)
        {
            self.rooms.remove(&msg.code);
        }
    }
}

impl Handler<DrainRooms> for RoomRegistry {
    type Result = ResponseFuture<usize>;

    fn handle(&mut self, _msg: DrainRooms, _ctx: &mut Self::Context) -> Self::Result {
        let rooms: Vec<Addr<RoomActor>> = self.rooms.values().map(|(_, a)| a.clone()).collect();
        Box::pin(async move {
            let released = futures_util::future::join_all(rooms.iter().map(|room| {
                room.send(Release {
                    reason: ReleaseReason::Drain,
                })
            }))
            .await;
            released.into_iter().filter(Result::is_ok).count()
        })
    }
}
