//! `GET /ws/{CODE}?session_token=…` (and the older `GET /ws?session_token=…`): refuses a
//! draining node (503), a foreign origin (403), a full server (upgraded, then closed 1013), a bad
//! token (401, or 503 when it cannot be checked) and a room that is not the token's (400), in
//! that order (docs/API.md "Connecting"); then hands the socket to a [`WsConnection`]. The room code in the path lets a load balancer send every socket of a
//! room to the node serving it (docs/SCALING.md); it must be the token's room.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use actix::{Actor, ActorContext, StreamHandler};
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use actix_web_actors::ws;
use futures_util::StreamExt;
use serde::Deserialize;

use super::AppState;
use crate::actors::connection::ConnectionDeps;
use crate::actors::{ConnSocket, FindRoom, RoomError, WsConnection};
use crate::error::ApiError;
use crate::frame_guard::FrameGuard;
use crate::metrics::Metrics;
use crate::token::TokenError;

/// Query of `/ws`.
#[derive(Debug, Deserialize)]
pub struct WsQuery {
    /// The session token.
    #[serde(default)]
    pub session_token: String,
}

/// Whether `origin` may open a socket: the server's own origin (same host) or one of `allowed`.
pub fn origin_allowed(origin: &str, host: Option<&str>, allowed: &[String]) -> bool {
    let origin = origin.trim_end_matches('/');
    if allowed
        .iter()
        .any(|a| a.trim().trim_end_matches('/').eq_ignore_ascii_case(origin))
    {
        return true;
    }
    let Some(host) = host else {
        return false;
    };
    ["http://", "https://"]
        .iter()
        .any(|scheme| origin.eq_ignore_ascii_case(&format!("{scheme}{host}")))
}

/// Upgrades to the game protocol (the room is the token's).
#[get("/ws")]
pub async fn ws_route(
    req: HttpRequest,
    stream: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, actix_web::Error> {
    upgrade(req, stream, state, None).await
}

/// Upgrades to the game protocol for room `code` (any letter case), which must be the token's
/// room.
#[get("/ws/{code}")]
pub async fn ws_room_route(
    req: HttpRequest,
    stream: web::Payload,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, actix_web::Error> {
    upgrade(req, stream, state, Some(code.into_inner())).await
}

async fn upgrade(
    req: HttpRequest,
    stream: web::Payload,
    state: web::Data<AppState>,
    code: Option<String>,
) -> Result<HttpResponse, actix_web::Error> {
    if state.draining.load(Ordering::Acquire) {
        // The load balancer is about to send this player to another node.
        return Err(ApiError::Draining.into());
    }
    let peer = super::game::peer(&req);
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("<non-ascii>");
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok());
        if !origin_allowed(origin, host, &state.config.allowed_origins) {
            log::warn!(target: "security", "websocket from foreign origin {origin:?} refused ({peer})");
            return Err(ApiError::ForbiddenOrigin(origin.chars().take(100).collect()).into());
        }
    }
    // Full: refused before any database work, so a crowd of retries stays cheap.
    let Some(slot) = state.sockets.take() else {
        log::warn!(
            "refusing a socket from {peer}: {} sockets open already",
            state.config.max_connections
        );
        return ws::start(FullServer(state.metrics.clone()), &req, stream);
    };
    let query = web::Query::<WsQuery>::from_query(req.query_string())
        .map_err(|_| ApiError::Token(TokenError::Malformed))?;
    let claims =
        super::game::validate(&state, query.into_inner().session_token, peer.clone()).await?;
    if code.is_some_and(|code| !super::game::is_own_room(&code, &claims.room)) {
        return Err(ApiError::RoomMismatch.into());
    }
    let room = state
        .registry
        .send(FindRoom {
            code: claims.room.clone(),
        })
        .await
        .map_err(|_| ApiError::Room(RoomError::Unavailable))?;
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|ua| ua.to_str().ok())
        .map(str::to_owned);
    let oversized = Arc::new(AtomicBool::new(false));
    let connection = WsConnection::new(
        claims,
        peer,
        user_agent,
        room,
        ConnectionDeps {
            sessions: state.sessions.clone(),
            heartbeats: state.heartbeats.clone(),
            config: state.config.clone(),
            slot: Some(slot),
            metrics: state.metrics.clone(),
        },
        ConnSocket::of(&req),
        oversized.clone(),
    );
    // actix-web-actors drops frames already read when the payload then ends with an error, and
    // a peer that vanishes without a close frame ends it with `Incomplete`. A move fully
    // received just before the connection dropped must still be processed (scenario 19.4), so
    // that error becomes a plain end of stream.
    let stream = stream
        .take_while(|item| std::future::ready(!matches!(item, Err(PayloadError::Incomplete(_)))));
    // Frames over the limit are refused from their header, and at most about one frame is
    // buffered: see `frame_guard`.
    let stream = FrameGuard::new(Box::pin(stream), state.config.max_frame_bytes, oversized);
    ws::WsResponseBuilder::new(connection, &req, stream)
        .frame_size(state.config.max_frame_bytes)
        .start()
}

/// A socket refused because the server holds `max_connections` already: upgraded only to be
/// closed with 1013 ("try again later"), which clients answer with a retry after a pause.
struct FullServer(Arc<Metrics>);

impl Actor for FullServer {
    type Context = ws::WebsocketContext<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.0.connections_refused.inc();
        let code = game::protocol::CloseCode::ServerFull;
        ctx.close(Some(ws::CloseReason {
            code: ws::CloseCode::Other(code.code()),
            description: Some(code.description().to_owned()),
        }));
        ctx.stop();
    }
}

impl StreamHandler<Result<ws::Message, ws::ProtocolError>> for FullServer {
    fn handle(&mut self, _: Result<ws::Message, ws::ProtocolError>, _: &mut Self::Context) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_host_and_listed_origins_are_allowed() {
        let allowed = vec!["https://casino.example".to_owned()];
        assert!(origin_allowed(
            "http://127.0.0.1:8080",
            Some("127.0.0.1:8080"),
            &[]
        ));
        assert!(origin_allowed("https://casino.example/", None, &allowed));
        assert!(!origin_allowed(
            "https://evil.example",
            Some("127.0.0.1:8080"),
            &allowed
        ));
        assert!(!origin_allowed("null", Some("127.0.0.1:8080"), &[]));
    }
}
