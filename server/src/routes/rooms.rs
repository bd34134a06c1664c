//! `POST /api/rooms`, `POST /api/rooms/{code}/join`, `GET /api/rooms/{code}`.

use actix_web::{get, post, web, HttpResponse};
use game::Ruleset;
use serde::Deserialize;

use super::AppState;
use crate::actors::{CreateRoom, FindRoom, GetRoomInfo, JoinSeat, RoomError};
use crate::error::ApiError;
use crate::validate;

/// Body of `POST /api/rooms`.
#[derive(Debug, Deserialize)]
pub struct CreateRoomBody {
    /// The creator's name.
    pub name: String,
    /// Rules variants (RULES §11 names); none for the standard game.
    #[serde(default)]
    pub variants: Vec<String>,
}

/// Body of `POST /api/rooms/{code}/join`.
#[derive(Debug, Deserialize)]
pub struct JoinRoomBody {
    /// The joiner's name.
    pub name: String,
}

/// Creates a room; the creator takes seat 0. 201 with the seat and its session token.
#[post("/api/rooms")]
pub async fn create_room(
    state: web::Data<AppState>,
    body: web::Json<CreateRoomBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let name = validate::player_name(&body.name).map_err(ApiError::InvalidName)?;
    let ruleset = Ruleset::with_variants(&body.variants)
        .map_err(|err| ApiError::InvalidVariant(err.to_string()))?;
    let seated = state
        .registry
        .send(CreateRoom { name, ruleset })
        .await
        .map_err(RoomError::from)??;
    Ok(HttpResponse::Created().json(seated))
}

/// Takes seat 1 of room `code`; the game starts.
#[post("/api/rooms/{code}/join")]
pub async fn join_room(
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: web::Json<JoinRoomBody>,
) -> Result<HttpResponse, ApiError> {
    let code = validate::room_code(&code).ok_or(ApiError::InvalidRoomCode)?;
    let name = validate::player_name(&body.name).map_err(ApiError::InvalidName)?;
    let room = state
        .registry
        .send(FindRoom { code })
        .await
        .map_err(RoomError::from)?;
    let seated = room
        .send(JoinSeat { name })
        .await
        .map_err(|_| RoomError::NotFound)??;
    Ok(HttpResponse::Ok().json(seated))
}

/// Public facts of room `code`: status, players, variants (never the seed).
#[get("/api/rooms/{code}")]
pub async fn room_info(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = validate::room_code(&code).ok_or(ApiError::InvalidRoomCode)?;
    let room = state
        .registry
        .send(FindRoom { code })
        .await
        .map_err(RoomError::from)?;
    // A room that does not exist stops its actor right after loading: a closed mailbox.
    let info = room
        .send(GetRoomInfo)
        .await
        .map_err(|_| RoomError::NotFound)??;
    Ok(HttpResponse::Ok().json(info))
}
