//! Creates `players`: who sits in seat 0 and seat 1 of a room, and since when a seat is gone.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Players::Table)
                    .col(big_pk_auto(Players::Id))
                    .col(big_integer(Players::RoomId))
                    .col(
                        small_integer(Players::Seat)
                            .check(("ck_players_seat", Expr::col(Players::Seat).is_in([0, 1]))),
                    )
                    .col(string_len(Players::Name, 64))
                    .col(timestamp_with_time_zone(Players::JoinedAt))
                    // Absolute times, so a restarted server resumes the grace period where it was.
                    .col(timestamp_with_time_zone_null(Players::DisconnectedAt))
                    .col(timestamp_with_time_zone_null(Players::AbandonDeadline))
                    .col(timestamp_with_time_zone_null(Players::ReturnDeadline))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_players_room_id")
                            .from(Players::Table, Players::RoomId)
                            .to(Rooms::Table, Rooms::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_players_room_seat")
                    .table(Players::Table)
                    .col(Players::RoomId)
                    .col(Players::Seat)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The abandonment sweep asks for seats whose deadline has passed.
        manager
            .create_index(
                Index::create()
                    .name("idx_players_abandon_deadline")
                    .table(Players::Table)
                    .col(Players::AbandonDeadline)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Players::Table).to_owned())
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
    RoomId,
    Seat,
    Name,
    JoinedAt,
    DisconnectedAt,
    AbandonDeadline,
    ReturnDeadline,
}
