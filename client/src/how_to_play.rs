//! "How to play": the rules of RULES.md in a player's words, short. Plain data, shown by
//! `components::how_to_play` on the home page and at the table.

/// One part of the rules: a heading and its points.
pub struct Section {
    /// The heading.
    pub title: &'static str,
    /// Short paragraphs or list items.
    pub points: &'static [&'static str],
}

/// The rules, in the order a new player needs them.
pub const SECTIONS: &[Section] = &[
    Section {
        title: "The aim",
        points: &[
            "Take cards from the table with cards from your hand. Points come from what you take; \
             the first to 21 points wins (a short game is one hand).",
            "Ace counts 1, 2 to 10 count their number. Jack, queen and king have no number.",
        ],
    },
    Section {
        title: "The deal",
        points: &[
            "Each player gets 4 cards and 4 go face up on the table. When both hands are empty, \
             each player gets 4 more (6 deals in all). The table gets no more cards.",
        ],
    },
    Section {
        title: "Your turn: play one card",
        points: &[
            "Capture: take a table card of the same rank, and with a number card also table \
             cards that add up to it (a 7 takes 4 + 3) and a build of its value, several at once.",
            "A jack, queen or king takes just one table card of its own rank.",
            "Build: put a card on table cards to make a total you can take on a later turn, \
             with a card of that value that you keep in hand (a 2 on a 5 builds 7: you need a 7).",
            "Raise a build: put a card on a build to raise its total (a 3 on a build of 5 makes 8), \
             if you hold a card of the new total. A multiple build (two or more sets of the same \
             total, such as 5 and 3 + 2 as fives) cannot be raised.",
            "Add to a build: a card, alone or with table cards, that makes the build's total \
             joins it as another set. It is a multiple build from then on.",
            "Trail: lay the card face up on the table.",
        ],
    },
    Section {
        title: "Builds you own",
        points: &[
            "You own a build you made, raised or added to last. While you own one you may not \
             trail: capture or build instead. Keep a card of its value to take it; either \
             player may take it.",
        ],
    },
    Section {
        title: "Sweeps and the end of a hand",
        points: &[
            "Taking everything on the table is a sweep, worth 1 point.",
            "After the last card, whoever captured last takes what is left on the table \
             (not a sweep).",
        ],
    },
    Section {
        title: "Points each hand",
        points: &[
            "Most cards 3 · most spades 1 · 10♦ (big casino) 2 · 2♠ (little casino) 1 · \
             each ace 1 · each sweep 1. A tie for cards or spades scores nothing.",
        ],
    },
    Section {
        title: "Playing here",
        points: &[
            "Select a card in your hand: the table cards it can capture or build with light up. \
             Select those you want, then pick a move from the list.",
            "Keyboard: Tab between your hand, the table and the moves; arrow keys within them; \
             Enter or Space selects.",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_are_short_and_cover_every_move_and_the_scoring() {
        let text: String = SECTIONS
            .iter()
            .flat_map(|s| s.points.iter())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        for word in [
            "Capture", "Build", "Raise", "Add", "Trail", "sweep", "21", "10♦", "2♠",
        ] {
            assert!(text.contains(word), "no {word}");
        }
        assert!(
            text.split_whitespace().count() < 450,
            "short: {}",
            text.len()
        );
    }
}
