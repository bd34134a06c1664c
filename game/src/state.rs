//! The whole game: stock, hands, table, piles, scores; `apply` moves it forward one turn.

use serde::{Deserialize, Serialize};

use crate::card::Card;
use crate::deck::shuffled_pack;
use crate::error::RuleError;
use crate::legal::{self, LegalMoves};
use crate::moves::{Move, MoveKind};
use crate::resolve::resolve;
use crate::ruleset::Ruleset;
use crate::score::{game_result, score_hand, GameResult, HandResult};
use crate::seat::Seat;
use crate::table::{Build, Table};

/// Deals in one hand (RULES §3: 4 table cards + 6 × 8 = 52).
pub const DEALS_PER_HAND: u8 = 6;

/// The complete, secret state of a game. Only the server holds it; players get a
/// [`crate::PlayerView`]. Its JSON form is the "position" of `casino-judge` (game/README.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GameState {
    /// Variant flags.
    pub ruleset: Ruleset,
    /// Deal seed: hand *n* uses `shuffled_pack(seed, n)`. Secret.
    pub seed: u64,
    /// Who deals the current hand.
    pub dealer: Seat,
    /// Who plays next.
    pub to_move: Seat,
    /// Current hand, 1-based.
    pub hand_number: u32,
    /// Current deal within the hand, 1-6.
    pub deal_number: u8,
    /// Undealt cards, top first. Secret.
    pub stock: Vec<Card>,
    /// Each seat's hand.
    pub hands: [Vec<Card>; 2],
    /// Loose cards and builds.
    pub table: Table,
    /// Each seat's captured cards this hand.
    pub piles: [Vec<Card>; 2],
    /// Sweeps per seat this hand.
    pub sweeps: [u32; 2],
    /// Who captured last this hand; takes the residue (R-HAND-END).
    pub last_capturer: Option<Seat>,
    /// A residue nobody captured (no capture all hand): set aside, scores for nobody.
    pub set_aside: Vec<Card>,
    /// Game scores per seat.
    pub scores: [u32; 2],
    /// Every finished hand's breakdown.
    pub hand_results: Vec<HandResult>,
    /// Set when the game is over.
    pub result: Option<GameResult>,
    /// Moves applied since the start of the game.
    pub moves_played: u32,
}

impl Default for GameState {
    fn default() -> Self {
        GameState {
            ruleset: Ruleset::default(),
            seed: 0,
            dealer: Seat::SECOND,
            to_move: Seat::FIRST,
            hand_number: 1,
            deal_number: 1,
            stock: Vec::new(),
            hands: [Vec::new(), Vec::new()],
            table: Table::default(),
            piles: [Vec::new(), Vec::new()],
            sweeps: [0, 0],
            last_capturer: None,
            set_aside: Vec::new(),
            scores: [0, 0],
            hand_results: Vec::new(),
            result: None,
            moves_played: 0,
        }
    }
}

/// What the last card of a hand left on the table, and who got it (R-HAND-END).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Residue {
    /// The last capturer, or `None` when nobody captured all hand (cards set aside).
    pub to: Option<Seat>,
    /// The cards.
    pub cards: Vec<Card>,
}

/// Everything an applied move did, for the log, the summaries and the judge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// Who moved.
    pub seat: Seat,
    /// The move as played.
    #[serde(rename = "move")]
    pub mv: Move,
    /// Table cards captured (the played card goes to the pile too but is not listed).
    pub captured: Vec<Card>,
    /// The capture cleared the table.
    pub sweep: bool,
    /// The build made or changed, as it stands after the move.
    pub build: Option<Build>,
    /// The builds a capture took whole, as they stood before it (their cards are in
    /// `captured` too), so the capture can be told with each build's value and cards.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub taken_builds: Vec<Build>,
    /// The deal this move started (2-6), if it emptied both hands mid-hand.
    pub next_deal: Option<u8>,
    /// The residue award, if this was the last card of a hand.
    pub residue: Option<Residue>,
    /// The scored hand, if this was the last card of a hand.
    pub hand_result: Option<HandResult>,
    /// Set when this move ended the game.
    pub game_over: Option<GameResult>,
}

