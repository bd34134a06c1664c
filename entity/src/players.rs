//! `players`: the two seats of a room and who sits in them.

use sea_orm::entity::prelude::*;

/// A seated player. Unique per (room, seat); seat is 0 (the room's creator) or 1.
///
/// The presence columns are the seat's lifecycle, written only by its room through the log
/// writer: absolute times (a restart resumes every deadline where it was), set when the seat's
/// socket goes and cleared when the player comes back. A seat counts as away from the moment it
/// is taken until its first socket.
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
    /// How the socket ended: `joined` (never connected), `closed`, `dropped`, `silent`.
    pub away_reason: Option<String>,
    /// When this absence passed the abandonment deadline in a running game (recorded once).
    pub abandoned_at: Option<DateTimeUtc>,
    /// When the player pressed Leave; the session ended then.
    pub left_at: Option<DateTimeUtc>,
    #[sea_orm(belongs_to, from = "room_id", to = "id", on_delete = "Cascade")]
    pub room: BelongsTo<super::rooms::Entity>,
    #[sea_orm(has_many)]
    pub game_sessions: HasMany<super::game_sessions::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
