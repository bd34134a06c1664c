//! The `casino-server` command, built inside the tests package so the crash test can run it as
//! a child process and find it through `CARGO_BIN_EXE_casino-server-e2e` (a package's tests only
//! see their own package's binaries). It is the same code: `server::run_cli`.

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    server::run_cli().await
}
