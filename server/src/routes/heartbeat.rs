//! `GET /api/heartbeat/{code}`: each seat's connection health. Without a token (or with a
//! token of another room) a caller sees only what a spectator may: per seat, `health`
//! (`healthy`, `unhealthy`, `disconnected`). With a valid `Authorization: Bearer` token of this
//! room it also gets `last_heartbeat` (ms since the epoch) of each seat's live socket.

use actix_web::{get, web, HttpRequest, HttpResponse};
use game::Seat;
use serde::Serialize;

use super::game::{authenticate, bearer};
use super::AppState;
use crate::actors::heartbeat::Health;
use crate::actors::{FindRoom, GetSeatHealth, RoomError};
use crate::error::ApiError;
use crate::validate;

#[derive(Serialize)]
struct SeatReport {
    seat: Seat,
    health: Health,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_heartbeat: Option<i64>,
}

#[derive(Serialize)]
struct Report {
    room: String,
    players: Vec<SeatReport>,
}

/// Each seat's health (and, for the room's players, last heartbeat), as the room knows it: the
/// socket holding each seat and the heartbeat monitor's last judgement of it.
#[get("/api/heartbeat/{code}")]
pub async fn room_heartbeat(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let code = validate::room_code(&path).ok_or(ApiError::InvalidRoomCode)?;
    let room = state
        .registry
        .send(FindRoom { code: code.clone() })
        .await
        .map_err(|_| ApiError::Room(RoomError::Unavailable))?;
    let seats = match room.send(GetSeatHealth).await {
        Ok(answer) => answer?,
        // The room stopped before answering: it does not exist (a lookup of an unknown code
        // starts an actor that finds nothing and stops).
        Err(_) => return Err(ApiError::Room(RoomError::NotFound)),
    };
    let member = if bearer(&req).is_some() {
        authenticate(&req, &state).await?.room == code
    } else {
        false
    };
    let players = seats
        .into_iter()
        .map(|s| SeatReport {
            seat: s.seat,
            health: s.health,
            last_heartbeat: s.last_heartbeat.filter(|_| member),
        })
        .collect();
    Ok(HttpResponse::Ok().json(Report {
        room: code,
        players,
    }))
}
