//! Throw-away databases: a SQLite file in a temporary folder, and a uniquely named PostgreSQL
//! database on the server named by `CASINO_TEST_PG_URL`.

use std::future::Future;
use std::io::Write;
use std::path::PathBuf;

use migration::scratch::{unique_suffix, PgScratch, PG_URL_VAR};

/// A temporary folder removed (with its database files) on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> Self {
        let path = std::env::temp_dir().join(format!("casino-migration-test-{}", unique_suffix()));
        std::fs::create_dir_all(&path).expect("create temporary folder");
        Self(path)
    }

    /// URL of a SQLite file `name` in this folder.
    pub fn sqlite_url(&self, name: &str) -> String {
        format!("sqlite://{}?mode=rwc", self.0.join(name).display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `test` with the URL of a fresh, uniquely named PostgreSQL database and drops that
/// database afterwards, also when the test panics (the panic is then re-raised). Without
/// [`PG_URL_VAR`] it prints why it is skipped and returns.
pub async fn with_postgres<F, Fut>(test_name: &str, test: F)
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(db) = PgScratch::create("casino_test")
        .await
        .expect("create a test database on the PostgreSQL server of CASINO_TEST_PG_URL")
    else {
        // Straight to stderr, past the test harness's output capture, so the skip is visible.
        let _ = writeln!(
            std::io::stderr(),
            "{test_name}: skipped: {PG_URL_VAR} not set"
        );
        return;
    };
    let outcome = tokio::spawn(test(db.url.clone())).await;
    let dropped = db.drop_db().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic.into_panic());
    }
    dropped.expect("drop the test database");
}
