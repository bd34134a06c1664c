//! `game_rejected_actions`: moves the server refused, kept so a retried `action_id` gets the
//! original rejection again, also after a restart (exactly-once answers, SPEC R7).

use sea_orm::entity::prelude::*;

/// One refused move. Never part of the game: the log (`game_action_log`) is the game; this
/// table only remembers answers. `(room_id, action_id)` is unique.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "game_rejected_actions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub room_id: i64,
    pub player_id: i64,
    /// The client's idempotency key (at most 64 characters).
    pub action_id: String,
    /// The refused move as the `game` crate serializes it (to tell a retry from a reuse).
    pub action_data: Json,
    /// The stable rejection code (RULES §10), at most 64 characters.
    pub code: String,
    #[sea_orm(column_type = "Text")]
    pub message: String,
    pub created_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "room_id", to = "id", on_delete = "Cascade")]
    pub room: BelongsTo<super::rooms::Entity>,
    #[sea_orm(belongs_to, from = "player_id", to = "id", on_delete = "Cascade")]
    pub player: BelongsTo<super::players::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
