//! The migrations go up, down and up again on SQLite (file and memory) and PostgreSQL, leaving
//! exactly the specified tables, columns, indexes and constraints; and the constraints hold.
//!
//! PostgreSQL tests run when `CASINO_TEST_PG_URL` names a server, e.g.
//! `CASINO_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/postgres cargo test -p migration`.

mod support;

use chrono::{DateTime, Duration, TimeZone, Utc};
use entity::{game_action_log, players, rooms};
use migration::sea_orm::{
    compound::EntityLoaderTrait, ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbBackend,
    DbErr, EntityTrait, IntoActiveModel, ModelTrait, QueryFilter, QueryOrder, Set, SqlErr,
    Statement,
};
use migration::{Migrator, MigratorTrait};
use support::databases::{with_postgres, TempDir};
use support::fixtures;
use support::schema::{assert_schema_up_to, MIGRATIONS};

/// Up, down one step at a time, up, down all, up: each state checked against [`MIGRATIONS`]; then
/// the constraints are exercised, and a last down/up runs over a database holding rows.
async fn up_down_cycle(url: &str) -> Result<(), DbErr> {
    let db = migration::connect(url).await?;
    let total = MIGRATIONS.len();
    assert_eq!(
        Migrator::migrations().len(),
        total,
        "every migration is described"
    );

    Migrator::up(&db, None).await?;
    assert_schema_up_to(&db, total).await?;
    assert!(Migrator::get_pending_migrations(&db).await?.is_empty());
    assert_eq!(Migrator::get_applied_migrations(&db).await?.len(), total);

    for remaining in (0..total).rev() {
        Migrator::down(&db, Some(1)).await?;
        assert_schema_up_to(&db, remaining).await?;
    }

    Migrator::up(&db, None).await?;
    assert_schema_up_to(&db, total).await?;

    Migrator::down(&db, None).await?;
    assert_schema_up_to(&db, 0).await?;
    assert_eq!(Migrator::get_pending_migrations(&db).await?.len(), total);

    Migrator::up(&db, None).await?;
    assert_schema_up_to(&db, total).await?;
    exercise_constraints(&db).await?;

    // Down and up again with rows in every table.
    Migrator::down(&db, None).await?;
    assert_schema_up_to(&db, 0).await?;
    Migrator::up(&db, None).await?;
    assert_schema_up_to(&db, total).await?;
    assert!(rooms::Entity::find().all(&db).await?.is_empty());

    db.close().await
}

fn assert_unique_violation<T: std::fmt::Debug>(result: Result<T, DbErr>, what: &str) {
    match result {
        Err(err) => assert!(
            matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))),
            "{what}: expected a unique violation, got {err:?}"
        ),
        Ok(row) => panic!("{what}: accepted a duplicate: {row:?}"),
    }
}

