//! Builders for hand-made positions in the rules tests.
#![allow(dead_code)]

use game::{Build, Card, GameState, Seat};

/// One card from notation.
pub fn c(s: &str) -> Card {
    s.parse().unwrap_or_else(|e| panic!("{e}"))
}

/// Cards from space-separated notation.
pub fn cards(s: &str) -> Vec<Card> {
    s.split_whitespace().map(c).collect()
}

/// Seat 0 or 1.
pub fn seat(n: u8) -> Seat {
    Seat::try_from(n).unwrap_or_else(|e| panic!("{e}"))
}

/// A position in the last deal of a hand: seat 0 to move (non-dealer), empty stock.
pub fn position(hand0: &str, hand1: &str, loose: &str) -> GameState {
    let mut s = GameState {
        dealer: Seat::SECOND,
        to_move: Seat::FIRST,
        deal_number: 6,
        ..GameState::default()
    };
    s.hands = [cards(hand0), cards(hand1)];
    s.table.loose = cards(loose);
    s
}

/// Adds a build of `value` with the given components (each space-separated), owned by `owner`.
pub fn with_build(
    mut s: GameState,
    id: u32,
    value: u8,
    components: &[&str],
    owner: u8,
) -> GameState {
    s.table.builds.push(Build {
        id,
        value,
        components: components.iter().map(|comp| cards(comp)).collect(),
        owner: seat(owner),
    });
    s.table.next_build_id = s.table.next_build_id.max(id + 1);
    s
}

/// Parses a move from JSON text.
pub fn mv(json: &str) -> game::Move {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

/// Applies a move that must be legal.
pub fn play(s: &mut GameState, who: u8, json: &str) -> game::Outcome {
    s.apply(seat(who), &mv(json))
        .unwrap_or_else(|e| panic!("{json} should be legal: {e}"))
}

/// Applies a move that must be illegal, checks the code and that nothing changed.
pub fn refuse(s: &GameState, who: u8, json: &str, code: &str) -> game::RuleError {
    let mut copy = s.clone();
    let err = copy
        .apply(seat(who), &mv(json))
        .expect_err(&format!("{json} should be illegal ({code})"));
    assert_eq!(err.code().as_str(), code, "{json}: {err}");
    assert_eq!(&copy, s, "a refused move must leave the state untouched");
    err
}

/// The build of a value.
pub fn build_of(s: &GameState, value: u8) -> Build {
    s.table
        .build_of_value(value)
        .cloned()
        .unwrap_or_else(|| panic!("no build of {value} on {:?}", s.table))
}
