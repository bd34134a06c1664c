//! `GET /metrics`: the Prometheus text format.

use actix_web::{get, web, HttpResponse, Responder};

use super::AppState;

/// Every metric of this server ([`crate::metrics`]).
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> impl Responder {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
}
