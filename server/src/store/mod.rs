//! Everything the server reads from and writes to the database, behind one error type. Actors
//! call these functions. Two actors also talk to the database themselves: the heartbeat monitor
//! writes its batched `last_heartbeat` update (`actors/heartbeat.rs`), and the lease keeper
//! listens for other nodes' hand-over requests (`actors/lease_keeper.rs`).

pub mod leases;
pub mod log_writer;
pub mod rematch;
pub mod rooms;
pub mod secret;
pub mod sessions;

pub use log_writer::{LogWriter, Receipt};

/// A database operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or could not be reached.
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    /// Stored data does not make sense (e.g. a logged move that does not parse or replay).
    #[error("corrupt data: {0}")]
    Corrupt(String),
    /// Could not find a free room code after several tries.
    #[error("no free room code found")]
    NoFreeCode,
    /// The group-commit writer is gone (the server is shutting down).
    #[error("the log writer has stopped")]
    WriterGone,
}
