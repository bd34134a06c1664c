//! Property tests over random seeds and random play (proptest). Each case plays whole matches:
//! - every move `legal_moves` offers applies, and any move outside it is refused without change
//!   (or has exactly the effect of a listed move — listed moves are unique up to grouping);
//! - cards are conserved and every invariant of `check_integrity` holds after every move;
//! - a finished match's scores add up, hand by hand;
//! - replaying the seed and the move list gives the same state;
//! - a `PlayerView` never contains the opponent's cards, the stock or the seed.

mod common;

use game::card::full_pack;
use game::{check_integrity, Card, GameState, Move, Ruleset, Seat};
use proptest::prelude::*;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Matches played by `random_matches_keep_every_invariant`.
const MATCHES: u32 = 3000;
/// Matches in which every position is checked move by move against arbitrary moves.
const EXHAUSTIVE_MATCHES: u32 = 150;

fn pick<T: Clone>(rng: &mut ChaCha8Rng, items: &[T]) -> Option<T> {
    if items.is_empty() {
        None
    } else {
        Some(items[(rng.next_u32() as usize) % items.len()].clone())
    }
}

fn chance(rng: &mut ChaCha8Rng, percent: u32) -> bool {
    rng.next_u32() % 100 < percent
}

fn ruleset_for(n: u8) -> Ruleset {
    match n % 4 {
        0 | 1 => Ruleset::default(),
        2 => Ruleset::with_variants(&["V-TARGET-11", "V-NO-SWEEPS"]).expect("variants"),
        _ => Ruleset::with_variants(&["V-SINGLE-HAND"]).expect("variant"),
    }
}

/// A state with build ids and component grouping forgotten: two moves with equal
/// fingerprints had the same effect.
fn fingerprint(s: &GameState) -> String {
    let sorted = |v: &[Card]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    let mut builds: Vec<_> = s
        .table
        .builds
        .iter()
        .map(|b| {
            (
                b.value,
                b.owner,
                b.is_single(),
                sorted(&b.cards().collect::<Vec<_>>()),
            )
        })
        .collect();
    builds.sort();
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        [sorted(&s.hands[0]), sorted(&s.hands[1])],
        sorted(&s.table.loose),
        builds,
        [sorted(&s.piles[0]), sorted(&s.piles[1])],
        s.sweeps,
        s.last_capturer,
        s.to_move,
        s.deal_number,
        s.hand_number,
        s.scores,
        s.result,
        s.stock,
    )
}

/// An arbitrary (usually illegal) move built from the cards around.
fn arbitrary_move(rng: &mut ChaCha8Rng, s: &GameState, seat: Seat) -> Move {
    let hand = &s.hands[seat.index()];
    let pack = full_pack();
    let card = if chance(rng, 90) {
        pick(rng, hand).unwrap_or(pack[0])
    } else {
        pick(rng, &pack).unwrap_or(pack[0])
    };
    let mut table_cards: Vec<Card> = s.table.loose.clone();
    if chance(rng, 10) {
        table_cards.extend(s.table.cards().take(1));
    }
    if chance(rng, 5) {
        table_cards.push(pick(rng, &pack).unwrap_or(pack[0]));
    }
    let subset = |rng: &mut ChaCha8Rng, percent| -> Vec<Card> {
        table_cards
            .iter()
            .copied()
            .filter(|_| chance(rng, percent))
            .collect()
    };
    let with = subset(rng, 25);
    let extra = subset(rng, 25);
    let absorb: Vec<Vec<Card>> = if extra.is_empty() {
        Vec::new()
    } else if chance(rng, 50) {
        vec![extra]
    } else {
        let mid = extra.len() / 2;
        vec![extra[..mid].to_vec(), extra[mid..].to_vec()]
    };
    let mut ids: Vec<u32> = s.table.builds.iter().map(|b| b.id).collect();
    ids.push(99);
    let build = pick(rng, &ids).unwrap_or(99);
    match rng.next_u32() % 5 {
        0 => Move::Trail { card },
        1 => Move::Capture {
            card,
            builds: ids.iter().copied().filter(|_| chance(rng, 30)).collect(),
            loose: subset(rng, 40),
        },
        2 => Move::Build {
            card,
            value: (rng.next_u32() % 12) as u8,
            with,
            absorb,
        },
        3 => Move::Increase {
            card,
            build,
            with: if chance(rng, 10) { with } else { Vec::new() },
            absorb,
        },
        _ => Move::Add {
            card,
            build,
            with,
            absorb,
        },
    }
}

/// The table items a move uses, as a player would select them.
fn selection_of(mv: &Move) -> (Vec<Card>, Vec<u32>) {
    match mv {
        Move::Trail { .. } => (Vec::new(), Vec::new()),
        Move::Capture { builds, loose, .. } => (loose.clone(), builds.clone()),
        Move::Build { with, absorb, .. } => ([with.clone(), absorb.concat()].concat(), Vec::new()),
        Move::Increase { build, absorb, .. } => (absorb.concat(), vec![*build]),
        Move::Add {
            build,
            with,
            absorb,
            ..
        } => ([with.clone(), absorb.concat()].concat(), vec![*build]),
    }
}

