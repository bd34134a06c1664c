//! Creates `game_action_log`: each room's ordered, append-only log of moves and system events.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(GameActionLog::Table)
                    .col(big_pk_auto(GameActionLog::Id))
                    .col(big_integer(GameActionLog::RoomId))
                    .col(big_integer_null(GameActionLog::PlayerId))
                    .col(big_integer(GameActionLog::SequenceNumber))
                    .col(string_len(GameActionLog::ActionId, 64))
                    .col(string_len(GameActionLog::ActionType, 32))
                    .col(json(GameActionLog::ActionData))
                    .col(timestamp_with_time_zone(GameActionLog::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_game_action_log_room_id")
                            .from(GameActionLog::Table, GameActionLog::RoomId)
                            .to(Rooms::Table, Rooms::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_game_action_log_player_id")
                            .from(GameActionLog::Table, GameActionLog::PlayerId)
                            .to(Players::Table, Players::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One event per sequence number; this index also serves "actions of room R after
        // sequence S" (an index range scan on its prefix), so no separate index is needed.
        manager
            .create_index(
                Index::create()
                    .name("uq_game_action_log_room_sequence")
                    .table(GameActionLog::Table)
                    .col(GameActionLog::RoomId)
                    .col(GameActionLog::SequenceNumber)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Exactly-once moves: a retried action_id can never be logged a second time.
        manager
            .create_index(
                Index::create()
                    .name("uq_game_action_log_room_action_id")
                    .table(GameActionLog::Table)
                    .col(GameActionLog::RoomId)
                    .col(GameActionLog::ActionId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Lets a player's deletion cascade without scanning the log (PostgreSQL does not index
        // foreign keys by itself).
        manager
            .create_index(
                Index::create()
                    .name("idx_game_action_log_player_id")
                    .table(GameActionLog::Table)
                    .col(GameActionLog::PlayerId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(GameActionLog::Table).to_owned())
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

#[derive(DeriveIden)]
enum Rooms {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Players {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum GameActionLog {
    Table,
    Id,
    RoomId,
    PlayerId,
    SequenceNumber,
    ActionId,
    ActionType,
    ActionData,
    CreatedAt,
}
