//! The session manager's sweeps, through configuration only: abandoned games are found in the
//! database even when their room is not in memory (after a restart), and expired sessions are
//! deleted.

use std::time::{Duration, Instant};

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
    let [p0, p1] = start_match(&server, &[]).await?;
    let code = p0.seated.room.clone();
    p1.ws.close().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    p0.ws.close().await;
    server.stop().await;

    // Nobody connects to the new server: only the sweep can bring the room back into memory.
    let server = TestServer::start(config.clone()).await?;
    let db = Database::connect(config.database_url.as_str()).await?;
    let started = Instant::now();
    let abandoned_at = loop {
        let room = entity::rooms::Entity::find()
            .filter(entity::rooms::Column::Code.eq(code.clone()))
            .one(&db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("room {code} is gone"))?;
        if let Some(at) = room.abandoned_at {
            break at;
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(10),
            "the sweep never marked room {code} abandoned"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
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

    let old = server.create_room("Alice", &[]).await?;
    let old_room = room_id(old.room.clone()).await?;
    assert_eq!(sessions_of(old_room).await?, 1);
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let fresh = server.create_room("Bob", &[]).await?;
    let fresh_room = room_id(fresh.room.clone()).await?;
    assert_eq!(
        sessions_of(old_room).await?,
        0,
        "the expired session is deleted"
    );
    assert_eq!(sessions_of(fresh_room).await?, 1, "a live session stays");
    db.close().await?;
    server.stop().await;
    Ok(())
}
