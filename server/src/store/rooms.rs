//! `rooms` and `players`: creating a room and loading it back for its room core. Every later
//! change of a room goes through the log writer, except the rematch's room and the finished
//! room's `rematch_code` (`rematch.rs`).

use chrono::{DateTime, Utc};
use entity::rooms::{self, AbandonmentDecision, RoomStatus, ROOM_CODE_ALPHABET, ROOM_CODE_LEN};
use entity::{game_action_log, game_rejected_actions, players};
use game::protocol::{ErrorCode, EventKind};
use game::{Ruleset, Seat};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set, SqlErr, TransactionTrait,
};

use super::{sessions, StoreError};
use crate::clock::{from_ms, to_ms};
use crate::room::{
    AwayFields, AwayReason, StoredAway, StoredEntry, StoredRejection, StoredRoom, StoredSeat,
};
use crate::token::{SessionToken, TokenSigner};

/// Tries at finding an unused room code before giving up (31^6 ≈ 887 million codes).
const CODE_ATTEMPTS: usize = 8;

/// A seat just taken, with the session token the player will use.
#[derive(Debug, Clone)]
pub struct NewSeat {
    /// The room's database id.
    pub room_id: i64,
    /// The player's database id.
    pub player_id: i64,
    /// The session token (wire form). Never logged.
    pub token: String,
    /// When the token expires, ms since the epoch.
    pub expires_at: i64,
}

/// Issues the session of a new seat: the signer and the token lifetime.
pub struct Issuer<'a> {
    /// Signs the token.
    pub signer: &'a TokenSigner,
    /// Token lifetime in ms.
    pub ttl_ms: i64,
}

impl Issuer<'_> {
    fn issue(
        &self,
        code: &str,
        player_id: i64,
        name: &str,
        now: DateTime<Utc>,
    ) -> (SessionToken, String) {
        self.signer
            .issue(code, player_id, name, now.timestamp_millis(), self.ttl_ms)
    }
}

/// What a new room is made of.
pub struct NewRoom<'a> {
    /// The creator counts as away until their first socket: these are the absence's deadlines.
    pub away: AwayFields,
    /// Creator's (validated) name.
    pub name: &'a str,
    /// The rules variant.
    pub ruleset: Ruleset,
    /// The secret deal seed.
    pub seed: u64,
    /// The salt of the deal commitment.
    pub salt: String,
    /// Issues the creator's session.
    pub issuer: Issuer<'a>,
}

/// A random room code from the room-code alphabet.
pub fn random_code() -> String {
    let alphabet = ROOM_CODE_ALPHABET.as_bytes();
    let mut rng = rand::rng();
    (0..ROOM_CODE_LEN)
        .map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())]))
        .collect()
}

/// A new deal's secret seed and the salt of its commitment.
pub fn new_deal() -> (u64, String) {
    let seed: u64 = rand::rng().random();
    let salt = (0..16)
        .map(|_| format!("{:02x}", rand::rng().random::<u8>()))
        .collect();
    (seed, salt)
}

/// Creates a room with its creator in seat 0 and the creator's session, in one transaction.
/// Returns the code and the seat.
pub async fn create(
    db: &DatabaseConnection,
    new: NewRoom<'_>,
) -> Result<(String, NewSeat), StoreError> {
    let (txn, room, now) =
        begin_room(db, RoomStatus::Waiting, new.ruleset, new.seed, &new.salt).await?;
    let player = insert_player(&txn, room.id, Seat::FIRST, new.name, new.away, now).await?;
    let seat = issue_session(&txn, &room, &player, &new.issuer, now).await?;
    txn.commit().await?;
    Ok((room.code, seat))
}

/// Opens a transaction with a new room in it under a free random code (another code is tried
/// when one is taken); the caller seats its players and commits. Returns the time it was made.
pub(super) async fn begin_room(
    db: &DatabaseConnection,
    status: RoomStatus,
    ruleset: Ruleset,
    seed: u64,
    salt: &str,
) -> Result<(DatabaseTransaction, rooms::Model, DateTime<Utc>), StoreError> {
    let ruleset = serde_json::to_value(ruleset)
        .map_err(|err| StoreError::Corrupt(format!("ruleset: {err}")))?;
    for _ in 0..CODE_ATTEMPTS {
        let now = Utc::now();
        let txn = db.begin().await?;
        match insert_room(&txn, status, &ruleset, seed, salt, now).await? {
            Some(room) => return Ok((txn, room, now)),
            None => txn.rollback().await?,
        }
    }
    Err(StoreError::NoFreeCode)
}

