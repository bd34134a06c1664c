//! Which table cards and builds a selected hand card can work with: those some legal move
//! playing it would use, given what is selected already (the table highlights them); and,
//! while a selection is on its way to a move, what else to select.

use game::{BuildId, Card, Move, Table};

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

/// How many ways on the progress hint names before "or other lit cards".
const WAYS_NAMED: usize = 3;

/// "4♥", "4♥ and 3♣", "4♥ and the build of 5".
fn items(table: &Table, loose: &[Card], builds: &[BuildId]) -> String {
    let mut names: Vec<String> = loose.iter().map(|c| c.pretty()).collect();
    names.extend(builds.iter().map(|id| match table.build(*id) {
        Some(build) => format!("the build of {}", build.value),
        None => "a build".to_owned(),
    }));
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// While `card` with the table selection `loose` and `builds` is no move yet but can still
/// grow into one (some legal move uses all of it and more), a neutral hint on what to add:
/// "7♣ with 4♥ so far: select 3♣ too, or 2♦ and A♠." `None` when nothing is selected on the
/// table or no legal move keeps the selection (then the rule that refuses it is told).
pub fn progress(
    legal: &[Move],
    table: &Table,
    card: Card,
    loose: &[Card],
    builds: &[BuildId],
) -> Option<String> {
    if loose.is_empty() && builds.is_empty() {
        return None;
    }
    // What each move that keeps the selection still needs, fewest first, each once.
    let mut ways: Vec<(Vec<Card>, Vec<BuildId>)> = Vec::new();
    for mv in legal.iter().filter(|m| m.card() == card) {
        let (_, uses_loose, uses_builds) = selection_of(mv);
        let keeps = loose.iter().all(|c| uses_loose.contains(c))
            && builds.iter().all(|b| uses_builds.contains(b));
        if !keeps {
            continue;
        }
        let mut more: Vec<Card> = uses_loose
            .into_iter()
            .filter(|c| !loose.contains(c))
            .collect();
        more.sort_by_key(|c| table.loose.iter().position(|t| t == c));
        let more_builds: Vec<BuildId> = uses_builds
            .into_iter()
            .filter(|b| !builds.contains(b))
            .collect();
        if more.is_empty() && more_builds.is_empty() {
            continue;
        }
        if !ways.contains(&(more.clone(), more_builds.clone())) {
            ways.push((more, more_builds));
        }
    }
    if ways.is_empty() {
        return None;
    }
    ways.sort_by_key(|(c, b)| c.len() + b.len());
    let mut named: Vec<String> = ways
        .iter()
        .take(WAYS_NAMED)
        .map(|(c, b)| items(table, c, b))
        .collect();
    if ways.len() > WAYS_NAMED {
        named.push("other lit cards".to_owned());
    }
    let first = named.remove(0);
    let others: String = named.iter().map(|n| format!(", or {n}")).collect();
    Some(format!(
        "{} with {} so far: select {first} too{others}.",
        card.pretty(),
        items(table, loose, builds)
    ))
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

    fn table() -> Table {
        Table {
            loose: ["4H", "3C", "2D", "AS", "9S"].map(card).to_vec(),
            builds: vec![game::Build {
                id: 2,
                value: 7,
                components: vec![vec![card("5S"), card("2S")]],
                owner: game::Seat::SECOND,
            }],
            next_build_id: 3,
        }
    }

    #[test]
    fn half_way_through_a_capture_the_hint_says_what_to_add() {
        let legal = vec![
            capture("7C", &["4H", "3C"], &[]),
            capture("7C", &["4H", "2D", "AS"], &[]),
            capture("7C", &["4H", "3C"], &[2]),
            capture("7C", &["9S"], &[]),
        ];
        let hint = progress(&legal, &table(), card("7C"), &[card("4H")], &[]);
        assert_eq!(
            hint.as_deref(),
            Some("7♣ with 4♥ so far: select 3♣ too, or 2♦ and A♠, or 3♣ and the build of 7.")
        );
        let hint = progress(&legal, &table(), card("7C"), &[card("4H")], &[2]);
        assert_eq!(
            hint.as_deref(),
            Some("7♣ with 4♥ and the build of 7 so far: select 3♣ too.")
        );
    }

    #[test]
    fn past_three_ways_the_hint_points_at_the_lit_cards() {
        let legal = vec![
            capture("7C", &["4H", "3C"], &[]),
            capture("7C", &["4H", "2D", "AS"], &[]),
            capture("7C", &["4H", "3C"], &[2]),
            capture("7C", &["4H", "3C", "2D", "AS"], &[2]),
        ];
        let hint = progress(&legal, &table(), card("7C"), &[card("4H")], &[]).expect("a hint");
        assert!(hint.ends_with(", or other lit cards."), "{hint}");
    }

    #[test]
    fn no_hint_without_a_table_selection_or_once_no_move_keeps_it() {
        let legal = vec![capture("7C", &["4H", "3C"], &[])];
        assert_eq!(progress(&legal, &table(), card("7C"), &[], &[]), None);
        assert_eq!(
            progress(&legal, &table(), card("7C"), &[card("9S")], &[]),
            None,
            "9♠ cannot be part of a move with 7♣: the rule is told instead"
        );
        assert_eq!(
            progress(&legal, &table(), card("7C"), &[card("4H"), card("3C")], &[]),
            None,
            "a complete move is offered, not hinted"
        );
    }

    #[test]
    fn a_selection_on_its_way_in_a_real_game_always_gets_a_hint_not_a_refusal() {
        for seed in 0..3 {
            let mut state =
                game::GameState::new(seed, game::Seat::SECOND, game::Ruleset::default());
            for _ in 0..12 {
                let Some(seat) = state.view(game::Seat::FIRST).to_move else {
                    break;
                };
                let view = state.view(seat);
                let legal = view.legal_moves();
                // Every few moves: a position can have hundreds.
                for mv in legal.iter().step_by(1 + legal.len() / 40) {
                    let (c, loose, builds) = selection_of(mv);
                    if loose.len() + builds.len() < 2 {
                        continue;
                    }
                    // The first table item of a multi-item move, alone: a move of its own,
                    // or on its way to this one.
                    let (first, first_builds) = match loose.first() {
                        Some(l) => (vec![*l], Vec::new()),
                        None => (Vec::new(), vec![builds[0]]),
                    };
                    let complete = legal
                        .iter()
                        .any(|m| selection_of(m) == (c, first.clone(), first_builds.clone()));
                    let hint = progress(&legal, &view.table, c, &first, &first_builds);
                    assert!(complete || hint.is_some(), "seed {seed}: {mv:?}");
                }
                let Some(mv) = legal.first().cloned() else {
                    break;
                };
                if state.apply(seat, &mv).is_err() {
                    break;
                }
            }
        }
    }
}
