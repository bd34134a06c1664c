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

/// Candidate steps the generator may take before it stops listing. A table covered in small
/// numerals has exponentially many distinct captures and builds; past this budget the list holds
/// every trail and face pairing and as many of the rest as were reached, and says it is incomplete.
pub const ENUMERATION_BUDGET: usize = 200_000;

/// Legal moves, and whether the list is every one of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalMoves {
    /// Legal moves, one per distinct effect.
    pub moves: Vec<Move>,
    /// False when the position had too many to enumerate within [`ENUMERATION_BUDGET`].
    pub complete: bool,
}

struct Budget(usize);

impl Budget {
    fn spend(&mut self) -> bool {
        if self.0 == 0 {
            false
        } else {
            self.0 -= 1;
            true
        }
    }
}

/// Every legal move for `seat` holding `hand` at `table` (turn order is the caller's concern).
pub fn moves_for(hand: &[Card], table: &Table, seat: Seat) -> LegalMoves {
    let mut budget = Budget(ENUMERATION_BUDGET);
    let mut distinct: Vec<Card> = hand.to_vec();
    distinct.sort();
    distinct.dedup();
    let mut moves = candidates(&distinct, hand, table, &mut budget);
    moves.retain(|mv| resolve(hand, table, seat, mv).is_ok());
    LegalMoves {
        moves,
        complete: budget.0 > 0,
    }
}

/// Candidate moves playing one of `play`, unchecked; `hand` is the mover's whole hand.
fn candidates(play: &[Card], hand: &[Card], table: &Table, budget: &mut Budget) -> Vec<Move> {
    let numerals: Vec<Card> = table
        .loose
        .iter()
        .copied()
        .filter(|c| !c.is_face())
        .collect();
    let mut out = Vec::new();
    // Cheap moves first, so a truncated list still holds all of them.
    for &card in play {
        out.push(Move::Trail { card });
        if card.is_face() {
            for &t in table.loose.iter().filter(|t| t.rank == card.rank) {
                out.push(Move::Capture {
                    card,
                    builds: Vec::new(),
                    loose: vec![t],
                });
            }
        }
    }
    for &card in play {
        if let Some(v) = card.value() {
            captures(card, v, &numerals, table, &mut out, budget);
            builds(card, v, hand, &numerals, table, &mut out, budget);
            increases(card, v, &numerals, table, &mut out, budget);
            adds(card, v, &numerals, table, &mut out, budget);
        }
    }
    out
}

/// The legal moves that play `card` and use exactly the selected table items: what a player
/// means by picking a hand card and some table cards (the move composer). Selections are small,
/// so this is always complete.
pub fn moves_with_selection(
    hand: &[Card],
    table: &Table,
    seat: Seat,
    card: Card,
    loose: &[Card],
    builds: &[crate::table::BuildId],
) -> Vec<Move> {
    let selected = Table {
        loose: table
            .loose
            .iter()
            .copied()
            .filter(|c| loose.contains(c))
            .collect(),
        builds: table
            .builds
            .iter()
            .filter(|b| builds.contains(&b.id))
            .cloned()
            .collect(),
        next_build_id: table.next_build_id,
    };
    if selected.loose.len() != loose.len() || selected.builds.len() != builds.len() {
        return Vec::new();
    }
    let mut wanted: Vec<Card> = selected.cards().collect();
    wanted.sort();
    if !hand.contains(&card) {
        return Vec::new();
    }
    let mut budget = Budget(ENUMERATION_BUDGET);
    let mut out: Vec<Move> = candidates(&[card], hand, &selected, &mut budget)
        .into_iter()
        .filter(|mv| uses(mv, table) == wanted)
        .collect();
    // The generator ran on the selection alone; the real table and hand decide (R-OWNER-KEEP,
    // R-BUILD-HOLD).
    out.retain(|mv| resolve(hand, table, seat, mv).is_ok());
    out
}

