//! `room_leases`: which node serves a loaded room, when several nodes share one PostgreSQL
//! database (docs/SCALING.md). One row per loaded room: the node, the lease's epoch (raised at
//! every claim) and its expiry. Every append of the room's action log is fenced by the epoch in
//! the same transaction, so a node whose lease was taken over cannot commit. A single node on
//! SQLite keeps the table empty.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RoomLeases::Table)
                    .col(string_len(RoomLeases::RoomCode, 16).primary_key())
                    .col(string_len(RoomLeases::Node, 128))
                    .col(big_integer(RoomLeases::Epoch))
                    .col(timestamp_with_time_zone(RoomLeases::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("room_leases_node")
                    .table(RoomLeases::Table)
                    .col(RoomLeases::Node)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RoomLeases::Table).to_owned())
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

#[derive(DeriveIden)]
enum RoomLeases {
    Table,
    RoomCode,
    Node,
    Epoch,
    ExpiresAt,
}
