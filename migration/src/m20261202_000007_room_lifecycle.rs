//! One owner per fact of a seat's lifecycle: `players` holds where a seat's player is (away
//! since, why, both deadlines, when the absence became an abandonment, when they left), written
//! only by the room through its log writer. `rooms.abandoned_at` (three meanings) and
//! `game_sessions.disconnected_at` (a second disconnect clock) go.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        for column in [
            string_len_null(Players::AwayReason, 16),
            timestamp_with_time_zone_null(Players::AbandonedAt),
            timestamp_with_time_zone_null(Players::LeftAt),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Players::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        // The abandoned-games sweep also asks for seats whose return window has ended.
        manager
            .create_index(
                Index::create()
                    .name("idx_players_return_deadline")
                    .table(Players::Table)
                    .col(Players::ReturnDeadline)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Rooms::Table)
                    .drop_column(Rooms::AbandonedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(GameSessions::Table)
                    .drop_column(GameSessions::DisconnectedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(GameSessions::Table)
                    .add_column(timestamp_with_time_zone_null(GameSessions::DisconnectedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Rooms::Table)
                    .add_column(timestamp_with_time_zone_null(Rooms::AbandonedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_players_return_deadline")
                    .table(Players::Table)
                    .to_owned(),
            )
            .await?;
        for column in [Players::LeftAt, Players::AbandonedAt, Players::AwayReason] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Players::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

#[derive(DeriveIden)]
enum Rooms {
    Table,
    AbandonedAt,
}

#[derive(DeriveIden)]
enum Players {
    Table,
    AwayReason,
    AbandonedAt,
    LeftAt,
    ReturnDeadline,
}

#[derive(DeriveIden)]
enum GameSessions {
    Table,
    DisconnectedAt,
}
