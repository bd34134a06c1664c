//! Session tokens (SPEC R10): a signed, self-describing claim "this is player P of room R".
//!
//! Wire form: base64url (no padding) of a JSON object holding the claims and an HMAC-SHA256
//! signature over a canonical encoding of every claim. Verification is constant-time
//! (`hmac`'s `verify_slice`). This module is pure: the clock is a parameter and the database
//! check (revoked or unknown session) is the [`crate::actors::SessionManager`]'s.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use game::protocol::ErrorCode;
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The token format this server issues and accepts.
pub const TOKEN_VERSION: u32 = 1;

/// Shortest accepted server secret, in bytes.
pub const MIN_SECRET_LEN: usize = 32;

/// Longest token accepted for decoding: far above any real one, so garbage is refused cheaply.
const MAX_TOKEN_LEN: usize = 1024;

/// The claims of a session token, as carried on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionToken {
    /// Token format version ([`TOKEN_VERSION`]).
    pub version: u32,
    /// Room code.
    pub room: String,
    /// Player id (database id of the seat's `players` row).
    pub player_id: i64,
    /// Player name at issue time (display only; the room's seat is the authority).
    pub player_name: String,
    /// Random, unique per token; the key of the server-side `game_sessions` row.
    pub nonce: String,
    /// Issue time, ms since the epoch.
    pub created_at: i64,
    /// Expiry time, ms since the epoch.
    pub expires_at: i64,
    /// base64url HMAC-SHA256 over [`SessionToken::canonical`].
    pub signature: String,
}

/// Why a token was refused. Each maps to its own HTTP error code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// No token was given.
    #[error("no session token was given")]
    Missing,
    /// Not base64url JSON of the expected shape.
    #[error("the session token is malformed")]
    Malformed,
    /// A version this server does not understand.
    #[error("session token version {0} is not supported")]
    UnsupportedVersion(u32),
    /// The signature does not match the claims: forged or tampered.
    #[error("the session token's signature is invalid")]
    BadSignature,
    /// Past its expiry time.
    #[error("the session has expired")]
    Expired,
    /// Well signed, but the server has no active session for it (revoked, ended or deleted).
    #[error("the session is no longer valid")]
    Revoked,
}

impl TokenError {
    /// Stable error code for the JSON error body.
    pub fn code(&self) -> ErrorCode {
        match self {
            TokenError::Missing => ErrorCode::TokenMissing,
            TokenError::Malformed => ErrorCode::TokenMalformed,
            TokenError::UnsupportedVersion(_) => ErrorCode::TokenUnsupportedVersion,
            TokenError::BadSignature => ErrorCode::TokenBadSignature,
            TokenError::Expired => ErrorCode::SessionExpired,
            TokenError::Revoked => ErrorCode::SessionRevoked,
        }
    }
}

/// Signs and verifies tokens with the server secret. Cheap to clone behind an `Arc`.
pub struct TokenSigner {
    secret: Vec<u8>,
    /// A secret being rotated out: its tokens still verify until the given time (ms).
    previous: Option<(Vec<u8>, i64)>,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenSigner { secret: <redacted> }")
    }
}

/// The secret is too short to sign with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the session secret must be at least {MIN_SECRET_LEN} bytes, got {0}")]
pub struct WeakSecret(pub usize);

