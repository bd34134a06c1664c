//! A finished hand and a finished game in players' words: each scoring category with the
//! cards behind it, points per hand and running totals, and why the game ended. Pure, so
//! that it is tested natively; the hand-summary dialog and the game-over screen render it.

use game::protocol::{EndReason, PresenceState};
use game::{Card, HandResult, HandScore};

use crate::wording::count;

/// One scoring category of one hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryLine {
    /// "Most cards", "Big casino (10♦)", …
    pub category: &'static str,
    /// Who took what: "Alice 27 cards, Bob 25 cards", "Alice took it", "Alice: A♠ A♥".
    pub detail: String,
    /// Points per seat, indexed by seat number.
    pub points: [u32; 2],
}

fn cards_text(cards: &[Card]) -> String {
    cards
        .iter()
        .map(|c| c.pretty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn who_took(hand: &HandResult, names: [&str; 2], points: fn(&HandScore) -> u32) -> String {
    match (0..2).find(|&i| points(&hand.seats[i]) > 0) {
        Some(i) => format!("{} took it", names[i]),
        None => "Nobody took it".to_owned(),
    }
}

/// The scoring categories of `hand`, with who took what; `names` by seat number.
pub fn category_lines(hand: &HandResult, names: [&str; 2]) -> Vec<CategoryLine> {
    let s = &hand.seats;
    let pair = |f: fn(&HandScore) -> u32| [f(&s[0]), f(&s[1])];
    let counted = |f: fn(&HandScore) -> u32, one: &str, many: &str| {
        format!(
            "{} {}, {} {}",
            names[0],
            count(u64::from(f(&s[0])), one, many),
            names[1],
            count(u64::from(f(&s[1])), one, many)
        )
    };
    let tie = |f: fn(&HandScore) -> u32| f(&s[0]) == f(&s[1]);
    let mut most_cards = counted(|x| x.cards, "card", "cards");
    if tie(|x| x.cards) {
        most_cards.push_str(" (a tie scores nothing)");
    }
    let mut most_spades = counted(|x| x.spades, "spade", "spades");
    if tie(|x| x.spades) {
        most_spades.push_str(" (a tie scores nothing)");
    }
    let aces = if hand.scoring_cards.iter().all(Vec::is_empty) {
        counted(|x| x.aces, "ace", "aces")
    } else {
        let of = |i: usize| {
            let aces: Vec<Card> = hand.scoring_cards[i]
                .iter()
                .copied()
                .filter(|c| c.is_ace())
                .collect();
            if aces.is_empty() {
                format!("{} none", names[i])
            } else {
                format!("{} {}", names[i], cards_text(&aces))
            }
        };
        format!("{}; {}", of(0), of(1))
    };
    vec![
        CategoryLine {
            category: "Most cards",
            detail: most_cards,
            points: pair(|x| x.most_cards),
        },
        CategoryLine {
            category: "Most spades",
            detail: most_spades,
            points: pair(|x| x.most_spades),
        },
        CategoryLine {
            category: "Big casino (10♦)",
            detail: who_took(hand, names, |x| x.big_casino),
            points: pair(|x| x.big_casino),
        },
        CategoryLine {
            category: "Little casino (2♠)",
            detail: who_took(hand, names, |x| x.little_casino),
            points: pair(|x| x.little_casino),
        },
        CategoryLine {
            category: "Aces",
            detail: aces,
            points: pair(|x| x.aces),
        },
        CategoryLine {
            category: "Sweeps",
            detail: counted(|x| x.sweeps, "sweep", "sweeps"),
            points: pair(|x| x.sweeps),
        },
    ]
}

/// The game scores after each hand: running totals, by seat number.
pub fn running_totals(hands: &[HandResult]) -> Vec<[u32; 2]> {
    let mut total = [0u32; 2];
    hands
        .iter()
        .map(|h| {
            total[0] += h.seats[0].total;
            total[1] += h.seats[1].total;
            total
        })
        .collect()
}

/// The end of hand `hand` for the live region, short: "Hand 1 over: Alice 5 points, Bob 6
/// points. Totals: Alice 5, Bob 6. Details in the summary." (the summary dialog has the rest).
pub fn hand_announcement(hand: &HandResult, totals: [u32; 2], names: [&str; 2]) -> String {
    let points = |i: usize| count(u64::from(hand.seats[i].total), "point", "points");
    format!(
        "Hand {} over: {} {}, {} {}. Totals: {} {}, {} {}. Details in the summary.",
        hand.hand_number,
        names[0],
        points(0),
        names[1],
        points(1),
        names[0],
        totals[0],
        names[1],
        totals[1]
    )
}

/// Why the game ended, in words, and a stable key for tests: `played-out`,
/// `victory-claimed`, `opponent-left`, `did-not-return`.
pub fn end_reason(
    reason: EndReason,
    winner: Option<usize>,
    names: [&str; 2],
    presence: [Option<PresenceState>; 2],
    target: Option<u32>,
) -> (&'static str, String) {
    let loser = winner.map(|w| 1 - w);
    match (reason, winner, loser) {
        (EndReason::Completed, _, _) => (
            "played-out",
            match target {
                Some(t) => format!("Played out: the game was played to {t} points."),
                None => "Played out: the single hand was played to the end.".to_owned(),
            },
        ),
        (EndReason::VictoryClaimed, Some(w), Some(l))
            if presence[l] == Some(PresenceState::Left) =>
        {
            (
                "opponent-left",
                format!(
                    "Victory was claimed by {}: {} left the game.",
                    names[w], names[l]
                ),
            )
        }
        (EndReason::VictoryClaimed, Some(w), Some(l)) if presence[l].is_none() => (
            "victory-claimed",
            format!(
                "Victory was claimed by {}: {} abandoned the game.",
                names[w], names[l]
            ),
        ),
        (EndReason::VictoryClaimed, Some(w), Some(l)) => (
            "victory-claimed",
            format!(
                "Victory was claimed by {}: {} was away too long.",
                names[w], names[l]
            ),
        ),
        (EndReason::VictoryClaimed, _, _) => ("victory-claimed", "Victory was claimed.".to_owned()),
        (EndReason::Abandoned, Some(_), Some(l)) if presence[l] == Some(PresenceState::Left) => {
            ("opponent-left", format!("{} left the game.", names[l]))
        }
        (EndReason::Abandoned, Some(_), Some(l)) => (
            "did-not-return",
            format!("{} did not come back in time.", names[l]),
        ),
        (EndReason::Abandoned, _, _) => ("did-not-return", "Nobody came back in time.".to_owned()),
    }
}

/// Each seat's presence as a finished room's facts tell it, for [`end_reason`]: the seats in
/// `left` pressed Leave before the game ended; any other player of a game ended by a claim or
/// an abandonment was away (nothing else ends a game early).
pub fn presence_at_end(left: &[usize]) -> [Option<PresenceState>; 2] {
    [0, 1].map(|i| {
        Some(if left.contains(&i) {
            PresenceState::Left
        } else {
            PresenceState::Away
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use game::score::score_hand;
    use game::Ruleset;

    fn cards(s: &str) -> Vec<Card> {
        s.split_whitespace()
            .map(|c| c.parse().expect("card"))
            .collect()
    }

    #[test]
    fn categories_name_who_took_which_cards_and_keep_counts_apart_from_points() {
        let piles = [cards("10D 2S AS AH 3S 4S 5C 6C"), cards("AD AC 7H 8H 9H")];
        let hand = score_hand(1, &piles, [2, 1], &Ruleset::default());
        let lines = category_lines(&hand, ["Alice", "Bob"]);
        assert_eq!(lines[0].detail, "Alice 8 cards, Bob 5 cards");
        assert_eq!(lines[0].points, [3, 0]);
        assert_eq!(lines[1].detail, "Alice 4 spades, Bob 0 spades");
        assert_eq!(lines[2].detail, "Alice took it");
        assert_eq!(lines[2].points, [2, 0]);
        assert_eq!(lines[3].detail, "Alice took it");
        assert_eq!(lines[4].detail, "Alice A♠ A♥; Bob A♦ A♣");
        assert_eq!(lines[4].points, [2, 2]);
        assert_eq!(lines[5].detail, "Alice 2 sweeps, Bob 1 sweep");
        let sum: u32 = lines.iter().map(|l| l.points[0]).sum();
        assert_eq!(sum, hand.seats[0].total);
    }

    #[test]
    fn running_totals_add_hand_after_hand() {
        let piles = [cards("10D 2S AS"), cards("AD")];
        let one = score_hand(1, &piles, [0, 0], &Ruleset::default());
        let two = score_hand(2, &piles, [0, 0], &Ruleset::default());
        let totals = running_totals(&[one.clone(), two]);
        let [a, b] = [one.seats[0].total, one.seats[1].total];
        assert_eq!(totals, vec![[a, b], [2 * a, 2 * b]]);
        assert_eq!(
            hand_announcement(&one, totals[0], ["Alice", "Bob"]),
            format!(
                "Hand 1 over: Alice {a} points, Bob 1 point. Totals: Alice {a}, Bob {b}. \
                 Details in the summary."
            )
        );
    }

    #[test]
    fn the_reason_names_the_players() {
        let names = ["Alice", "Bob"];
        let left = [None, Some(PresenceState::Left)];
        let away = [None, Some(PresenceState::Away)];
        assert_eq!(
            end_reason(EndReason::VictoryClaimed, Some(0), names, left, Some(21)).0,
            "opponent-left"
        );
        assert_eq!(
            end_reason(EndReason::VictoryClaimed, Some(0), names, away, Some(21)),
            (
                "victory-claimed",
                "Victory was claimed by Alice: Bob was away too long.".to_owned()
            )
        );
        assert_eq!(
            end_reason(EndReason::Abandoned, Some(0), names, away, None).1,
            "Bob did not come back in time."
        );
        assert_eq!(
            end_reason(EndReason::Completed, Some(1), names, away, Some(21)).0,
            "played-out"
        );
    }

    #[test]
    fn a_finished_room_says_left_claimed_after_absence_did_not_return_or_played_out() {
        let names = ["Alice", "Bob"];
        let why = |reason, winner, left: &[usize], target| {
            end_reason(reason, winner, names, presence_at_end(left), target)
        };
        // Alice pressed Leave and Bob claimed at once: she left, she did not "abandon".
        assert_eq!(
            why(EndReason::VictoryClaimed, Some(1), &[0], Some(21)),
            (
                "opponent-left",
                "Victory was claimed by Bob: Alice left the game.".to_owned()
            )
        );
        // Alice was gone past the threshold (a closed tab, a lost network), Bob claimed.
        assert_eq!(
            why(EndReason::VictoryClaimed, Some(1), &[], Some(21)),
            (
                "victory-claimed",
                "Victory was claimed by Bob: Alice was away too long.".to_owned()
            )
        );
        // Bob pressed Leave and nobody claimed: the game ended with his return window.
        assert_eq!(
            why(EndReason::Abandoned, Some(0), &[1], Some(21)),
            ("opponent-left", "Bob left the game.".to_owned())
        );
        assert_eq!(
            why(EndReason::Abandoned, Some(0), &[], Some(21)),
            (
                "did-not-return",
                "Bob did not come back in time.".to_owned()
            )
        );
        // Only the loser's leaving says why the game ended.
        assert_eq!(
            why(EndReason::Abandoned, Some(0), &[0], None).0,
            "did-not-return"
        );
        assert_eq!(
            why(EndReason::Completed, Some(0), &[], Some(11)).1,
            "Played out: the game was played to 11 points."
        );
        assert_eq!(
            why(EndReason::Completed, None, &[], None).1,
            "Played out: the single hand was played to the end."
        );
    }

    #[test]
    fn presence_at_end_marks_only_the_seats_that_left() {
        assert_eq!(
            presence_at_end(&[1]),
            [Some(PresenceState::Away), Some(PresenceState::Left)]
        );
        assert_eq!(presence_at_end(&[]), [Some(PresenceState::Away); 2]);
    }
}
