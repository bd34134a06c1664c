//! `cargo run -p migration -- up|down|status|fresh|…`: the standard SeaORM migration CLI.
//!
//! The database is `-u URL`, else `DATABASE_URL`, else the server's default SQLite file
//! ([`migration::DEFAULT_DATABASE_URL`]); it is opened with the same settings as the server.

use migration::{sea_orm::Database, Migrator};
use sea_orm_migration::cli;

fn main() {
    if std::env::var_os("DATABASE_URL").is_none() {
        // Before any thread exists, so setting the environment is sound.
        std::env::set_var("DATABASE_URL", migration::DEFAULT_DATABASE_URL);
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("cannot start the async runtime: {err}");
            std::process::exit(1);
        }
    };
    runtime.block_on(cli::run_cli_with_connection(
        Migrator,
        |mut options| async move {
            migration::configure(&mut options);
            Database::connect(options).await
        },
    ));
}
