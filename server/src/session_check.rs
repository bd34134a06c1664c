//! Who holds a session token: the signature and expiry ([`TokenSigner::verify`]), then the
//! session's row. A plain function of the token, the time and the database, called by the
//! routes at each door (`/ws`, bearer-token HTTP); its refusal is not an HTTP type. Security
//! events are logged with the peer address; the token itself never is.

use std::sync::Arc;

use game::Seat;
use sea_orm::DatabaseConnection;

use crate::clock;
use crate::metrics::Metrics;
use crate::store::sessions::{self, Lookup};
use crate::token::{TokenError, TokenSigner};

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

/// Why a token does not hold a seat now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionRefused {
    /// The token is bad, expired or its session is over.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The database could not be asked: not the token's fault, the client should try again.
    #[error("the session cannot be checked now")]
    Unavailable,
}

/// What checking a token needs: the signer, the database (read-only connections) and the
/// metrics that count refusals.
#[derive(Clone)]
pub struct SessionCheck {
    signer: Arc<TokenSigner>,
    reads: DatabaseConnection,
    metrics: Arc<Metrics>,
}

impl SessionCheck {
    /// Checks with `signer` and the sessions read through `reads`.
    pub fn new(signer: Arc<TokenSigner>, reads: DatabaseConnection, metrics: Arc<Metrics>) -> Self {
        Self {
            signer,
            reads,
            metrics,
        }
    }

    /// The seat `token` (presented by `peer`) holds now.
    pub async fn validate(&self, token: &str, peer: &str) -> Result<SessionClaims, SessionRefused> {
        let now = clock::now_ms();
        let result = self.check(token, peer, now).await;
        if let Err(SessionRefused::Token(err)) = &result {
            self.metrics
                .token_rejections
                .with_label_values(&[err.code().as_str()])
                .inc();
        }
        result
    }

    async fn check(
        &self,
        raw: &str,
        peer: &str,
        now: i64,
    ) -> Result<SessionClaims, SessionRefused> {
        let token = self.signer.verify(raw, now).inspect_err(|err| {
            if matches!(err, TokenError::BadSignature) {
                log::warn!(target: "security", "invalid session token signature from {peer}");
            } else {
                log::info!(target: "security", "session token refused from {peer}: {err}");
            }
        })?;
        let found = sessions::find_active(&self.reads, &token.nonce, clock::from_ms(now))
            .await
            .map_err(|err| {
                log::error!("session lookup failed: {err}");
                SessionRefused::Unavailable
            })?;
        let (session, player) = match found {
            Lookup::Found(session, player) => (session, player),
            Lookup::Expired => {
                log::info!(target: "security", "expired session for room {} from {peer}", token.room);
                // A player coming back after the return window: a failed reconnection.
                self.metrics.reconnections_attempted.inc();
                return Err(TokenError::Expired.into());
            }
            Lookup::Revoked => {
                log::info!(
                    target: "security",
                    "ended or unknown session for room {} from {peer}",
                    token.room
                );
                return Err(TokenError::Revoked.into());
            }
        };
        let seat = u8::try_from(player.seat)
            .ok()
            .and_then(|n| Seat::try_from(n).ok())
            .ok_or(TokenError::Revoked)?;
        if player.id != token.player_id || session.player_id != token.player_id {
            return Err(TokenError::Revoked.into());
        }
        Ok(SessionClaims {
            session_id: session.id,
            room: token.room,
            player_id: player.id,
            seat,
            name: player.name,
        })
    }
}