impl Outcome {
    /// The kind of move played.
    pub fn kind(&self) -> MoveKind {
        self.mv.kind()
    }
}

/// A logged move could not be replayed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("move {index} of the log is illegal: {error}")]
pub struct ReplayError {
    /// 0-based position in the log.
    pub index: usize,
    /// Why the engine refused it.
    pub error: RuleError,
}

impl GameState {
    /// A new game: hand 1 shuffled from `seed`, dealt by `first_dealer` (R-DEALER, R-DEAL).
    pub fn new(seed: u64, first_dealer: Seat, ruleset: Ruleset) -> GameState {
        let mut state = GameState {
            ruleset,
            seed,
            dealer: first_dealer,
            ..GameState::default()
        };
        state.start_hand(1);
        state
    }

    /// The cards deal `deal_number` (1-6) of hand `hand_number` gives from `seed` when `dealer`
    /// deals: each seat's hand and, for the first deal, the table's. Dealt by the engine's own
    /// dealing, so a client can check what it was dealt once the seed is revealed.
    pub fn dealt(
        seed: u64,
        hand_number: u32,
        dealer: Seat,
        deal_number: u8,
    ) -> ([Vec<Card>; 2], Vec<Card>) {
        let mut state = GameState {
            seed,
            dealer,
            ..GameState::default()
        };
        state.start_hand(hand_number);
        for _ in 1..deal_number.min(DEALS_PER_HAND) {
            state.hands = [Vec::new(), Vec::new()];
            state.table = Table::default();
            state.deal();
        }
        (state.hands, state.table.loose)
    }

    /// Rebuilds a game from its seed and ordered moves (the action log) through the same rules.
    pub fn replay<'a>(
        seed: u64,
        first_dealer: Seat,
        ruleset: Ruleset,
        moves: impl IntoIterator<Item = (Seat, &'a Move)>,
    ) -> Result<GameState, ReplayError> {
        let mut state = GameState::new(seed, first_dealer, ruleset);
        for (index, (seat, mv)) in moves.into_iter().enumerate() {
            state
                .apply(seat, mv)
                .map_err(|error| ReplayError { index, error })?;
        }
        Ok(state)
    }

    /// Whether the game has ended.
    pub fn is_over(&self) -> bool {
        self.result.is_some()
    }

    /// The sixth deal of a hand: the dealer's "last" (RULES §3, `isLastDeal`).
    pub fn is_last_deal(&self) -> bool {
        self.deal_number == DEALS_PER_HAND
    }

    /// The non-dealer, who leads every deal (R-LEAD).
    pub fn non_dealer(&self) -> Seat {
        self.dealer.other()
    }

    /// Every legal move for `seat` now (empty when it is not their turn or the game is over).
    /// In the rare position with more than the enumeration budget allows, see [`Self::legal`].
    pub fn legal_moves(&self, seat: Seat) -> Vec<Move> {
        self.legal(seat).moves
    }

    /// Legal moves for `seat`, with whether the list is complete.
    pub fn legal(&self, seat: Seat) -> LegalMoves {
        if self.is_over() || seat != self.to_move {
            return LegalMoves {
                moves: Vec::new(),
                complete: true,
            };
        }
        legal::moves_for(&self.hands[seat.index()], &self.table, seat)
    }

    /// Checks `mv` for `seat` without changing anything.
    pub fn check(&self, seat: Seat, mv: &Move) -> Result<(), RuleError> {
        self.precheck(seat)?;
        resolve(&self.hands[seat.index()], &self.table, seat, mv).map(|_| ())
    }

    fn precheck(&self, seat: Seat) -> Result<(), RuleError> {
        if self.is_over() {
            return Err(RuleError::GameOver);
        }
        if seat != self.to_move {
            return Err(RuleError::NotYourTurn {
                to_move: self.to_move,
            });
        }
        Ok(())
    }

