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
}

impl Config {
    /// A configuration for tests: ephemeral port, no static files.
    pub fn for_tests() -> Self {
        Self {
            bind: "127.0.0.1:0".to_owned(),
            static_dir: PathBuf::from("/nonexistent"),
        }
    }
}
