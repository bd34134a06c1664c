//! Creates `rooms`: one row per game room, addressed by its public code.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Rooms::Table)
                    .col(big_pk_auto(Rooms::Id))
                    .col(string_len(Rooms::Code, 6))
                    // Enum columns are strings without a CHECK: a new variant needs no migration
                    // (SQLite cannot alter a CHECK in place).
                    .col(string_len(Rooms::Status, 16))
                    .col(json(Rooms::Ruleset))
                    .col(big_integer(Rooms::DealSeed))
                    .col(small_integer_null(Rooms::WinnerSeat).check((
                        "ck_rooms_winner_seat",
                        Expr::col(Rooms::WinnerSeat).is_in([0, 1]),
                    )))
                    .col(string_len_null(Rooms::EndReason, 24))
                    .col(timestamp_with_time_zone_null(Rooms::AbandonedAt))
                    .col(string_len_null(Rooms::AbandonmentDecision, 16))
                    .col(timestamp_with_time_zone_null(Rooms::AbandonmentDecidedAt))
                    .col(timestamp_with_time_zone(Rooms::CreatedAt))
                    .col(timestamp_with_time_zone(Rooms::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Rooms::FinishedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_rooms_code")
                    .table(Rooms::Table)
                    .col(Rooms::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Recovery and the sweeps look for rooms by status (every unfinished room).
        manager
            .create_index(
                Index::create()
                    .name("idx_rooms_status")
                    .table(Rooms::Table)
                    .col(Rooms::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Rooms::Table).to_owned())
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
    Code,
    Status,
    Ruleset,
    DealSeed,
    WinnerSeat,
    EndReason,
    AbandonedAt,
    AbandonmentDecision,
    AbandonmentDecidedAt,
    CreatedAt,
    UpdatedAt,
    FinishedAt,
}
