//! Legal-move generation (RULES §10): enumerate candidates, keep those `resolve` accepts.
//!
//! Moves that differ only in how the same cards are grouped (which partition of a capture, which
//! cards go in `with` and which are absorbed into a multiple build) have the same effect; one
//! representative of each is listed. A build of a value already on the table is offered as an
//! `add` to that build, never as a second `build` that would merge into it (same effect).

use std::collections::BTreeSet;

use crate::card::Card;
use crate::moves::Move;
use crate::resolve::resolve;
use crate::seat::Seat;
use crate::table::Table;

/// Every legal move for `seat` holding `hand` at `table` (turn order is the caller's concern).
pub fn moves_for(hand: &[Card], table: &Table, seat: Seat) -> Vec<Move> {
    let numerals: Vec<Card> = table.loose.iter().copied().filter(|c| !c.is_face()).collect();
    let mut out = Vec::new();
    let mut seen_cards = BTreeSet::new();
    for &card in hand {
        if !seen_cards.insert(card) {
            continue;
        }
        out.push(Move::Trail { card });
        match card.value() {
            None => {
                for &t in table.loose.iter().filter(|t| t.rank == card.rank) {
                    out.push(Move::Capture {
                        card,
                        builds: Vec::new(),
                        loose: vec![t],
                    });
                }
            }
            Some(v) => {
                captures(card, v, &numerals, table, &mut out);
                builds(card, v, hand, &numerals, table, &mut out);
                increases(card, v, &numerals, table, &mut out);
                adds(card, v, &numerals, table, &mut out);
            }
        }
    }
    out.retain(|mv| resolve(hand, table, seat, mv).is_ok());
    out
}

fn captures(card: Card, v: u8, numerals: &[Card], table: &Table, out: &mut Vec<Move>) {
    let build = table.build_of_value(v).map(|b| b.id);
    for groups in collections(&groups_totalling(v, numerals)) {
        let loose: Vec<Card> = groups.concat();
        if !loose.is_empty() {
            out.push(Move::Capture {
                card,
                builds: Vec::new(),
                loose: sorted(loose.clone()),
            });
        }
        if let Some(id) = build {
            out.push(Move::Capture {
                card,
                builds: vec![id],
                loose: sorted(loose),
            });
        }
    }
}

fn builds(card: Card, v: u8, hand: &[Card], numerals: &[Card], table: &Table, out: &mut Vec<Move>) {
    for value in v..=10 {
        if table.build_of_value(value).is_some() {
            continue; // offered as an add to that build
        }
        let holds = hand
            .iter()
            .filter(|c| **c != card)
            .any(|c| c.value() == Some(value));
        if !holds {
            continue;
        }
        let mut seen = BTreeSet::new();
        for with in withs(value - v, numerals) {
            let rest = without(numerals, &with);
            for absorb in collections(&groups_totalling(value, &rest)) {
                if with.is_empty() && absorb.is_empty() {
                    continue;
                }
                let key = (!absorb.is_empty(), sorted([with.clone(), absorb.concat()].concat()));
                if seen.insert(key) {
                    out.push(Move::Build {
                        card,
                        value,
                        with: with.clone(),
                        absorb,
                    });
                }
            }
        }
    }
}

fn increases(card: Card, v: u8, numerals: &[Card], table: &Table, out: &mut Vec<Move>) {
    for build in table.builds.iter().filter(|b| b.is_single()) {
        let value = build.value + v;
        if value > 10 {
            continue;
        }
        for absorb in collections(&groups_totalling(value, numerals)) {
            out.push(Move::Increase {
                card,
                build: build.id,
                with: Vec::new(),
                absorb,
            });
        }
    }
}

fn adds(card: Card, v: u8, numerals: &[Card], table: &Table, out: &mut Vec<Move>) {
    for build in &table.builds {
        if v > build.value {
            continue;
        }
        let mut seen = BTreeSet::new();
        for with in withs(build.value - v, numerals) {
            let rest = without(numerals, &with);
            for absorb in collections(&groups_totalling(build.value, &rest)) {
                if seen.insert(sorted([with.clone(), absorb.concat()].concat())) {
                    out.push(Move::Add {
                        card,
                        build: build.id,
                        with: with.clone(),
                        absorb,
                    });
                }
            }
        }
    }
}

/// The `with` sets completing a played card: the empty set when nothing is missing, else every
/// set of loose numerals totalling `missing`.
fn withs(missing: u8, numerals: &[Card]) -> Vec<Vec<Card>> {
    if missing == 0 {
        vec![Vec::new()]
    } else {
        groups_totalling(missing, numerals)
    }
}

/// Every non-empty subset of `cards` (numerals) whose values total `target`, each sorted.
pub(crate) fn groups_totalling(target: u8, cards: &[Card]) -> Vec<Vec<Card>> {
    let mut sorted_cards = cards.to_vec();
    sorted_cards.sort();
    let mut out = Vec::new();
    let mut current = Vec::new();
    subsets(&sorted_cards, 0, target, &mut current, &mut out);
    out
}

fn subsets(cards: &[Card], from: usize, left: u8, current: &mut Vec<Card>, out: &mut Vec<Vec<Card>>) {
    if left == 0 {
        if !current.is_empty() {
            out.push(current.clone());
        }
        return;
    }
    for i in from..cards.len() {
        let Some(v) = cards[i].value() else { continue };
        if v <= left {
            current.push(cards[i]);
            subsets(cards, i + 1, left - v, current, out);
            current.pop();
        }
    }
}

/// Every collection of pairwise disjoint groups (including none), one per distinct card union.
fn collections(groups: &[Vec<Card>]) -> Vec<Vec<Vec<Card>>> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut current: Vec<Vec<Card>> = Vec::new();
    collect(groups, 0, &mut current, &mut seen, &mut out);
    out
}

fn collect(
    groups: &[Vec<Card>],
    from: usize,
    current: &mut Vec<Vec<Card>>,
    seen: &mut BTreeSet<Vec<Card>>,
    out: &mut Vec<Vec<Vec<Card>>>,
) {
    if seen.insert(sorted(current.concat())) {
        out.push(current.clone());
    }
    for i in from..groups.len() {
        let clash = current.iter().flatten().any(|c| groups[i].contains(c));
        if !clash {
            current.push(groups[i].clone());
            collect(groups, i + 1, current, seen, out);
            current.pop();
        }
    }
}

fn without(cards: &[Card], remove: &[Card]) -> Vec<Card> {
    cards.iter().copied().filter(|c| !remove.contains(c)).collect()
}

fn sorted(mut cards: Vec<Card>) -> Vec<Card> {
    cards.sort();
    cards
}
