//! Session-authenticated HTTP: `GET /api/session` (whose token is this, is it still good) and
//! `POST /api/game/claim-victory` (and `POST /api/rooms/{code}/claim-victory`), `POST` and
//! `DELETE /api/rooms/{code}/rematch`, each with the session token as `Authorization: Bearer`.

use actix::Addr;
use actix_web::http::header;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use game::protocol::SessionInfo;

use super::AppState;
use crate::actors::{
    AskRematch, ClaimVictory, DeclineRematch, FindRoom, RematchState, RoomActor, RoomError,
};
use crate::error::ApiError;
use crate::session_check::SessionClaims;
use crate::token::TokenError;
use crate::validate;

/// The bearer token of `req`, if any.
pub fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))?;
    Some(token.trim().to_owned())
}

/// The client address of `req`, for security logs: the peer, or what a trusted proxy says in
/// `X-Forwarded-For` ([`crate::forwarded`]).
pub fn peer(req: &HttpRequest) -> String {
    let trusted = req
        .app_data::<web::Data<AppState>>()
        .map_or(&[][..], |state| &state.config.trusted_proxies[..]);
    let forwarded = req
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok());
    crate::forwarded::client_addr(req.peer_addr(), forwarded, trusted)
}

/// Validates the bearer token of `req`.
pub async fn authenticate(req: &HttpRequest, state: &AppState) -> Result<SessionClaims, ApiError> {
    let token = bearer(req).ok_or(ApiError::Token(TokenError::Missing))?;
    validate(state, token, peer(req)).await
}

/// Validates `token`, presented by `peer`.
pub async fn validate(
    state: &AppState,
    token: String,
    peer: String,
) -> Result<SessionClaims, ApiError> {
    Ok(state.session_check.validate(&token, &peer).await?)
}

/// The seat a token holds, or 401 with the token error's code (`SESSION_EXPIRED`, …). A browser
/// cannot read the status of a refused WebSocket upgrade, so its client asks here after a failed
/// connection whether to keep retrying.
#[get("/api/session")]
pub async fn session(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let claims = authenticate(&req, &state).await?;
    Ok(HttpResponse::Ok().json(SessionInfo {
        room: claims.room,
        seat: claims.seat,
        player_id: claims.player_id,
        name: claims.name,
    }))
}

/// Ends the game with the claimant as winner, if the opponent has been gone past the
/// abandonment threshold (409 `CLAIM_TOO_EARLY` otherwise).
#[post("/api/game/claim-victory")]
pub async fn claim_victory(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    claim(req, state, None).await
}

/// [`claim_victory`] with the room in the path, so a load balancer routes it to the room's node;
/// it must be the token's room.
#[post("/api/rooms/{code}/claim-victory")]
pub async fn claim_room_victory(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    claim(req, state, Some(code.into_inner())).await
}

/// Whether `path_code`, in any letter case (as join reads it), is the token's room `room`.
pub fn is_own_room(path_code: &str, room: &str) -> bool {
    validate::room_code(path_code).is_some_and(|code| code == room)
}

/// The session of `req` and its room's actor; with `code` (the room in the path, any letter
/// case), only if it is the token's room (`ROOM_MISMATCH` otherwise).
async fn session_room(
    req: &HttpRequest,
    state: &AppState,
    code: Option<&str>,
) -> Result<(SessionClaims, Addr<RoomActor>), ApiError> {
    let claims = authenticate(req, state).await?;
    if code.is_some_and(|code| !is_own_room(code, &claims.room)) {
        return Err(ApiError::RoomMismatch);
    }
    let room = state
        .registry
        .send(FindRoom {
            code: claims.room.clone(),
        })
        .await
        .map_err(|_| ApiError::Room(RoomError::Unavailable))?;
    Ok((claims, room))
}

async fn claim(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let (claims, room) = session_room(&req, &state, code.as_deref()).await?;
    let claimed = room
        .send(ClaimVictory {
            conn_id: None,
            seat: claims.seat,
            player_id: claims.player_id,
        })
        .await
        .map_err(|_| ApiError::Room(RoomError::Unavailable))??;
    Ok(HttpResponse::Ok().json(claimed))
}

/// Asks for a rematch of the finished game in room `code` (the token's room). 202 with who
/// asked and who declined while the opponent has not asked; once both have, 200 with this
/// player's seat in the new room (seats swapped, names kept) and its session token — the same
/// answer on every later call, also while the new room is being created.
#[post("/api/rooms/{code}/rematch")]
pub async fn rematch(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (claims, room) = session_room(&req, &state, Some(&code)).await?;
    let answer = room
        .send(AskRematch {
            seat: claims.seat,
            player_id: claims.player_id,
        })
        .await
        .map_err(|_| ApiError::Room(RoomError::Unavailable))??;
    Ok(match answer {
        RematchState::Offered(stand) => HttpResponse::Accepted().json(stand),
        RematchState::Seated(seated) => HttpResponse::Ok().json(seated),
    })
}

/// This seat does not want a rematch (now): its offer, if any, is withdrawn and the seat marked
/// declined until it asks again. 200 with who asked and who declined; 409 `REMATCH_MADE` once
/// the new room exists.
#[delete("/api/rooms/{code}/rematch")]
pub async fn decline_rematch(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (claims, room) = session_room(&req, &state, Some(&code)).await?;
    let stand = room
        .send(DeclineRematch {
            seat: claims.seat,
            player_id: claims.player_id,
        })
        .await
        .map_err(|_| ApiError::Room(RoomError::Unavailable))??;
    Ok(HttpResponse::Ok().json(stand))
}

#[cfg(test)]
mod tests {
    use super::is_own_room;

    #[test]
    fn the_room_in_the_path_is_read_in_any_letter_case() {
        assert!(is_own_room("ABC234", "ABC234"));
        assert!(is_own_room("abc234", "ABC234"));
        assert!(is_own_room("aBc234", "ABC234"));
        assert!(!is_own_room("abc235", "ABC234"));
        assert!(!is_own_room("abc2345", "ABC234"));
        assert!(!is_own_room("", "ABC234"));
    }
}
