//! Creates `game_sessions`: the server-side record of each issued session token.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(GameSessions::Table)
                    .col(big_pk_auto(GameSessions::Id))
                    .col(big_integer(GameSessions::RoomId))
                    .col(big_integer(GameSessions::PlayerId))
                    // The token's nonce, never the token: the row alone cannot authenticate.
                    .col(string_len(GameSessions::TokenNonce, 64))
                    .col(timestamp_with_time_zone_null(GameSessions::ConnectedAt))
                    .col(timestamp_with_time_zone_null(GameSessions::LastHeartbeat))
                    .col(timestamp_with_time_zone_null(GameSessions::DisconnectedAt))
                    .col(timestamp_with_time_zone_null(GameSessions::ReconnectedAt))
                    .col(integer(GameSessions::ConnectionCount).default(0))
                    .col(string_len_null(GameSessions::IpAddress, 45))
                    .col(string_len_null(GameSessions::UserAgent, 256))
                    .col(boolean(GameSessions::IsActive).default(true))
                    .col(timestamp_with_time_zone_null(GameSessions::RevokedAt))
                    .col(timestamp_with_time_zone(GameSessions::ExpiresAt))
                    .col(timestamp_with_time_zone(GameSessions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_game_sessions_room_id")
                            .from(GameSessions::Table, GameSessions::RoomId)
                            .to(Rooms::Table, Rooms::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_game_sessions_player_id")
                            .from(GameSessions::Table, GameSessions::PlayerId)
                            .to(Players::Table, Players::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for index in [
            Index::create()
                .name("uq_game_sessions_token_nonce")
                .table(GameSessions::Table)
                .col(GameSessions::TokenNonce)
                .unique()
                .to_owned(),
            Index::create()
                .name("idx_game_sessions_room_id")
                .table(GameSessions::Table)
                .col(GameSessions::RoomId)
                .to_owned(),
            Index::create()
                .name("idx_game_sessions_player_id")
                .table(GameSessions::Table)
                .col(GameSessions::PlayerId)
                .to_owned(),
            // The expired-session sweep deletes by expiry.
            Index::create()
                .name("idx_game_sessions_expires_at")
                .table(GameSessions::Table)
                .col(GameSessions::ExpiresAt)
                .to_owned(),
        ] {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(GameSessions::Table).to_owned())
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
enum GameSessions {
    Table,
    Id,
    RoomId,
    PlayerId,
    TokenNonce,
    ConnectedAt,
    LastHeartbeat,
    DisconnectedAt,
    ReconnectedAt,
    ConnectionCount,
    IpAddress,
    UserAgent,
    IsActive,
    RevokedAt,
    ExpiresAt,
    CreatedAt,
}
