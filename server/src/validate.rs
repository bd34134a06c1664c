//! Checks of what players type: names, room codes, action ids. Pure, unit-tested.

/// Longest player name, in characters.
pub const MAX_NAME_CHARS: usize = 32;

/// Longest `action_id`, in bytes (the log column holds 64).
pub const MAX_ACTION_ID_LEN: usize = 64;

/// A valid player name: trimmed, 1 to [`MAX_NAME_CHARS`] characters, no control characters.
pub fn player_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("the player name must not be empty".to_owned());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "the player name must be at most {MAX_NAME_CHARS} characters"
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("the player name must be printable (no control characters)".to_owned());
    }
    Ok(name.to_owned())
}

/// A room code as typed: trimmed and upper-cased, then checked against the room-code alphabet.
pub fn room_code(raw: &str) -> Option<String> {
    let code = raw.trim().to_ascii_uppercase();
    entity::rooms::is_valid_room_code(&code).then_some(code)
}

/// A valid `action_id`: 1-64 printable ASCII characters.
pub fn action_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ACTION_ID_LEN
        && id.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_bounded_and_printable() {
        assert_eq!(player_name("  Alice "), Ok("Alice".to_owned()));
        assert!(player_name("   ").is_err());
        assert!(player_name(&"x".repeat(33)).is_err());
        assert!(player_name("Bob\u{7}").is_err());
        assert_eq!(player_name("Zoë 🂡"), Ok("Zoë 🂡".to_owned()));
    }

    #[test]
    fn room_codes_are_normalised() {
        assert_eq!(room_code(" abc234 "), Some("ABC234".to_owned()));
        assert_eq!(room_code("ABCO23"), None);
        assert_eq!(room_code("ABC23"), None);
    }

    #[test]
    fn action_ids_are_short_printable_ascii() {
        assert!(action_id("a1-b2_c3"));
        assert!(!action_id(""));
        assert!(!action_id("has space"));
        assert!(!action_id(&"x".repeat(65)));
        assert!(action_id(&"x".repeat(64)));
    }
}
