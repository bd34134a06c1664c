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

/// Answers 200 when the database answers a ping, 503 when it does not.
#[get("/healthz")]
pub async fn healthz(db: web::Data<DatabaseConnection>) -> impl Responder {
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
