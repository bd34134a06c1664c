//! `SessionManager`: validates session tokens (signature, expiry, then the database row) and
//! records each connection on the session row. Security events are logged with the peer
//! address; the token itself never is.

use std::sync::Arc;

use actix::prelude::*;
use game::Seat;
use sea_orm::DatabaseConnection;

use crate::clock;
use crate::store::sessions;
use crate::token::{TokenError, TokenSigner};

/// Checks a token presented by `peer`.
#[derive(Message)]
#[rtype(result = "Result<SessionClaims, TokenError>")]
pub struct ValidateToken {
    /// The token's wire form.
    pub token: String,
    /// The peer address, for security logs.
    pub peer: String,
}

/// A valid session: who the bearer is.
#[derive(Debug, Clone)]
pub struct SessionClaims {
    /// The `game_sessions` row.
    pub session_id: i64,
    /// Room code.
    pub room: String,
    /// Player id.
    pub player_id: i64,
    /// Seat.
    pub seat: Seat,
    /// Player name.
    pub name: String,
}

/// A socket opened with session `session_id`.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct SessionConnected {
    /// The session.
    pub session_id: i64,
    /// Room code (for logs).
    pub room: String,
    /// Peer address.
    pub ip: String,
    /// `User-Agent`, if any.
    pub user_agent: Option<String>,
}

/// The socket of session `session_id` closed.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct SessionDisconnected {
    /// The session.
    pub session_id: i64,
}

/// The session manager (one per server).
pub struct SessionManager {
    db: DatabaseConnection,
    signer: Arc<TokenSigner>,
}

impl SessionManager {
    /// A manager signing with `signer`.
    pub fn new(db: DatabaseConnection, signer: Arc<TokenSigner>) -> Self {
        Self { db, signer }
    }
}

impl Actor for SessionManager {
    type Context = Context<Self>;
}

impl Handler<ValidateToken> for SessionManager {
    type Result = ResponseFuture<Result<SessionClaims, TokenError>>;

    fn handle(&mut self, msg: ValidateToken, _ctx: &mut Self::Context) -> Self::Result {
        let now = clock::now_ms();
        let verified = self.signer.verify(&msg.token, now);
        let db = self.db.clone();
        Box::pin(async move {
            let token = verified.inspect_err(|err| {
                if matches!(err, TokenError::BadSignature) {
                    log::warn!(
                        target: "security",
                        "invalid session token signature from {}",
                        msg.peer
                    );
                } else {
                    log::info!(target: "security", "session token refused from {}: {err}", msg.peer);
                }
            })?;
            let found = sessions::find_active(&db, &token.nonce, clock::from_ms(now))
                .await
                .map_err(|err| {
                    log::error!("session lookup failed: {err}");
                    TokenError::Revoked
                })?;
            let Some((session, player)) = found else {
                log::info!(
                    target: "security",
                    "revoked or unknown session for room {} from {}",
                    token.room,
                    msg.peer
                );
                return Err(TokenError::Revoked);
            };
            let seat = u8::try_from(player.seat)
                .ok()
                .and_then(|n| Seat::try_from(n).ok())
                .ok_or(TokenError::Revoked)?;
            if player.id != token.player_id || session.player_id != token.player_id {
                return Err(TokenError::Revoked);
            }
            Ok(SessionClaims {
                session_id: session.id,
                room: token.room,
                player_id: player.id,
                seat,
                name: player.name,
            })
        })
    }
}

impl Handler<SessionConnected> for SessionManager {
    type Result = ResponseFuture<()>;

    fn handle(&mut self, msg: SessionConnected, _ctx: &mut Self::Context) -> Self::Result {
        let db = self.db.clone();
        Box::pin(async move {
            let ip = msg.ip.clone();
            match sessions::mark_connected(
                &db,
                msg.session_id,
                Some(msg.ip),
                msg.user_agent,
                chrono::Utc::now(),
            )
            .await
            {
                Ok(Some(previous)) if previous != ip => log::info!(
                    target: "security",
                    "room {}: session {} reconnected from a new address {ip} (was {previous})",
                    msg.room,
                    msg.session_id
                ),
                Ok(_) => {}
                Err(err) => log::warn!("cannot record connection: {err}"),
            }
        })
    }
}

impl Handler<SessionDisconnected> for SessionManager {
    type Result = ResponseFuture<()>;

    fn handle(&mut self, msg: SessionDisconnected, _ctx: &mut Self::Context) -> Self::Result {
        let db = self.db.clone();
        Box::pin(async move {
            if let Err(err) =
                sessions::mark_disconnected(&db, msg.session_id, chrono::Utc::now()).await
            {
                log::warn!("cannot record disconnection: {err}");
            }
        })
    }
}
