//! The session secret: from the configuration, or generated once and kept in `server_settings`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use entity::server_settings::{self, SESSION_SECRET_KEY};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};

use super::StoreError;

/// The stored development secret, creating it on first use. When several servers start at once
/// on one database, the first insert wins and everybody reads the winner back.
pub async fn load_or_create(db: &DatabaseConnection) -> Result<Vec<u8>, StoreError> {
    if let Some(found) = read(db).await? {
        return Ok(found);
    }
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let inserted = server_settings::ActiveModel {
        key: Set(SESSION_SECRET_KEY.to_owned()),
        value: Set(STANDARD.encode(secret)),
        updated_at: Set(chrono::Utc::now()),
    }
    .insert(db)
    .await;
    if let Err(err) = inserted {
        log::debug!("session secret insert lost a race or failed: {err}");
    }
    read(db)
        .await?
        .ok_or_else(|| StoreError::Corrupt("session secret vanished after insert".to_owned()))
}

async fn read(db: &DatabaseConnection) -> Result<Option<Vec<u8>>, StoreError> {
    let Some(row) = server_settings::Entity::find_by_id(SESSION_SECRET_KEY.to_owned())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    STANDARD
        .decode(row.value.trim())
        .map(Some)
        .map_err(|_| StoreError::Corrupt("stored session secret is not base64".to_owned()))
}
