//! Scoring a hand (R-SCORE) and deciding the game (R-GAME-END).

use serde::{Deserialize, Serialize};

use crate::card::Card;
use crate::ruleset::Ruleset;
use crate::seat::Seat;

/// One seat's points for one hand, category by category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HandScore {
    /// Cards in the pile.
    pub cards: u32,
    /// Spades in the pile.
    pub spades: u32,
    /// 3 for strictly more cards, else 0.
    pub most_cards: u32,
    /// 1 for strictly more spades, else 0.
    pub most_spades: u32,
    /// 2 for 10♦.
    pub big_casino: u32,
    /// 1 for 2♠.
    pub little_casino: u32,
    /// 1 per ace.
    pub aces: u32,
    /// 1 per sweep (0 with V-NO-SWEEPS).
    pub sweeps: u32,
    /// Sum of the points above.
    pub total: u32,
}

impl HandScore {
    /// The sum of the point categories (what `total` must be).
    pub fn points(&self) -> u32 {
        self.most_cards
            + self.most_spades
            + self.big_casino
            + self.little_casino
            + self.aces
            + self.sweeps
    }
}

/// The result of one hand for both seats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandResult {
    /// Which hand (1-based).
    pub hand_number: u32,
    /// Per seat, indexed by seat number.
    pub seats: [HandScore; 2],
    /// The scoring cards (aces, 10♦, 2♠) each seat took this hand, indexed by seat number, so
    /// a hand summary can name the cards behind the points. Empty in results stored before
    /// this field existed.
    #[serde(default)]
    pub scoring_cards: [Vec<Card>; 2],
}

/// How a game ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GameResult {
    /// The winner; `None` is a draw (possible only with V-SINGLE-HAND).
    pub winner: Option<Seat>,
    /// Final game scores per seat.
    pub scores: [u32; 2],
    /// Hands played.
    pub hands_played: u32,
}

/// Scores a hand from the two piles and sweep counts (R-SCORE).
pub fn score_hand(
    hand_number: u32,
    piles: &[Vec<Card>; 2],
    sweeps: [u32; 2],
    ruleset: &Ruleset,
) -> HandResult {
    let count = |seat: usize| piles[seat].len() as u32;
    let spades = |seat: usize| piles[seat].iter().filter(|c| c.is_spade()).count() as u32;
    let seats = [0, 1].map(|me| {
        let them = 1 - me;
        let has = |f: fn(&Card) -> bool| piles[me].iter().filter(|c| f(c)).count() as u32;
        let mut s = HandScore {
            cards: count(me),
            spades: spades(me),
            most_cards: if count(me) > count(them) { 3 } else { 0 },
            most_spades: if spades(me) > spades(them) { 1 } else { 0 },
            big_casino: 2 * has(|c| c.is_big_casino()),
            little_casino: has(|c| c.is_little_casino()),
            aces: has(|c| c.is_ace()),
            sweeps: if ruleset.sweeps_score { sweeps[me] } else { 0 },
            total: 0,
        };
        s.total = s.points();
        s
    });
    let scoring_cards = [0, 1].map(|seat| {
        let mut cards: Vec<Card> = piles[seat]
            .iter()
            .filter(|c| c.is_ace() || c.is_big_casino() || c.is_little_casino())
            .copied()
            .collect();
        cards.sort();
        cards
    });
    HandResult {
        hand_number,
        seats,
        scoring_cards,
    }
}

/// Decides whether the game is over after a hand (R-GAME-END, V-SINGLE-HAND).
pub fn game_result(
    scores: [u32; 2],
    last_hand: &HandResult,
    ruleset: &Ruleset,
) -> Option<GameResult> {
    let result = |winner| GameResult {
        winner,
        scores,
        hands_played: last_hand.hand_number,
    };
    if ruleset.single_hand {
        let [a, b] = last_hand.seats.map(|s| s.total);
        return Some(result(match a.cmp(&b) {
            std::cmp::Ordering::Greater => Some(Seat::FIRST),
            std::cmp::Ordering::Less => Some(Seat::SECOND),
            std::cmp::Ordering::Equal => None,
        }));
    }
    let [a, b] = scores;
    let target = ruleset.target;
    match (a >= target, b >= target) {
        (false, false) => None,
        (true, false) => Some(result(Some(Seat::FIRST))),
        (false, true) => Some(result(Some(Seat::SECOND))),
        // Both reached it: the higher total wins; equal totals mean another hand.
        (true, true) if a > b => Some(result(Some(Seat::FIRST))),
        (true, true) if b > a => Some(result(Some(Seat::SECOND))),
        (true, true) => None,
    }
}