/// Inserts a room under a random code; `None` when the code is taken (roll back, try another).
async fn insert_room<C: ConnectionTrait>(
    db: &C,
    status: RoomStatus,
    ruleset: &serde_json::Value,
    seed: u64,
    salt: &str,
    now: DateTime<Utc>,
) -> Result<Option<rooms::Model>, StoreError> {
    let inserted = rooms::ActiveModel {
        code: Set(random_code()),
        status: Set(status),
        ruleset: Set(ruleset.clone()),
        // The u64 seed stored bit for bit in a signed column.
        deal_seed: Set(seed as i64),
        deal_salt: Set(Some(salt.to_owned())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(room) => Ok(Some(room)),
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// Seats `name` in `seat`, away (with `away`'s deadlines) until their first socket.
pub(super) async fn insert_player<C: ConnectionTrait>(
    db: &C,
    room_id: i64,
    seat: Seat,
    name: &str,
    away: AwayFields,
    now: DateTime<Utc>,
) -> Result<players::Model, StoreError> {
    Ok(players::ActiveModel {
        room_id: Set(room_id),
        seat: Set(i16::from(u8::from(seat))),
        name: Set(name.to_owned()),
        joined_at: Set(now),
        disconnected_at: Set(Some(from_ms(away.since))),
        away_reason: Set(Some(away.reason.as_str().to_owned())),
        abandon_deadline: Set(Some(from_ms(away.abandon_at))),
        return_deadline: Set(Some(from_ms(away.return_by))),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Issues `player`'s session token and stores its session row (its times to the millisecond,
/// as the token has them, so the token can be signed again from the row).
pub(super) async fn issue_session<C: ConnectionTrait>(
    db: &C,
    room: &rooms::Model,
    player: &players::Model,
    issuer: &Issuer<'_>,
    now: DateTime<Utc>,
) -> Result<NewSeat, StoreError> {
    let (claims, token) = issuer.issue(&room.code, player.id, &player.name, now);
    let (created_at, expires_at) = (from_ms(claims.created_at), from_ms(claims.expires_at));
    sessions::insert(
        db,
        room.id,
        player.id,
        &claims.nonce,
        created_at,
        expires_at,
    )
    .await?;
    Ok(NewSeat {
        room_id: room.id,
        player_id: player.id,
        token,
        expires_at: claims.expires_at,
    })
}

/// Loads room `code` as the room core rebuilds it; `None` when there is no such room.
pub async fn load(db: &DatabaseConnection, code: &str) -> Result<Option<StoredRoom>, StoreError> {
    let Some(room) = rooms::Entity::find()
        .filter(rooms::Column::Code.eq(code))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let players = players::Entity::find()
        .filter(players::Column::RoomId.eq(room.id))
        .order_by_asc(players::Column::Seat)
        .all(db)
        .await?;
    let log = game_action_log::Entity::find()
        .filter(game_action_log::Column::RoomId.eq(room.id))
        .order_by_asc(game_action_log::Column::SequenceNumber)
        .all(db)
        .await?;
    let rejected = game_rejected_actions::Entity::find()
        .filter(game_rejected_actions::Column::RoomId.eq(room.id))
        .order_by_asc(game_rejected_actions::Column::Id)
        .all(db)
        .await?;
    stored_room(room, players, log, rejected).map(Some)
}

/// The rows of a room in the core's types.
fn stored_room(
    room: rooms::Model,
    players: Vec<players::Model>,
    log: Vec<game_action_log::Model>,
    rejected: Vec<game_rejected_actions::Model>,
) -> Result<StoredRoom, StoreError> {
    let code = room.code.clone();
    let corrupt = |what: String| StoreError::Corrupt(format!("room {code}: {what}"));
    let ruleset: Ruleset = serde_json::from_value(room.ruleset.clone())
        .map_err(|err| corrupt(format!("ruleset: {err}")))?;
    let mut seats = Vec::with_capacity(players.len());
    for player in &players {
        let seat = u8::try_from(player.seat)
            .ok()
            .and_then(|n| Seat::try_from(n).ok())
            .ok_or_else(|| corrupt(format!("seat {}", player.seat)))?;
        let away = player.disconnected_at.map(|since| {
            let since = to_ms(since);
            StoredAway {
                since,
                reason: player
                    .away_reason
                    .as_deref()
                    .map_or(AwayReason::Dropped, AwayReason::parse),
                abandon_at: player.abandon_deadline.map_or(since, to_ms),
                return_by: player.return_deadline.map_or(since, to_ms),
                abandoned_at: player.abandoned_at.map(to_ms),
            }
        });
        seats.push(StoredSeat {
            seat,
            player_id: player.id,
            name: player.name.clone(),
            away,
            left_at: player.left_at.map(to_ms),
        });
    }
    let mut entries = Vec::with_capacity(log.len());
    for row in log {
        let kind: EventKind =
            serde_json::from_value(serde_json::Value::String(row.action_type.clone()))
                .map_err(|_| corrupt(format!("log entry kind {:?}", row.action_type)))?;
        let winner = row
            .action_data
            .get("winner")
            .and_then(serde_json::Value::as_u64)
            .and_then(|n| u8::try_from(n).ok())
            .and_then(|n| Seat::try_from(n).ok());
        entries.push(StoredEntry {
            seq: u64::try_from(row.sequence_number)
                .map_err(|_| corrupt(format!("sequence {}", row.sequence_number)))?,
            player_id: row.player_id,
            action_id: row.action_id,
            kind,
            data: row.action_data,
            winner,
            at: to_ms(row.created_at),
        });
    }
    Ok(StoredRoom {
        id: room.id,
        code: room.code,
        ruleset,
        // The u64 seed stored bit for bit in a signed column.
        seed: room.deal_seed as u64,
        salt: room.deal_salt.clone(),
        closed: room.status == RoomStatus::Abandoned && players.len() < 2,
        waited: room.abandonment_decision == Some(AbandonmentDecision::Wait),
        seats,
        log: entries,
        rematch: room.rematch_code.clone(),
        rejected: rejected
            .into_iter()
            .map(|row| StoredRejection {
                player_id: row.player_id,
                action_id: row.action_id,
                data: row.action_data,
                code: ErrorCode::parse(&row.code),
                message: row.message,
            })
            .collect(),
    })
}
