//! Throw-away PostgreSQL databases on the server named by `CASINO_TEST_PG_URL`.

use std::io::Write;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sea_orm::{ConnectionTrait, Database};

/// Names a PostgreSQL server whose database the tests may connect to, e.g.
/// `postgres://postgres@127.0.0.1:5432/postgres`.
pub const PG_URL_VAR: &str = "CASINO_TEST_PG_URL";

/// A uniquely named database, dropped by [`PgDatabase::drop_db`].
pub struct PgDatabase {
    admin_url: String,
    name: String,
    /// URL of the new database.
    pub url: String,
}

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

/// `base` pointing at database `name`.
pub fn with_database(base: &str, name: &str) -> String {
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

impl PgDatabase {
    /// Creates a fresh database, or prints "skipped" and returns `None` without
    /// [`PG_URL_VAR`].
    pub async fn create(test_name: &str) -> anyhow::Result<Option<PgDatabase>> {
        let Ok(admin_url) = std::env::var(PG_URL_VAR) else {
            let _ = writeln!(
                std::io::stderr(),
                "{test_name}: skipped: {PG_URL_VAR} not set"
            );
            return Ok(None);
        };
        let name = format!("casino_e2e_{}", unique_suffix());
        let admin = Database::connect(admin_url.as_str()).await?;
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await?;
        admin.close().await?;
        let url = with_database(&admin_url, &name);
        Ok(Some(PgDatabase {
            admin_url,
            name,
            url,
        }))
    }

    /// Drops the database (forcing out connections).
    pub async fn drop_db(self) -> anyhow::Result<()> {
        let admin = Database::connect(self.admin_url.as_str()).await?;
        admin
            .execute_unprepared(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ))
            .await?;
        admin.close().await?;
        Ok(())
    }
}
