//! `rooms.deal_salt`: the per-room salt of the deal commitment. The first `welcome` carries
//! SHA-256 of the secret seed and this salt; `game_over` reveals both, so a player can check the
//! deal was fixed before the first card. Rooms made before it have none (no commitment).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Rooms::Table)
                    .add_column(string_len_null(Rooms::DealSalt, 64))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Rooms::Table)
                    .drop_column(Rooms::DealSalt)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

#[derive(DeriveIden)]
enum Rooms {
    Table,
    DealSalt,
}
