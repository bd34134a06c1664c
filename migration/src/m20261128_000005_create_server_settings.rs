//! Creates `server_settings`: key/value state of the server itself (e.g. its generated
//! development session secret, so tokens survive a restart of the embedded default).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ServerSettings::Table)
                    .col(string_len(ServerSettings::Key, 64).primary_key())
                    .col(text(ServerSettings::Value))
                    .col(timestamp_with_time_zone(ServerSettings::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ServerSettings::Table).to_owned())
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

#[derive(DeriveIden)]
enum ServerSettings {
    Table,
    Key,
    Value,
    UpdatedAt,
}
