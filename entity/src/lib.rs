//! SeaORM entities of the Casino Online database: one module per table.
//!
//! The schema itself is owned by the `migration` crate; these entities mirror it. Every timestamp
//! is a UTC [`DateTimeUtc`](sea_orm::prelude::DateTimeUtc) set by the application (the tables have
//! no clock defaults, so SQLite and PostgreSQL store exactly the same values).

pub mod game_action_log;
pub mod game_rejected_actions;
pub mod game_sessions;
pub mod players;
pub mod prelude;
pub mod rooms;
pub mod server_settings;
