//! The HTTP half of the server contract: create and join rooms, read a room's public facts,
//! check a session, ask for or decline a rematch of a finished game.

use game::protocol::{ErrorBody, ErrorCode, Seated};
pub use game::protocol::{RoomFacts, SessionInfo};
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::session_store::StoredSession;

async fn post(path: &str, body: &serde_json::Value) -> Result<(u16, String), String> {
    post_with(path, Some(body), None).await
}

/// POSTs `body` (none: an empty body) to `path`, with `token` as `Authorization: Bearer`;
/// the status and the answer's text.
async fn post_with(
    path: &str,
    body: Option<&serde_json::Value>,
    token: Option<&str>,
) -> Result<(u16, String), String> {
    request("POST", path, body, token).await
}

/// Sends a `method` request of `body` to `path`, with `token` as `Authorization: Bearer`; the
/// status and the answer's text.
async fn request(
    method: &str,
    path: &str,
    body: Option<&serde_json::Value>,
    token: Option<&str>,
) -> Result<(u16, String), String> {
    let window = web_sys::window().ok_or("no window")?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(|_| "headers")?;
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(&body.to_string()));
        headers
            .set("Content-Type", "application/json")
            .map_err(|_| "headers")?;
    }
    if let Some(token) = token {
        headers
            .set("Authorization", &format!("Bearer {token}"))
            .map_err(|_| "headers")?;
    }
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(path, &init).map_err(|_| "request")?;
    let response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| "The server cannot be reached. Check your connection and try again.")?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "response")?;
    let text = JsFuture::from(response.text().map_err(|_| "response body")?)
        .await
        .map_err(|_| "response body")?
        .as_string()
        .unwrap_or_default();
    Ok((response.status(), text))
}

/// The session to store for a seat, under the name the player chose.
fn stored(seated: Seated, name: &str) -> StoredSession {
    StoredSession {
        room: seated.room,
        seat: u8::from(seated.seat),
        player_id: seated.player_id,
        token: seated.token,
        expires_at: seated.expires_at,
        name: name.to_owned(),
    }
}

async fn seat_me(path: &str, name: &str, variants: &[&str]) -> Result<StoredSession, String> {
    let body = if variants.is_empty() {
        serde_json::json!({ "name": name })
    } else {
        serde_json::json!({ "name": name, "variants": variants })
    };
    let (status, text) = post(path, &body).await?;
    if (200..300).contains(&status) {
        let seated: Seated =
            serde_json::from_str(&text).map_err(|_| "The server sent an unexpected answer.")?;
        return Ok(stored(seated, name));
    }
    match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => Err(match body.error.code {
            ErrorCode::RoomNotFound => "No room has that code.".to_owned(),
            ErrorCode::RoomFull => "That room already has two players.".to_owned(),
            ErrorCode::RoomClosed => {
                "That game is over: its creator left before anyone joined.".to_owned()
            }
            _ => body.error.message,
        }),
        Err(_) => Err(format!("The server answered {status}.")),
    }
}

/// Creates a room; the creator takes seat 0.
pub async fn create_room(name: &str, variants: &[&str]) -> Result<StoredSession, String> {
    seat_me("/api/rooms", name, variants).await
}

/// Joins room `code` in seat 1.
pub async fn join_room(code: &str, name: &str) -> Result<StoredSession, String> {
    seat_me(&format!("/api/rooms/{code}/join"), name, &[]).await
}

/// Where a rematch stands after this player asked for it.
#[derive(Debug, Clone, PartialEq)]
pub enum RematchReply {
    /// Waiting for the opponent: these seats have asked.
    Offered(Vec<game::Seat>),
    /// Both asked: this player's session in the new room (named as in the finished one).
    Seated(StoredSession),
}

/// Why a rematch cannot be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RematchRefusal {
    /// The opponent left the finished room.
    OpponentLeft,
    /// Anything else, in words.
    Other(String),
}

#[derive(Debug, Deserialize)]
struct Offered {
    offered: Vec<game::Seat>,
}

