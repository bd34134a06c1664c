//! `rooms` and `players`: creating a room, taking its second seat, and loading it back.

use chrono::{DateTime, Utc};
use entity::rooms::{self, RoomStatus, ROOM_CODE_ALPHABET, ROOM_CODE_LEN};
use entity::{game_action_log, game_rejected_actions, players};
use game::Ruleset;
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    SqlErr, TransactionTrait,
};

use super::{sessions, StoreError};
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
    /// Creator's (validated) name.
    pub name: &'a str,
    /// The rules variant.
    pub ruleset: Ruleset,
    /// The secret deal seed.
    pub seed: u64,
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

/// Creates a room with its creator in seat 0 and the creator's session, in one transaction.
/// Returns the code and the seat.
pub async fn create(
    db: &DatabaseConnection,
    new: NewRoom<'_>,
) -> Result<(String, NewSeat), StoreError> {
    let ruleset = serde_json::to_value(new.ruleset)
        .map_err(|err| StoreError::Corrupt(format!("ruleset: {err}")))?;
    for _ in 0..CODE_ATTEMPTS {
        let code = random_code();
        let now = Utc::now();
        let txn = db.begin().await?;
        let inserted = rooms::ActiveModel {
            code: Set(code.clone()),
            status: Set(RoomStatus::Waiting),
            ruleset: Set(ruleset.clone()),
            // The u64 seed stored bit for bit in a signed column.
            deal_seed: Set(new.seed as i64),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        let room = match inserted {
            Ok(room) => room,
            Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                txn.rollback().await?;
                continue;
            }
            Err(err) => return Err(err.into()),
        };
        let player = players::ActiveModel {
            room_id: Set(room.id),
            seat: Set(0),
            name: Set(new.name.to_owned()),
            joined_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let (claims, token) = new.issuer.issue(&code, player.id, new.name, now);
        let expires_at = crate::clock::from_ms(claims.expires_at);
        sessions::insert(&txn, room.id, player.id, &claims.nonce, now, expires_at).await?;
        txn.commit().await?;
        return Ok((
            code,
            NewSeat {
                room_id: room.id,
                player_id: player.id,
                token,
                expires_at: claims.expires_at,
            },
        ));
    }
    Err(StoreError::NoFreeCode)
}

/// Seats `name` in seat 1 of room `room_id`, starts the game and stores the session, in one
/// transaction. `None` when the seat was taken meanwhile (by another server).
pub async fn join(
    db: &DatabaseConnection,
    room_id: i64,
    code: &str,
    name: &str,
    issuer: &Issuer<'_>,
) -> Result<Option<NewSeat>, StoreError> {
    let now = Utc::now();
    let txn = db.begin().await?;
    let inserted = players::ActiveModel {
        room_id: Set(room_id),
        seat: Set(1),
        name: Set(name.to_owned()),
        joined_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let player = match inserted {
        Ok(player) => player,
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            txn.rollback().await?;
            return Ok(None);
        }
        Err(err) => return Err(err.into()),
    };
    rooms::Entity::update_many()
        .col_expr(
            rooms::Column::Status,
            sea_orm::sea_query::Expr::value(RoomStatus::Playing),
        )
        .col_expr(
            rooms::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(rooms::Column::Id.eq(room_id))
        .exec(&txn)
        .await?;
    let (claims, token) = issuer.issue(code, player.id, name, now);
    let expires_at = crate::clock::from_ms(claims.expires_at);
    sessions::insert(&txn, room_id, player.id, &claims.nonce, now, expires_at).await?;
    txn.commit().await?;
    Ok(Some(NewSeat {
        room_id,
        player_id: player.id,
        token,
        expires_at: claims.expires_at,
    }))
}

/// Everything needed to rebuild a room: the row, its seats, its log in order, its rejections.
pub struct StoredRoom {
    /// The room row.
    pub room: rooms::Model,
    /// Seated players (0, 1 or 2).
    pub players: Vec<players::Model>,
    /// The action log, by sequence number.
    pub log: Vec<game_action_log::Model>,
    /// Remembered rejections.
    pub rejected: Vec<game_rejected_actions::Model>,
}

/// Loads room `code`; `None` when there is no such room.
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
    Ok(Some(StoredRoom {
        room,
        players,
        log,
        rejected,
    }))
}
