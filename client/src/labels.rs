//! Moves in words for the composer's buttons ("Capture 7♦ + 3♣ with 10♠", "Build 9", "Trail 7♣"),
//! and the selection that offers a given move.

use game::{BuildId, Card, Move, Table};

fn cards(list: &[Card]) -> String {
    list.iter()
        .map(|c| c.pretty())
        .collect::<Vec<_>>()
        .join(" + ")
}

fn build_value(table: &Table, id: BuildId) -> String {
    table
        .build(id)
        .map(|b| b.value.to_string())
        .unwrap_or_else(|| "?".to_owned())
}

/// The short label of `mv` on `table`.
pub fn move_label(mv: &Move, table: &Table) -> String {
    match mv {
        Move::Trail { card } => format!("Trail {}", card.pretty()),
        Move::Capture {
            card,
            builds,
            loose,
        } => {
            let mut taken: Vec<String> = builds
                .iter()
                .map(|id| format!("build {}", build_value(table, *id)))
                .collect();
            if !loose.is_empty() {
                taken.push(cards(loose));
            }
            format!("Capture {} with {}", taken.join(" + "), card.pretty())
        }
        Move::Build { value, .. } => format!("Build {value}"),
        Move::Increase { card, build, .. } => {
            let old = table.build(*build).map(|b| b.value);
            match (old, card.value()) {
                (Some(old), Some(v)) => format!("Raise build {old} to {}", old + v),
                _ => format!("Raise build with {}", card.pretty()),
            }
        }
        Move::Add {
            card, build, with, ..
        } => {
            let mut added = vec![*card];
            added.extend(with.iter().copied());
            format!(
                "Add {} to build {}",
                cards(&added),
                build_value(table, *build)
            )
        }
    }
}

/// The details that tell apart two moves with the same short label.
fn details(mv: &Move) -> String {
    match mv {
        Move::Build {
            card, with, absorb, ..
        } => {
            let mut groups = vec![{
                let mut first = vec![*card];
                first.extend(with.iter().copied());
                cards(&first)
            }];
            groups.extend(absorb.iter().map(|g| cards(g)));
            groups.join(", ")
        }
        Move::Increase { card, absorb, .. } | Move::Add { card, absorb, .. } => {
            let mut groups = vec![card.pretty()];
            groups.extend(absorb.iter().map(|g| cards(g)));
            groups.join(", ")
        }
        _ => String::new(),
    }
}

/// Labels for a list of moves, each unique: a label shared by two moves gets its details.
pub fn move_labels(moves: &[Move], table: &Table) -> Vec<String> {
    let short: Vec<String> = moves.iter().map(|m| move_label(m, table)).collect();
    short
        .iter()
        .zip(moves)
        .map(|(label, mv)| {
            let shared = short.iter().filter(|l| *l == label).count() > 1;
            let extra = details(mv);
            if shared && !extra.is_empty() {
                format!("{label} ({extra})")
            } else {
                label.clone()
            }
        })
        .collect()
}

/// The hand card, loose table cards and builds a player selects to be offered `mv`.
pub fn selection_of(mv: &Move) -> (Card, Vec<Card>, Vec<BuildId>) {
    match mv {
        Move::Trail { card } => (*card, Vec::new(), Vec::new()),
        Move::Capture {
            card,
            builds,
            loose,
        } => (*card, loose.clone(), builds.clone()),
        Move::Build {
            card, with, absorb, ..
        } => {
            let mut loose = with.clone();
            loose.extend(absorb.iter().flatten().copied());
            (*card, loose, Vec::new())
        }
        Move::Increase {
            card,
            build,
            with,
            absorb,
        } => {
            let mut loose = with.clone();
            loose.extend(absorb.iter().flatten().copied());
            (*card, loose, vec![*build])
        }
        Move::Add {
            card,
            build,
            with,
            absorb,
        } => {
            let mut loose = with.clone();
            loose.extend(absorb.iter().flatten().copied());
            (*card, loose, vec![*build])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use game::{GameState, Ruleset, Seat};

    fn card(s: &str) -> Card {
        s.parse().expect("valid card")
    }

    #[test]
    fn labels_read_like_the_spec() {
        let table = Table::default();
        let capture = Move::Capture {
            card: card("10S"),
            builds: vec![],
            loose: vec![card("7D"), card("3C")],
        };
        assert_eq!(move_label(&capture, &table), "Capture 7♦ + 3♣ with 10♠");
        assert_eq!(
            move_label(&Move::Trail { card: card("7C") }, &table),
            "Trail 7♣"
        );
        let build = Move::Build {
            card: card("6D"),
            value: 9,
            with: vec![card("3C")],
            absorb: vec![],
        };
        assert_eq!(move_label(&build, &table), "Build 9");
    }

    #[test]
    fn every_legal_move_is_offered_for_its_selection_with_a_unique_label() {
        for seed in 0..6 {
            let mut state = GameState::new(seed, Seat::SECOND, Ruleset::default());
            for _ in 0..16 {
                let Some(seat) = state.view(Seat::FIRST).to_move else {
                    break;
                };
                let view = state.view(seat);
                let moves = view.legal_moves();
                for mv in &moves {
                    let (c, loose, builds) = selection_of(mv);
                    let offered = view.moves_with_selection(c, &loose, &builds);
                    assert!(offered.contains(mv), "seed {seed}: {mv:?} not offered");
                    let labels = move_labels(&offered, &view.table);
                    let mut unique = labels.clone();
                    unique.sort();
                    unique.dedup();
                    assert_eq!(unique.len(), labels.len(), "seed {seed}: {labels:?}");
                }
                let Some(mv) = moves.get(seed as usize % moves.len().max(1)).cloned() else {
                    break;
                };
                if state.apply(seat, &mv).is_err() {
                    break;
                }
            }
        }
    }
}
