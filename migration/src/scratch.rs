//! Throw-away databases for the project's tests and benchmarks: unique names, and PostgreSQL
//! databases created on (and dropped from) the server named by [`PG_URL_VAR`].

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sea_orm_migration::sea_orm::{ConnectionTrait, Database, DbErr};

/// Environment variable naming a PostgreSQL server (a URL whose database the tests may connect
/// to, e.g. `postgres://postgres@127.0.0.1:5432/postgres`) on which they create their databases.
pub const PG_URL_VAR: &str = "CASINO_TEST_PG_URL";

/// A name part unique across processes and calls: pid, clock, counter.
pub fn unique_suffix() -> String {
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

/// `base` (a PostgreSQL URL) pointing at database `name` instead, query string kept.
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

/// A uniquely named PostgreSQL database; [`PgScratch::drop_db`] removes it.
pub struct PgScratch {
    admin_url: String,
    name: String,
    /// URL of the new database.
    pub url: String,
}

impl PgScratch {
    /// Creates `{prefix}_{unique}` on the server of [`PG_URL_VAR`]; `None` when it is unset.
    pub async fn create(prefix: &str) -> Result<Option<PgScratch>, DbErr> {
        let Ok(admin_url) = std::env::var(PG_URL_VAR) else {
            return Ok(None);
        };
        let name = format!("{prefix}_{}", unique_suffix());
        let admin = Database::connect(admin_url.as_str()).await?;
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await?;
        admin.close().await?;
        let url = with_database(&admin_url, &name);
        Ok(Some(PgScratch {
            admin_url,
            name,
            url,
        }))
    }

    /// Drops the database, forcing out any connection still open.
    pub async fn drop_db(self) -> Result<(), DbErr> {
        let admin = Database::connect(self.admin_url.as_str()).await?;
        admin
            .execute_unprepared(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ))
            .await?;
        admin.close().await
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

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
}
