//! Cards, builds and events in words for screen readers: "9 of hearts", "Build of 9 (owner
//! Alice): 4 of clubs, 5 of hearts", "Bob captured 4 of spades and 3 of diamonds with 7 of clubs".

use game::{Build, Card, PlayerView, Suit};

use crate::wording::count;

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

/// Replaces glyph notation ("7♣", "10♦") in `text` by card names and " + " by " and ".
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
    out.replace(" + ", " and ")
}

/// The server's event summary as shown: the opponent by name and, for a plain capture, the
/// captured cards listed in glyphs (read from the table before and after): "Bob captured
/// 4♠ + 3♦ with 7♣".
pub fn event_text(
    summary: &str,
    before: Option<&PlayerView>,
    after: &PlayerView,
    opponent: &str,
) -> String {
    let mut text = summary.to_owned();
    // The table diff names the captured cards only when nothing else left the table.
    let same_hand = before.is_some_and(|b| b.hand_number == after.hand_number);
    if let (Some(before), true, false) = (before, same_hand, summary.contains(';')) {
        let left: Vec<Card> = before
            .table
            .cards()
            .filter(|c| !after.table.cards().any(|a| a == *c))
            .collect();
        if !left.is_empty() {
            let phrase = count(left.len() as u64, "card", "cards");
            let listed = left
                .iter()
                .map(|c| c.pretty())
                .collect::<Vec<_>>()
                .join(" + ");
            for verb in ["captured", "capturing"] {
                text = text.replace(
                    &format!("{verb} {phrase} with"),
                    &format!("{verb} {listed} with"),
                );
            }
        }
    }
    text.replace("Opponent", opponent)
        .replace("opponent", opponent)
}

/// The server's event summary as spoken: [`event_text`] with the cards in words.
pub fn event_in_words(
    summary: &str,
    before: Option<&PlayerView>,
    after: &PlayerView,
    opponent: &str,
) -> String {
    glyphs_to_words(&event_text(summary, before, after, opponent))
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
    use game::{GameState, Ruleset, Seat};

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
            glyphs_to_words("the 2 cards left on the table (A♠ + 3♦)"),
            "the 2 cards left on the table (Ace of spades and 3 of diamonds)"
        );
    }

    #[test]
    fn a_capture_lists_the_cards_it_took_by_the_opponents_name() {
        let state = GameState::new(3, Seat::SECOND, Ruleset::default());
        let before = state.view(Seat::FIRST);
        let mut after = before.clone();
        let taken: Vec<Card> = after.table.loose.drain(..2).collect();
        let text = event_in_words(
            "Opponent captured 2 cards with 7♣",
            Some(&before),
            &after,
            "Bob",
        );
        assert_eq!(
            text,
            format!("Bob captured {} with 7 of clubs", cards_in_words(&taken))
        );
        let shown = event_text(
            "Opponent captured 2 cards with 7♣",
            Some(&before),
            &after,
            "Bob",
        );
        assert_eq!(
            shown,
            format!(
                "Bob captured {} + {} with 7♣",
                taken[0].pretty(),
                taken[1].pretty()
            )
        );
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
