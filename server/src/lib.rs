//! Casino Online game server: HTTP API, WebSocket sessions and room actors.

pub mod access_log;
pub mod actors;
pub mod clock;
pub mod config;
pub mod error;
pub mod forwarded;
pub mod frame_guard;
pub mod frames;
pub mod metrics;
pub mod ratelimit;
pub mod room;
pub mod routes;
pub mod session_check;
pub mod socket_slots;
pub mod startup;
pub mod store;
pub mod token;
pub mod validate;

pub use config::Config;
pub use startup::Application;

/// The whole `casino-server` command: logging, flags, serve until stopped. Shared by the binary
/// and the test suite's copy of it.
pub async fn run_cli() -> anyhow::Result<()> {
    use clap::Parser;
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let config = Config::parse();
    let app = Application::build(config).await?;
    log::info!("casino-server listening on http://{}/", app.addr());
    app.run_until_signal().await?;
    Ok(())
}
