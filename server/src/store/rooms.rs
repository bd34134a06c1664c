//! `rooms` and `players`: creating a room and loading it back for its room core. Every later
//! change of a room goes through the log writer.

use chrono::{DateTime, Utc};
use entity::rooms::{self, AbandonmentDecision, RoomStatus, ROOM_CODE_ALPHABET, ROOM_CODE_LEN};
use entity::{game_action_log, game_rejected_actions, players};
use game::protocol::{ErrorCode, EventKind};
use game::{Ruleset, Seat};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    SqlErr, TransactionTrait,
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
            deal_salt: Set(Some(new.salt.clone())),
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
            disconnected_at: Set(Some(from_ms(new.away.since))),
            away_reason: Set(Some(new.away.reason.as_str().to_owned())),
            abandon_deadline: Set(Some(from_ms(new.away.abandon_at))),
            return_deadline: Set(Some(from_ms(new.away.return_by))),
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
