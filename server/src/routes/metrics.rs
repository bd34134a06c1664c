//! `GET /metrics`: the Prometheus text format.

use actix_web::{get, HttpResponse, Responder};

/// Every metric of [`crate::metrics`].
#[get("/metrics")]
pub async fn metrics() -> impl Responder {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(crate::metrics::metrics().render())
}
