//! What the last move put on the table — the card trailed, the build made or changed — so the
//! table can mark it until the next move. A capture leaves nothing to mark (its summary names
//! the cards taken).

use game::{BuildId, Card, PlayerView, Seat};

/// The table items the last move touched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LastMove {
    /// Who moved.
    pub seat: Option<Seat>,
    /// Cards that came onto the table (loose, or into a build).
    pub cards: Vec<Card>,
    /// Builds made or changed.
    pub builds: Vec<BuildId>,
}

impl LastMove {
    /// What `seat`'s move changed from `before` to `after`; nothing across the end of a hand.
    pub fn between(before: Option<&PlayerView>, after: &PlayerView, seat: Option<Seat>) -> Self {
        let Some(before) = before.filter(|b| b.hand_number == after.hand_number) else {
            return LastMove {
                seat,
                ..LastMove::default()
            };
        };
        let cards = after
            .table
            .cards()
            .filter(|c| !before.table.cards().any(|b| b == *c))
            .collect();
        let builds = after
            .table
            .builds
            .iter()
            .filter(|b| before.table.build(b.id) != Some(*b))
            .map(|b| b.id)
            .collect();
        LastMove {
            seat,
            cards,
            builds,
        }
    }

    /// Whether `seat` made the move (the table marks only the opponent's).
    pub fn by(&self, seat: Seat) -> bool {
        self.seat == Some(seat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use game::{GameState, Move, Ruleset};

    /// Plays from a fresh game until `want` accepts a legal move, applying earlier moves.
    fn position_with(want: impl Fn(&Move) -> bool) -> (GameState, Seat, Move) {
        for seed in 0..50 {
            let mut state = GameState::new(seed, Seat::SECOND, Ruleset::default());
            for _ in 0..30 {
                let Some(seat) = state.view(Seat::FIRST).to_move else {
                    break;
                };
                let moves = state.legal_moves(seat);
                if let Some(mv) = moves.iter().find(|m| want(m)) {
                    return (state, seat, mv.clone());
                }
                let Some(first) = moves.first().cloned() else {
                    break;
                };
                if state.apply(seat, &first).is_err() {
                    break;
                }
            }
        }
        panic!("no such move in 50 games");
    }

    #[test]
    fn a_trail_marks_the_trailed_card() {
        let (mut state, seat, mv) = position_with(|m| matches!(m, Move::Trail { .. }));
        let before = state.view(seat.other());
        state.apply(seat, &mv).expect("legal");
        let after = state.view(seat.other());
        let last = LastMove::between(Some(&before), &after, Some(seat));
        assert_eq!(last.cards, vec![mv.card()]);
        assert!(last.builds.is_empty());
        assert!(last.by(seat) && !last.by(seat.other()));
    }

    #[test]
    fn a_build_marks_the_build_and_the_card_played() {
        let (mut state, seat, mv) = position_with(|m| matches!(m, Move::Build { .. }));
        let before = state.view(seat.other());
        state.apply(seat, &mv).expect("legal");
        let after = state.view(seat.other());
        let last = LastMove::between(Some(&before), &after, Some(seat));
        assert_eq!(last.cards, vec![mv.card()]);
        assert_eq!(last.builds.len(), 1);
        let build = after.table.build(last.builds[0]).expect("the new build");
        assert!(build.cards().any(|c| c == mv.card()));
    }

    #[test]
    fn a_capture_leaves_nothing_to_mark_and_a_new_hand_marks_nothing() {
        let (mut state, seat, mv) = position_with(|m| matches!(m, Move::Capture { .. }));
        let before = state.view(seat.other());
        state.apply(seat, &mv).expect("legal");
        let after = state.view(seat.other());
        let last = LastMove::between(Some(&before), &after, Some(seat));
        assert!(last.cards.is_empty() && last.builds.is_empty());
        let mut next_hand = after.clone();
        next_hand.hand_number += 1;
        next_hand.table.loose.push("KS".parse().expect("card"));
        let last = LastMove::between(Some(&before), &next_hand, Some(seat));
        assert!(last.cards.is_empty());
        assert!(LastMove::between(None, &after, Some(seat)).cards.is_empty());
    }
}