/// The unique, check and foreign-key constraints reject what they must, through the entities,
/// and accept what they must; values round-trip; relations and cascades work.
async fn exercise_constraints(db: &DatabaseConnection) -> Result<(), DbErr> {
    let room_a = fixtures::room(db, "ABC234").await?;
    let room_b = fixtures::room(db, "XYZ789").await?;
    let a0 = fixtures::player(db, room_a.id, 0).await?;
    let a1 = fixtures::player(db, room_a.id, 1).await?;
    let b0 = fixtures::player(db, room_b.id, 0).await?;

    fixtures::action(db, &room_a, None, 1, "system-deal").await?;
    fixtures::action(db, &room_a, Some(&a0), 2, "act-1").await?;
    fixtures::action(db, &room_a, Some(&a1), 3, "act-2").await?;

    assert_unique_violation(
        fixtures::action(db, &room_a, Some(&a1), 3, "act-3").await,
        "same sequence number twice in one room",
    );
    // The key is per room: another room may reuse it.
    fixtures::action(db, &room_b, Some(&b0), 2, "act-1").await?;

    assert_unique_violation(fixtures::room(db, "ABC234").await, "same room code twice");
    assert_unique_violation(fixtures::player(db, room_a.id, 1).await, "same seat twice");
    assert!(
        fixtures::player(db, room_b.id, 2).await.is_err(),
        "seat 2 must be rejected"
    );

    fixtures::session(db, &a0, "nonce-a0").await?;
    assert_unique_violation(
        fixtures::session(db, &a1, "nonce-a0").await,
        "same token nonce twice",
    );

    fixtures::setting(db, entity::server_settings::SESSION_SECRET_KEY, "s3cret").await?;
    assert_unique_violation(
        fixtures::setting(db, entity::server_settings::SESSION_SECRET_KEY, "other").await,
        "same setting key twice",
    );

    let ghost_room = rooms::Model {
        id: room_b.id + 1000,
        ..room_b.clone()
    };
    match fixtures::action(db, &ghost_room, None, 1, "x").await {
        Err(err) => assert!(
            matches!(
                err.sql_err(),
                Some(SqlErr::ForeignKeyConstraintViolation(_))
            ),
            "log entry of a missing room: {err:?}"
        ),
        Ok(row) => panic!("log entry of a missing room accepted: {row:?}"),
    }

    // Values come back as written: the seed's top bit, the enum, the JSON.
    let stored = rooms::Entity::find_by_id(room_a.id)
        .one(db)
        .await?
        .expect("room A is stored");
    assert_eq!(stored.deal_seed as u64, u64::MAX);
    assert_eq!(stored.status, rooms::RoomStatus::Playing);
    assert_eq!(stored.ruleset, room_a.ruleset);
    assert_eq!(stored.code, "ABC234");

    // Relations: a room's players and its log after a sequence number, in order.
    let seated = room_a.find_related(players::Entity).all(db).await?;
    assert_eq!(seated.len(), 2);
    let after_1 = game_action_log::Entity::find()
        .filter(game_action_log::COLUMN.room_id.eq(room_a.id))
        .filter(game_action_log::COLUMN.sequence_number.gt(1))
        .order_by_asc(game_action_log::COLUMN.sequence_number)
        .all(db)
        .await?;
    let ids: Vec<&str> = after_1.iter().map(|a| a.action_id.as_str()).collect();
    assert_eq!(ids, ["act-1", "act-2"]);
    let loaded = rooms::Entity::load()
        .filter_by_id(room_a.id)
        .with(players::Entity)
        .one(db)
        .await?
        .expect("room A loads");
    assert_eq!(loaded.players.len(), 2);

    // Deadlines compare as instants in SQL on both databases (SQLite keeps them as RFC 3339
    // text, where a whole second and a fractional one must still order correctly).
    let t0 = Utc
        .with_ymd_and_hms(2030, 1, 2, 3, 4, 5)
        .single()
        .expect("a valid instant");
    for (player, deadline) in [(&a0, t0), (&a1, t0 + Duration::milliseconds(250))] {
        let mut seat = player.clone().into_active_model();
        seat.disconnected_at = Set(Some(deadline - Duration::minutes(5)));
        seat.abandon_deadline = Set(Some(deadline));
        seat.update(db).await?;
    }
    let due = |at: DateTime<Utc>| {
        players::Entity::find()
            .filter(players::COLUMN.abandon_deadline.lte(at))
            .order_by_asc(players::COLUMN.seat)
            .all(db)
    };
    let seats = |rows: Vec<players::Model>| rows.iter().map(|p| p.seat).collect::<Vec<_>>();
    assert_eq!(
        seats(due(t0 - Duration::milliseconds(1)).await?),
        Vec::<i16>::new()
    );
    assert_eq!(seats(due(t0).await?), [0]);
    assert_eq!(seats(due(t0 + Duration::milliseconds(100)).await?), [0]);
    assert_eq!(seats(due(t0 + Duration::milliseconds(250)).await?), [0, 1]);
    let reloaded = players::Entity::find_by_id(a0.id)
        .one(db)
        .await?
        .expect("seat 0 is stored");
    assert_eq!(reloaded.abandon_deadline, Some(t0));

    // Deleting a room takes its seats, sessions and log with it.
    rooms::Entity::delete_by_id(room_a.id).exec(db).await?;
    assert!(players::Entity::find()
        .filter(players::COLUMN.room_id.eq(room_a.id))
        .all(db)
        .await?
        .is_empty());
    assert_eq!(
        game_action_log::Entity::find().all(db).await?.len(),
        1,
        "only room B's entry is left"
    );
    assert!(entity::game_sessions::Entity::find()
        .all(db)
        .await?
        .is_empty());
    Ok(())
}

