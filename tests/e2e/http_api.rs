//! The HTTP API: create, join, room info, and each documented error.

use serde_json::json;
use tests::{test_config, TestServer};

#[actix_web::test]
async fn create_join_and_info() -> anyhow::Result<()> {
    let server = TestServer::start(test_config()).await?;
    let (status, created) = server
        .post(
            "/api/rooms",
            &json!({ "name": "Alice", "variants": ["V-TARGET-11"] }),
        )
        .await?;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["seat"], 0);
    let code = created["room"].as_str().unwrap_or_default().to_owned();
    assert!(entity::rooms::is_valid_room_code(&code));
    assert!(created["token"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(created["expires_at"].as_i64() > Some(0));
    assert!(created["player_id"].as_i64().is_some());

    let (status, info) = server.get(&format!("/api/rooms/{code}")).await?;
    assert_eq!(status, 200);
    assert_eq!(info["status"], "waiting");
    assert_eq!(info["players"], json!([{ "seat": 0, "name": "Alice" }]));
    assert_eq!(info["variants"], json!(["V-TARGET-11"]));
    assert!(info.get("seed").is_none() && info.get("deal_seed").is_none());

    // Codes are accepted in lower case too.
    let (status, joined) = server
        .post(
            &format!("/api/rooms/{}/join", code.to_lowercase()),
            &json!({ "name": "Bob" }),
        )
        .await?;
    assert_eq!(status, 200, "{joined}");
    assert_eq!(joined["seat"], 1);
    assert_eq!(joined["room"], code.as_str());

    let (_, info) = server.get(&format!("/api/rooms/{code}")).await?;
    assert_eq!(info["status"], "playing");
    assert_eq!(info["players"][1]["name"], "Bob");
    // The result fields appear only once the game is over.
    assert!(info.get("result").is_none() && info.get("end_reason").is_none());
    assert!(info.get("hands").is_none());

    let (status, full) = server
        .post(
            &format!("/api/rooms/{code}/join"),
            &json!({ "name": "Carol" }),
        )
        .await?;
    assert_eq!(
        (status, full["error"]["code"].clone()),
        (409, json!("ROOM_FULL"))
    );
    Ok(())
}

#[actix_web::test]
async fn every_error_is_json_with_its_code() -> anyhow::Result<()> {
    let server = TestServer::start(test_config()).await?;
    let cases = [
        ("/api/rooms", json!({ "name": "" }), 400, "INVALID_NAME"),
        (
            "/api/rooms",
            json!({ "name": "x".repeat(40) }),
            400,
            "INVALID_NAME",
        ),
        (
            "/api/rooms",
            json!({ "name": "A\u{1}" }),
            400,
            "INVALID_NAME",
        ),
        (
            "/api/rooms",
            json!({ "name": "Al", "variants": ["V-ROYAL"] }),
            400,
            "INVALID_VARIANT",
        ),
        ("/api/rooms", json!({ "nom": "Al" }), 400, "INVALID_BODY"),
        (
            "/api/rooms/ZZZZZZ/join",
            json!({ "name": "Bob" }),
            404,
            "ROOM_NOT_FOUND",
        ),
        (
            "/api/rooms/ABC/join",
            json!({ "name": "Bob" }),
            400,
            "INVALID_ROOM_CODE",
        ),
    ];
    for (path, body, status, code) in cases {
        let (got, answer) = server.post(path, &body).await?;
        assert_eq!(got, status, "{path} {body}: {answer}");
        assert_eq!(answer["error"]["code"], code, "{path} {body}: {answer}");
        assert!(answer["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    let (status, answer) = server.get("/api/rooms/ZZZZZZ").await?;
    assert_eq!(
        (status, answer["error"]["code"].clone()),
        (404, json!("ROOM_NOT_FOUND"))
    );
    let (status, answer) = server.get("/api/rooms/0OO0").await?;
    assert_eq!(
        (status, answer["error"]["code"].clone()),
        (400, json!("INVALID_ROOM_CODE"))
    );
    let (status, answer) = server.get("/api/nothing-here").await?;
    assert_eq!(
        (status, answer["error"]["code"].clone()),
        (404, json!("NOT_FOUND"))
    );
    Ok(())
}

#[actix_web::test]
async fn a_finished_room_tells_its_result() -> anyhow::Result<()> {
    use game::protocol::{ClientMessage, ServerMessage};
    let server = TestServer::start(test_config()).await?;
    let [mut p0, mut p1] = tests::start_match(&server, &[]).await?;
    let code = p0.seated.room.clone();
    // Bob leaves; Alice claims the victory at once.
    p1.ws.send(&ClientMessage::Leave).await?;
    p1.ws
        .until("left", |m| matches!(m, ServerMessage::Left).then_some(()))
        .await?;
    p0.ws
        .until("abandoned", |m| {
            matches!(m, ServerMessage::Abandoned { .. }).then_some(())
        })
        .await?;
    p0.ws.send(&ClientMessage::ClaimVictory).await?;
    p0.ws
        .until("game_over", |m| {
            matches!(m, ServerMessage::GameOver { .. }).then_some(())
        })
        .await?;

    let (status, info) = server.get(&format!("/api/rooms/{code}")).await?;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["status"], "finished");
    assert_eq!(info["end_reason"], "victory_claimed");
    assert_eq!(info["result"]["winner"], 0);
    assert_eq!(info["result"]["scores"], json!([0, 0]));
    assert_eq!(info["result"]["hands_played"], 0);
    assert_eq!(
        info["players"],
        json!([{ "seat": 0, "name": "Alice" }, { "seat": 1, "name": "Bob" }])
    );
    assert!(info.get("seed").is_none() && info.get("deal_seed").is_none());
    Ok(())
}
