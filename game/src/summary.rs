//! Outcomes in words, from either seat's perspective: "You captured 3 cards with 7♣".

use crate::card::Card;
use crate::moves::Move;
use crate::seat::Seat;
use crate::state::Outcome;

fn join(cards: &[Card]) -> String {
    cards
        .iter()
        .map(|c| c.pretty())
        .collect::<Vec<_>>()
        .join(" + ")
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
        let mine = self.seat == viewer;
        let who = if mine { "You" } else { "Opponent" };
        let card = self.mv.card().pretty();
        let mut text = match &self.mv {
            Move::Trail { .. } => format!("{who} trailed {card}"),
            Move::Capture { .. } if self.sweep => format!(
                "{who} swept the table, capturing {} with {card}",
                plural(self.captured.len(), "card", "cards")
            ),
            Move::Capture { .. } => format!(
                "{who} captured {} with {card}",
                plural(self.captured.len(), "card", "cards")
            ),
            Move::Build { .. } => {
                let value = self.build.as_ref().map_or(0, |b| b.value);
                let multiple = self.build.as_ref().is_some_and(|b| !b.is_single());
                if multiple {
                    format!("{who} built {value}s with {card}")
                } else {
                    format!("{who} built {value} with {card}")
                }
            }
            Move::Increase { .. } => {
                let value = self.build.as_ref().map_or(0, |b| b.value);
                format!("{who} increased a build to {value} with {card}")
            }
            Move::Add { .. } => {
                let value = self.build.as_ref().map_or(0, |b| b.value);
                format!("{who} added {card} to the build of {value}")
            }
        };
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
                    join(&residue.cards)
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
}
