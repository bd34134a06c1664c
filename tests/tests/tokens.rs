//! Session tokens at the `/ws` door: a valid one upgrades; every bad one gets 401 and its code.

use server::token::{self, SessionToken, TokenSigner};
use tests::{test_config, TestServer, TEST_SECRET};

async fn refused(server: &TestServer, raw: &str) -> anyhow::Result<String> {
    let (status, body) = server.get(&format!("/ws?session_token={raw}")).await?;
    assert_eq!(status, 401, "{body}");
    Ok(body["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

fn resign(claims: &mut SessionToken) {
    let signer = TokenSigner::new(TEST_SECRET.as_bytes()).expect("test secret is long enough");
    claims.signature = signer.sign(claims);
}

#[actix_web::test]
async fn tokens_are_checked_before_the_upgrade() -> anyhow::Result<()> {
    let server = TestServer::start(test_config()).await?;
    let alice = server.create_room("Alice", &[]).await?;

    // Valid: the socket opens and the protocol starts.
    let mut ws = server.connect(&alice.token).await?;
    ws.hello(0).await?;

    let claims = token::decode(&alice.token)?;

    // Tampered payload: another player id, signature left as it was.
    let mut tampered = claims.clone();
    tampered.player_id += 1;
    assert_eq!(
        refused(&server, &token::encode(&tampered)).await?,
        "TOKEN_BAD_SIGNATURE"
    );

    // Tampered signature.
    let mut forged = claims.clone();
    let mut sig = forged.signature.into_bytes();
    sig[3] = if sig[3] == b'x' { b'y' } else { b'x' };
    forged.signature = String::from_utf8(sig)?;
    assert_eq!(
        refused(&server, &token::encode(&forged)).await?,
        "TOKEN_BAD_SIGNATURE"
    );

    // Expired (correctly signed).
    let mut expired = claims.clone();
    expired.created_at -= 10_000;
    expired.expires_at = expired.created_at + 1;
    resign(&mut expired);
    assert_eq!(
        refused(&server, &token::encode(&expired)).await?,
        "SESSION_EXPIRED"
    );

    // Wrong version (correctly signed).
    let mut future = claims.clone();
    future.version = 2;
    resign(&mut future);
    assert_eq!(
        refused(&server, &token::encode(&future)).await?,
        "TOKEN_UNSUPPORTED_VERSION"
    );

    // Well signed but unknown to the server (no session row): revoked.
    let mut unknown = claims.clone();
    unknown.nonce = "not-a-real-nonce".to_owned();
    resign(&mut unknown);
    assert_eq!(
        refused(&server, &token::encode(&unknown)).await?,
        "SESSION_REVOKED"
    );

    // Garbage and empty.
    assert_eq!(refused(&server, "garbage!!").await?, "TOKEN_MALFORMED");
    assert_eq!(
        refused(&server, "eyJub3QiOiJhIHRva2VuIn0").await?,
        "TOKEN_MALFORMED"
    );
    assert_eq!(refused(&server, "").await?, "TOKEN_MISSING");

    // The WebSocket client sees the refusal as a failed handshake.
    assert!(server.connect("garbage").await.is_err());

    // The valid socket is unharmed.
    ws.send(&game::protocol::ClientMessage::Ping { t: 1 })
        .await?;
    assert!(matches!(
        ws.recv().await?,
        game::protocol::ServerMessage::Pong { t: 1, .. }
    ));
    Ok(())
}
