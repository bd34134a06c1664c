//! How a card is shown: rank, suit symbol and colour.

use game::{Card, Suit};

/// The colour a card is printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    /// Hearts and diamonds.
    Red,
    /// Spades and clubs.
    Black,
}

/// The visible face of a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardFace {
    /// Rank as printed: "A", "2" … "10", "J", "Q", "K".
    pub rank: String,
    /// Suit symbol: ♠ ♥ ♦ ♣.
    pub suit: char,
    /// Red or black.
    pub ink: Ink,
}

impl From<Card> for CardFace {
    fn from(card: Card) -> Self {
        let ink = match card.suit {
            Suit::Hearts | Suit::Diamonds => Ink::Red,
            Suit::Spades | Suit::Clubs => Ink::Black,
        };
        Self {
            rank: card.rank.label().to_owned(),
            suit: card.suit.symbol(),
            ink,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_of_diamonds_is_red_with_its_symbol() {
        let face = CardFace::from("10D".parse::<Card>().expect("valid card"));
        assert_eq!(face.rank, "10");
        assert_eq!(face.suit, '♦');
        assert_eq!(face.ink, Ink::Red);
    }

    #[test]
    fn ace_of_spades_is_black() {
        let face = CardFace::from("AS".parse::<Card>().expect("valid card"));
        assert_eq!(face.rank, "A");
        assert_eq!(face.suit, '♠');
        assert_eq!(face.ink, Ink::Black);
    }
}
