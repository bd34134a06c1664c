//! Every pooled PostgreSQL connection sends without Nagle's algorithm (sqlx 0.9.0 leaves it on;
//! `migration::connect` turns it off). Its own test binary: no other test's connections share
//! the process, so every socket towards the server must be one of this pool's.
//!
//! Runs when `CASINO_TEST_PG_URL` names a server.

mod support;

use migration::sea_orm::{ConnectionTrait, DbBackend, Statement};
use support::databases::with_postgres;

/// (sockets of this process connected to `port`, how many of them have `TCP_NODELAY`).
fn sockets_towards(port: u16) -> (usize, usize) {
    use std::os::fd::BorrowedFd;
    let (mut total, mut nodelay) = (0, 0);
    for entry in std::fs::read_dir("/proc/self/fd").expect("list descriptors") {
        let Some(fd) = entry
            .ok()
            .and_then(|e| e.file_name().to_str().and_then(|n| n.parse().ok()))
        else {
            continue;
        };
        // SAFETY: only socket options are read; a descriptor closed meanwhile makes them fail.
        let fd = unsafe { BorrowedFd::borrow_raw(fd) };
        let socket = socket2::SockRef::from(&fd);
        let towards = socket
            .peer_addr()
            .ok()
            .and_then(|a| a.as_socket())
            .is_some_and(|a| a.port() == port);
        if towards {
            total += 1;
            if socket.tcp_nodelay().unwrap_or(false) {
                nodelay += 1;
            }
        }
    }
    (total, nodelay)
}

#[tokio::test]
async fn postgres_connections_send_without_nagle() {
    with_postgres(
        "postgres_connections_send_without_nagle",
        |url| async move {
            let port = url
                .split('@')
                .nth(1)
                .and_then(|rest| rest.split(['/', '?']).next())
                .and_then(|host| host.rsplit_once(':'))
                .and_then(|(_, port)| port.parse().ok())
                .unwrap_or(5432);
            let db = migration::connect(&url).await.expect("connect");
            // Several connections at once, so the pool opens more than one.
            let sleep = || {
                db.execute_raw(Statement::from_string(
                    DbBackend::Postgres,
                    "SELECT pg_sleep(0.05)",
                ))
            };
            let (a, b, c) = tokio::join!(sleep(), sleep(), sleep());
            for result in [a, b, c] {
                result.expect("query");
            }
            let (total, nodelay) = sockets_towards(port);
            assert!(total >= 2, "the pool holds connections: {total}");
            assert_eq!(nodelay, total, "every database socket has TCP_NODELAY");
            db.close().await.expect("close");
        },
    )
    .await;
}
