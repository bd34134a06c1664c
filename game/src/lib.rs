//! Casino rules engine (RULES.md, default variant): pure, no I/O, no clock, no global randomness.

pub mod card;
pub mod deck;

pub use card::{Card, Rank, Suit};
pub use deck::shuffled_pack;
