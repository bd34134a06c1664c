//! The moves of the hand on the table, in words, oldest first: the move list under the table.
//! Filled from live events and rebuilt from a welcome's missed events after a reload; a new
//! hand starts it afresh. Between hands and after the game it keeps the hand just played, to
//! look back at beside its summary.

use game::PlayerView;

/// One hand's moves as shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HandMoves {
    /// The hand listed; 0 before any is known.
    pub hand: u32,
    /// Each move as shown (the opponent by name), oldest first.
    pub moves: Vec<String>,
}

impl HandMoves {
    /// A move played in `hand`; a move of another hand starts the list afresh. Hand 0 (a
    /// server that does not say) counts as the hand listed.
    pub fn record(&mut self, hand: u32, text: String) {
        if hand != 0 && hand != self.hand {
            self.start(hand);
        }
        self.moves.push(text);
    }

    /// Hand `hand` is in play: nothing played in it yet.
    pub fn start(&mut self, hand: u32) {
        self.hand = hand;
        self.moves.clear();
    }

    /// Keeps the list on the hand `view` plays: once someone is to move in another hand, that
    /// hand's (empty) list. While nobody moves (between hands, after the game) the hand just
    /// played stays listed.
    pub fn follow(&mut self, view: &PlayerView) {
        if view.to_move.is_some() && view.hand_number != self.hand {
            self.start(view.hand_number);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use game::{GameState, Ruleset, Seat};

    fn view(hand: u32, in_play: bool) -> PlayerView {
        let mut view = GameState::new(1, Seat::SECOND, Ruleset::default()).view(Seat::FIRST);
        view.hand_number = hand;
        if !in_play {
            view.to_move = None;
        }
        view
    }

    #[test]
    fn moves_of_one_hand_are_kept_in_order() {
        let mut list = HandMoves::default();
        list.follow(&view(1, true));
        list.record(1, "Bob trailed 7♣".to_owned());
        list.record(1, "You captured 7♣ with 7♥".to_owned());
        assert_eq!(list.hand, 1);
        assert_eq!(list.moves, ["Bob trailed 7♣", "You captured 7♣ with 7♥"]);
    }

    #[test]
    fn the_hand_just_played_stays_until_the_next_is_in_play() {
        let mut list = HandMoves::default();
        list.record(1, "Bob trailed 7♣".to_owned());
        list.follow(&view(2, false));
        assert_eq!(list.moves.len(), 1, "between hands the hand stays listed");
        list.follow(&view(2, true));
        assert_eq!(list.hand, 2);
        assert!(list.moves.is_empty());
    }

    #[test]
    fn a_move_of_a_new_hand_starts_afresh_and_an_unknown_hand_appends() {
        let mut list = HandMoves::default();
        list.record(1, "a".to_owned());
        list.record(2, "b".to_owned());
        list.record(0, "c".to_owned());
        assert_eq!(list.hand, 2);
        assert_eq!(list.moves, ["b", "c"]);
    }
}