async fn pragma(db: &DatabaseConnection, name: &str) -> Result<String, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            format!("PRAGMA {name}"),
        ))
        .await?
        .expect("a pragma answers one row");
    // journal_mode answers text, the others integers.
    row.try_get_by_index::<String>(0)
        .or_else(|_| row.try_get_by_index::<i64>(0).map(|v| v.to_string()))
}

#[tokio::test]
async fn sqlite_file_migrates_up_down_up() -> Result<(), DbErr> {
    let dir = TempDir::new();
    up_down_cycle(&dir.sqlite_url("cycle.db")).await
}

#[tokio::test]
async fn sqlite_memory_migrates_up_down_up() -> Result<(), DbErr> {
    up_down_cycle("sqlite::memory:").await
}

#[tokio::test]
async fn postgres_migrates_up_down_up() {
    with_postgres("postgres_migrates_up_down_up", |url| async move {
        up_down_cycle(&url)
            .await
            .expect("up/down cycle on PostgreSQL");
    })
    .await;
}

#[tokio::test]
async fn sqlite_file_is_opened_in_wal_mode_with_busy_timeout_and_foreign_keys() -> Result<(), DbErr>
{
    let dir = TempDir::new();
    // Without `mode=rwc` the file is created all the same.
    let url = dir.sqlite_url("wal.db").replace("?mode=rwc", "");
    let db = migration::connect_and_migrate(&url).await?;
    assert_eq!(pragma(&db, "journal_mode").await?, "wal");
    assert_eq!(
        pragma(&db, "busy_timeout").await?,
        migration::SQLITE_BUSY_TIMEOUT.as_millis().to_string()
    );
    assert_eq!(pragma(&db, "foreign_keys").await?, "1");
    db.close().await?;

    // Starting again on the same file finds nothing to do and keeps the data.
    let db = migration::connect_and_migrate(&url).await?;
    fixtures::room(&db, "QRS234").await?;
    db.close().await?;
    let db = migration::connect_and_migrate(&url).await?;
    assert_eq!(rooms::Entity::find().all(&db).await?.len(), 1);
    assert_schema_up_to(&db, MIGRATIONS.len()).await?;
    db.close().await
}

#[tokio::test]
async fn sqlite_memory_database_lives_as_long_as_its_pool() -> Result<(), DbErr> {
    let db = migration::connect_and_migrate("sqlite::memory:").await?;
    fixtures::room(&db, "MEM234").await?;
    // Another pool gets another, empty database.
    let other = migration::connect_and_migrate("sqlite::memory:").await?;
    assert!(rooms::Entity::find().all(&other).await?.is_empty());
    assert_eq!(rooms::Entity::find().all(&db).await?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn postgres_servers_starting_together_migrate_once() {
    with_postgres(
        "postgres_servers_starting_together_migrate_once",
        |url| async move {
            let (a, b) = tokio::join!(
                migration::connect_and_migrate(&url),
                migration::connect_and_migrate(&url)
            );
            let (a, b) = (a.expect("first server"), b.expect("second server"));
            assert_schema_up_to(&a, MIGRATIONS.len())
                .await
                .expect("schema");
            assert_eq!(
                Migrator::get_applied_migrations(&b)
                    .await
                    .expect("status")
                    .len(),
                MIGRATIONS.len()
            );
            a.close().await.expect("close");
            b.close().await.expect("close");
        },
    )
    .await;
}

/// The log's entries as `(room, seq, player, action_id, data)`, read with plain SQL so that both
/// shapes of the table answer the same query.
async fn log_entries(
    db: &DatabaseConnection,
) -> Result<Vec<(i64, i64, Option<i64>, String, String)>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT room_id, sequence_number, player_id, action_id, action_data \
               FROM game_action_log ORDER BY room_id, sequence_number",
        ))
        .await?;
    let mut entries = Vec::new();
    for row in rows {
        let data: serde_json::Value = row.try_get("", "action_data")?;
        entries.push((
            row.try_get("", "room_id")?,
            row.try_get("", "sequence_number")?,
            row.try_get("", "player_id")?,
            row.try_get("", "action_id")?,
            data.to_string(),
        ));
    }
    Ok(entries)
}

