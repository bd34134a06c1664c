//! Moves in words for the composer's buttons: what happens, with the cards it uses ("Capture
//! 4♠ 3♦ with 7♣", "Multiple build of 9: A♣+8♠ and 5♣+4♥", "Raise build 5 to 10 with 5♣"),
//! the same in spoken words for screen readers, and the selection that offers a given move.

use game::{BuildId, Card, Move, Table};

use crate::speech::card_name;

/// How cards are written: glyphs on the button, words for the screen reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// "A♣+8♠".
    Glyphs,
    /// "Ace of clubs plus 8 of spades".
    Words,
}

impl Style {
    fn card(self, card: Card) -> String {
        match self {
            Style::Glyphs => card.pretty(),
            Style::Words => card_name(card),
        }
    }

    /// One set of cards that goes together: "A♣+8♠".
    fn group(self, cards: &[Card]) -> String {
        let joint = match self {
            Style::Glyphs => "+",
            Style::Words => " plus ",
        };
        cards
            .iter()
            .map(|c| self.card(*c))
            .collect::<Vec<_>>()
            .join(joint)
    }

    /// Several things: "4♠ 3♦ and build 7" / "4 of spades, 3 of diamonds and build 7".
    fn list(self, items: &[String], loose_count: usize) -> String {
        let (loose, rest) = items.split_at(loose_count.min(items.len()));
        let mut parts: Vec<String> = Vec::new();
        match self {
            Style::Glyphs => {
                if !loose.is_empty() {
                    parts.push(loose.join(" "));
                }
                parts.extend(rest.iter().cloned());
            }
            Style::Words => parts.extend(items.iter().cloned()),
        }
        match parts.split_last() {
            None => String::new(),
            Some((last, [])) => last.clone(),
            Some((last, others)) => format!("{} and {last}", others.join(", ")),
        }
    }

    /// Groups joined: "A♣+8♠ and 5♣+4♥" (a comma before "and" in words, where "plus" binds).
    fn groups(self, groups: &[Vec<Card>]) -> String {
        let parts: Vec<String> = groups.iter().map(|g| self.group(g)).collect();
        let and = match self {
            Style::Glyphs => " and ",
            Style::Words => ", and ",
        };
        match parts.split_last() {
            None => String::new(),
            Some((last, [])) => last.clone(),
            Some((last, others)) => format!("{}{and}{last}", others.join(", ")),
        }
    }
}

fn build_value(table: &Table, id: BuildId) -> String {
    table
        .build(id)
        .map(|b| b.value.to_string())
        .unwrap_or_else(|| "?".to_owned())
}

/// Whether a capture of `loose` and `builds` leaves the table empty (a sweep).
fn sweeps(table: &Table, loose: &[Card], builds: &[BuildId]) -> bool {
    table.loose.iter().all(|c| loose.contains(c))
        && table.builds.iter().all(|b| builds.contains(&b.id))
}

/// What `mv` does on `table`, written in `style`.
pub fn describe(mv: &Move, table: &Table, style: Style) -> String {
    match mv {
        Move::Trail { card } => format!("Trail {}", style.card(*card)),
        Move::Capture {
            card,
            builds,
            loose,
        } => {
            let mut taken: Vec<String> = loose.iter().map(|c| style.card(*c)).collect();
            taken.extend(
                builds
                    .iter()
                    .map(|id| format!("build {}", build_value(table, *id))),
            );
            let sweep = if sweeps(table, loose, builds) {
                " (sweep)"
            } else {
                ""
            };
            format!(
                "Capture {} with {}{sweep}",
                style.list(&taken, loose.len()),
                style.card(*card)
            )
        }
        Move::Build {
            card,
            value,
            with,
            absorb,
        } => {
            let mut groups = vec![[vec![*card], with.clone()].concat()];
            groups.extend(absorb.iter().cloned());
            if groups.len() > 1 {
                format!("Multiple build of {value}: {}", style.groups(&groups))
            } else {
                format!("Build {value}: {}", style.groups(&groups))
            }
        }
        Move::Increase {
            card,
            build,
            absorb,
            ..
        } => {
            let old = table.build(*build).map(|b| b.value);
            let raise = match (old, card.value()) {
                (Some(old), Some(v)) => {
                    format!(
                        "Raise build {old} to {} with {}",
                        old + v,
                        style.card(*card)
                    )
                }
                _ => format!("Raise build with {}", style.card(*card)),
            };
            if absorb.is_empty() {
                raise
            } else {
                format!("{raise} and join {} (multiple build)", style.groups(absorb))
            }
        }
        Move::Add {
            card,
            build,
            with,
            absorb,
        } => {
            let mut groups = vec![[vec![*card], with.clone()].concat()];
            groups.extend(absorb.iter().cloned());
            let value = build_value(table, *build);
            format!(
                "Add {} to build {value}: multiple build of {value}",
                style.groups(&groups)
            )
        }
    }
}

/// The label of `mv` on `table`, in glyphs.
pub fn move_label(mv: &Move, table: &Table) -> String {
    describe(mv, table, Style::Glyphs)
}

