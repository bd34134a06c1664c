//! The session manager's sweeps, through configuration only: abandoned games are found in the
//! database even when their room is not in memory (after a restart), and expired sessions are
//! deleted.

use std::time::Duration;

use sea_orm::{ColumnTrait, Database, EntityTrait, PaginatorTrait, QueryFilter};
use tests::{start_match, test_config, TempDir, TestServer};

#[actix_web::test]
async fn the_abandoned_games_sweep_loads_rooms_that_are_not_in_memory() -> anyhow::Result<()> {
    let dir = TempDir::new()?;
    let mut config = test_config();
    config.database_url = dir.sqlite_url("sweep.db");
    config.heartbeat_check_ms = 50;
    config.temporarily_disconnected_ms = 500;
    config.abandon_after_ms = 1_000;
    config.return_window_ms = 60_000;
    config.abandon_check_ms = 200;

    let server = TestServer::start(config.clone()).await?;
    let [mut p0, p1] = start_match(&server, &[]).await?;
    let code = p0.seated.room.clone();
    p1.ws.close().await;
    // Seat 1's absence is committed once seat 0 is told of it.
    p0.ws
        .presence_of(1, |s| s != game::protocol::PresenceState::Connected)
        .await?;
    p0.ws.close().await;
    server.stop().await;

    // Nobody connects to the new server: only the sweep can bring the room back into memory.
    let server = TestServer::start(config.clone()).await?;
    let db = Database::connect(config.database_url.as_str()).await?;
    let room = entity::rooms::Entity::find()
        .filter(entity::rooms::Column::Code.eq(code.clone()))
        .one(&db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("room {code} is gone"))?;
    let abandoned_at = tests::eventually(
        Duration::from_secs(10),
        "the sweep recording the abandonment",
        || async {
            Ok(entity::players::Entity::find()
                .filter(entity::players::Column::RoomId.eq(room.id))
                .filter(entity::players::Column::AbandonedAt.is_not_null())
                .one(&db)
                .await?
                .and_then(|p| p.abandoned_at))
        },
    )
    .await?;
    assert!(abandoned_at.timestamp_millis() > 0);
    db.close().await?;
    server.stop().await;
    Ok(())
}

#[actix_web::test]
async fn the_cleanup_sweep_deletes_expired_sessions_only() -> anyhow::Result<()> {
    let dir = TempDir::new()?;
    let mut config = test_config();
    config.database_url = dir.sqlite_url("cleanup.db");
    config.session_ttl_ms = 1_500;
    config.session_cleanup_ms = 200;
    let server = TestServer::start(config.clone()).await?;
    let db = Database::connect(config.database_url.as_str()).await?;
    let sessions_of = |room_id: i64| {
        entity::game_sessions::Entity::find()
            .filter(entity::game_sessions::Column::RoomId.eq(room_id))
            .count(&db)
    };
    let room_id = |code: String| {
        let db = db.clone();
        async move {
            entity::rooms::Entity::find()
                .filter(entity::rooms::Column::Code.eq(code))
                .one(&db)
                .await?
                .map(|r| r.id)
                .ok_or_else(|| anyhow::anyhow!("no room"))
        }
    };

    // Each token lives 1.5 s and the sweep runs every 200 ms: a session is deleted, but never
    // before its expiry.
    for name in ["Alice", "Bob"] {
        let seated = server.create_room(name, &[]).await?;
        let room = room_id(seated.room.clone()).await?;
        assert_eq!(sessions_of(room).await?, 1);
        tests::eventually(
            Duration::from_secs(10),
            "the expired session's deletion",
            || async {
                let gone = sessions_of(room).await? == 0;
                if gone {
                    let now = chrono::Utc::now().timestamp_millis();
                    assert!(
                        now >= seated.expires_at,
                        "deleted {} ms early",
                        seated.expires_at - now
                    );
                }
                Ok(gone.then_some(()))
            },
        )
        .await?;
    }
    db.close().await?;
    server.stop().await;
    Ok(())
}