/// Asks for a rematch of `session`'s finished game (`POST /api/rooms/{code}/rematch`). Every
/// call after both players asked answers with this player's seat in the new room and a fresh
/// token; `name` is kept in the stored session, as create and join keep theirs.
pub async fn ask_rematch(
    session: &StoredSession,
    name: &str,
) -> Result<RematchReply, RematchRefusal> {
    let path = format!(
        "/api/rooms/{}/rematch",
        js_sys::encode_uri_component(&session.room)
    );
    let (status, text) = post_with(&path, None, Some(&session.token))
        .await
        .map_err(RematchRefusal::Other)?;
    let unexpected = || RematchRefusal::Other("The server sent an unexpected answer.".to_owned());
    match status {
        200 => {
            let seated: Seated = serde_json::from_str(&text).map_err(|_| unexpected())?;
            Ok(RematchReply::Seated(stored(seated, name)))
        }
        202 => {
            let offered: Offered = serde_json::from_str(&text).map_err(|_| unexpected())?;
            Ok(RematchReply::Offered(offered.offered))
        }
        _ => Err(match serde_json::from_str::<ErrorBody>(&text) {
            Ok(body) => match body.error.code {
                ErrorCode::OpponentLeft => RematchRefusal::OpponentLeft,
                ErrorCode::GameNotOver => {
                    RematchRefusal::Other("The game is not over yet: no rematch.".to_owned())
                }
                ErrorCode::NotSeated => RematchRefusal::Other(
                    "You no longer hold a seat in this room: no rematch.".to_owned(),
                ),
                _ if status == 401 => RematchRefusal::Other(
                    "Your session in this room has ended: no rematch from here.".to_owned(),
                ),
                _ => RematchRefusal::Other(format!(
                    "No rematch: {} ({})",
                    body.error.message, body.error.code
                )),
            },
            Err(_) => RematchRefusal::Other(format!(
                "No rematch: the server answered {status}. Try again."
            )),
        }),
    }
}

/// Says this player does not want a rematch of `session`'s finished game (`DELETE
/// /api/rooms/{code}/rematch`): it withdraws this player's offer, or declines the opponent's.
/// Once the new room exists there is nothing to decline, and the server says so.
pub async fn decline_rematch(session: &StoredSession) -> Result<(), String> {
    let path = format!(
        "/api/rooms/{}/rematch",
        js_sys::encode_uri_component(&session.room)
    );
    let (status, text) = request("DELETE", &path, None, Some(&session.token)).await?;
    if status == 200 {
        return Ok(());
    }
    Err(match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => format!("{} ({})", body.error.message, body.error.code),
        Err(_) => format!("The server answered {status}."),
    })
}

/// Asks the server whether `token` still holds its seat. `Some((code, message))` when the server
/// refuses it (401: expired, revoked, …) — a browser cannot read the status of a refused
/// WebSocket upgrade, so this is how the client learns to stop retrying. `None` when the
/// session is good or the server cannot be asked (then retrying is right).
pub async fn refused_session(token: &str) -> Option<(ErrorCode, String)> {
    let window = web_sys::window()?;
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    let headers = web_sys::Headers::new().ok()?;
    headers
        .set("Authorization", &format!("Bearer {token}"))
        .ok()?;
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init("/api/session", &init).ok()?;
    let response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    if response.status() != 401 {
        return None;
    }
    let text = JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()?;
    let body: ErrorBody = serde_json::from_str(&text).ok()?;
    Some((body.error.code, body.error.message))
}

/// GETs `path`, with `token` as `Authorization: Bearer`: the status and the answer's text;
/// `None` when the server cannot be asked.
async fn get(path: &str, token: Option<&str>) -> Option<(u16, String)> {
    let window = web_sys::window()?;
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    if let Some(token) = token {
        let headers = web_sys::Headers::new().ok()?;
        headers
            .set("Authorization", &format!("Bearer {token}"))
            .ok()?;
        init.set_headers(&headers);
    }
    let request = web_sys::Request::new_with_str_and_init(path, &init).ok()?;
    let response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    let text = JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()
        .unwrap_or_default();
    Some((response.status(), text))
}

/// What the server says of a stored session.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionAnswer {
    /// The seat is still held.
    Live(SessionInfo),
    /// 401: the session is over (`SESSION_EXPIRED`, `SESSION_REVOKED`, …).
    Refused(ErrorCode),
    /// No answer, or not a clear one (503, a network error): it may still be good.
    Unreachable,
}

/// Asks `GET /api/session` whether `token` still holds its seat.
pub async fn check_session(token: &str) -> SessionAnswer {
    match get("/api/session", Some(token)).await {
        Some((200, text)) => serde_json::from_str(&text)
            .map(SessionAnswer::Live)
            .unwrap_or(SessionAnswer::Unreachable),
        Some((401, text)) => SessionAnswer::Refused(
            serde_json::from_str::<ErrorBody>(&text)
                .map(|body| body.error.code)
                .unwrap_or(ErrorCode::SessionRevoked),
        ),
        _ => SessionAnswer::Unreachable,
    }
}

/// The facts of room `code`; `None` when it does not exist or the server cannot be asked.
pub async fn room_facts(code: &str) -> Option<RoomFacts> {
    let path = format!("/api/rooms/{}", js_sys::encode_uri_component(code));
    match get(&path, None).await? {
        (200, text) => serde_json::from_str(&text).ok(),
        _ => None,
    }
}

/// The facts of room `code` if its game is over; `None` while it is open, when it does not
/// exist, or when the server cannot be asked (the join form then says what is wrong).
pub async fn finished_room(code: &str) -> Option<RoomFacts> {
    let room = room_facts(code).await?;
    room.status.is_over().then_some(room)
}