/// Labels for a list of moves in `style`, each unique: a label shared by two moves is numbered.
pub fn move_labels_in(moves: &[Move], table: &Table, style: Style) -> Vec<String> {
    let short: Vec<String> = moves.iter().map(|m| describe(m, table, style)).collect();
    short
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let same: Vec<usize> = (0..short.len()).filter(|j| short[*j] == *label).collect();
            if same.len() > 1 {
                let n = same.iter().position(|j| *j == i).unwrap_or_default() + 1;
                format!("{label} (way {n})")
            } else {
                label.clone()
            }
        })
        .collect()
}

/// Labels for a list of moves, in glyphs, each unique.
pub fn move_labels(moves: &[Move], table: &Table) -> Vec<String> {
    move_labels_in(moves, table, Style::Glyphs)
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
    use game::{Build, GameState, Ruleset, Seat};

    fn card(s: &str) -> Card {
        s.parse().expect("valid card")
    }

    fn cards(list: &str) -> Vec<Card> {
        list.split(' ').map(card).collect()
    }

    fn table() -> Table {
        Table {
            loose: cards("4S 3D 7H 5C 4H AC 8S"),
            builds: vec![
                Build {
                    id: 1,
                    value: 5,
                    components: vec![cards("3C 2D")],
                    owner: Seat::FIRST,
                },
                Build {
                    id: 2,
                    value: 6,
                    components: vec![cards("6S"), cards("4D 2C")],
                    owner: Seat::SECOND,
                },
            ],
            next_build_id: 3,
        }
    }

    #[test]
    fn a_capture_names_the_cards_it_takes() {
        let capture = Move::Capture {
            card: card("7C"),
            builds: vec![],
            loose: cards("4S 3D 7H"),
        };
        assert_eq!(move_label(&capture, &table()), "Capture 4♠ 3♦ 7♥ with 7♣");
        assert_eq!(
            describe(&capture, &table(), Style::Words),
            "Capture 4 of spades, 3 of diamonds and 7 of hearts with 7 of clubs"
        );
        let with_build = Move::Capture {
            card: card("5S"),
            builds: vec![1],
            loose: cards("5C"),
        };
        assert_eq!(
            move_label(&with_build, &table()),
            "Capture 5♣ and build 5 with 5♠"
        );
        assert_eq!(
            move_label(&Move::Trail { card: card("7C") }, &table()),
            "Trail 7♣"
        );
    }

    #[test]
    fn a_capture_of_everything_says_sweep() {
        let small = Table {
            loose: cards("4S 3D"),
            ..Table::default()
        };
        let capture = Move::Capture {
            card: card("7C"),
            builds: vec![],
            loose: cards("4S 3D"),
        };
        assert_eq!(
            move_label(&capture, &small),
            "Capture 4♠ 3♦ with 7♣ (sweep)"
        );
    }

    #[test]
    fn builds_say_single_or_multiple_and_their_cards() {
        let single = Move::Build {
            card: card("6D"),
            value: 9,
            with: cards("3D"),
            absorb: vec![],
        };
        assert_eq!(move_label(&single, &table()), "Build 9: 6♦+3♦");
        let multiple = Move::Build {
            card: card("AD"),
            value: 9,
            with: cards("8S"),
            absorb: vec![cards("5C 4H")],
        };
        assert_eq!(
            move_label(&multiple, &table()),
            "Multiple build of 9: A♦+8♠ and 5♣+4♥"
        );
        assert_eq!(
            describe(&multiple, &table(), Style::Words),
            "Multiple build of 9: Ace of diamonds plus 8 of spades, and 5 of clubs plus 4 of hearts"
        );
    }

    #[test]
    fn raising_and_adding_say_what_the_build_becomes() {
        let raise = Move::Increase {
            card: card("5D"),
            build: 1,
            with: vec![],
            absorb: vec![],
        };
        assert_eq!(move_label(&raise, &table()), "Raise build 5 to 10 with 5♦");
        let raise_join = Move::Increase {
            card: card("2S"),
            build: 1,
            with: vec![],
            absorb: vec![cards("4S 3D")],
        };
        assert_eq!(
            move_label(&raise_join, &table()),
            "Raise build 5 to 7 with 2♠ and join 4♠+3♦ (multiple build)"
        );
        let add = Move::Add {
            card: card("AH"),
            build: 1,
            with: cards("4H"),
            absorb: vec![],
        };
        assert_eq!(
            move_label(&add, &table()),
            "Add A♥+4♥ to build 5: multiple build of 5"
        );
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
                    for style in [Style::Glyphs, Style::Words] {
                        let labels = move_labels_in(&offered, &view.table, style);
                        let mut unique = labels.clone();
                        unique.sort();
                        unique.dedup();
                        assert_eq!(unique.len(), labels.len(), "seed {seed}: {labels:?}");
                    }
                    // Every label names the played card and each loose card it uses.
                    for label in move_labels(&offered, &view.table) {
                        assert!(label.contains(&c.pretty()), "{label} lacks {c}");
                    }
                    let label = move_label(mv, &view.table);
                    for l in &loose {
                        assert!(label.contains(&l.pretty()), "{label} lacks {l}");
                    }
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