impl TokenSigner {
    /// A signer using `secret` (at least [`MIN_SECRET_LEN`] bytes).
    pub fn new(secret: &[u8]) -> Result<Self, WeakSecret> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(WeakSecret(secret.len()));
        }
        Ok(Self {
            secret: secret.to_vec(),
            previous: None,
        })
    }

    /// Also accepts tokens signed with `previous` (the secret being rotated out) until
    /// `until_ms`, so a rotation does not log every player out; new tokens use the current one.
    pub fn with_previous(mut self, previous: &[u8], until_ms: i64) -> Result<Self, WeakSecret> {
        if previous.len() < MIN_SECRET_LEN {
            return Err(WeakSecret(previous.len()));
        }
        self.previous = Some((previous.to_vec(), until_ms));
        Ok(self)
    }

    fn mac(&self) -> HmacSha256 {
        mac_with(&self.secret)
    }

    /// A fresh random nonce: the key of a session's row.
    pub fn new_nonce() -> String {
        let mut nonce = [0u8; 18];
        rand::rng().fill_bytes(&mut nonce);
        URL_SAFE_NO_PAD.encode(nonce)
    }

    /// Issues a token with a fresh random nonce; returns the claims and their wire form.
    pub fn issue(
        &self,
        room: &str,
        player_id: i64,
        player_name: &str,
        now_ms: i64,
        ttl_ms: i64,
    ) -> (SessionToken, String) {
        let token = self.sign_claims(SessionToken {
            version: TOKEN_VERSION,
            room: room.to_owned(),
            player_id,
            player_name: player_name.to_owned(),
            nonce: Self::new_nonce(),
            created_at: now_ms,
            expires_at: now_ms.saturating_add(ttl_ms),
            signature: String::new(),
        });
        let encoded = encode(&token);
        (token, encoded)
    }

    /// The wire form of a token whose session row was stored with `nonce` already.
    pub fn issue_with_nonce(
        &self,
        room: &str,
        player_id: i64,
        player_name: &str,
        created_at: i64,
        expires_at: i64,
        nonce: String,
    ) -> String {
        encode(&self.sign_claims(SessionToken {
            version: TOKEN_VERSION,
            room: room.to_owned(),
            player_id,
            player_name: player_name.to_owned(),
            nonce,
            created_at,
            expires_at,
            signature: String::new(),
        }))
    }

    fn sign_claims(&self, mut token: SessionToken) -> SessionToken {
        token.signature = self.sign(&token);
        token
    }

    /// The signature of `token`'s claims (its `signature` field is ignored).
    pub fn sign(&self, token: &SessionToken) -> String {
        let mut mac = self.mac();
        mac.update(&token.canonical());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// Decodes and checks `raw`: shape, version, signature (constant-time), expiry at `now_ms`.
    /// Whether the session is still active is the caller's database check.
    pub fn verify(&self, raw: &str, now_ms: i64) -> Result<SessionToken, TokenError> {
        let token = decode(raw)?;
        if token.version != TOKEN_VERSION {
            return Err(TokenError::UnsupportedVersion(token.version));
        }
        let signature = URL_SAFE_NO_PAD
            .decode(token.signature.as_bytes())
            .map_err(|_| TokenError::BadSignature)?;
        let signed = token.canonical();
        let by = |secret: &[u8]| {
            let mut mac = mac_with(secret);
            mac.update(&signed);
            mac.verify_slice(&signature).is_ok()
        };
        let verified = by(&self.secret)
            || self
                .previous
                .as_ref()
                .is_some_and(|(previous, until)| now_ms < *until && by(previous));
        if !verified {
            return Err(TokenError::BadSignature);
        }
        if now_ms >= token.expires_at {
            return Err(TokenError::Expired);
        }
        Ok(token)
    }
}

impl SessionToken {
    /// The signed bytes: every claim, each length-prefixed so no two claim sets share an
    /// encoding.
    pub fn canonical(&self) -> Vec<u8> {
        let fields = [
            format!("casino-session-v{}", self.version),
            self.room.clone(),
            self.player_id.to_string(),
            self.player_name.clone(),
            self.created_at.to_string(),
            self.expires_at.to_string(),
            self.nonce.clone(),
        ];
        let mut out = Vec::new();
        for field in fields {
            out.extend_from_slice(field.len().to_string().as_bytes());
            out.push(b':');
            out.extend_from_slice(field.as_bytes());
            out.push(b'\n');
        }
        out
    }
}

fn mac_with(secret: &[u8]) -> HmacSha256 {
    // unwrap: HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    HmacSha256::new_from_slice(secret).unwrap()
}

/// The wire form of `token`: base64url (no padding) of its JSON.
pub fn encode(token: &SessionToken) -> String {
    // unwrap: a struct of strings and integers always serializes.
    let json = serde_json::to_vec(token).unwrap();
    URL_SAFE_NO_PAD.encode(json)
}

