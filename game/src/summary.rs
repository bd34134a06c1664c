//! Outcomes in words, from either seat's perspective, with the cards and the values: "You
//! captured 4♥ and 3♣ with 7♣", "Opponent built a multiple build of 8 with 2♦: 2♦ + 6♣ and
//! 8♥", "Opponent raised the build of 5 to 8 with 3♥: 3♣ + 2♦ + 3♥".
//!
//! One notation throughout: a set of cards that totals a value is written "2♦ + 6♣"; a list
//! of things ends in "and". The sentence starts with "You" or "Opponent" and the verb
//! (trailed, captured, swept, built, raised, added): the client puts the opponent's name in
//! and reads the glyphs out as words.

use crate::card::Card;
use crate::moves::Move;
use crate::seat::Seat;
use crate::state::Outcome;
use crate::table::Build;

/// "A", "A and B", "A, B and C".
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// "4♥, 3♣ and 7♥".
fn card_list(cards: &[Card]) -> String {
    and_list(&cards.iter().map(|c| c.pretty()).collect::<Vec<_>>())
}

/// One set: "2♦ + 6♣".
fn set(cards: &[Card]) -> String {
    cards
        .iter()
        .map(|c| c.pretty())
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Each set of a build: "2♦ + 6♣ and 8♥".
fn sets(components: &[Vec<Card>]) -> String {
    and_list(&components.iter().map(|c| set(c)).collect::<Vec<_>>())
}

/// A build taken by a capture: "the build of 7 (4♦ + 3♠)".
fn build_taken(build: &Build) -> String {
    format!("the build of {} ({})", build.value, sets(&build.components))
}

/// What a build made or changed holds now: ": 3♣ + 2♦ + 3♥" for a single build, ", now a
/// multiple build: 3♣ + 5♦ and 8♥" once it has several sets (its value is then locked).
fn build_now(build: &Build) -> String {
    if build.is_single() {
        format!(": {}", sets(&build.components))
    } else {
        format!(", now a multiple build: {}", sets(&build.components))
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

impl Outcome {
    /// The move and what followed from it, in words, as `viewer` reads it.
    pub fn summary(&self, viewer: Seat) -> String {
        let who = if self.seat == viewer {
            "You"
        } else {
            "Opponent"
        };
        let mut text = self.move_in_words(who);
        if let Some(residue) = &self.residue {
            if !residue.cards.is_empty() {
                let taker = match residue.to {
                    Some(s) if s == viewer => "you took".to_owned(),
                    Some(_) => "opponent took".to_owned(),
                    None => "nobody took".to_owned(),
                };
                text.push_str(&format!(
                    "; last capture: {taker} the {} left on the table ({})",
                    plural(residue.cards.len(), "card", "cards"),
                    card_list(&residue.cards)
                ));
            }
        }
        if let Some(hand) = &self.hand_result {
            let me = hand.seats[viewer.index()].total;
            let them = hand.seats[viewer.other().index()].total;
            text.push_str(&format!(
                ". Hand {} over: you scored {me}, opponent {them}",
                hand.hand_number
            ));
        }
        if let Some(result) = &self.game_over {
            let [me, them] = [
                result.scores[viewer.index()],
                result.scores[viewer.other().index()],
            ];
            let verdict = match result.winner {
                Some(w) if w == viewer => "you won",
                Some(_) => "opponent won",
                None => "a draw",
            };
            text.push_str(&format!(". Game over: {verdict}, {me}–{them}"));
        } else if let Some(deal) = self.next_deal {
            text.push_str(&format!(". Deal {deal} of 6"));
        }
        text
    }

    /// The move alone, `who` its subject: every card it used and every value it made.
    fn move_in_words(&self, who: &str) -> String {
        let card = self.mv.card().pretty();
        // The build as it stands after the move; the engine always reports one for a build
        // move, so the fallbacks only keep the words sensible.
        let build = self.build.as_ref();
        let value = build.map_or(0, |b| b.value);
        match &self.mv {
            Move::Trail { .. } => format!("{who} trailed {card}"),
            Move::Capture { loose, .. } => {
                let mut taken: Vec<String> = loose.iter().map(|c| c.pretty()).collect();
                taken.extend(self.taken_builds.iter().map(build_taken));
                let taken = and_list(&taken);
                if self.sweep {
                    format!("{who} swept the table, capturing {taken} with {card}")
                } else {
                    format!("{who} captured {taken} with {card}")
                }
            }
            Move::Build { with, .. } => match build {
                Some(b) if !b.is_single() => format!(
                    "{who} built a multiple build of {value} with {card}: {}",
                    sets(&b.components)
                ),
                _ => {
                    let mut cards = vec![self.mv.card()];
                    cards.extend_from_slice(with);
                    format!(
                        "{who} built {value} with {} from the table",
                        card_list(&cards)
                    )
                }
            },
            Move::Increase { .. } => {
                let raised_by = self.mv.card().value().unwrap_or(0);
                let from = value.saturating_sub(raised_by);
                let now = build.map(build_now).unwrap_or_default();
                format!("{who} raised the build of {from} to {value} with {card}{now}")
            }
            Move::Add { with, absorb, .. } => {
                let mut joined = vec![[vec![self.mv.card()], with.clone()].concat()];
                joined.extend(absorb.iter().cloned());
                let now = build.map(build_now).unwrap_or_default();
                format!("{who} added {} to the build of {value}{now}", sets(&joined))
            }
        }
    }
}
