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

/// A rotation with an overlap: tokens of the old secret keep their seats while new ones are
/// signed with the new secret; without the old secret configured, they are refused.
#[actix_web::test]
async fn a_secret_rotation_with_an_overlap_keeps_players_seated() -> anyhow::Result<()> {
    const NEW_SECRET: &str = "the rotated secret, at least 32 bytes long";
    let dir = tests::TempDir::new()?;
    let mut config = test_config();
    config.database_url = dir.sqlite_url("rotation.db");
    let server = TestServer::start(config.clone()).await?;
    let alice = server.create_room("Alice", &[]).await?;
    server.stop().await;

    let mut rotated = config.clone();
    rotated.session_secret = Some(NEW_SECRET.to_owned());
    rotated.previous_session_secret = Some(TEST_SECRET.to_owned());
    let server = TestServer::start(rotated.clone()).await?;
    assert_eq!(server.session_refusal(&alice.token).await?, None);
    let mut ws = server.connect(&alice.token).await?;
    ws.hello(0).await?;
    let bob = server.join(&alice.room, "Bob").await?;
    let new_signer = TokenSigner::new(NEW_SECRET.as_bytes()).expect("long");
    assert!(new_signer
        .verify(&bob.token, chrono::Utc::now().timestamp_millis())
        .is_ok());
    ws.close().await;
    server.stop().await;

    // The overlap over (here: no previous secret any more), the old token is refused.
    let mut after = rotated.clone();
    after.previous_session_secret = None;
    let server = TestServer::start(after).await?;
    assert_eq!(
        server.session_refusal(&alice.token).await?,
        Some(game::protocol::ErrorCode::TokenBadSignature)
    );
    assert_eq!(server.session_refusal(&bob.token).await?, None);
    server.stop().await;

    // An overlap that has ended by the clock refuses it too.
    let mut ended = rotated;
    ended.previous_secret_until = Some("2020-01-01T00:00:00Z".to_owned());
    let server = TestServer::start(ended).await?;
    assert_eq!(
        server.session_refusal(&alice.token).await?,
        Some(game::protocol::ErrorCode::TokenBadSignature)
    );
    server.stop().await;
    Ok(())
}

/// `/ws/{code}` (what a load balancer routes by room) upgrades for the token's own room only;
/// the same holds for the claim of victory with the room in the path.
#[actix_web::test]
async fn the_room_in_the_path_must_be_the_tokens() -> anyhow::Result<()> {
    let server = TestServer::start(test_config()).await?;
    let alice = server.create_room("Alice", &[]).await?;
    let other = server.create_room("Carol", &[]).await?;

    let mut ws = tests::Ws::connect_room(server.addr, &alice.room, &alice.token).await?;
    ws.hello(0).await?;

    let (status, body) = server
        .get(&format!("/ws/{}?session_token={}", other.room, alice.token))
        .await?;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "ROOM_MISMATCH");

    let (status, body) = server
        .post_bearer(
            &format!("/api/rooms/{}/claim-victory", other.room),
            &alice.token,
        )
        .await?;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "ROOM_MISMATCH");
    // Its own room: the claim is judged (no game in play yet), not refused at the door.
    let (status, body) = server
        .post_bearer(
            &format!("/api/rooms/{}/claim-victory", alice.room),
            &alice.token,
        )
        .await?;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "GAME_NOT_IN_PLAY");
    Ok(())
}

/// Room codes are one case at every door: a code in the path is read upper-cased (as join reads
/// it), so `abcdef`, `aBcDeF` and `ABCDEF` name one room and a load balancer hashing the upper-
/// cased path sends them to one node.
#[actix_web::test]
async fn a_room_code_in_the_path_is_read_in_any_letter_case() -> anyhow::Result<()> {
    let server = TestServer::start(test_config()).await?;
    let alice = server.create_room("Alice", &[]).await?;
    let lower = alice.room.to_ascii_lowercase();
    let mixed: String = alice
        .room
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                c.to_ascii_lowercase()
            } else {
                c
            }
        })
        .collect();
    for code in [lower.as_str(), mixed.as_str()] {
        let mut ws = tests::Ws::connect_room(server.addr, code, &alice.token).await?;
        ws.hello(0).await?;
        ws.close().await;
        for door in ["claim-victory", "rematch"] {
            let path = format!("/api/rooms/{code}/{door}");
            let (status, body) = server.post_bearer(&path, &alice.token).await?;
            assert_eq!(status, 409, "{path}: {body}");
        }
        let path = format!("/api/rooms/{code}/rematch");
        let (status, body) = server.delete_bearer(&path, &alice.token).await?;
        assert_eq!(
            (status, &body["error"]["code"]),
            (409, &"GAME_NOT_OVER".into())
        );
        let (status, body) = server.get(&format!("/api/rooms/{code}")).await?;
        assert_eq!(
            (status, &body["room"]),
            (200, &alice.room.clone().into()),
            "{body}"
        );
        let (status, body) = server.get(&format!("/api/heartbeat/{code}")).await?;
        assert_eq!(
            (status, &body["room"]),
            (200, &alice.room.clone().into()),
            "{body}"
        );
    }
    // Still the token's room only, in any case.
    let other = server.create_room("Carol", &[]).await?;
    let path = format!("/api/rooms/{}/rematch", other.room.to_ascii_lowercase());
    let (status, body) = server.post_bearer(&path, &alice.token).await?;
    assert_eq!(
        (status, &body["error"]["code"]),
        (400, &"ROOM_MISMATCH".into())
    );
    let bob = server.join(&lower, "Bob").await?;
    assert_eq!(bob.room, alice.room);
    Ok(())
}
