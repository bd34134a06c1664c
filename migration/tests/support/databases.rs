//! Throw-away databases: a SQLite file in a temporary folder, and a uniquely named PostgreSQL
//! database on the server named by `CASINO_TEST_PG_URL`.

use std::future::Future;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use migration::sea_orm::{ConnectionTrait, Database, DbErr};

/// Environment variable naming a PostgreSQL server (a URL whose database the tests may connect
/// to, e.g. `postgres://postgres@127.0.0.1:5432/postgres`) on which they create their databases.
pub const PG_URL_VAR: &str = "CASINO_TEST_PG_URL";

fn unique_suffix() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

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

/// `base` (a PostgreSQL URL) pointing at database `name` instead.
fn with_database(base: &str, name: &str) -> String {
    let (without_query, query) = match base.split_once('?') {
        Some((url, query)) => (url, Some(query)),
        None => (base, None),
    };
    let authority_start = without_query.find("://").map_or(0, |i| i + 3);
    let path_start = without_query[authority_start..]
        .find('/')
        .map_or(without_query.len(), |i| authority_start + i);
    let mut url = format!("{}/{}", &without_query[..path_start], name);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

/// Runs `test` with the URL of a fresh, uniquely named PostgreSQL database and drops that
/// database afterwards, also when the test panics (the panic is then re-raised). Without
/// [`PG_URL_VAR`] it prints why it is skipped and returns.
pub async fn with_postgres<F, Fut>(test_name: &str, test: F)
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Ok(admin_url) = std::env::var(PG_URL_VAR) else {
        // Straight to stderr, past the test harness's output capture, so the skip is visible.
        let _ = writeln!(
            std::io::stderr(),
            "{test_name}: skipped: {PG_URL_VAR} not set"
        );
        return;
    };
    let name = format!("casino_test_{}", unique_suffix());
    let admin = Database::connect(admin_url.as_str())
        .await
        .expect("connect to the PostgreSQL server of CASINO_TEST_PG_URL");
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create the test database");

    let outcome = tokio::spawn(test(with_database(&admin_url, &name))).await;

    let dropped: Result<_, DbErr> = admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await;
    let _ = admin.close().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic.into_panic());
    }
    dropped.expect("drop the test database");
}

#[test]
fn with_database_replaces_only_the_path() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
        "postgres://postgres@127.0.0.1:5432/t1"
    );
    assert_eq!(
        with_database("postgres://u:p@h/db?sslmode=disable", "t2"),
        "postgres://u:p@h/t2?sslmode=disable"
    );
    assert_eq!(
        with_database("postgres://h:5432", "t3"),
        "postgres://h:5432/t3"
    );
}
