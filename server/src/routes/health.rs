//! `GET /healthz`: liveness probe for load balancers and the test harness.

use actix_web::{get, HttpResponse, Responder};
use serde::Serialize;

#[derive(Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
}

/// Answers 200 with the server's version while the process serves requests.
#[get("/healthz")]
pub async fn healthz() -> impl Responder {
    HttpResponse::Ok().json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    })
}
