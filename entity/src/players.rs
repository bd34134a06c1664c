//! `players`: the two seats of a room and who sits in them.

use sea_orm::entity::prelude::*;

/// A seated player. Unique per (room, seat); seat is 0 (the room's creator) or 1.
///
/// The disconnect columns make the grace period survive a restart: they are absolute times, set
/// by the room when the seat's last live connection goes and cleared when it comes back.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "players")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub room_id: i64,
    /// 0 or 1 (a CHECK constraint enforces it).
    pub seat: i16,
    /// Display name as validated at join (at most 64 characters).
    pub name: String,
    pub joined_at: DateTimeUtc,
    /// When the seat lost its last live connection; NULL while connected.
    pub disconnected_at: Option<DateTimeUtc>,
    /// When the seat counts as abandoned (the opponent may claim victory); NULL while connected.
    pub abandon_deadline: Option<DateTimeUtc>,
    /// The last moment the absent player may come back to this room; NULL while connected.
    pub return_deadline: Option<DateTimeUtc>,
    #[sea_orm(belongs_to, from = "room_id", to = "id", on_delete = "Cascade")]
    pub room: BelongsTo<super::rooms::Entity>,
    #[sea_orm(has_many)]
    pub game_sessions: HasMany<super::game_sessions::Entity>,
    #[sea_orm(has_many)]
    pub actions: HasMany<super::game_action_log::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
