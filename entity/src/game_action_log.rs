//! `game_action_log`: the ordered, append-only log of everything that happened in a room.

use sea_orm::entity::prelude::*;

/// One logged event. A game is its room's deal seed plus these rows in `sequence_number` order.
///
/// The key is `(room_id, sequence_number)`: a room's log is one range of the table (on SQLite
/// the rows are stored in that order), and a sequence number cannot be logged twice. A retried
/// move is never logged twice because its room answers it from the log it loaded (every
/// `action_id` with its first answer) instead of deciding it again.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "game_action_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub room_id: i64,
    /// Position in the room's log, from 1, without gaps.
    #[sea_orm(primary_key, auto_increment = false)]
    pub sequence_number: i64,
    /// The player the entry is about: the mover, the claimant of `victory_claimed`, the seat
    /// that did not come back of `abandoned`. Every entry names one (a room's load refuses a
    /// NULL). Not a foreign key: a player is deleted only with their room, which deletes its log.
    pub player_id: Option<i64>,
    /// The client's idempotency key for a move (at most 64 characters); for system events a
    /// server-made key that cannot collide with client ids.
    pub action_id: String,
    /// Kind of event (`capture`, `build`, `trail`, …, or a system kind); at most 32 characters.
    pub action_type: String,
    /// The event itself: the move as the `game` crate serializes it, or `{"type": kind}` for a
    /// system event (`abandoned` adds its `winner`).
    pub action_data: Json,
    /// When the room decided the entry: the `at` of its `ack` and `event` (not the commit).
    pub created_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "room_id", to = "id", on_delete = "Cascade")]
    pub room: BelongsTo<super::rooms::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
