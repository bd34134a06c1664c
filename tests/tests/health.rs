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
