//! `casino-server`: the Casino Online game server.

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    server::run_cli().await
}
