//! `rooms`: one row per game room, addressed by its 6-character code.

use sea_orm::entity::prelude::*;

/// Characters a room code is made of: upper-case letters and digits without the look-alikes
/// `0 O 1 I L`, so a code read aloud or copied by hand is not mistaken.
pub const ROOM_CODE_ALPHABET: &str = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Length of a room code.
pub const ROOM_CODE_LEN: usize = 6;

/// Whether `code` is a well-formed room code (length and alphabet; not whether the room exists).
pub fn is_valid_room_code(code: &str) -> bool {
    code.len() == ROOM_CODE_LEN && code.chars().all(|c| ROOM_CODE_ALPHABET.contains(c))
}

/// Life cycle of a room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum RoomStatus {
    /// One seat taken, waiting for the second player.
    #[sea_orm(string_value = "waiting")]
    Waiting,
    /// Both seats taken, the match is running.
    #[sea_orm(string_value = "playing")]
    Playing,
    /// The match ended, played out or by a claim of victory (see `end_reason`); read-only.
    #[sea_orm(string_value = "finished")]
    Finished,
    /// A player did not come back within the return window (the other one won), or the creator
    /// of a waiting room left or never came back; read-only.
    #[sea_orm(string_value = "abandoned")]
    Abandoned,
}

/// Why a finished room ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum EndReason {
    /// The match was played to its end; `winner_seat` is NULL for a tie.
    #[sea_orm(string_value = "completed")]
    Completed,
    /// The connected player claimed victory over an opponent gone past the threshold.
    #[sea_orm(string_value = "victory_claimed")]
    VictoryClaimed,
    /// A player did not come back before the return deadline; the other one wins (no winner
    /// when both had abandoned the game, or in a room closed before its game started).
    #[sea_orm(string_value = "abandoned")]
    Abandoned,
}

/// What the connected player chose when offered the abandonment options. Only `wait` is written
/// now (a claim is the room's `end_reason`); `claimed` may stand in older rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum AbandonmentDecision {
    /// Keep the game open for the absent player until their return deadline.
    #[sea_orm(string_value = "wait")]
    Wait,
    /// End the game with the claimant as winner.
    #[sea_orm(string_value = "claimed")]
    Claimed,
}

/// A game room. The deal seed is secret: it never leaves the server.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rooms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Public 6-character code from [`ROOM_CODE_ALPHABET`]; unique.
    #[sea_orm(unique)]
    pub code: String,
    pub status: RoomStatus,
    /// The rule variant the room plays (JSON owned by the `game` crate).
    pub ruleset: Json,
    /// The shuffle seed: the `u64` seed of the `game` crate stored bit for bit
    /// (`seed as i64` / `deal_seed as u64`). Secret.
    pub deal_seed: i64,
    /// The salt of the deal commitment: SHA-256 of seed and salt is told in the first
    /// `welcome`, both are revealed at the end. NULL for rooms made before it.
    pub deal_salt: Option<String>,
    /// Seat (0 or 1) of the winner once finished; NULL while playing and for a tie.
    pub winner_seat: Option<i16>,
    pub end_reason: Option<EndReason>,
    pub abandonment_decision: Option<AbandonmentDecision>,
    pub abandonment_decided_at: Option<DateTimeUtc>,
    /// The code of the room created for this finished game's rematch, once both players asked.
    pub rematch_code: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    #[sea_orm(has_many)]
    pub players: HasMany<super::players::Entity>,
    #[sea_orm(has_many)]
    pub game_sessions: HasMany<super::game_sessions::Entity>,
    #[sea_orm(has_many)]
    pub actions: HasMany<super::game_action_log::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_codes_are_checked_for_length_and_alphabet() {
        assert!(is_valid_room_code("ABC234"));
        assert!(!is_valid_room_code("ABC23"));
        assert!(!is_valid_room_code("ABC2345"));
        assert!(!is_valid_room_code("ABCO23"), "O is ambiguous with 0");
        assert!(!is_valid_room_code("abc234"), "codes are upper case");
    }

    #[test]
    fn alphabet_has_no_look_alikes_or_duplicates() {
        for c in ['0', 'O', '1', 'I', 'L'] {
            assert!(!ROOM_CODE_ALPHABET.contains(c), "{c} is ambiguous");
        }
        let mut chars: Vec<char> = ROOM_CODE_ALPHABET.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        assert_eq!(chars.len(), ROOM_CODE_ALPHABET.len());
    }
}