fn check_hand_points(state: &GameState) -> Result<(), TestCaseError> {
    for hand in &state.hand_results {
        let [a, b] = hand.seats;
        if a.cards + b.cards == 52 {
            let sweeps = a.sweeps + b.sweeps;
            let cards = if a.cards == b.cards { 0 } else { 3 };
            // Spades cannot tie with all 13 captured; casinos 2 + 1; four aces.
            prop_assert_eq!(a.total + b.total, cards + 1 + 2 + 1 + 4 + sweeps);
        }
    }
    Ok(())
}

fn view_hides(state: &GameState) -> Result<(), TestCaseError> {
    for seat in Seat::BOTH {
        // Earlier hands' results name the scoring cards each seat took: public, and dealt again
        // since, so they are left out of the search for the cards of this deal.
        let mut view = state.view(seat);
        for hand in &mut view.hand_results {
            hand.scoring_cards = Default::default();
        }
        let json = serde_json::to_string(&view).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(!json.contains("seed"));
        for hidden in state.hands[seat.other().index()].iter().chain(&state.stock) {
            prop_assert!(
                !json.contains(&format!("\"{hidden}\"")),
                "{} leaked to {}",
                hidden,
                seat
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: MATCHES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_matches_keep_every_invariant(seed in any::<u64>(), play_seed in any::<u64>(), dealer in 0u8..2, variant in any::<u8>()) {
        let dealer = Seat::try_from(dealer).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let ruleset = ruleset_for(variant);
        let mut rng = ChaCha8Rng::seed_from_u64(play_seed);
        let mut state = GameState::new(seed, dealer, ruleset);
        prop_assert!(check_integrity(&state).is_ok());
        let mut log: Vec<(Seat, Move)> = Vec::new();
        while !state.is_over() {
            let seat = state.to_move;
            let moves = state.legal_moves(seat);
            prop_assert!(!moves.is_empty(), "a player is never stuck (R-OWNER-KEEP)");
            prop_assert!(state.legal_moves(seat.other()).is_empty());
            let mv = pick(&mut rng, &moves).ok_or_else(|| TestCaseError::fail("no move"))?;
            let out = state.apply(seat, &mv);
            prop_assert!(out.is_ok(), "listed move refused: {:?} {:?}", mv, out);
            log.push((seat, mv));
            if let Err(problems) = check_integrity(&state) {
                prop_assert!(false, "integrity after {:?}: {:?}", log.last(), problems.iter().map(ToString::to_string).collect::<Vec<_>>());
            }
            view_hides(&state)?;
            prop_assert!(log.len() < 48 * 40, "the match must end");
        }
        check_hand_points(&state)?;
        let replayed = GameState::replay(seed, dealer, ruleset, log.iter().map(|(s, m)| (*s, m)))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(replayed, state);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: EXHAUSTIVE_MATCHES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn legal_moves_agree_with_apply(seed in any::<u64>(), play_seed in any::<u64>()) {
        let mut rng = ChaCha8Rng::seed_from_u64(play_seed);
        let mut state = GameState::new(seed, Seat::SECOND, Ruleset::default());
        while !state.is_over() && state.hand_number <= 2 {
            let seat = state.to_move;
            let listed = state.legal(seat);
            let moves = listed.moves;
            let mut effects = Vec::with_capacity(moves.len());
            let mut mid_hand = Vec::with_capacity(moves.len());
            for mv in &moves {
                let mut next = state.clone();
                let applied = next.apply(seat, mv);
                prop_assert!(applied.is_ok(), "listed but refused: {:?}", mv);
                prop_assert!(check_integrity(&next).is_ok(), "{:?}", mv);
                effects.push(fingerprint(&next));
                // The last card of a hand can reach one end by different moves (the residue
                // goes where the capture would have): only mid-hand moves must differ.
                if applied.is_ok_and(|o| o.hand_result.is_none()) {
                    mid_hand.push(fingerprint(&next));
                }
                // The composer offers the same move for the same selection.
                let (loose, builds) = selection_of(mv);
                let offered = state.view(seat).moves_with_selection(mv.card(), &loose, &builds);
                let same = offered.iter().any(|o| {
                    let mut after = state.clone();
                    after.apply(seat, o).is_ok() && fingerprint(&after) == fingerprint(&next)
                });
                prop_assert!(same, "selection of {:?} does not offer it: {:?}", mv, offered);
            }
            let mut unique = mid_hand.clone();
            unique.sort();
            unique.dedup();
            prop_assert_eq!(unique.len(), mid_hand.len(), "two listed moves with one effect: {:?} at {:?}", moves, state.table);
            for _ in 0..40 {
                let candidate = arbitrary_move(&mut rng, &state, seat);
                let mut next = state.clone();
                match next.apply(seat, &candidate) {
                    Ok(_) => prop_assert!(!listed.complete || effects.contains(&fingerprint(&next)),
                        "{:?} applies but matches no listed move", candidate),
                    Err(_) => prop_assert_eq!(&next, &state),
                }
                let mut other = state.clone();
                let refused = other.apply(seat.other(), &candidate);
                let not_your_turn = matches!(refused, Err(game::RuleError::NotYourTurn { .. }));
                prop_assert!(not_your_turn, "the waiting seat got {:?}", refused);
                prop_assert_eq!(&other, &state);
            }
            let mv = pick(&mut rng, &moves).ok_or_else(|| TestCaseError::fail("no move"))?;
            state.apply(seat, &mv).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
    }
}
