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
    if url.starts_with("postgres") {
        let port = postgres_port(&url);
        options.map_sqlx_postgres_pool_opts(move |pool| {
            pool.after_connect(move |_conn, _meta| {
                Box::pin(async move {
                    set_nodelay_towards(port);
                    Ok(())
                })
            })
        });
    }
    options
}

/// The TCP port of a `postgres://` URL (5432 unless it names one).
fn postgres_port(url: &str) -> u16 {
    let authority = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .split(['/', '?'])
        .next()
        .unwrap_or_default();
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    host.rsplit_once(':')
        .filter(|(_, port)| !port.ends_with(']'))
        .and_then(|(_, port)| port.parse().ok())
        .unwrap_or(5432)
}

/// Turns Nagle's algorithm off on this process's TCP sockets connected to port `port` that
/// still have it on.
///
/// sqlx 0.9.0 no longer sets `TCP_NODELAY` on its database sockets (sqlx issue #4335, fixed
/// upstream after that release). A statement larger than one write then leaves in two segments,
/// and the second waits for the server's delayed ACK: every group commit of the action log took
/// ~45 ms on PostgreSQL (seen in a packet capture), about 4,900 appends/s. This runs after each
/// new connection of the pool, finds its socket among the process's descriptors and sets the
/// option. Remove it once sqlx sets the option again.
#[cfg(target_os = "linux")]
fn set_nodelay_towards(port: u16) {
    use std::os::fd::BorrowedFd;
    let Ok(entries) = std::fs::read_dir("/proc/self/fd") else {
        return;
    };
    for fd in entries.filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok()) {
        // SAFETY: `fd` was open when listed; if another thread closed it since, the calls
        // below fail (EBADF, ENOTSOCK) or read a socket we then only configure when it is
        // connected to the database port. No memory is involved.
        let fd = unsafe { BorrowedFd::borrow_raw(fd) };
        let socket = socket2::SockRef::from(&fd);
        let towards_db = socket
            .peer_addr()
            .ok()
            .and_then(|peer| peer.as_socket())
            .is_some_and(|peer| peer.port() == port);
        if towards_db && socket.tcp_nodelay().is_ok_and(|on| !on) {
            if let Err(err) = socket.set_tcp_nodelay(true) {
                log::debug!("cannot set TCP_NODELAY on the database socket: {err}");
            }
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn set_nodelay_towards(_port: u16) {}

/// Opens the database at `url` (`sqlite:…` or `postgres://…`) with [`configure`]d settings.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url);
    configure(&mut options);
    Database::connect(options).await
}

/// How many read-only connections [`connect_readers`] opens beside the writer.
pub const SQLITE_READERS: u32 = 4;

/// For a SQLite file, a pool of [`SQLITE_READERS`] read-only connections to it: in WAL mode they
/// read the last committed state while the one writer commits, so a lookup (a session check, a
/// room's load) never queues behind the action log's commits. `None` for PostgreSQL (its pool
/// already has many connections) and for an in-memory SQLite database (it exists only in its
/// one connection): use the writer's pool there.
pub async fn connect_readers(url: &str) -> Result<Option<DatabaseConnection>, DbErr> {
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    if !url.starts_with("sqlite:") || in_memory {
        return Ok(None);
    }
    let mut options = ConnectOptions::new(url);
    options
        .sqlx_logging_level(log::LevelFilter::Debug)
        .max_connections(SQLITE_READERS)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .map_sqlx_sqlite_opts(|opts: SqliteConnectOptions| {
            // No journal mode: the writer made the file WAL, which the file remembers.
            opts.busy_timeout(SQLITE_BUSY_TIMEOUT)
                .read_only(true)
                .create_if_missing(false)
        });
    Database::connect(options).await.map(Some)
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

    #[test]
    fn postgres_port_is_the_urls_or_5432() {
        assert_eq!(
            postgres_port("postgres://postgres@127.0.0.1:5432/postgres"),
            5432
        );
        assert_eq!(
            postgres_port("postgres://u:p@db.example:6543/casino?x=1"),
            6543
        );
        assert_eq!(postgres_port("postgres://u:p:x@db.example/casino"), 5432);
        assert_eq!(postgres_port("postgresql://[::1]:7000/casino"), 7000);
        assert_eq!(postgres_port("postgres://[::1]/casino"), 5432);
        assert_eq!(
            postgres_port("postgres:///casino?host=/run/postgresql"),
            5432
        );
    }
}
