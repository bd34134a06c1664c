//! `game_sessions` rows: the server-side half of a session token.

use chrono::{DateTime, Utc};
use entity::rooms::{self, RoomStatus};
use entity::{game_sessions, players};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, Set,
};

use super::StoreError;

/// Inserts the session row of a token just issued.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    room_id: i64,
    player_id: i64,
    nonce: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    game_sessions::ActiveModel {
        room_id: Set(room_id),
        player_id: Set(player_id),
        token_nonce: Set(nonce.to_owned()),
        connection_count: Set(0),
        is_active: Set(true),
        expires_at: Set(expires_at),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The oldest session of `player_id` that may still be used at `now` (active, not revoked, not
/// past its expiry).
pub async fn live_of_player(
    db: &DatabaseConnection,
    player_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<game_sessions::Model>, StoreError> {
    Ok(game_sessions::Entity::find()
        .filter(game_sessions::Column::PlayerId.eq(player_id))
        .filter(game_sessions::Column::IsActive.eq(true))
        .filter(game_sessions::Column::RevokedAt.is_null())
        .filter(game_sessions::Column::ExpiresAt.gt(now))
        .order_by_asc(game_sessions::Column::Id)
        .one(db)
        .await?)
}

/// What a token's nonce leads to.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // Built once per token check, never stored.
pub enum Lookup {
    /// An active session and its player.
    Found(game_sessions::Model, players::Model),
    /// The session existed but has expired: its 24 h passed, or its player stayed away past
    /// the seat's return window.
    Expired,
    /// No usable session: unknown, or ended (the player left).
    Revoked,
}

/// The session with this nonce and its player, as of `now`. The seat's return window is the
/// room's fact (`players.return_deadline`, written by the room); the token keeps its own expiry.
pub async fn find_active(
    db: &DatabaseConnection,
    nonce: &str,
    now: DateTime<Utc>,
) -> Result<Lookup, StoreError> {
    let Some(session) = game_sessions::Entity::find()
        .filter(game_sessions::Column::TokenNonce.eq(nonce))
        .one(db)
        .await?
    else {
        return Ok(Lookup::Revoked);
    };
    if !session.is_active || session.revoked_at.is_some() {
        return Ok(Lookup::Revoked);
    }
    if session.expires_at <= now {
        return Ok(Lookup::Expired);
    }
    let Some(player) = players::Entity::find_by_id(session.player_id)
        .one(db)
        .await?
    else {
        return Ok(Lookup::Revoked);
    };
    if player.left_at.is_some() {
        return Ok(Lookup::Revoked);
    }
    if player.return_deadline.is_some_and(|by| by <= now) {
        return Ok(Lookup::Expired);
    }
    Ok(Lookup::Found(session, player))
}

/// Deletes sessions whose own expiry (24 h) has passed; returns how many.
pub async fn delete_expired(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let result = game_sessions::Entity::delete_many()
        .filter(game_sessions::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Codes of unfinished rooms with a deadline due that their room has not passed yet: a seat's
/// abandonment in a running game not recorded, or a seat's return window ended. Their rooms may
/// not be in memory (after a restart, or unloaded while nobody was connected).
pub async fn rooms_with_deadlines_due(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<Vec<String>, StoreError> {
    let seats = players::Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(players::Column::AbandonDeadline.lte(now))
                        .add(players::Column::AbandonedAt.is_null()),
                )
                .add(players::Column::ReturnDeadline.lte(now)),
        )
        .all(db)
        .await?;
    if seats.is_empty() {
        return Ok(Vec::new());
    }
    let rooms = rooms::Entity::find()
        .filter(rooms::Column::Id.is_in(seats.iter().map(|p| p.room_id)))
        .filter(rooms::Column::Status.is_in([RoomStatus::Waiting, RoomStatus::Playing]))
        .all(db)
        .await?;
    // An abandonment deadline counts only in a running game.
    let due = |room: &rooms::Model| {
        seats.iter().filter(|p| p.room_id == room.id).any(|p| {
            p.return_deadline.is_some_and(|by| by <= now) || room.status == RoomStatus::Playing
        })
    };
    Ok(rooms
        .iter()
        .filter(|room| due(room))
        .map(|r| r.code.clone())
        .collect())
}

/// Records a new socket on `session_id`; returns the previous peer address.
pub async fn mark_connected(
    db: &DatabaseConnection,
    session_id: i64,
    ip: Option<String>,
    user_agent: Option<String>,
    now: DateTime<Utc>,
) -> Result<Option<String>, StoreError> {
    let Some(row) = game_sessions::Entity::find_by_id(session_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let previous_ip = row.ip_address.clone();
    let first = row.connection_count == 0;
    let count = row.connection_count.saturating_add(1);
    let mut active: game_sessions::ActiveModel = row.into();
    if first {
        active.connected_at = Set(Some(now));
    } else {
        active.reconnected_at = Set(Some(now));
    }
    active.connection_count = Set(count);
    active.ip_address = Set(ip);
    active.user_agent = Set(user_agent.map(|ua| ua.chars().take(256).collect()));
    active.update(db).await?;
    Ok(previous_ip)
}
