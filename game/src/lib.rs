//! Casino rules engine (RULES.md: the game to 21 and the variants of §11, [`Ruleset`]): pure, no
//! I/O, no clock, no global randomness. Shared by the server and the web client, with the wire
//! protocol ([`protocol`]), the deal commitment ([`fairness`]) and the judge ([`judge`]).
//!
//! A game is a deal seed plus an ordered list of moves: [`GameState::new`] deals from the seed,
//! [`GameState::apply`] plays one move (or refuses it with a [`RuleError`], leaving the state
//! untouched), [`GameState::replay`] rebuilds a game from its log. Players see a [`PlayerView`].

pub mod card;
pub mod deck;
pub mod error;
pub mod fairness;
pub mod integrity;
pub mod judge;
pub mod legal;
pub mod moves;
pub mod position;
pub mod protocol;
mod resolve;
pub mod ruleset;
pub mod score;
pub mod seat;
pub mod state;
mod summary;
pub mod table;
pub mod view;

pub use card::{Card, Rank, Suit};
pub use deck::shuffled_pack;
pub use error::{RuleError, Violation};
pub use integrity::{check_integrity, Problem};
pub use legal::LegalMoves;
pub use moves::{Move, MoveKind};
pub use position::{validate_position, InvalidPosition};
pub use ruleset::Ruleset;
pub use score::{GameResult, HandResult, HandScore};
pub use seat::Seat;
pub use state::{GameState, Outcome, ReplayError, Residue};
pub use table::{Build, BuildId, Table};
pub use view::PlayerView;

/// Every legal move for `seat` in `state` (RULES §10 `legalMoves`).
pub fn legal_moves(state: &GameState, seat: Seat) -> Vec<Move> {
    state.legal_moves(seat)
}

/// Plays `mv` for `seat`; on error `state` is unchanged (RULES §10 `apply`).
pub fn apply(state: &mut GameState, seat: Seat, mv: &Move) -> Result<Outcome, RuleError> {
    state.apply(seat, mv)
}
