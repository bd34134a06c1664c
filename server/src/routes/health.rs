//! `GET /healthz`: liveness and readiness probe for load balancers and the test harness.

use actix_web::{get, web, HttpResponse, Responder};
use sea_orm::DatabaseConnection;
use serde::Serialize;

#[derive(Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    database: &'static str,
}

/// Answers 200 when the database answers a ping, 503 when it does not, and 503 with status
/// "draining" once the node was told to stop (SIGTERM): a load balancer's health check then
/// sends players elsewhere while the node finishes.
#[get("/healthz")]
pub async fn healthz(
    db: web::Data<DatabaseConnection>,
    state: web::Data<super::AppState>,
) -> impl Responder {
    if state.draining.load(std::sync::atomic::Ordering::Acquire) {
        return HttpResponse::ServiceUnavailable().json(Health {
            status: "draining",
            version: env!("CARGO_PKG_VERSION"),
            database: "ok",
        });
    }
    match db.ping().await {
        Ok(()) => HttpResponse::Ok().json(Health {
            status: "ok",
            version: env!("CARGO_PKG_VERSION"),
            database: "ok",
        }),
        Err(err) => {
            log::warn!("health check: database unreachable: {err}");
            HttpResponse::ServiceUnavailable().json(Health {
                status: "unavailable",
                version: env!("CARGO_PKG_VERSION"),
                database: "unreachable",
            })
        }
    }
}
