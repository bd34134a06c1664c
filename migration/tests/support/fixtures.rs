//! Rows made through the entities, as the server will make them.

use chrono::{Duration, Utc};
use entity::{game_action_log, game_sessions, players, rooms, server_settings};
use migration::sea_orm::{ActiveModelTrait, DatabaseConnection, DbErr, EntityTrait, Set};
use serde_json::json;

/// Inserts a playing room with code `code`.
pub async fn room(db: &DatabaseConnection, code: &str) -> Result<rooms::Model, DbErr> {
    room_row(code).insert(db).await
}

/// Inserts a playing room with code `code` into a schema older than the entity (no read back);
/// returns its id.
pub async fn room_id(db: &DatabaseConnection, code: &str) -> Result<i64, DbErr> {
    Ok(rooms::Entity::insert(room_row(code))
        .exec(db)
        .await?
        .last_insert_id)
}

fn room_row(code: &str) -> rooms::ActiveModel {
    let now = Utc::now();
    rooms::ActiveModel {
        code: Set(code.to_owned()),
        status: Set(rooms::RoomStatus::Playing),
        ruleset: Set(json!({ "variant": "standard", "points_to_win": 21 })),
        // The game's u64 seed stored bit for bit: the top bit set must survive.
        deal_seed: Set(u64::MAX as i64),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Inserts the player of `seat` in room `room_id`.
pub async fn player(
    db: &DatabaseConnection,
    room_id: i64,
    seat: i16,
) -> Result<players::Model, DbErr> {
    players::ActiveModel {
        room_id: Set(room_id),
        seat: Set(seat),
        name: Set(format!("Player {seat}")),
        joined_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Inserts a session of `player` with token nonce `nonce`.
pub async fn session(
    db: &DatabaseConnection,
    player: &players::Model,
    nonce: &str,
) -> Result<game_sessions::Model, DbErr> {
    let now = Utc::now();
    game_sessions::ActiveModel {
        room_id: Set(player.room_id),
        player_id: Set(player.id),
        token_nonce: Set(nonce.to_owned()),
        connection_count: Set(0),
        user_agent: Set(Some("Mozilla/5.0 (test)".to_owned())),
        ip_address: Set(Some("2001:db8::1".to_owned())),
        is_active: Set(true),
        expires_at: Set(now + Duration::hours(24)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Appends a log entry to `room`'s log; `player` is `None` for a system event.
pub async fn action(
    db: &DatabaseConnection,
    room: &rooms::Model,
    player: Option<&players::Model>,
    sequence_number: i64,
    action_id: &str,
) -> Result<game_action_log::Model, DbErr> {
    game_action_log::ActiveModel {
        room_id: Set(room.id),
        player_id: Set(player.map(|p| p.id)),
        sequence_number: Set(sequence_number),
        action_id: Set(action_id.to_owned()),
        action_type: Set("trail".to_owned()),
        action_data: Set(json!({ "type": "trail", "card": "7C" })),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await
}

/// Stores a server setting.
pub async fn setting(
    db: &DatabaseConnection,
    key: &str,
    value: &str,
) -> Result<server_settings::Model, DbErr> {
    server_settings::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
        updated_at: Set(Utc::now()),
    }
    .insert(db)
    .await
}