/// Migration 9 rebuilds the action log: every entry of every room survives it, both ways, and
/// the rebuilt table is the one the entities read.
async fn lean_log_keeps_every_entry(url: &str) -> Result<(), DbErr> {
    let db = migration::connect(url).await?;
    let lean = 9;
    Migrator::up(&db, Some(lean as u32 - 1)).await?;
    assert_schema_up_to(&db, lean - 1).await?;
    // The entity knows later columns: rows are written without reading them back.
    let room_a = fixtures::room_id(&db, "LOG234").await?;
    let room_b = fixtures::room_id(&db, "LOG567").await?;
    let a0 = fixtures::player(&db, room_a, 0).await?;
    let b1 = fixtures::player(&db, room_b, 1).await?;
    let backend = db.get_database_backend();
    // Written out of key order, as rooms interleave.
    for (room, seq, player, action_id) in [
        (room_b, 1, None, "system-deal-1"),
        (room_a, 1, None, "system-deal-1"),
        (room_a, 2, Some(a0.id), "a-1"),
        (room_b, 2, Some(b1.id), "b-1"),
        (room_a, 3, Some(a0.id), "a-2"),
    ] {
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                DbBackend::Sqlite => {
                    "INSERT INTO game_action_log (room_id, player_id, sequence_number, action_id, \
                     action_type, action_data, created_at) VALUES (?, ?, ?, ?, 'trail', ?, ?)"
                }
                _ => {
                    "INSERT INTO game_action_log (room_id, player_id, sequence_number, action_id, \
                     action_type, action_data, created_at) VALUES ($1, $2, $3, $4, 'trail', $5, $6)"
                }
            },
            [
                room.into(),
                player.into(),
                seq.into(),
                action_id.into(),
                serde_json::json!({ "type": "trail", "card": format!("{seq}C") }).into(),
                Utc::now().into(),
            ],
        ))
        .await?;
    }
    let before = log_entries(&db).await?;
    assert_eq!(before.len(), 5);

    Migrator::up(&db, Some(1)).await?;
    assert_schema_up_to(&db, lean).await?;
    assert_eq!(log_entries(&db).await?, before, "entries after the rebuild");
    let room_a_log = game_action_log::Entity::find()
        .filter(game_action_log::COLUMN.room_id.eq(room_a))
        .order_by_asc(game_action_log::COLUMN.sequence_number)
        .all(&db)
        .await?;
    let ids: Vec<&str> = room_a_log.iter().map(|a| a.action_id.as_str()).collect();
    assert_eq!(ids, ["system-deal-1", "a-1", "a-2"]);

    Migrator::down(&db, Some(1)).await?;
    assert_schema_up_to(&db, lean - 1).await?;
    assert_eq!(log_entries(&db).await?, before, "entries after going back");
    db.close().await
}

#[tokio::test]
async fn sqlite_lean_log_keeps_every_entry() -> Result<(), DbErr> {
    let dir = TempDir::new();
    lean_log_keeps_every_entry(&dir.sqlite_url("lean.db")).await
}

#[tokio::test]
async fn postgres_lean_log_keeps_every_entry() {
    with_postgres("postgres_lean_log_keeps_every_entry", |url| async move {
        lean_log_keeps_every_entry(&url)
            .await
            .expect("lean log on PostgreSQL");
    })
    .await;
}
