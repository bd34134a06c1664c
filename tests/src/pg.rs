//! Throw-away PostgreSQL databases on the server named by `CASINO_TEST_PG_URL`.

use std::io::Write;

pub use migration::scratch::{with_database, PgScratch as PgDatabase, PG_URL_VAR};

/// Creates a fresh database for `test_name`, or prints "skipped" and returns `None` without
/// [`PG_URL_VAR`].
pub async fn create(test_name: &str) -> anyhow::Result<Option<PgDatabase>> {
    let db = PgDatabase::create("casino_e2e").await?;
    if db.is_none() {
        let _ = writeln!(
            std::io::stderr(),
            "{test_name}: skipped: {PG_URL_VAR} not set"
        );
    }
    Ok(db)
}
