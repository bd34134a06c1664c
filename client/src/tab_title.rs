//! The browser tab's title: it tells a player in another tab that the game waits for them.

/// What the title starts with when it is the player's turn.
const YOUR_TURN: &str = "Your turn · ";

/// The title for a page whose own title is `base`.
pub fn tab_title(base: &str, your_turn: bool) -> String {
    if your_turn {
        format!("{YOUR_TURN}{}", title_base(base))
    } else {
        title_base(base).to_owned()
    }
}

/// `current` without the turn prefix this module may have put there, so a title read back from
/// the document never stacks two prefixes.
pub fn title_base(current: &str) -> &str {
    current.strip_prefix(YOUR_TURN).unwrap_or(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_players_turn_is_named_first_and_only_then() {
        assert_eq!(
            tab_title("Casino Online", true),
            "Your turn · Casino Online"
        );
        assert_eq!(tab_title("Casino Online", false), "Casino Online");
    }

    #[test]
    fn a_title_read_back_keeps_one_prefix_at_most() {
        let shown = tab_title("Casino", true);
        assert_eq!(tab_title(&shown, true), "Your turn · Casino");
        assert_eq!(tab_title(&shown, false), "Casino");
    }
}
