//! What one seat may see (SPEC "The game"): never the opponent's hand, the stock or the seed.

use serde::{Deserialize, Serialize};

use crate::card::Card;
use crate::legal;
use crate::moves::Move;
use crate::ruleset::Ruleset;
use crate::score::{GameResult, HandResult};
use crate::seat::Seat;
use crate::state::GameState;
use crate::table::{BuildId, Table};

/// The game as seen from one seat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerView {
    /// The seat this view is for.
    pub seat: Seat,
    /// Variant flags.
    pub ruleset: Ruleset,
    /// Current hand, 1-based.
    pub hand_number: u32,
    /// Current deal, 1-6.
    pub deal_number: u8,
    /// The sixth deal: the dealer's "last".
    pub is_last_deal: bool,
    /// Who deals this hand.
    pub dealer: Seat,
    /// Who plays next; `None` once the game is over.
    pub to_move: Option<Seat>,
    /// This seat's own cards.
    pub hand: Vec<Card>,
    /// How many cards the opponent holds.
    pub opponent_hand_count: usize,
    /// Loose cards and builds (with owners), face up for both.
    pub table: Table,
    /// Cards left to deal.
    pub stock_count: usize,
    /// Cards captured this hand, per seat.
    pub captured_counts: [usize; 2],
    /// Sweeps this hand, per seat.
    pub sweeps: [u32; 2],
    /// Who captured last this hand.
    pub last_capturer: Option<Seat>,
    /// Game scores per seat.
    pub scores: [u32; 2],
    /// Finished hands' breakdowns.
    pub hand_results: Vec<HandResult>,
    /// Set when the game is over.
    pub result: Option<GameResult>,
}

impl GameState {
    /// The view for `seat`.
    pub fn view(&self, seat: Seat) -> PlayerView {
        PlayerView {
            seat,
            ruleset: self.ruleset,
            hand_number: self.hand_number,
            deal_number: self.deal_number,
            is_last_deal: self.is_last_deal(),
            dealer: self.dealer,
            to_move: (!self.is_over()).then_some(self.to_move),
            hand: self.hands[seat.index()].clone(),
            opponent_hand_count: self.hands[seat.other().index()].len(),
            table: self.table.clone(),
            stock_count: self.stock.len(),
            captured_counts: [self.piles[0].len(), self.piles[1].len()],
            sweeps: self.sweeps,
            last_capturer: self.last_capturer,
            scores: self.scores,
            hand_results: self.hand_results.clone(),
            result: self.result.clone(),
        }
    }
}

impl PlayerView {
    /// Whether this seat is to move.
    pub fn is_my_turn(&self) -> bool {
        self.to_move == Some(self.seat)
    }

    /// This seat's legal moves (empty unless it is its turn); needs nothing hidden.
    pub fn legal_moves(&self) -> Vec<Move> {
        if !self.is_my_turn() {
            return Vec::new();
        }
        legal::moves_for(&self.hand, &self.table, self.seat).moves
    }

    /// The legal moves playing `card` with exactly the selected loose cards and builds — what
    /// the move composer offers for a selection.
    pub fn moves_with_selection(
        &self,
        card: Card,
        loose: &[Card],
        builds: &[BuildId],
    ) -> Vec<Move> {
        if !self.is_my_turn() {
            return Vec::new();
        }
        legal::moves_with_selection(&self.hand, &self.table, self.seat, card, loose, builds)
    }

    /// Hand cards with at least one legal move now (highlighted on "Your turn!").
    pub fn playable_cards(&self) -> Vec<Card> {
        let moves = self.legal_moves();
        let mut cards: Vec<Card> = moves.iter().map(Move::card).collect();
        cards.sort();
        cards.dedup();
        cards
    }
}
