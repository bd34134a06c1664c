//! `casino-server`: the Casino Online game server.

use clap::Parser;
use server::{Application, Config};

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let config = Config::parse();
    let app = Application::build(config).await?;
    log::info!("casino-server listening on http://{}/", app.addr());
    app.run().await?;
    Ok(())
}
