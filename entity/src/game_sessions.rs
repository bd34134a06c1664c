//! `game_sessions`: the server-side half of a session token.

use sea_orm::entity::prelude::*;

/// One issued session token. The row stores the token's nonce, never the token itself: a leaked
/// database cannot be turned into working tokens without the server secret.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "game_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub room_id: i64,
    pub player_id: i64,
    /// The token's nonce (at most 64 characters); unique, the lookup key when a token is presented.
    #[sea_orm(unique)]
    pub token_nonce: String,
    /// First time a socket was opened with this session.
    pub connected_at: Option<DateTimeUtc>,
    /// Last heartbeat seen (written in batches, so it may lag the live value by a few seconds).
    pub last_heartbeat: Option<DateTimeUtc>,
    /// Latest time a socket was opened again with this session (when a seat's player is away is
    /// the seat's fact: `players.disconnected_at`).
    pub reconnected_at: Option<DateTimeUtc>,
    /// How many sockets have been opened with this session.
    pub connection_count: i32,
    /// Peer address of the latest connection (IPv6 text fits in 45 characters).
    pub ip_address: Option<String>,
    /// `User-Agent` of the latest connection, truncated to 256 characters.
    pub user_agent: Option<String>,
    /// Whether the session may still be used; false once revoked, expired or ended.
    pub is_active: bool,
    pub revoked_at: Option<DateTimeUtc>,
    pub expires_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "room_id", to = "id", on_delete = "Cascade")]
    pub room: BelongsTo<super::rooms::Entity>,
    #[sea_orm(belongs_to, from = "player_id", to = "id", on_delete = "Cascade")]
    pub player: BelongsTo<super::players::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
