//! Creates `game_rejected_actions`: refused moves remembered by `action_id`, so a retry gets the
//! original rejection, also after a restart. Kept apart from `game_action_log`, whose sequence
//! numbers are the game and must stay gapless.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(GameRejectedActions::Table)
                    .col(big_pk_auto(GameRejectedActions::Id))
                    .col(big_integer(GameRejectedActions::RoomId))
                    .col(big_integer(GameRejectedActions::PlayerId))
                    .col(string_len(GameRejectedActions::ActionId, 64))
                    .col(json(GameRejectedActions::ActionData))
                    .col(string_len(GameRejectedActions::Code, 64))
                    .col(text(GameRejectedActions::Message))
                    .col(timestamp_with_time_zone(GameRejectedActions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_game_rejected_actions_room_id")
                            .from(GameRejectedActions::Table, GameRejectedActions::RoomId)
                            .to(Rooms::Table, Rooms::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_game_rejected_actions_player_id")
                            .from(GameRejectedActions::Table, GameRejectedActions::PlayerId)
                            .to(Players::Table, Players::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One answer per action_id and room; also the lookup a room does when it loads.
        manager
            .create_index(
                Index::create()
                    .name("uq_game_rejected_actions_room_action_id")
                    .table(GameRejectedActions::Table)
                    .col(GameRejectedActions::RoomId)
                    .col(GameRejectedActions::ActionId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_game_rejected_actions_player_id")
                    .table(GameRejectedActions::Table)
                    .col(GameRejectedActions::PlayerId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(GameRejectedActions::Table).to_owned())
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
enum GameRejectedActions {
    Table,
    Id,
    RoomId,
    PlayerId,
    ActionId,
    ActionData,
    Code,
    Message,
    CreatedAt,
}