/// The table cards a move uses (loose cards and whole builds), sorted.
fn uses(mv: &Move, table: &Table) -> Vec<Card> {
    let build_cards = |id: &crate::table::BuildId| {
        table
            .build(*id)
            .map(|b| b.cards().collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let mut used: Vec<Card> = match mv {
        Move::Trail { .. } => Vec::new(),
        Move::Capture { builds, loose, .. } => {
            let mut v = loose.clone();
            v.extend(builds.iter().flat_map(build_cards));
            v
        }
        Move::Build { with, absorb, .. } => [with.clone(), absorb.concat()].concat(),
        Move::Increase { build, absorb, .. } => [build_cards(build), absorb.concat()].concat(),
        Move::Add {
            build,
            with,
            absorb,
            ..
        } => [build_cards(build), with.clone(), absorb.concat()].concat(),
    };
    used.sort();
    used
}

fn captures(
    card: Card,
    v: u8,
    numerals: &[Card],
    table: &Table,
    out: &mut Vec<Move>,
    budget: &mut Budget,
) {
    let build = table.build_of_value(v).map(|b| b.id);
    for groups in collections(&groups_totalling(v, numerals, budget), budget) {
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

fn builds(
    card: Card,
    v: u8,
    hand: &[Card],
    numerals: &[Card],
    table: &Table,
    out: &mut Vec<Move>,
    budget: &mut Budget,
) {
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
        for with in withs(value - v, numerals, budget) {
            let rest = without(numerals, &with);
            for absorb in collections(&groups_totalling(value, &rest, budget), budget) {
                if with.is_empty() && absorb.is_empty() {
                    continue;
                }
                let key = (
                    !absorb.is_empty(),
                    sorted([with.clone(), absorb.concat()].concat()),
                );
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

fn increases(
    card: Card,
    v: u8,
    numerals: &[Card],
    table: &Table,
    out: &mut Vec<Move>,
    budget: &mut Budget,
) {
    for build in table.builds.iter().filter(|b| b.is_single()) {
        let value = build.value.saturating_add(v);
        if value > 10 {
            continue;
        }
        for absorb in collections(&groups_totalling(value, numerals, budget), budget) {
            out.push(Move::Increase {
                card,
                build: build.id,
                with: Vec::new(),
                absorb,
            });
        }
    }
}

fn adds(
    card: Card,
    v: u8,
    numerals: &[Card],
    table: &Table,
    out: &mut Vec<Move>,
    budget: &mut Budget,
) {
    for build in &table.builds {
        if v > build.value {
            continue;
        }
        let mut seen = BTreeSet::new();
        for with in withs(build.value - v, numerals, budget) {
            let rest = without(numerals, &with);
            for absorb in collections(&groups_totalling(build.value, &rest, budget), budget) {
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
fn withs(missing: u8, numerals: &[Card], budget: &mut Budget) -> Vec<Vec<Card>> {
    if missing == 0 {
        vec![Vec::new()]
    } else {
        groups_totalling(missing, numerals, budget)
    }
}

/// Every non-empty subset of `cards` (numerals) whose values total `target`, each sorted.
fn groups_totalling(target: u8, cards: &[Card], budget: &mut Budget) -> Vec<Vec<Card>> {
    let mut sorted_cards = cards.to_vec();
    sorted_cards.sort();
    let mut out = Vec::new();
    let mut current = Vec::new();
    subsets(&sorted_cards, 0, target, &mut current, &mut out, budget);
    out
}

fn subsets(
    cards: &[Card],
    from: usize,
    left: u8,
    current: &mut Vec<Card>,
    out: &mut Vec<Vec<Card>>,
    budget: &mut Budget,
) {
    if !budget.spend() {
        return;
    }
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
            subsets(cards, i + 1, left - v, current, out, budget);
            current.pop();
        }
    }
}

/// Every collection of pairwise disjoint groups (including none), one per distinct card union.
fn collections(groups: &[Vec<Card>], budget: &mut Budget) -> Vec<Vec<Vec<Card>>> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut current: Vec<Vec<Card>> = Vec::new();
    collect(groups, 0, &mut current, &mut seen, &mut out, budget);
    out
}

fn collect(
    groups: &[Vec<Card>],
    from: usize,
    current: &mut Vec<Vec<Card>>,
    seen: &mut BTreeSet<Vec<Card>>,
    out: &mut Vec<Vec<Vec<Card>>>,
    budget: &mut Budget,
) {
    if !budget.spend() {
        return;
    }
    if seen.insert(sorted(current.concat())) {
        out.push(current.clone());
    }
    for i in from..groups.len() {
        let clash = current.iter().flatten().any(|c| groups[i].contains(c));
        if !clash {
            current.push(groups[i].clone());
            collect(groups, i + 1, current, seen, out, budget);
            current.pop();
        }
    }
}

fn without(cards: &[Card], remove: &[Card]) -> Vec<Card> {
    cards
        .iter()
        .copied()
        .filter(|c| !remove.contains(c))
        .collect()
}

fn sorted(mut cards: Vec<Card>) -> Vec<Card> {
    cards.sort();
    cards
}
