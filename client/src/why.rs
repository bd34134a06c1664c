//! Why a hand card, or a hand card with the selected table cards, cannot be played: the rule
//! it breaks in the engine's own words (RuleError), asked of the engine with the moves the
//! selection could mean.

use game::{BuildId, Card, GameState, Move, PlayerView, RuleError};

/// The position the player sees, enough for the engine to judge their moves (the opponent's
/// hand and the stock play no part in that).
fn position(view: &PlayerView) -> GameState {
    let mut hands = [Vec::new(), Vec::new()];
    hands[view.seat.index()] = view.hand.clone();
    GameState {
        ruleset: view.ruleset,
        dealer: view.dealer,
        to_move: view.seat,
        hand_number: view.hand_number,
        deal_number: view.deal_number,
        hands,
        table: view.table.clone(),
        ..GameState::default()
    }
}

/// The engine's message with cards in glyphs: "4S cannot be …" → "4♠ cannot be …".
fn message(error: &RuleError) -> String {
    error
        .to_string()
        .split(' ')
        .map(|word| {
            let upper = word.len() <= 3
                && word
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
            match word.parse::<Card>() {
                Ok(card) if upper => card.pretty(),
                _ => word.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "you own the build of 9, …" → "You own the build of 9, …".
fn sentence(error: &RuleError) -> String {
    let text = message(error);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// Why `card` has no legal move at all (only a build owner, who may not trail, is ever so
/// stuck); `None` when it has one.
pub fn unplayable(view: &PlayerView, card: Card) -> Option<String> {
    if !view.is_my_turn() || view.legal_moves().iter().any(|m| m.card() == card) {
        return None;
    }
    let error = position(view)
        .check(view.seat, &Move::Trail { card })
        .err()?;
    Some(format!(
        "{}: capture or build instead. {} can do neither here.",
        sentence(&error),
        card.pretty()
    ))
}

/// Why playing `card` with exactly `loose` and `builds` selected is no move: the rule the
/// capture it could mean breaks, and the rule the build it could mean breaks.
pub fn no_move(view: &PlayerView, card: Card, loose: &[Card], builds: &[BuildId]) -> String {
    if let Some(why) = unplayable(view, card) {
        return why;
    }
    let state = position(view);
    let judge = |mv: &Move| state.check(view.seat, mv).err();
    if loose.is_empty() && builds.is_empty() {
        return match judge(&Move::Trail { card }) {
            Some(error) => format!(
                "{}: select the table cards to capture or build with {}.",
                sentence(&error),
                card.pretty()
            ),
            None => "Select the table cards to capture or build with.".to_owned(),
        };
    }
    let mut reasons: Vec<String> = Vec::new();
    let capture = Move::Capture {
        card,
        builds: builds.to_vec(),
        loose: loose.to_vec(),
    };
    if let Some(error) = judge(&capture) {
        reasons.push(format!(
            "To capture with {}: {}.",
            card.pretty(),
            message(&error)
        ));
    }
    let built = match (card.value(), builds) {
        (None, _) | (_, [_, _, ..]) => None,
        (Some(v), []) => {
            let value = loose
                .iter()
                .filter_map(|c| c.value())
                .fold(v, u8::saturating_add);
            Some((
                format!("To build {value}"),
                Move::Build {
                    card,
                    value,
                    with: loose.to_vec(),
                    absorb: Vec::new(),
                },
            ))
        }
        (Some(_), [build]) if loose.is_empty() => Some((
            "To raise the build".to_owned(),
            Move::Increase {
                card,
                build: *build,
                with: Vec::new(),
                absorb: Vec::new(),
            },
        )),
        (Some(_), [build]) => Some((
            "To add to the build".to_owned(),
            Move::Add {
                card,
                build: *build,
                with: loose.to_vec(),
                absorb: Vec::new(),
            },
        )),
    };
    if let Some((what, mv)) = built {
        if let Some(error) = judge(&mv) {
            let error = message(&error);
            if !reasons.iter().any(|r| r.ends_with(&format!(": {error}."))) {
                reasons.push(format!("{what}: {error}."));
            }
        }
    }
    if reasons.is_empty() {
        "No move uses exactly these cards: select the highlighted table cards.".to_owned()
    } else {
        reasons.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use game::{Build, Seat, Table};

    fn card(s: &str) -> Card {
        s.parse().expect("valid card")
    }

    fn cards(list: &str) -> Vec<Card> {
        list.split_whitespace().map(card).collect()
    }

    fn view(hand: &str, loose: &str, builds: Vec<Build>) -> PlayerView {
        let mut hands = [Vec::new(), cards("KH")];
        hands[0] = cards(hand);
        GameState {
            to_move: Seat::FIRST,
            hands,
            table: Table {
                loose: cards(loose),
                next_build_id: builds.len() as u32,
                builds,
            },
            ..GameState::default()
        }
        .view(Seat::FIRST)
    }

    fn my_build_of_nine() -> Vec<Build> {
        vec![Build {
            id: 0,
            value: 9,
            components: vec![cards("5H 4S")],
            owner: Seat::FIRST,
        }]
    }

    #[test]
    fn a_build_owner_hears_that_they_may_not_trail() {
        let v = view("9C 4D", "KS", my_build_of_nine());
        let why = unplayable(&v, card("4D")).expect("4♦ has no move");
        assert_eq!(
            why,
            "You own the build of 9, so you may not trail: capture or build instead. \
             4♦ can do neither here."
        );
        assert_eq!(unplayable(&v, card("9C")), None, "9♣ captures the build");
        assert_eq!(no_move(&v, card("4D"), &[], &[]), why);
    }

    #[test]
    fn a_selection_without_a_move_says_which_rules_it_breaks() {
        let v = view("2C 9C 5D", "3H 4S", Vec::new());
        assert_eq!(
            no_move(&v, card("2C"), &[card("4S")], &[]),
            "To capture with 2♣: 4♠ cannot be split into sets each totalling 2. \
             To build 6: you must keep a card of value 6 in hand to build 6."
        );
        let v = view("9C 6D", "KS 7H", Vec::new());
        assert_eq!(
            no_move(&v, card("6D"), &[card("7H")], &[]),
            "To capture with 6♦: 7♥ cannot be split into sets each totalling 6. \
             To build 13: a build of 13 is impossible: builds go up to 10."
        );
        assert!(no_move(&v, card("9C"), &[card("KS")], &[]).contains("K♠ is a face card"));
    }

    #[test]
    fn a_multiple_build_cannot_be_raised() {
        let builds = vec![Build {
            id: 0,
            value: 3,
            components: vec![cards("3H"), cards("AS 2D")],
            owner: Seat::SECOND,
        }];
        let v = view("4C 7D", "", builds);
        let why = no_move(&v, card("4C"), &[], &[0]);
        assert!(why.contains("multiple build: its value is locked"), "{why}");
    }
}
