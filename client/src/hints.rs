//! Which table cards and builds a selected hand card can work with: those some legal move
//! playing it would use, given what is selected already (the table highlights them).

use game::{BuildId, Card, Move};

use crate::labels::selection_of;

/// Loose cards and builds usable by a legal move that plays `card` and uses everything in
/// `loose` and `builds` (the table selection so far).
pub fn workable(
    legal: &[Move],
    card: Card,
    loose: &[Card],
    builds: &[BuildId],
) -> (Vec<Card>, Vec<BuildId>) {
    let mut cards: Vec<Card> = Vec::new();
    let mut ids: Vec<BuildId> = Vec::new();
    for mv in legal.iter().filter(|m| m.card() == card) {
        let (_, uses_loose, uses_builds) = selection_of(mv);
        let covers = loose.iter().all(|c| uses_loose.contains(c))
            && builds.iter().all(|b| uses_builds.contains(b));
        if !covers {
            continue;
        }
        for c in uses_loose {
            if !cards.contains(&c) {
                cards.push(c);
            }
        }
        for b in uses_builds {
            if !ids.contains(&b) {
                ids.push(b);
            }
        }
    }
    (cards, ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(s: &str) -> Card {
        s.parse().expect("valid card")
    }

    fn capture(with: &str, loose: &[&str], builds: &[BuildId]) -> Move {
        Move::Capture {
            card: card(with),
            builds: builds.to_vec(),
            loose: loose.iter().map(|c| card(c)).collect(),
        }
    }

    #[test]
    fn the_selected_card_lights_up_what_its_moves_use() {
        let legal = vec![
            Move::Trail { card: card("7C") },
            capture("7C", &["4S", "3D"], &[]),
            capture("7C", &["7H"], &[2]),
            Move::Trail { card: card("KD") },
            capture("KD", &["KS"], &[]),
        ];
        let (cards, builds) = workable(&legal, card("7C"), &[], &[]);
        assert_eq!(cards, vec![card("4S"), card("3D"), card("7H")]);
        assert_eq!(builds, vec![2]);
        let (cards, builds) = workable(&legal, card("KD"), &[], &[]);
        assert_eq!(cards, vec![card("KS")]);
        assert!(builds.is_empty());
    }

    #[test]
    fn a_table_selection_narrows_the_highlight_to_moves_that_keep_it() {
        let legal = vec![
            capture("7C", &["4S", "3D"], &[]),
            capture("7C", &["7H"], &[2]),
        ];
        let (cards, builds) = workable(&legal, card("7C"), &[card("4S")], &[]);
        assert_eq!(cards, vec![card("4S"), card("3D")]);
        assert!(builds.is_empty());
        let (cards, _) = workable(&legal, card("7C"), &[card("9S")], &[]);
        assert!(cards.is_empty(), "no move uses 9♠");
        let (cards, _) = workable(&legal, card("5C"), &[], &[]);
        assert!(cards.is_empty(), "a card without moves lights up nothing");
    }
}
