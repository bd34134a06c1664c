//! Cards, builds and events in words for screen readers: "9 of hearts", "Build of 9 (owner
//! Alice): 4 of clubs, 5 of hearts", "Bob captured 4 of spades and 3 of diamonds with 7 of clubs".

use game::{Build, Card, PlayerView, Suit};

fn rank_word(label: &str) -> &str {
    match label {
        "A" => "Ace",
        "J" => "Jack",
        "Q" => "Queen",
        "K" => "King",
        other => other,
    }
}

fn suit_word(suit: Suit) -> &'static str {
    match suit {
        Suit::Spades => "spades",
        Suit::Hearts => "hearts",
        Suit::Diamonds => "diamonds",
        Suit::Clubs => "clubs",
    }
}

/// "9 of hearts", "Ace of spades", "King of clubs".
pub fn card_name(card: Card) -> String {
    format!(
        "{} of {}",
        rank_word(card.rank.label()),
        suit_word(card.suit)
    )
}

/// "4 of spades", "4 of spades and 3 of diamonds", "A, B and C".
pub fn cards_in_words(cards: &[Card]) -> String {
    let names: Vec<String> = cards.iter().map(|c| card_name(*c)).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// "Build of 9 (owner Alice): 4 of clubs, 5 of hearts"; a multiple build lists its groups
/// separated by semicolons.
pub fn build_name(build: &Build, owner: &str) -> String {
    let groups: Vec<String> = build
        .components
        .iter()
        .map(|g| {
            g.iter()
                .map(|c| card_name(*c))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect();
    format!(
        "Build of {} (owner {owner}): {}",
        build.value,
        groups.join("; ")
    )
}

/// Replaces glyph notation ("7♣", "10♦") in `text` by card names, and the " + " that joins the
/// cards of one set by " plus " (as the move buttons say it).
pub fn glyphs_to_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for ch in text.chars() {
        let Some(suit) = Suit::ALL.into_iter().find(|s| s.symbol() == ch) else {
            out.push(ch);
            continue;
        };
        let start = out
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_alphanumeric())
            .last()
            .map_or(out.len(), |(i, _)| i);
        let label = out.split_off(start);
        if label.is_empty() {
            out.push(ch);
        } else {
            out.push_str(&format!("{} of {}", rank_word(&label), suit_word(suit)));
        }
    }
    out.replace(" + ", " plus ")
}

/// The server's event summary as shown: the opponent by name ("Bob captured 4♠ and 3♦ with
/// 7♣"). The summary already names every card and value (`game::Outcome::summary`).
pub fn event_text(summary: &str, opponent: &str) -> String {
    summary
        .replace("Opponent", opponent)
        .replace("opponent", opponent)
}

/// The server's event summary as spoken: [`event_text`] with the cards in words.
pub fn event_in_words(summary: &str, opponent: &str) -> String {
    glyphs_to_words(&event_text(summary, opponent))
}

/// What the live region says after an event: the event, then "Your turn." when it is.
pub fn announcement(event: &str, after: &PlayerView) -> String {
    let mut text = event.trim_end_matches('.').to_owned();
    if after.result.is_none() && after.is_my_turn() {
        if !text.is_empty() {
            text.push_str(". ");
        }
        text.push_str("Your turn.");
    } else if !text.is_empty() {
        text.push('.');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use game::{GameState, Move, Ruleset, Seat};

    fn card(s: &str) -> Card {
        s.parse().expect("valid card")
    }

    #[test]
    fn cards_read_as_words() {
        assert_eq!(card_name(card("9H")), "9 of hearts");
        assert_eq!(card_name(card("AS")), "Ace of spades");
        assert_eq!(card_name(card("10D")), "10 of diamonds");
        assert_eq!(card_name(card("QC")), "Queen of clubs");
        assert_eq!(
            cards_in_words(&[card("4S"), card("3D")]),
            "4 of spades and 3 of diamonds"
        );
        assert_eq!(
            cards_in_words(&[card("AS"), card("2S"), card("3S")]),
            "Ace of spades, 2 of spades and 3 of spades"
        );
    }

    #[test]
    fn a_build_names_its_value_owner_and_cards() {
        let build = Build {
            id: 1,
            value: 9,
            components: vec![vec![card("4C"), card("5H")]],
            owner: Seat::FIRST,
        };
        assert_eq!(
            build_name(&build, "Alice"),
            "Build of 9 (owner Alice): 4 of clubs, 5 of hearts"
        );
    }

    #[test]
    fn glyphs_in_a_summary_become_words() {
        assert_eq!(
            glyphs_to_words("Opponent trailed 10♦. Deal 2 of 6"),
            "Opponent trailed 10 of diamonds. Deal 2 of 6"
        );
        assert_eq!(
            glyphs_to_words("the 2 cards left on the table (A♠ and 3♦)"),
            "the 2 cards left on the table (Ace of spades and 3 of diamonds)"
        );
    }

    #[test]
    fn the_sets_of_a_build_are_heard_apart() {
        assert_eq!(
            glyphs_to_words("Bob built a multiple build of 8 with 2♦: 2♦ + 6♣ and 8♥"),
            "Bob built a multiple build of 8 with 2 of diamonds: 2 of diamonds plus 6 of clubs \
             and 8 of hearts"
        );
    }

    /// Plays from a fresh game until `want` accepts a legal move, then plays it.
    fn outcome_of(want: impl Fn(&Move) -> bool) -> game::Outcome {
        for seed in 0..80 {
            let mut state = GameState::new(seed, Seat::SECOND, Ruleset::default());
            for _ in 0..40 {
                let Some(seat) = state.view(Seat::FIRST).to_move else {
                    break;
                };
                let moves = state.legal_moves(seat);
                let mv = match moves.iter().find(|m| want(m)) {
                    Some(mv) => return state.apply(seat, mv).expect("legal"),
                    None => moves.first().cloned(),
                };
                let Some(mv) = mv else { break };
                if state.apply(seat, &mv).is_err() {
                    break;
                }
            }
        }
        panic!("no such move in 80 games");
    }

    #[test]
    fn the_opponents_move_is_told_by_name_with_every_card() {
        let out = outcome_of(
            |m| matches!(m, Move::Capture { loose, builds, .. } if loose.len() >= 2 && builds.is_empty()),
        );
        let seat = out.seat.other();
        let Move::Capture { loose, .. } = &out.mv else {
            unreachable!("a capture was asked for")
        };
        let shown = event_text(&out.summary(seat), "Bob");
        assert!(shown.starts_with("Bob captured ") || shown.starts_with("Bob swept "));
        for c in loose {
            assert!(shown.contains(&c.pretty()), "{shown} lacks {c}");
        }
        let said = event_in_words(&out.summary(seat), "Bob");
        assert!(said.contains(&cards_in_words(loose)), "{said}");
        assert!(said.contains(&format!("with {}", card_name(out.mv.card()))));
    }

    #[test]
    fn an_opponents_build_is_told_with_its_value_and_cards() {
        let out = outcome_of(|m| matches!(m, Move::Build { .. }));
        let build = out.build.clone().expect("a build move makes a build");
        let shown = event_text(&out.summary(out.seat.other()), "Bob");
        assert!(shown.starts_with("Bob built "), "{shown}");
        assert!(shown.contains(&format!(" {} ", build.value)), "{shown}");
        for c in build.cards() {
            assert!(shown.contains(&c.pretty()), "{shown} lacks {c}");
        }
        assert!(!shown.contains("Opponent") && !shown.contains("opponent"));
    }

    #[test]
    fn the_announcement_ends_with_your_turn_when_it_is() {
        let state = GameState::new(3, Seat::SECOND, Ruleset::default());
        let seat = state.view(Seat::FIRST).to_move.expect("someone moves");
        let mine = state.view(seat);
        let theirs = state.view(seat.other());
        assert_eq!(
            announcement("Bob trailed 7 of clubs", &mine),
            "Bob trailed 7 of clubs. Your turn."
        );
        assert_eq!(
            announcement("You trailed 7 of clubs", &theirs),
            "You trailed 7 of clubs."
        );
        assert_eq!(announcement("", &mine), "Your turn.");
    }
}
