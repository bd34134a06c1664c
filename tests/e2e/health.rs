//! `/healthz` of the real server, started in-process on an ephemeral port with its own database.

use server::{Application, Config};

#[actix_web::test]
async fn healthz_reports_the_server_and_its_database_ok() -> anyhow::Result<()> {
    let app = Application::build(Config::for_tests()).await?;
    let addr = app.addr();
    assert_ne!(addr.port(), 0, "the real port is known before serving");
    actix_web::rt::spawn(app.run());

    let mut response = awc::Client::new()
        .get(format!("http://{addr}/healthz"))
        .send()
        .await
        .map_err(|err| anyhow::anyhow!("GET /healthz: {err}"))?;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response
        .json()
        .await
        .map_err(|err| anyhow::anyhow!("body of /healthz: {err}"))?;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    Ok(())
}

/// SIGTERM: `/healthz` answers 503 "draining" and new game sockets are refused with `DRAINING`
/// while games go on for the notice; then the process exits cleanly (the rooms released).
#[test]
fn sigterm_drains_before_the_server_exits() -> anyhow::Result<()> {
    use std::time::{Duration, Instant};
    use tests::child::{http_get, ChildServer};

    let dir = tests::TempDir::new()?;
    let url = dir.sqlite_url("drain.db");
    let server = ChildServer::spawn(
        env!("CARGO_BIN_EXE_casino-server-e2e"),
        &[("DATABASE_URL", &url), ("CASINO_DRAIN_NOTICE_MS", "1500")],
    )?;
    let addr = server.addr;
    let (status, body) = http_get(addr, "/healthz")?;
    assert_eq!(status, 200, "{body}");
    let sent = Instant::now();
    server.signal("TERM")?;
    let draining =
        tests::eventually_blocking(Duration::from_secs(1), "/healthz answering 503", || {
            let (status, body) = http_get(addr, "/healthz")?;
            Ok((status == 503).then_some(body))
        })?;
    assert!(draining.contains("\"draining\""), "{draining}");
    let (status, body) = http_get(addr, "/ws?session_token=x")?;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("DRAINING"), "{body}");
    let status = server.terminate(Duration::from_secs(10))?;
    assert!(status.success(), "{status}");
    assert!(
        sent.elapsed() >= Duration::from_millis(1500),
        "exited before the notice was over"
    );
    Ok(())
}

/// A node named for a cluster needs PostgreSQL: on SQLite it refuses to start, saying why.
#[actix_web::test]
async fn a_cluster_node_on_sqlite_refuses_to_start() {
    let mut config = Config::for_tests();
    config.node_id = Some("node1".to_owned());
    let refused = Application::build(config)
        .await
        .err()
        .map(|e| e.to_string());
    let message = refused.expect("a cluster node on SQLite must not start");
    assert!(message.contains("PostgreSQL"), "{message}");
}
