//! The shuffle: a portable, seeded deal. Same seed and hand number ⇒ same order, on every platform.
//!
//! ChaCha20 (`rand_chacha`, a fixed algorithm) supplies the random words; the Fisher–Yates shuffle
//! and the unbiased bounded draw are written here, so the order does not depend on how a `rand`
//! release happens to implement `shuffle`. `deck::tests::golden_deal` pins the result.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

use crate::card::{full_pack, Card};

/// The shuffled pack for hand `hand_number` (1-based) of the game with deal seed `seed`.
/// Index 0 is the top of the stock.
pub fn shuffled_pack(seed: u64, hand_number: u32) -> Vec<Card> {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    rng.set_stream(u64::from(hand_number));
    let mut pack = full_pack();
    for i in (1..pack.len()).rev() {
        let j = uniform_below(&mut rng, (i + 1) as u32) as usize;
        pack.swap(i, j);
    }
    pack
}

/// A uniform number in `0..bound` by rejection (no modulo bias).
fn uniform_below(rng: &mut ChaCha20Rng, bound: u32) -> u32 {
    let zone = u32::MAX - (u32::MAX % bound);
    loop {
        let x = rng.next_u32();
        if x < zone {
            return x % bound;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::list;

    #[test]
    fn same_seed_same_order_and_a_permutation() {
        let a = shuffled_pack(7, 1);
        assert_eq!(a, shuffled_pack(7, 1));
        let mut sorted = a.clone();
        sorted.sort();
        let mut pack = full_pack();
        pack.sort();
        assert_eq!(sorted, pack);
    }

    #[test]
    fn hands_and_seeds_differ() {
        assert_ne!(shuffled_pack(7, 1), shuffled_pack(7, 2));
        assert_ne!(shuffled_pack(7, 1), shuffled_pack(8, 1));
    }

    /// Pins the deal: if this changes, every stored game would replay differently.
    #[test]
    fn golden_deal() {
        let top: Vec<Card> = shuffled_pack(42, 1).into_iter().take(12).collect();
        assert_eq!(list(&top), GOLDEN_42_1);
    }

    const GOLDEN_42_1: &str = "6C 5D JH 2S 8H 6H 8D 10H 2C AH JC 5H";
}
