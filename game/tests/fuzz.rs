//! Fuzzing the engine on stable Rust (proptest): arbitrary positions — a real game mangled field
//! by field, out-of-range numbers and misplaced or doubled cards included — and arbitrary moves,
//! legal or made of random cards and build ids. Never a panic, never a wrapped number: a position
//! `validate_position` accepts takes every move (or refuses it and stays as it was), and one it
//! refuses is refused by the judge as `INVALID_POSITION`.
//!
//! `CASINO_FUZZ_CASES` sets the number of positions (default 20,000, under ten seconds); the
//! longer run of README.md "Fuzzing" raises it.

use std::sync::atomic::{AtomicU64, Ordering};

use game::card::full_pack;
use game::table::Build;
use game::{validate_position, Card, GameState, Move, Ruleset, Seat};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One change to a position.
#[derive(Debug, Clone)]
enum Mutation {
    BuildValue(usize, u8),
    Score(bool, u32),
    Sweeps(bool, u32),
    DealNumber(u8),
    HandNumber(u32),
    MovesPlayed(u32),
    NextBuildId(u32),
    Target(u32),
    ToMove(bool),
    MoveCard(u8, u8, usize),
    DoubleCard(u8, usize),
    NewBuild(u8, usize, bool),
    ClearStock,
    HandTotal(u32),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let big = prop_oneof![0u32..30, any::<u32>()];
    prop_oneof![
        (0usize..4, any::<u8>()).prop_map(|(i, v)| Mutation::BuildValue(i, v)),
        (any::<bool>(), big.clone()).prop_map(|(s, v)| Mutation::Score(s, v)),
        (any::<bool>(), big.clone()).prop_map(|(s, v)| Mutation::Sweeps(s, v)),
        any::<u8>().prop_map(Mutation::DealNumber),
        big.clone().prop_map(Mutation::HandNumber),
        big.clone().prop_map(Mutation::MovesPlayed),
        any::<u32>().prop_map(Mutation::NextBuildId),
        big.clone().prop_map(Mutation::Target),
        any::<bool>().prop_map(Mutation::ToMove),
        (0u8..7, 0u8..7, 0usize..52).prop_map(|(a, b, i)| Mutation::MoveCard(a, b, i)),
        (0u8..7, 0usize..52).prop_map(|(p, i)| Mutation::DoubleCard(p, i)),
        (any::<u8>(), 1usize..4, any::<bool>()).prop_map(|(v, n, o)| Mutation::NewBuild(v, n, o)),
        Just(Mutation::ClearStock),
        big.prop_map(Mutation::HandTotal),
    ]
}

/// The card list of place `p`: stock, hand 0, hand 1, loose table cards, pile 0, pile 1,
/// set aside.
fn place(state: &mut GameState, p: u8) -> &mut Vec<Card> {
    match p % 7 {
        0 => &mut state.stock,
        1 => &mut state.hands[0],
        2 => &mut state.hands[1],
        3 => &mut state.table.loose,
        4 => &mut state.piles[0],
        5 => &mut state.piles[1],
        _ => &mut state.set_aside,
    }
}

fn seat(first: bool) -> Seat {
    if first {
        Seat::FIRST
    } else {
        Seat::SECOND
    }
}

fn mutate(state: &mut GameState, m: &Mutation) {
    match m {
        Mutation::BuildValue(i, v) => {
            if let Some(b) = state.table.builds.get_mut(*i) {
                b.value = *v;
            }
        }
        Mutation::Score(s, v) => state.scores[seat(*s).index()] = *v,
        Mutation::Sweeps(s, v) => state.sweeps[seat(*s).index()] = *v,
        Mutation::DealNumber(n) => state.deal_number = *n,
        Mutation::HandNumber(n) => state.hand_number = *n,
        Mutation::MovesPlayed(n) => state.moves_played = *n,
        Mutation::NextBuildId(n) => state.table.next_build_id = *n,
        Mutation::Target(n) => state.ruleset.target = *n,
        Mutation::ToMove(s) => state.to_move = seat(*s),
        Mutation::MoveCard(from, to, i) => {
            let from = place(state, *from);
            if !from.is_empty() {
                let card = from.remove(i % from.len());
                place(state, *to).push(card);
            }
        }
        Mutation::DoubleCard(p, i) => {
            let cards = place(state, *p);
            if !cards.is_empty() {
                let card = cards[i % cards.len()];
                cards.push(card);
            }
        }
        Mutation::NewBuild(value, n, owner) => {
            let loose = &mut state.table.loose;
            let take = (*n).min(loose.len());
            let cards: Vec<Card> = loose.drain(..take).collect();
            if !cards.is_empty() {
                let id = state.table.next_build_id.wrapping_add(1);
                state.table.builds.push(Build {
                    id,
                    value: *value,
                    components: vec![cards],
                    owner: seat(*owner),
                });
            }
        }
        Mutation::ClearStock => state.stock.clear(),
        Mutation::HandTotal(t) => {
            if let Some(hand) = state.hand_results.last_mut() {
                hand.seats[0].total = *t;
            }
        }
    }
}

