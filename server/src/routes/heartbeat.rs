//! `GET /api/heartbeat/{room_id}`: each seat's connection health. Without a token (or with a
//! token of another room) a caller sees only what a spectator may: per seat, `health`
//! (`healthy`, `unhealthy`, `disconnected`). With a valid `Authorization: Bearer` token of this
//! room it also gets `last_heartbeat` (ms since the epoch) of each seat's live socket.

use actix_web::{get, web, HttpRequest, HttpResponse};
use game::Seat;
use serde::Serialize;

use super::game::{authenticate, bearer};
use super::AppState;
use crate::actors::heartbeat::Health;
use crate::actors::{RoomError, RoomHeartbeats};
use crate::error::ApiError;

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

/// Each seat's health (and, for the room's players, last heartbeat).
#[get("/api/heartbeat/{room_id}")]
pub async fn room_heartbeat(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let code = path.into_inner().to_ascii_uppercase();
    if !entity::rooms::is_valid_room_code(&code) {
        return Err(ApiError::InvalidRoomCode);
    }
    // The room must exist: its seats are listed from the room itself.
    let room = state
        .registry
        .send(crate::actors::FindRoom { code: code.clone() })
        .await
        .map_err(|_| ApiError::Room(RoomError::Unavailable))?;
    let info = room
        .send(crate::actors::room::GetRoomInfo)
        .await
        .map_err(|_| ApiError::Room(RoomError::Unavailable))??;
    let member = if bearer(&req).is_some() {
        authenticate(&req, &state).await?.room == code
    } else {
        false
    };
    let live = state
        .heartbeats
        .send(RoomHeartbeats { room: code.clone() })
        .await
        .map_err(|_| ApiError::Room(RoomError::Unavailable))?;
    let players = info
        .players
        .iter()
        .map(|p| {
            let beat = live.iter().find(|h| h.seat == p.seat);
            SeatReport {
                seat: p.seat,
                health: beat.map_or(Health::Disconnected, |h| h.health),
                last_heartbeat: if member {
                    beat.map(|h| h.last_heartbeat)
                } else {
                    None
                },
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(Report {
        room: code,
        players,
    }))
}
