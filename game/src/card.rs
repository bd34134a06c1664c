//! Cards: rank, suit, value, notation (`10D`, `AS`, `KC`) and display (`10♦`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One of the four suits. Suits matter only for scoring (spades, 10♦, 2♠).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Suit {
    /// ♠
    Spades,
    /// ♥
    Hearts,
    /// ♦
    Diamonds,
    /// ♣
    Clubs,
}

impl Suit {
    /// All suits in notation order `S H D C`.
    pub const ALL: [Suit; 4] = [Suit::Spades, Suit::Hearts, Suit::Diamonds, Suit::Clubs];

    /// The notation letter: `S`, `H`, `D` or `C`.
    pub fn letter(self) -> char {
        match self {
            Suit::Spades => 'S',
            Suit::Hearts => 'H',
            Suit::Diamonds => 'D',
            Suit::Clubs => 'C',
        }
    }

    /// The printed symbol: ♠ ♥ ♦ ♣.
    pub fn symbol(self) -> char {
        match self {
            Suit::Spades => '♠',
            Suit::Hearts => '♥',
            Suit::Diamonds => '♦',
            Suit::Clubs => '♣',
        }
    }

    fn from_letter(c: char) -> Option<Suit> {
        Suit::ALL
            .into_iter()
            .find(|s| s.letter() == c.to_ascii_uppercase())
    }
}

/// A rank from ace to king.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rank(u8);

impl Rank {
    /// Ace (value 1).
    pub const ACE: Rank = Rank(1);
    /// Jack (no value: pairs only).
    pub const JACK: Rank = Rank(11);
    /// Queen (no value: pairs only).
    pub const QUEEN: Rank = Rank(12);
    /// King (no value: pairs only).
    pub const KING: Rank = Rank(13);

    /// All thirteen ranks, ace first.
    pub fn all() -> impl Iterator<Item = Rank> {
        (1..=13).map(Rank)
    }

    /// Builds a rank from 1 (ace) to 13 (king).
    pub fn new(n: u8) -> Option<Rank> {
        (1..=13).contains(&n).then_some(Rank(n))
    }

    /// 1 for an ace … 13 for a king.
    pub fn number(self) -> u8 {
        self.0
    }

    /// The numeric value of a numeral (A = 1 … 10); `None` for J, Q, K (R-VALUE).
    pub fn value(self) -> Option<u8> {
        (self.0 <= 10).then_some(self.0)
    }

    /// Whether this is a face (court) card: J, Q or K.
    pub fn is_face(self) -> bool {
        self.0 > 10
    }

    /// The notation: `A`, `2` … `10`, `J`, `Q`, `K`.
    pub fn label(self) -> &'static str {
        const LABELS: [&str; 13] = [
            "A", "2", "3", "4", "5", "6", "7", "8", "9", "10", "J", "Q", "K",
        ];
        LABELS[usize::from(self.0 - 1)]
    }

    fn from_label(s: &str) -> Option<Rank> {
        Rank::all().find(|r| r.label().eq_ignore_ascii_case(s) || (r.0 == 10 && s == "T"))
    }
}

/// A playing card. Serialized in the project's notation, e.g. `"10D"`, `"AS"`, `"KC"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Card {
    /// Rank.
    pub rank: Rank,
    /// Suit.
    pub suit: Suit,
}

impl Card {
    /// Makes a card.
    pub fn new(rank: Rank, suit: Suit) -> Card {
        Card { rank, suit }
    }

    /// The numeric value (A = 1 … 10), `None` for face cards.
    pub fn value(self) -> Option<u8> {
        self.rank.value()
    }

    /// Whether this card is J, Q or K.
    pub fn is_face(self) -> bool {
        self.rank.is_face()
    }

    /// Whether this is a spade.
    pub fn is_spade(self) -> bool {
        self.suit == Suit::Spades
    }

    /// Big casino: 10♦ (R-SPECIAL).
    pub fn is_big_casino(self) -> bool {
        self.suit == Suit::Diamonds && self.rank.number() == 10
    }

    /// Little casino: 2♠ (R-SPECIAL).
    pub fn is_little_casino(self) -> bool {
        self.suit == Suit::Spades && self.rank.number() == 2
    }

    /// Whether this card is an ace.
    pub fn is_ace(self) -> bool {
        self.rank == Rank::ACE
    }

    /// The card as people read it: `10♦`, `A♠`.
    pub fn pretty(self) -> String {
        format!("{}{}", self.rank.label(), self.suit.symbol())
    }

    /// A dense index 0..52 (suit-major), used for conservation checks.
    pub fn index(self) -> usize {
        Suit::ALL
            .iter()
            .position(|s| *s == self.suit)
            .unwrap_or(0) // unwrap: every suit is in Suit::ALL
            * 13
            + usize::from(self.rank.number() - 1)
    }
}

impl fmt::Display for Card {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.rank.label(), self.suit.letter())
    }
}

/// Why a card notation could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a card: expected a rank (A 2-10 J Q K) followed by a suit (S H D C), e.g. 10D"
)]
pub struct ParseCardError(pub String);

impl FromStr for Card {
    type Err = ParseCardError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let err = || ParseCardError(s.to_owned());
        let suit_char = t.chars().last().ok_or_else(err)?;
        let suit = Suit::from_letter(suit_char).ok_or_else(err)?;
        let rank_part = &t[..t.len() - suit_char.len_utf8()];
        let rank = Rank::from_label(rank_part).ok_or_else(err)?;
        Ok(Card { rank, suit })
    }
}

impl Serialize for Card {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Card {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The 52 cards of a fresh pack in notation order (spades A-K, hearts, diamonds, clubs).
pub fn full_pack() -> Vec<Card> {
    Suit::ALL
        .into_iter()
        .flat_map(|suit| Rank::all().map(move |rank| Card { rank, suit }))
        .collect()
}

/// Formats cards in notation, separated by spaces (for messages).
pub fn list(cards: &[Card]) -> String {
    cards
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notation_round_trips_for_every_card() {
        for card in full_pack() {
            let text = card.to_string();
            assert_eq!(text.parse::<Card>(), Ok(card), "{text}");
        }
    }

    #[test]
    fn notation_examples_from_the_rule_book() {
        let ten: Card = "10D".parse().expect("10D");
        assert!(ten.is_big_casino());
        assert_eq!(ten.value(), Some(10));
        let two: Card = "2S".parse().expect("2S");
        assert!(two.is_little_casino());
        let king: Card = "KC".parse().expect("KC");
        assert!(king.is_face());
        assert_eq!(king.value(), None);
        assert_eq!("AH".parse::<Card>().expect("AH").value(), Some(1));
    }

    #[test]
    fn bad_notation_is_refused() {
        for bad in ["", "1S", "11H", "AX", "S", "10", "ZZ", "♠A"] {
            assert!(bad.parse::<Card>().is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn pack_has_52_distinct_indices() {
        let mut seen = [false; 52];
        for card in full_pack() {
            assert!(!seen[card.index()]);
            seen[card.index()] = true;
        }
        assert!(seen.iter().all(|s| *s));
    }

    #[test]
    fn pretty_uses_suit_symbols() {
        assert_eq!("7C".parse::<Card>().expect("7C").pretty(), "7♣");
        assert_eq!("10D".parse::<Card>().expect("10D").pretty(), "10♦");
    }
}
