//! The server's one typed configuration: command-line flags with `CASINO_…` environment fallbacks.

use std::path::PathBuf;

use clap::Parser;

/// Every setting of `casino-server`; `casino-server --help` lists them all.
#[derive(Debug, Clone, Parser)]
#[command(name = "casino-server", version, about = "Casino Online game server")]
pub struct Config {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "CASINO_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,

    /// Folder with the built web client (index.html, wasm, css); not served when absent.
    #[arg(long, env = "CASINO_STATIC_DIR", default_value = "client/dist")]
    pub static_dir: PathBuf,

    /// Database to use: `sqlite://FILE?mode=rwc`, `sqlite::memory:` or `postgres://…`. The default
    /// is the file `casino.db` in the working directory; it is created and migrated at start.
    #[arg(long, env = "DATABASE_URL", default_value = migration::DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

impl Config {
    /// A configuration for tests: ephemeral port, no static files, a private in-memory database.
    pub fn for_tests() -> Self {
        Self {
            bind: "127.0.0.1:0".to_owned(),
            static_dir: PathBuf::from("/nonexistent"),
            // Each connection pool gets its own in-memory database, so tests never share state.
            database_url: "sqlite::memory:".to_owned(),
        }
    }
}
