//! Rules-engine throughput: complete random matches, one hand's replay from its log, and
//! legal-move generation. `cargo bench -p game`; numbers go to BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use game::{GameState, Move, Ruleset, Seat};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Plays a whole match with uniformly random legal moves; returns the log.
fn random_match(seed: u64) -> (GameState, Vec<(Seat, Move)>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    let mut state = GameState::new(seed, Seat::SECOND, Ruleset::default());
    let mut log = Vec::new();
    while !state.is_over() {
        let seat = state.to_move;
        let moves = state.legal_moves(seat);
        let mv = moves[(rng.next_u32() as usize) % moves.len()].clone();
        if state.apply(seat, &mv).is_err() {
            unreachable!("a listed move is legal");
        }
        log.push((seat, mv));
    }
    (state, log)
}

fn engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(1));
    let mut seed = 0u64;
    group.bench_function("random_match", |b| {
        b.iter(|| {
            seed += 1;
            random_match(seed)
        })
    });

    // One hand (48 moves) rebuilt from seed + log, as the server does after a restart.
    let (_, log) = random_match(42);
    let hand: Vec<(Seat, Move)> = log.into_iter().take(48).collect();
    group.bench_function("replay_one_hand", |b| {
        b.iter(|| {
            GameState::replay(
                42,
                Seat::SECOND,
                Ruleset::default(),
                hand.iter().map(|(s, m)| (*s, m)),
            )
        })
    });

    let start = GameState::new(7, Seat::SECOND, Ruleset::default());
    group.bench_function("legal_moves_first_turn", |b| {
        b.iter(|| start.legal_moves(Seat::FIRST))
    });
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
