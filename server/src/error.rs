//! The HTTP boundary's errors: every one a JSON body `{"error":{"code","message"}}` with its
//! status, through actix-web's `ResponseError`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use game::protocol::{ErrorBody, ErrorCode, ErrorDetail};

use crate::actors::{ClaimRefused, RematchRefused, RoomError};
use crate::session_check::SessionRefused;
use crate::token::TokenError;

/// An error answered to an HTTP request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The player name is empty, too long or not printable.
    #[error("{0}")]
    InvalidName(String),
    /// The room code is not 6 characters of the room-code alphabet.
    #[error("room codes are 6 characters of A-Z and 2-9 (without O, I, L)")]
    InvalidRoomCode,
    /// An unknown rules variant was asked for.
    #[error("{0}")]
    InvalidVariant(String),
    /// The request body is not the expected JSON.
    #[error("{0}")]
    InvalidBody(String),
    /// A room, seat or session refused the request.
    #[error(transparent)]
    Room(#[from] RoomError),
    /// The session token was refused.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The WebSocket was opened from an origin that is not allowed.
    #[error("origin {0} is not allowed to open a game socket")]
    ForbiddenOrigin(String),
    /// A claim of victory was refused.
    #[error(transparent)]
    Claim(#[from] ClaimRefused),
    /// A rematch was refused.
    #[error(transparent)]
    Rematch(#[from] RematchRefused),
    /// No route matches.
    #[error("no such resource")]
    NotFound,
    /// This node is draining (SIGTERM); the load balancer sends the retry elsewhere.
    #[error("this server is shutting down; reconnect")]
    Draining,
    /// The room in the path is not the session token's room.
    #[error("the room in the path is not the session's room")]
    RoomMismatch,
}

impl From<SessionRefused> for ApiError {
    fn from(refused: SessionRefused) -> Self {
        match refused {
            SessionRefused::Token(err) => ApiError::Token(err),
            SessionRefused::Unavailable => ApiError::Room(RoomError::Unavailable),
        }
    }
}

impl ApiError {
    /// Stable error code of the JSON body.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::InvalidName(_) => ErrorCode::InvalidName,
            ApiError::InvalidRoomCode => ErrorCode::InvalidRoomCode,
            ApiError::InvalidVariant(_) => ErrorCode::InvalidVariant,
            ApiError::InvalidBody(_) => ErrorCode::InvalidBody,
            ApiError::Room(err) => err.code(),
            ApiError::Token(err) => err.code(),
            ApiError::ForbiddenOrigin(_) => ErrorCode::ForbiddenOrigin,
            ApiError::Claim(err) => err.code(),
            ApiError::Rematch(err) => err.code(),
            ApiError::NotFound => ErrorCode::NotFound,
            ApiError::Draining => ErrorCode::Draining,
            ApiError::RoomMismatch => ErrorCode::RoomMismatch,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::InvalidName(_)
            | ApiError::InvalidRoomCode
            | ApiError::InvalidVariant(_)
            | ApiError::InvalidBody(_)
            | ApiError::RoomMismatch => StatusCode::BAD_REQUEST,
            ApiError::Draining => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Room(err) => match err {
                RoomError::NotFound => StatusCode::NOT_FOUND,
                RoomError::Full | RoomError::Closed => StatusCode::CONFLICT,
                RoomError::Storage(_) => StatusCode::INTERNAL_SERVER_ERROR,
                RoomError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            },
            ApiError::Token(_) => StatusCode::UNAUTHORIZED,
            ApiError::ForbiddenOrigin(_) => StatusCode::FORBIDDEN,
            ApiError::Claim(ClaimRefused::NotSeated) => StatusCode::FORBIDDEN,
            ApiError::Claim(ClaimRefused::Room(err)) => ApiError::Room(err.clone()).status_code(),
            ApiError::Claim(_) => StatusCode::CONFLICT,
            ApiError::Rematch(RematchRefused::NotSeated) => StatusCode::FORBIDDEN,
            ApiError::Rematch(RematchRefused::Room(err)) => {
                ApiError::Room(err.clone()).status_code()
            }
            ApiError::Rematch(_) => StatusCode::CONFLICT,
            ApiError::NotFound => StatusCode::NOT_FOUND,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let message = match self {
            // Database details stay in the server log.
            ApiError::Room(RoomError::Storage(_))
            | ApiError::Claim(ClaimRefused::Room(RoomError::Storage(_)))
            | ApiError::Rematch(RematchRefused::Room(RoomError::Storage(_))) => {
                "internal storage error".to_owned()
            }
            other => other.to_string(),
        };
        HttpResponse::build(self.status_code()).json(ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use actix_web::body::to_bytes;

    use super::*;

    #[actix_web::test]
    async fn storage_errors_keep_database_details_in_the_log() {
        let detail = "UNIQUE constraint failed: game_action_log.room_id";
        for err in [
            ApiError::Room(RoomError::Storage(detail.to_owned())),
            ApiError::Claim(ClaimRefused::Room(RoomError::Storage(detail.to_owned()))),
        ] {
            let response = err.error_response();
            assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
            let body = to_bytes(response.into_body()).await.expect("a body");
            let body = String::from_utf8_lossy(&body);
            assert!(body.contains("STORAGE_ERROR"), "{body}");
            assert!(!body.contains("UNIQUE"), "{body}");
        }
    }
}
