//! `server_settings`: small key/value state the server keeps for itself.

use sea_orm::entity::prelude::*;

/// Key under which the generated development session secret is stored (used only when
/// `CASINO_SESSION_SECRET` is not set).
pub const SESSION_SECRET_KEY: &str = "session_secret";

/// One setting.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "server_settings")]
pub struct Model {
    /// Setting name (at most 64 characters).
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    #[sea_orm(column_type = "Text")]
    pub value: String,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
