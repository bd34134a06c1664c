//! A lean action log: one index, the key `(room_id, sequence_number)`.
//!
//! The first log had a surrogate `id` plus three secondary indexes (`(room_id,
//! sequence_number)`, `(room_id, action_id)`, `player_id`), so each appended row went into four
//! B-trees: on SQLite ~10.7 KB written per append (`log-bench`, 512 rooms), on PostgreSQL four
//! index insertions and two foreign-key checks per row. Now:
//!
//! - The primary key is `(room_id, sequence_number)`. Rows are stored in the order they are
//!   written (SQLite's rowid, PostgreSQL's heap), so one batch of appends fills a few pages, and
//!   the key's small entries are the only per-room page an append dirties: ~3.3 KB written per
//!   append. (Storing the rows themselves in key order, SQLite's `WITHOUT ROWID`, was measured
//!   worse, ~13 KB: each append then dirties its room's leaf of full-size rows.) The key still
//!   makes a sequence number unique in its room, which fences a second writer of a room.
//! - No `(room_id, action_id)` index: exactly-once is the room's, which loads its whole log
//!   (every `action_id` with its answer) before it takes a move, after a restart too.
//! - No foreign key (and so no index) on `player_id`: a player is never deleted but with their
//!   room, and deleting the room deletes its log through the `room_id` key.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::m20261128_000004_create_game_action_log as first_log;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every column both versions of the log have, in one order.
const COLUMNS: &str =
    "room_id, player_id, sequence_number, action_id, action_type, action_data, created_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        db.execute_unprepared(&backend.build(&lean_table(GameActionLog::Lean)).sql)
            .await?;
        db.execute_unprepared(&format!(
            "INSERT INTO game_action_log_lean ({COLUMNS}) SELECT {COLUMNS} FROM game_action_log"
        ))
        .await?;
        manager
            .drop_table(Table::drop().table(GameActionLog::Table).to_owned())
            .await?;
        manager
            .rename_table(
                Table::rename()
                    .table(GameActionLog::Lean, GameActionLog::Table)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        manager
            .rename_table(
                Table::rename()
                    .table(GameActionLog::Table, GameActionLog::Lean)
                    .to_owned(),
            )
            .await?;
        first_log::Migration.up(manager).await?;
        db.execute_unprepared(&format!(
            "INSERT INTO game_action_log ({COLUMNS}) SELECT {COLUMNS} FROM game_action_log_lean \
             ORDER BY room_id, sequence_number"
        ))
        .await?;
        manager
            .drop_table(Table::drop().table(GameActionLog::Lean).to_owned())
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

/// The lean log's table, created as `name`.
fn lean_table(name: GameActionLog) -> TableCreateStatement {
    Table::create()
        .table(name)
        .col(big_integer(GameActionLog::RoomId))
        .col(big_integer(GameActionLog::SequenceNumber))
        .col(big_integer_null(GameActionLog::PlayerId))
        .col(string_len(GameActionLog::ActionId, 64))
        .col(string_len(GameActionLog::ActionType, 32))
        .col(json(GameActionLog::ActionData))
        .col(timestamp_with_time_zone(GameActionLog::CreatedAt))
        .primary_key(
            Index::create()
                .name("pk_game_action_log")
                .col(GameActionLog::RoomId)
                .col(GameActionLog::SequenceNumber),
        )
        .foreign_key(
            ForeignKey::create()
                .name("fk_game_action_log_room_id")
                .from(name, GameActionLog::RoomId)
                .to(Rooms::Table, Rooms::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

#[derive(DeriveIden, Clone, Copy)]
enum Rooms {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum GameActionLog {
    Table,
    #[sea_orm(iden = "game_action_log_lean")]
    Lean,
    RoomId,
    PlayerId,
    SequenceNumber,
    ActionId,
    ActionType,
    ActionData,
    CreatedAt,
}