/// A move made of random cards and ids: mostly illegal, sometimes out of every range.
fn random_move(rng: &mut ChaCha8Rng, state: &GameState) -> Move {
    let pack = full_pack();
    let card = |rng: &mut ChaCha8Rng| pack[(rng.next_u32() % 52) as usize];
    let cards = |rng: &mut ChaCha8Rng| {
        let n = rng.next_u32() % 4;
        (0..n).map(|_| card(rng)).collect::<Vec<_>>()
    };
    let build_id = |rng: &mut ChaCha8Rng| match rng.next_u32() % 3 {
        0 => rng.next_u32(),
        _ => state
            .table
            .builds
            .get((rng.next_u32() % 4) as usize)
            .map_or(1, |b| b.id),
    };
    let hand_card = |rng: &mut ChaCha8Rng| {
        let hand = &state.hands[state.to_move.index()];
        if hand.is_empty() || rng.next_u32() % 4 == 0 {
            card(rng)
        } else {
            hand[(rng.next_u32() as usize) % hand.len()]
        }
    };
    match rng.next_u32() % 5 {
        0 => Move::Trail {
            card: hand_card(rng),
        },
        1 => Move::Capture {
            card: hand_card(rng),
            builds: (0..rng.next_u32() % 3).map(|_| build_id(rng)).collect(),
            loose: cards(rng),
        },
        2 => Move::Build {
            card: hand_card(rng),
            value: (rng.next_u32() % 256) as u8,
            with: cards(rng),
            absorb: vec![cards(rng)],
        },
        3 => Move::Increase {
            card: hand_card(rng),
            build: build_id(rng),
            with: cards(rng),
            absorb: vec![cards(rng)],
        },
        _ => Move::Add {
            card: hand_card(rng),
            build: build_id(rng),
            with: cards(rng),
            absorb: vec![cards(rng)],
        },
    }
}

static POSITIONS: AtomicU64 = AtomicU64::new(0);
static REFUSED_POSITIONS: AtomicU64 = AtomicU64::new(0);
static MOVES: AtomicU64 = AtomicU64::new(0);

fn cases() -> u32 {
    std::env::var("CASINO_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000)
}

/// One case: a real game after `plies` random moves, mangled, then `moves` moves tried on it.
fn check_case(seed: u64, plies: u32, mutations: &[Mutation], moves: u32) -> Result<(), String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let ruleset = if seed % 3 == 0 {
        Ruleset::with_variants(&["V-SINGLE-HAND"]).map_err(|e| e.to_string())?
    } else {
        Ruleset::default()
    };
    let mut state = GameState::new(seed, Seat::SECOND, ruleset);
    for _ in 0..plies {
        let legal = state.legal_moves(state.to_move);
        let Some(mv) = legal
            .get((rng.next_u32() as usize) % legal.len().max(1))
            .cloned()
        else {
            break;
        };
        state
            .apply(state.to_move, &mv)
            .map_err(|e| format!("a legal move was refused: {e}"))?;
    }
    for m in mutations {
        mutate(&mut state, m);
    }
    POSITIONS.fetch_add(1, Ordering::Relaxed);
    if validate_position(&state).is_err() {
        REFUSED_POSITIONS.fetch_add(1, Ordering::Relaxed);
        let case = serde_json::json!({
            "position": state,
            "move": {"type": "trail", "card": "7C"},
        });
        let verdict = game::judge::judge_json(&case.to_string()).map_err(|e| e.to_string())?;
        if verdict["error"]["code"] != "INVALID_POSITION" {
            return Err(format!("the judge played on a refused position: {verdict}"));
        }
        return Ok(());
    }
    for _ in 0..moves {
        let mover = state.to_move;
        let mv = if rng.next_u32() % 3 == 0 {
            let legal = state.legal_moves(mover);
            match legal.get((rng.next_u32() as usize) % legal.len().max(1)) {
                Some(mv) => mv.clone(),
                None => random_move(&mut rng, &state),
            }
        } else {
            random_move(&mut rng, &state)
        };
        MOVES.fetch_add(1, Ordering::Relaxed);
        let before = state.clone();
        if state.apply(mover, &mv).is_err() && state != before {
            return Err(format!("{mv:?} was refused but changed the position"));
        }
        if state.is_over() {
            break;
        }
    }
    Ok(())
}

#[test]
fn arbitrary_positions_and_moves_never_break_the_engine() {
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        any::<u64>(),
        0u32..80,
        prop::collection::vec(mutation(), 0..6),
        1u32..25,
    );
    let result = runner.run(&strategy, |(seed, plies, mutations, moves)| {
        check_case(seed, plies, &mutations, moves).map_err(TestCaseError::fail)
    });
    eprintln!(
        "engine fuzz: {} positions ({} refused at the boundary), {} moves tried",
        POSITIONS.load(Ordering::Relaxed),
        REFUSED_POSITIONS.load(Ordering::Relaxed),
        MOVES.load(Ordering::Relaxed)
    );
    if let Err(err) = result {
        panic!("{err}");
    }
}
