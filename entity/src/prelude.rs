//! The entities under short names, for `use entity::prelude::*`.

pub use crate::game_action_log::Entity as GameActionLog;
pub use crate::game_sessions::Entity as GameSessions;
pub use crate::players::Entity as Players;
pub use crate::rooms::{AbandonmentDecision, EndReason, Entity as Rooms, RoomStatus};
pub use crate::server_settings::Entity as ServerSettings;
