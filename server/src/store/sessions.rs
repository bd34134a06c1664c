//! `game_sessions` rows: the server-side half of a session token.

use chrono::{DateTime, Utc};
use entity::rooms::{self, AbandonmentDecision, RoomStatus};
use entity::{game_sessions, players};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
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

/// What a token's nonce leads to.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // Built once per token check, never stored.
pub enum Lookup {
    /// An active session and its player.
    Found(game_sessions::Model, players::Model),
    /// The session existed but has expired (its return window passed, or its 24 h).
    Expired,
    /// No usable session: unknown, revoked or ended.
    Missing,
}

/// The active, unexpired session with this nonce, and its player.
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
        return Ok(Lookup::Missing);
    };
    if !session.is_active || session.revoked_at.is_some() {
        return Ok(Lookup::Missing);
    }
    if session.expires_at <= now {
        return Ok(Lookup::Expired);
    }
    let player = players::Entity::find_by_id(session.player_id)
        .one(db)
        .await?;
    Ok(match player {
        Some(player) => Lookup::Found(session, player),
        None => Lookup::Missing,
    })
}

/// Ends a session for good (`leave`).
pub async fn deactivate(db: &DatabaseConnection, session_id: i64) -> Result<(), StoreError> {
    game_sessions::Entity::update_many()
        .col_expr(game_sessions::Column::IsActive, Expr::value(false))
        .filter(game_sessions::Column::Id.eq(session_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Expires every session of `player_id` at `now` (the return window has passed).
pub async fn expire_player(
    db: &DatabaseConnection,
    player_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    game_sessions::Entity::update_many()
        .col_expr(game_sessions::Column::ExpiresAt, Expr::value(now))
        .filter(game_sessions::Column::PlayerId.eq(player_id))
        .filter(game_sessions::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes sessions whose expiry has passed; returns how many.
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

/// Codes of unfinished rooms with a seat past its abandonment deadline.
pub async fn rooms_past_abandon_deadline(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<Vec<String>, StoreError> {
    let room_ids: Vec<i64> = players::Entity::find()
        .filter(players::Column::AbandonDeadline.lte(now))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.room_id)
        .collect();
    if room_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rooms = rooms::Entity::find()
        .filter(rooms::Column::Id.is_in(room_ids))
        .filter(rooms::Column::Status.eq(RoomStatus::Playing))
        .all(db)
        .await?;
    Ok(rooms.into_iter().map(|r| r.code).collect())
}

/// Records a seat's absence (absolute deadlines, so they survive a restart); `None` clears it.
pub async fn set_away(
    db: &DatabaseConnection,
    player_id: i64,
    away: Option<(DateTime<Utc>, DateTime<Utc>, DateTime<Utc>)>,
) -> Result<(), StoreError> {
    let (since, abandon, back_by) = match away {
        Some((a, b, c)) => (Some(a), Some(b), Some(c)),
        None => (None, None, None),
    };
    players::Entity::update_many()
        .col_expr(players::Column::DisconnectedAt, Expr::value(since))
        .col_expr(players::Column::AbandonDeadline, Expr::value(abandon))
        .col_expr(players::Column::ReturnDeadline, Expr::value(back_by))
        .filter(players::Column::Id.eq(player_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records the connected player's answer to an abandoned game.
pub async fn record_decision(
    db: &DatabaseConnection,
    room_id: i64,
    decision: AbandonmentDecision,
    abandoned_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    rooms::Entity::update_many()
        .col_expr(rooms::Column::AbandonmentDecision, Expr::value(decision))
        .col_expr(rooms::Column::AbandonmentDecidedAt, Expr::value(now))
        .col_expr(rooms::Column::AbandonedAt, Expr::value(abandoned_at))
        .col_expr(rooms::Column::UpdatedAt, Expr::value(now))
        .filter(rooms::Column::Id.eq(room_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records when a room's game became abandoned.
pub async fn record_abandoned(
    db: &DatabaseConnection,
    room_id: i64,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    rooms::Entity::update_many()
        .col_expr(rooms::Column::AbandonedAt, Expr::value(at))
        .filter(rooms::Column::Id.eq(room_id))
        .filter(rooms::Column::AbandonedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
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
    active.disconnected_at = Set(None);
    active.ip_address = Set(ip);
    active.user_agent = Set(user_agent.map(|ua| ua.chars().take(256).collect()));
    active.update(db).await?;
    Ok(previous_ip)
}

/// Records that the socket of `session_id` went away.
pub async fn mark_disconnected(
    db: &DatabaseConnection,
    session_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    game_sessions::Entity::update_many()
        .col_expr(game_sessions::Column::DisconnectedAt, Expr::value(now))
        .filter(game_sessions::Column::Id.eq(session_id))
        .exec(db)
        .await?;
    Ok(())
}
