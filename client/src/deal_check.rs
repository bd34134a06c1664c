//! The client's half of a deal anyone can verify (`game::fairness`): it keeps the commitment
//! the room sent before the first card and the cards it saw dealt, and checks them against the
//! seed revealed at the end, with the same engine the server deals with.

use game::fairness::{self, SeenDeal};
use game::protocol::DealReveal;
use game::{PlayerView, Seat};

/// What the end of the game says about the deal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DealCheck {
    /// The seed matches the commitment and every deal this player saw.
    Verified {
        /// Deals checked.
        deals: usize,
    },
    /// Something does not hold: the server did not deal what it had committed to.
    Failed(String),
    /// Nothing to check against (a room older than commitments).
    Unavailable,
}

/// The commitment and the deals seen so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DealWitness {
    commitment: Option<String>,
    changed: bool,
    seen: Vec<SeenDeal>,
}

impl DealWitness {
    /// A `welcome`'s commitment: the first one is kept; a different one later is a red flag.
    pub fn on_commitment(&mut self, commitment: Option<&str>) {
        match (&self.commitment, commitment) {
            (None, Some(c)) => self.commitment = Some(c.to_owned()),
            (Some(kept), Some(c)) if kept != c => self.changed = true,
            _ => {}
        }
    }

    /// A view: a deal is recorded while every card of it is still in hand (and the table's
    /// opening cards while nobody has moved in the hand).
    pub fn on_view(&mut self, view: &PlayerView) {
        let known = self
            .seen
            .iter()
            .any(|d| d.hand_number == view.hand_number && d.deal_number == view.deal_number);
        if known || view.hand.len() != 4 || view.result.is_some() {
            return;
        }
        let untouched = view.deal_number == 1
            && view.opponent_hand_count == 4
            && view.captured_counts == [0, 0]
            && view.table.builds.is_empty()
            && view.table.loose.len() == 4;
        self.seen.push(SeenDeal {
            hand_number: view.hand_number,
            deal_number: view.deal_number,
            dealer: view.dealer,
            cards: view.hand.clone(),
            table: untouched.then(|| view.table.loose.clone()),
        });
    }

    /// Checks the revealed deal for `seat`.
    pub fn check(&self, seat: Seat, reveal: &DealReveal) -> DealCheck {
        let Some(committed) = &self.commitment else {
            return DealCheck::Unavailable;
        };
        if self.changed {
            return DealCheck::Failed("the room changed its commitment during the game".to_owned());
        }
        let Ok(seed) = reveal.seed.parse::<u64>() else {
            return DealCheck::Failed("the revealed seed is not a number".to_owned());
        };
        match fairness::verify(committed, seed, &reveal.salt, seat, &self.seen) {
            Ok(deals) => DealCheck::Verified { deals },
            Err(err) => DealCheck::Failed(err.to_string()),
        }
    }
}

impl DealCheck {
    /// The game-over line in words (`None`: nothing to say).
    pub fn words(&self) -> Option<String> {
        match self {
            DealCheck::Verified { deals: 0 } => Some(
                "Deal verified: the revealed deck is the one fixed before the first card. \
                 Your own deals were dealt before this page opened, so they were not checked \
                 here."
                    .to_owned(),
            ),
            DealCheck::Verified { deals } => Some(format!(
                "Deal verified: the deck was fixed before the first card ({} checked).",
                crate::wording::count(*deals as u64, "deal of yours", "deals of yours")
            )),
            DealCheck::Failed(why) => Some(format!(
                "Deal check FAILED: {why}. This game's cards were not the ones the server \
                 committed to."
            )),
            DealCheck::Unavailable => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use game::{GameState, Ruleset};

    fn reveal(seed: u64, salt: &str) -> DealReveal {
        DealReveal {
            seed: seed.to_string(),
            salt: salt.to_owned(),
        }
    }

    #[test]
    fn an_honest_deal_verifies_and_a_changed_seed_does_not() {
        let game = GameState::new(11, Seat::SECOND, Ruleset::default());
        let mut witness = DealWitness::default();
        witness.on_commitment(Some(&fairness::commitment(11, "salt")));
        witness.on_view(&game.view(Seat::FIRST));
        witness.on_view(&game.view(Seat::FIRST));
        assert_eq!(
            witness.check(Seat::FIRST, &reveal(11, "salt")),
            DealCheck::Verified { deals: 1 }
        );
        assert!(matches!(
            witness.check(Seat::FIRST, &reveal(12, "salt")),
            DealCheck::Failed(_)
        ));
        // A commitment that changes mid-game fails whatever is revealed.
        witness.on_commitment(Some("another"));
        assert!(matches!(
            witness.check(Seat::FIRST, &reveal(11, "salt")),
            DealCheck::Failed(_)
        ));
        assert_eq!(
            DealWitness::default().check(Seat::FIRST, &reveal(11, "salt")),
            DealCheck::Unavailable
        );
    }

    #[test]
    fn the_words_never_claim_deals_this_page_did_not_see() {
        let none = DealCheck::Verified { deals: 0 }.words().expect("words");
        assert!(!none.contains('0'), "{none}");
        assert!(none.contains("not checked"), "{none}");
        assert_eq!(
            DealCheck::Verified { deals: 1 }.words().as_deref(),
            Some("Deal verified: the deck was fixed before the first card (1 deal of yours checked).")
        );
        assert!(DealCheck::Verified { deals: 3 }
            .words()
            .is_some_and(|w| w.contains("3 deals of yours")));
        assert_eq!(DealCheck::Unavailable.words(), None);
    }
}