/// Parses the wire form without checking anything but its shape. A token is accepted in exactly
/// one byte form — the server's own encoding of its claims (URL-safe base64 without padding of
/// the compact JSON, fields in order, no extra field) — so a re-encoding of a genuine token is
/// refused as malformed even though its signature would verify.
pub fn decode(raw: &str) -> Result<SessionToken, TokenError> {
    if raw.is_empty() {
        return Err(TokenError::Missing);
    }
    if raw.len() > MAX_TOKEN_LEN {
        return Err(TokenError::Malformed);
    }
    let json = URL_SAFE_NO_PAD
        .decode(raw.as_bytes())
        .map_err(|_| TokenError::Malformed)?;
    let token: SessionToken = serde_json::from_slice(&json).map_err(|_| TokenError::Malformed)?;
    if encode(&token) != raw {
        return Err(TokenError::Malformed);
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn signer() -> TokenSigner {
        TokenSigner::new(SECRET).expect("32 bytes")
    }

    #[test]
    fn an_issued_token_verifies() {
        let s = signer();
        let (claims, raw) = s.issue("ABC234", 7, "Alice", 1_000, 60_000);
        assert_eq!(s.verify(&raw, 2_000), Ok(claims));
    }

    #[test]
    fn short_secrets_are_refused() {
        assert_eq!(TokenSigner::new(b"short").err(), Some(WeakSecret(5)));
    }

    #[test]
    fn tampered_claims_fail_the_signature() {
        let s = signer();
        let (mut claims, _) = s.issue("ABC234", 7, "Alice", 1_000, 60_000);
        claims.player_id = 8;
        assert_eq!(
            s.verify(&encode(&claims), 2_000),
            Err(TokenError::BadSignature)
        );
        let (mut claims, _) = s.issue("ABC234", 7, "Alice", 1_000, 60_000);
        claims.expires_at += 1;
        assert_eq!(
            s.verify(&encode(&claims), 2_000),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn tampered_signature_fails() {
        let s = signer();
        let (mut claims, _) = s.issue("ABC234", 7, "Alice", 1_000, 60_000);
        let mut sig = claims.signature.into_bytes();
        sig[0] = if sig[0] == b'A' { b'B' } else { b'A' };
        claims.signature = String::from_utf8(sig).expect("ascii");
        assert_eq!(
            s.verify(&encode(&claims), 2_000),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn another_secret_fails() {
        let (_, raw) = signer().issue("ABC234", 7, "Alice", 1_000, 60_000);
        let other = TokenSigner::new(b"another secret of at least 32 bytes!").expect("long");
        assert_eq!(other.verify(&raw, 2_000), Err(TokenError::BadSignature));
    }

    #[test]
    fn a_rotated_secret_still_verifies_its_tokens_until_the_overlap_ends() {
        let old = signer();
        let (claims, raw) = old.issue("ABC234", 7, "Alice", 1_000, 60_000);
        let new = TokenSigner::new(b"the new secret of at least 32 bytes")
            .expect("long")
            .with_previous(SECRET, 30_000)
            .expect("long");
        assert_eq!(new.verify(&raw, 2_000), Ok(claims));
        assert_eq!(
            new.verify(&raw, 30_000),
            Err(TokenError::BadSignature),
            "not after the overlap"
        );
        // New tokens are signed with the new secret only.
        let (_, fresh) = new.issue("ABC234", 8, "Bob", 1_000, 60_000);
        assert_eq!(old.verify(&fresh, 2_000), Err(TokenError::BadSignature));
        assert!(new.verify(&fresh, 40_000).is_ok());
        assert!(TokenSigner::new(SECRET)
            .expect("long")
            .with_previous(b"short", 1)
            .is_err());
    }

    #[test]
    fn expired_tokens_fail() {
        let s = signer();
        let (_, raw) = s.issue("ABC234", 7, "Alice", 1_000, 60_000);
        assert_eq!(s.verify(&raw, 61_000), Err(TokenError::Expired));
    }

    #[test]
    fn other_versions_fail() {
        let s = signer();
        let (mut claims, _) = s.issue("ABC234", 7, "Alice", 1_000, 60_000);
        claims.version = 2;
        claims.signature = s.sign(&claims);
        assert_eq!(
            s.verify(&encode(&claims), 2_000),
            Err(TokenError::UnsupportedVersion(2))
        );
    }

    #[test]
    fn only_the_servers_own_encoding_is_accepted() {
        use base64::engine::general_purpose::{STANDARD, URL_SAFE};
        let s = signer();
        // Chosen so the standard alphabet differs from the URL-safe one somewhere.
        let (claims, raw) = s.issue("ABC234", 7, "Zoë ~~~ ???", 1_000, 60_000);
        assert_eq!(s.verify(&raw, 2_000), Ok(claims.clone()));
        let json = serde_json::to_string(&claims).expect("json");
        let value: serde_json::Value = serde_json::from_str(&json).expect("value");
        let mut extra = value.clone();
        extra["admin"] = serde_json::json!(true);
        let reordered = {
            let mut fields: Vec<(String, serde_json::Value)> = value
                .as_object()
                .expect("object")
                .clone()
                .into_iter()
                .collect();
            fields.reverse();
            let body: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{}:{}", serde_json::json!(k), v))
                .collect();
            format!("{{{}}}", body.join(","))
        };
        let escaped = json.replacen("\"ABC234\"", "\"\\u0041BC234\"", 1);
        let spaced = serde_json::to_string_pretty(&claims).expect("json");
        let forms = [
            STANDARD.encode(&json),
            URL_SAFE.encode(&json),
            URL_SAFE_NO_PAD.encode(reordered),
            URL_SAFE_NO_PAD.encode(escaped),
            URL_SAFE_NO_PAD.encode(spaced),
            URL_SAFE_NO_PAD.encode(extra.to_string()),
            format!(" {raw}"),
            format!("{raw}\n"),
        ];
        for form in forms {
            assert_ne!(form, raw);
            assert_eq!(
                s.verify(&form, 2_000),
                Err(TokenError::Malformed),
                "{form:?}"
            );
        }
    }

    #[test]
    fn garbage_and_empty_fail() {
        let s = signer();
        assert_eq!(s.verify("", 0), Err(TokenError::Missing));
        assert_eq!(s.verify("!!!not base64!!!", 0), Err(TokenError::Malformed));
        let not_json = URL_SAFE_NO_PAD.encode(b"hello");
        assert_eq!(s.verify(&not_json, 0), Err(TokenError::Malformed));
        assert_eq!(s.verify(&"A".repeat(5000), 0), Err(TokenError::Malformed));
    }
}
