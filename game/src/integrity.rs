//! `check_integrity`: every card exactly once, builds well formed, counts and scores consistent,
//! turn order legal (SPEC R4). Run after rebuilds and, in debug builds, after every move.

use std::fmt;

use crate::card::{full_pack, Card};
use crate::state::{GameState, DEALS_PER_HAND};

/// One thing wrong with a state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A card of the pack is nowhere.
    MissingCard(Card),
    /// A card is in two places (or twice in one).
    DuplicateCard(Card),
    /// A build breaks the build rules.
    BadBuild {
        /// The build's id.
        id: u32,
        /// What is wrong.
        why: String,
    },
    /// Two builds share a value (R-BUILD-UNIQUE).
    DuplicateBuildValue(u8),
    /// Stock size does not match the deal number.
    StockCount {
        /// Cards in the stock.
        found: usize,
        /// Cards the deal number implies.
        expected: usize,
    },
    /// Hand sizes do not fit whose turn it is.
    HandSizes {
        /// Non-dealer's cards.
        non_dealer: usize,
        /// Dealer's cards.
        dealer: usize,
    },
    /// The deal number is out of range.
    DealNumber(u8),
    /// Game scores do not equal the sum of the hand results.
    Scores {
        /// Stored scores.
        found: [u32; 2],
        /// Sum of hand results.
        expected: [u32; 2],
    },
    /// A hand result's total is not the sum of its categories.
    HandTotal {
        /// The hand.
        hand_number: u32,
    },
    /// The result does not follow from the scores.
    Result(String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::MissingCard(c) => write!(f, "card {c} is missing"),
            Problem::DuplicateCard(c) => write!(f, "card {c} appears more than once"),
            Problem::BadBuild { id, why } => write!(f, "build {id}: {why}"),
            Problem::DuplicateBuildValue(v) => write!(f, "two builds of value {v}"),
            Problem::StockCount { found, expected } => {
                write!(
                    f,
                    "stock holds {found} cards, the deal number implies {expected}"
                )
            }
            Problem::HandSizes { non_dealer, dealer } => write!(
                f,
                "hand sizes non-dealer {non_dealer} / dealer {dealer} do not fit the turn"
            ),
            Problem::DealNumber(n) => write!(f, "deal number {n} is not 1-6"),
            Problem::Scores { found, expected } => {
                write!(
                    f,
                    "scores {found:?} but hand results add up to {expected:?}"
                )
            }
            Problem::HandTotal { hand_number } => {
                write!(f, "hand {hand_number}: total is not the sum of its points")
            }
            Problem::Result(why) => write!(f, "result: {why}"),
        }
    }
}

/// Checks `state`; `Ok` or every problem found.
pub fn check_integrity(state: &GameState) -> Result<(), Vec<Problem>> {
    let mut problems = Vec::new();
    check_cards(state, &mut problems);
    check_builds(state, &mut problems);
    if state.result.is_none() {
        check_turn(state, &mut problems);
    }
    check_scores(state, &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn check_cards(state: &GameState, problems: &mut Vec<Problem>) {
    let mut count = [0u8; 52];
    let all = state
        .stock
        .iter()
        .chain(state.hands.iter().flatten())
        .chain(state.piles.iter().flatten())
        .chain(state.set_aside.iter())
        .copied()
        .chain(state.table.cards());
    for card in all {
        count[card.index()] += 1;
    }
    for card in full_pack() {
        match count[card.index()] {
            0 => problems.push(Problem::MissingCard(card)),
            1 => {}
            _ => problems.push(Problem::DuplicateCard(card)),
        }
    }
}

fn check_builds(state: &GameState, problems: &mut Vec<Problem>) {
    let mut bad = |id, why: String| problems.push(Problem::BadBuild { id, why });
    for b in &state.table.builds {
        if !(1..=10).contains(&b.value) {
            bad(b.id, format!("value {} is not 1-10", b.value));
        }
        if b.components.is_empty() || (b.is_single() && b.card_count() < 2) {
            bad(b.id, "too few cards".to_owned());
        }
        for comp in &b.components {
            if comp.iter().any(|c| c.is_face()) {
                bad(b.id, "holds a face card".to_owned());
            }
            let total: u32 = comp.iter().filter_map(|c| c.value()).map(u32::from).sum();
            if total != u32::from(b.value) {
                bad(b.id, format!("a component totals {total}, not {}", b.value));
            }
        }
        let owner_holds = state.hands[b.owner.index()]
            .iter()
            .any(|c| c.value() == Some(b.value));
        if !owner_holds && state.result.is_none() {
            bad(b.id, format!("owner holds no card of value {}", b.value));
        }
    }
    let mut seen = Vec::new();
    for b in &state.table.builds {
        if seen.contains(&b.value) {
            problems.push(Problem::DuplicateBuildValue(b.value));
        }
        seen.push(b.value);
    }
}

fn check_turn(state: &GameState, problems: &mut Vec<Problem>) {
    if !(1..=DEALS_PER_HAND).contains(&state.deal_number) {
        problems.push(Problem::DealNumber(state.deal_number));
        return;
    }
    let expected = 40 - 8 * usize::from(state.deal_number - 1);
    if state.stock.len() != expected {
        problems.push(Problem::StockCount {
            found: state.stock.len(),
            expected,
        });
    }
    let non_dealer = state.hands[state.non_dealer().index()].len();
    let dealer = state.hands[state.dealer.index()].len();
    let fits = if state.to_move == state.non_dealer() {
        non_dealer == dealer && non_dealer >= 1
    } else {
        dealer == non_dealer + 1
    };
    if !fits || dealer > 4 {
        problems.push(Problem::HandSizes { non_dealer, dealer });
    }
}

fn check_scores(state: &GameState, problems: &mut Vec<Problem>) {
    let mut expected = [0u32; 2];
    for hand in &state.hand_results {
        for (i, s) in hand.seats.iter().enumerate() {
            if s.total != s.points() {
                problems.push(Problem::HandTotal {
                    hand_number: hand.hand_number,
                });
            }
            expected[i] += s.total;
        }
    }
    if expected != state.scores {
        problems.push(Problem::Scores {
            found: state.scores,
            expected,
        });
    }
    if let Some(result) = &state.result {
        if result.scores != state.scores {
            problems.push(Problem::Result(
                "final scores differ from the game scores".into(),
            ));
        }
        let [a, b] = state.scores;
        let ok = match result.winner {
            Some(w) => state.scores[w.index()] > state.scores[w.other().index()],
            None => state.ruleset.single_hand && a == b,
        };
        if !ok {
            problems.push(Problem::Result(format!(
                "winner {:?} does not follow from scores {a}–{b}",
                result.winner
            )));
        }
    }
}
