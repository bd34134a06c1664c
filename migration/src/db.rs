//! Opening the database: the same settings for the server, the migration CLI and the tests.

use std::time::Duration;

use sea_orm_migration::sea_orm::{
    sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode},
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr,
    TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

use crate::Migrator;

/// Where the database lives when `DATABASE_URL` is not set: a SQLite file `casino.db` in the
/// working directory, created on first use.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://casino.db?mode=rwc";

/// How long a SQLite statement waits for another process's write lock before failing.
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Arbitrary constant naming the PostgreSQL advisory lock held while migrating, so several
/// servers starting at once against one database apply the migrations one at a time.
const MIGRATION_LOCK_KEY: i64 = 0x6361_7369_6e6f; // "casino"

/// Applies the project's connection settings to `options`, according to its URL:
///
/// - SQLite: WAL journal (readers never block the writer), a busy timeout, the file created if
///   missing, and one pooled connection kept open. One connection serializes this process's
///   statements, which SQLite does anyway for writes; it rules out `SQLITE_BUSY` between our own
///   connections (a deferred transaction that reads then writes can fail that way without
///   waiting), and it keeps an in-memory database alive for the life of the pool.
/// - PostgreSQL: sqlx's defaults.
///
/// SQL statements are logged at debug level only.
pub fn configure(options: &mut ConnectOptions) -> &mut ConnectOptions {
    options.sqlx_logging_level(log::LevelFilter::Debug);
    let url = options.get_url().to_owned();
    if url.starts_with("sqlite:") {
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let explicit_mode = url.contains("mode=");
        options
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .map_sqlx_sqlite_opts(move |opts: SqliteConnectOptions| {
                let mut opts = opts.busy_timeout(SQLITE_BUSY_TIMEOUT).foreign_keys(true);
                if !explicit_mode {
                    opts = opts.create_if_missing(true);
                }
                if !in_memory {
                    opts = opts.journal_mode(SqliteJournalMode::Wal);
                }
                opts
            });
    }
    options
}

/// Opens the database at `url` (`sqlite:…` or `postgres://…`) with [`configure`]d settings.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url);
    configure(&mut options);
    Database::connect(options).await
}

/// Opens the database at `url` and applies every pending migration; what the server does at start.
///
/// On PostgreSQL the whole run is one transaction holding an advisory lock, so servers starting
/// together do not race and a failed migration leaves the schema as it was.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    let db = connect(url).await?;
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let txn = db.begin().await?;
            txn.execute_unprepared(&format!(
                "SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"
            ))
            .await?;
            Migrator::up(&txn, None).await?;
            txn.commit().await?;
        }
        _ => Migrator::up(&db, None).await?,
    }
    Ok(db)
}

/// `url` with any password replaced by `***`, for log lines and error messages.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_owned();
    };
    let userinfo = &authority[..at];
    match userinfo.find(':') {
        Some(colon) => format!(
            "{}{}:***{}",
            &url[..scheme_end],
            &userinfo[..colon],
            &rest[at..]
        ),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_url_hides_only_the_password() {
        assert_eq!(
            redact_url("postgres://casino:s3cr@t@db.example:5432/casino?sslmode=require"),
            "postgres://casino:***@db.example:5432/casino?sslmode=require"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1:5432/postgres"),
            "postgres://postgres@127.0.0.1:5432/postgres"
        );
        assert_eq!(redact_url(DEFAULT_DATABASE_URL), DEFAULT_DATABASE_URL);
        assert_eq!(redact_url("sqlite::memory:"), "sqlite::memory:");
    }
}
