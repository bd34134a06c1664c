//! A deal anyone can verify. Each room commits to its secret deal seed before the first card:
//! the first `welcome` carries [`commitment`] of the seed and a per-room salt, and `game_over`
//! reveals both. A player recomputes the commitment and every deal they saw with the same engine
//! ([`verify`]), so the server cannot have chosen or changed the deck once play began. The salt
//! keeps the seed from being found by trying seeds against the commitment.

use sha2::{Digest, Sha256};

use crate::card::Card;
use crate::seat::Seat;
use crate::state::GameState;

/// The commitment to `seed` with `salt`: hex SHA-256 of `casino-deal-v1:{seed}:{salt}`.
pub fn commitment(seed: u64, salt: &str) -> String {
    let digest = Sha256::digest(format!("casino-deal-v1:{seed}:{salt}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a player saw dealt to themselves in one deal (and, for a hand's first deal seen before
/// anyone moved, the table's four cards).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenDeal {
    /// The hand (1-based).
    pub hand_number: u32,
    /// The deal within it (1-6).
    pub deal_number: u8,
    /// Who dealt that hand.
    pub dealer: Seat,
    /// The cards this player was dealt.
    pub cards: Vec<Card>,
    /// The table's opening cards, when seen before the hand's first move.
    pub table: Option<Vec<Card>>,
}

/// Why a revealed deal does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DealMismatch {
    /// The revealed seed and salt do not hash to the commitment.
    #[error("the revealed seed does not match the commitment made before the first card")]
    Commitment,
    /// A deal the player saw is not what the seed deals.
    #[error("hand {hand_number}, deal {deal_number}: the cards dealt are not the seed's")]
    Deal {
        /// The hand.
        hand_number: u32,
        /// The deal.
        deal_number: u8,
    },
}

/// Checks a revealed `seed` and `salt` against the `committed` hash and every deal `seat` saw;
/// returns how many deals were checked.
pub fn verify(
    committed: &str,
    seed: u64,
    salt: &str,
    seat: Seat,
    seen: &[SeenDeal],
) -> Result<usize, DealMismatch> {
    if commitment(seed, salt) != committed {
        return Err(DealMismatch::Commitment);
    }
    let sorted = |cards: &[Card]| {
        let mut cards = cards.to_vec();
        cards.sort();
        cards
    };
    for deal in seen {
        let (hands, table) =
            GameState::dealt(seed, deal.hand_number, deal.dealer, deal.deal_number);
        let table_ok = deal
            .table
            .as_ref()
            .is_none_or(|seen_table| sorted(seen_table) == sorted(&table));
        if sorted(&deal.cards) != sorted(&hands[seat.index()]) || !table_ok {
            return Err(DealMismatch::Deal {
                hand_number: deal.hand_number,
                deal_number: deal.deal_number,
            });
        }
    }
    Ok(seen.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ruleset::Ruleset;

    #[test]
    fn a_commitment_binds_the_seed_and_the_salt() {
        let c = commitment(42, "salt");
        assert_eq!(c.len(), 64);
        assert_eq!(c, commitment(42, "salt"));
        assert_ne!(c, commitment(43, "salt"));
        assert_ne!(c, commitment(42, "pepper"));
    }

    #[test]
    fn the_deals_a_player_saw_verify_and_a_stacked_one_does_not() {
        let seed = 7;
        let game = GameState::new(seed, Seat::SECOND, Ruleset::default());
        let me = Seat::FIRST;
        let seen = vec![SeenDeal {
            hand_number: 1,
            deal_number: 1,
            dealer: Seat::SECOND,
            cards: game.hands[me.index()].clone(),
            table: Some(game.table.loose.clone()),
        }];
        let committed = commitment(seed, "s");
        assert_eq!(verify(&committed, seed, "s", me, &seen), Ok(1));
        assert_eq!(
            verify(&committed, seed + 1, "s", me, &seen),
            Err(DealMismatch::Commitment)
        );
        // A server that dealt other cards than its seed says is caught.
        let mut stacked = seen.clone();
        stacked[0].cards[0] = game.hands[me.other().index()][0];
        assert!(matches!(
            verify(&committed, seed, "s", me, &stacked),
            Err(DealMismatch::Deal { .. })
        ));
        // Later deals come from the same dealing.
        let (hands, table) = GameState::dealt(seed, 1, Seat::SECOND, 2);
        assert_eq!(hands[0].len(), 4);
        assert!(table.is_empty());
    }
}
