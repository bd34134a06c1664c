//! Migrations of the Casino Online database, and the one way the project opens that database.
//!
//! Each change is a small module with its `up` and its `down`; [`Migrator`] lists them in order.
//! The server calls [`connect_and_migrate`] at start; `cargo run -p migration -- up|down|status|fresh`
//! runs the same migrations by hand.

pub use sea_orm_migration::prelude::*;

mod db;
mod m20261128_000001_create_rooms;
mod m20261128_000002_create_players;
mod m20261128_000003_create_game_sessions;
mod m20261128_000004_create_game_action_log;
mod m20261128_000005_create_server_settings;
mod m20261201_000006_create_game_rejected_actions;
mod m20261202_000007_room_lifecycle;
mod m20261202_000008_deal_commitment;
mod m20261203_000009_lean_action_log;
mod m20261204_000010_room_leases;
mod m20261205_000011_rematch;
pub mod scratch;

pub use db::{
    configure, connect, connect_and_migrate, connect_readers, redact_url, DEFAULT_DATABASE_URL,
    SQLITE_BUSY_TIMEOUT, SQLITE_READERS,
};

/// All migrations of the schema, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_create_rooms::Migration),
            Box::new(m20261128_000002_create_players::Migration),
            Box::new(m20261128_000003_create_game_sessions::Migration),
            Box::new(m20261128_000004_create_game_action_log::Migration),
            Box::new(m20261128_000005_create_server_settings::Migration),
            Box::new(m20261201_000006_create_game_rejected_actions::Migration),
            Box::new(m20261202_000007_room_lifecycle::Migration),
            Box::new(m20261202_000008_deal_commitment::Migration),
            Box::new(m20261203_000009_lean_action_log::Migration),
            Box::new(m20261204_000010_room_leases::Migration),
            Box::new(m20261205_000011_rematch::Migration),
        ]
    }
}
