//! Checking a position that comes from outside the engine (the judge's input, generated states
//! in tests) before a move is played on it. The engine only ever makes positions that pass; a
//! hand-written one may hold anything JSON can say — a build of 250, scores near `u32::MAX`,
//! a card twice — and must be refused at the boundary instead of making the engine's
//! arithmetic overflow. Completeness is not required (a position may hold only the cards that
//! matter); ranges and consistency are.

use std::collections::HashSet;

use crate::card::Card;
use crate::state::{GameState, DEALS_PER_HAND};

/// Highest game score a position may hold (a real game ends at 21, or 11).
pub const MAX_SCORE: u32 = 10_000;
/// Highest hand number a position may hold.
pub const MAX_HANDS: u32 = 1_000;
/// Most moves a position may count as played.
pub const MAX_MOVES: u32 = 1_000_000;

/// Why a position cannot be played on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid position: {0}")]
pub struct InvalidPosition(pub String);

/// Checks `state`'s ranges and consistency (see the module docs).
pub fn validate_position(state: &GameState) -> Result<(), InvalidPosition> {
    let bad = |what: String| Err(InvalidPosition(what));
    let mut seen: HashSet<Card> = HashSet::new();
    let places = state
        .stock
        .iter()
        .chain(state.hands.iter().flatten())
        .chain(state.piles.iter().flatten())
        .chain(state.set_aside.iter())
        .copied()
        .chain(state.table.cards());
    for card in places {
        if !seen.insert(card) {
            return bad(format!("card {card} appears more than once"));
        }
    }
    if !(1..=DEALS_PER_HAND).contains(&state.deal_number) {
        return bad(format!("deal number {} is not 1-6", state.deal_number));
    }
    if !(1..=MAX_HANDS).contains(&state.hand_number) {
        return bad(format!(
            "hand number {} is not 1-{MAX_HANDS}",
            state.hand_number
        ));
    }
    if state.moves_played > MAX_MOVES {
        return bad(format!("{} moves played is too many", state.moves_played));
    }
    if state.ruleset.target == 0 || state.ruleset.target > MAX_SCORE {
        return bad(format!(
            "target {} is not 1-{MAX_SCORE}",
            state.ruleset.target
        ));
    }
    if state.scores.iter().any(|s| *s > MAX_SCORE) {
        return bad(format!("scores {:?} are over {MAX_SCORE}", state.scores));
    }
    if state.sweeps.iter().any(|s| *s > 52) {
        return bad(format!("sweeps {:?} are over 52", state.sweeps));
    }
    if state.hand_results.len() > MAX_HANDS as usize {
        return bad("too many hand results".to_owned());
    }
    for hand in &state.hand_results {
        for score in &hand.seats {
            if score.total > 52 || score.points() > 52 {
                return bad(format!("hand {} scores over 52 points", hand.hand_number));
            }
        }
    }
    let mut ids = HashSet::new();
    let mut values = HashSet::new();
    for build in &state.table.builds {
        if !(1..=10).contains(&build.value) {
            return bad(format!("build {} has value {}", build.id, build.value));
        }
        if !ids.insert(build.id) || build.id >= u32::MAX - 1 {
            return bad(format!("build id {} is repeated or out of range", build.id));
        }
        if !values.insert(build.value) {
            return bad(format!("two builds of value {}", build.value));
        }
        if build.components.is_empty() || build.components.iter().any(Vec::is_empty) {
            return bad(format!("build {} has an empty component", build.id));
        }
        for component in &build.components {
            let mut total: u32 = 0;
            for card in component {
                let Some(value) = card.value() else {
                    return bad(format!("build {} holds the face card {card}", build.id));
                };
                total += u32::from(value);
            }
            if total != u32::from(build.value) {
                return bad(format!(
                    "a component of build {} totals {total}, not {}",
                    build.id, build.value
                ));
            }
        }
    }
    if state.table.next_build_id >= u32::MAX - 1 {
        return bad(format!(
            "next build id {} is out of range",
            state.table.next_build_id
        ));
    }
    Ok(())
}