    /// Plays `mv` for `seat`. On error the state is untouched and says why (RULES §5.7).
    pub fn apply(&mut self, seat: Seat, mv: &Move) -> Result<Outcome, RuleError> {
        self.precheck(seat)?;
        let resolved = resolve(&self.hands[seat.index()], &self.table, seat, mv)?;
        // From here on nothing can fail: the move is legal.
        let me = seat.index();
        self.hands[me] = resolved.hand;
        self.table = resolved.table;
        if matches!(mv, Move::Capture { .. }) {
            self.piles[me].extend(resolved.captured.iter().copied());
            self.piles[me].push(mv.card());
            self.last_capturer = Some(seat);
            if resolved.sweep {
                self.sweeps[me] = self.sweeps[me].saturating_add(1);
            }
        }
        self.moves_played = self.moves_played.saturating_add(1);
        self.to_move = seat.other();
        let mut outcome = Outcome {
            seat,
            mv: mv.clone(),
            captured: resolved.captured,
            sweep: resolved.sweep,
            build: resolved.build,
            taken_builds: resolved.taken_builds,
            next_deal: None,
            residue: None,
            hand_result: None,
            game_over: None,
        };
        if self.hands.iter().all(Vec::is_empty) {
            if self.stock.is_empty() {
                self.finish_hand(&mut outcome);
            } else {
                self.deal();
                outcome.next_deal = Some(self.deal_number);
            }
        }
        Ok(outcome)
    }

    /// Shuffles and deals hand `hand_number` (R-DEAL, deal 1).
    fn start_hand(&mut self, hand_number: u32) {
        self.hand_number = hand_number;
        self.stock = shuffled_pack(self.seed, hand_number);
        self.deal_number = 0;
        self.table = Table::default();
        self.piles = [Vec::new(), Vec::new()];
        self.sweeps = [0, 0];
        self.last_capturer = None;
        self.set_aside.clear();
        self.deal();
    }

    /// Deals the next deal in twos (R-DEAL) and gives the lead to the non-dealer (R-LEAD).
    fn deal(&mut self) {
        let nd = self.non_dealer().index();
        let d = self.dealer.index();
        let first = self.deal_number == 0;
        let take = if first { 12 } else { 8 };
        let cards: Vec<Card> = self.stock.drain(..take.min(self.stock.len())).collect();
        let mut chunks = cards.chunks(2);
        let mut give = |to: Option<usize>, state: &mut GameState| {
            if let Some(pair) = chunks.next() {
                match to {
                    Some(seat) => state.hands[seat].extend_from_slice(pair),
                    None => state.table.loose.extend_from_slice(pair),
                }
            }
        };
        let order: &[Option<usize>] = if first {
            &[Some(nd), None, Some(d), Some(nd), None, Some(d)]
        } else {
            &[Some(nd), Some(d), Some(nd), Some(d)]
        };
        for to in order {
            give(*to, self);
        }
        self.deal_number = self.deal_number.saturating_add(1);
        self.to_move = self.non_dealer();
    }

    /// Awards the residue, scores the hand, and ends the game or starts the next hand.
    fn finish_hand(&mut self, outcome: &mut Outcome) {
        let table = std::mem::take(&mut self.table);
        let cards: Vec<Card> = table.cards().collect();
        match self.last_capturer {
            Some(seat) => self.piles[seat.index()].extend(cards.iter().copied()),
            None => self.set_aside.extend(cards.iter().copied()),
        }
        outcome.residue = Some(Residue {
            to: self.last_capturer,
            cards,
        });
        let hand = score_hand(self.hand_number, &self.piles, self.sweeps, &self.ruleset);
        for seat in Seat::BOTH {
            self.scores[seat.index()] =
                self.scores[seat.index()].saturating_add(hand.seats[seat.index()].total);
        }
        self.hand_results.push(hand.clone());
        outcome.hand_result = Some(hand.clone());
        if let Some(result) = game_result(self.scores, &hand, &self.ruleset) {
            self.result = Some(result.clone());
            outcome.game_over = Some(result);
        } else {
            self.dealer = self.dealer.other();
            self.start_hand(self.hand_number.saturating_add(1));
        }
    }
}
