//! `game_sessions` rows: the server-side half of a session token.

use chrono::{DateTime, Utc};
use entity::{game_sessions, players};
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

/// The active, unexpired session with this nonce, and its player.
pub async fn find_active(
    db: &DatabaseConnection,
    nonce: &str,
    now: DateTime<Utc>,
) -> Result<Option<(game_sessions::Model, players::Model)>, StoreError> {
    let Some(session) = game_sessions::Entity::find()
        .filter(game_sessions::Column::TokenNonce.eq(nonce))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if !session.is_active || session.revoked_at.is_some() || session.expires_at <= now {
        return Ok(None);
    }
    let player = players::Entity::find_by_id(session.player_id)
        .one(db)
        .await?;
    Ok(player.map(|p| (session, p)))
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
        .col_expr(
            game_sessions::Column::DisconnectedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(game_sessions::Column::Id.eq(session_id))
        .exec(db)
        .await?;
    Ok(())
}
