//! What the migrated schema must contain, and reading what a database actually contains.

use std::collections::BTreeSet;

use migration::sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};

/// One table the migrations create.
pub struct TableSpec {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    /// The primary key's columns, in order.
    pub primary_key: &'static [&'static str],
    /// (index name, unique, columns in order)
    pub indexes: &'static [(&'static str, bool, &'static [&'static str])],
    /// (column, referenced table)
    pub foreign_keys: &'static [(&'static str, &'static str)],
}

/// Columns and indexes one migration adds to and drops from a table created earlier.
pub struct AlterSpec {
    pub table: &'static str,
    pub add_columns: &'static [&'static str],
    pub drop_columns: &'static [&'static str],
    pub add_indexes: &'static [(&'static str, bool, &'static [&'static str])],
}

/// What one migration does to the schema.
pub enum Step {
    /// Creates a table.
    Create(&'static TableSpec),
    /// Alters tables created earlier.
    Alter(&'static [AlterSpec]),
    /// Rebuilds a table created earlier (of the same name) as specified.
    Replace(&'static TableSpec),
}

/// Every migration, in order: migration i does `MIGRATIONS[i]`.
pub const MIGRATIONS: &[Step] = &[
    Step::Create(&TABLES[0]),
    Step::Create(&TABLES[1]),
    Step::Create(&TABLES[2]),
    Step::Create(&TABLES[3]),
    Step::Create(&TABLES[4]),
    Step::Create(&TABLES[5]),
    Step::Alter(&[
        AlterSpec {
            table: "players",
            add_columns: &["away_reason", "abandoned_at", "left_at"],
            drop_columns: &[],
            add_indexes: &[("idx_players_return_deadline", false, &["return_deadline"])],
        },
        AlterSpec {
            table: "rooms",
            add_columns: &[],
            drop_columns: &["abandoned_at"],
            add_indexes: &[],
        },
        AlterSpec {
            table: "game_sessions",
            add_columns: &[],
            drop_columns: &["disconnected_at"],
            add_indexes: &[],
        },
    ]),
    Step::Alter(&[AlterSpec {
        table: "rooms",
        add_columns: &["deal_salt"],
        drop_columns: &[],
        add_indexes: &[],
    }]),
    Step::Replace(&LEAN_ACTION_LOG),
    Step::Create(&ROOM_LEASES),
    Step::Alter(&[AlterSpec {
        table: "rooms",
        add_columns: &["rematch_code"],
        drop_columns: &[],
        add_indexes: &[],
    }]),
];

/// Migration 10: which node serves a loaded room (several nodes on PostgreSQL).
pub const ROOM_LEASES: TableSpec = TableSpec {
    name: "room_leases",
    columns: &["room_code", "node", "epoch", "expires_at"],
    primary_key: &["room_code"],
    indexes: &[("room_leases_node", false, &["node"])],
    foreign_keys: &[],
};

/// The action log as migration 9 rebuilds it: keyed by room and sequence number, no secondary
/// index, no foreign key on the player.
pub const LEAN_ACTION_LOG: TableSpec = TableSpec {
    name: "game_action_log",
    columns: &[
        "room_id",
        "player_id",
        "sequence_number",
        "action_id",
        "action_type",
        "action_data",
        "created_at",
    ],
    primary_key: &["room_id", "sequence_number"],
    indexes: &[],
    foreign_keys: &[("room_id", "rooms")],
};

/// Every table as created, in the order the migrations create them.
pub const TABLES: &[TableSpec] = &[
    TableSpec {
        name: "rooms",
        columns: &[
            "id",
            "code",
            "status",
            "ruleset",
            "deal_seed",
            "winner_seat",
            "end_reason",
            "abandoned_at",
            "abandonment_decision",
            "abandonment_decided_at",
            "created_at",
            "updated_at",
            "finished_at",
        ],
        primary_key: &["id"],
        indexes: &[
            ("uq_rooms_code", true, &["code"]),
            ("idx_rooms_status", false, &["status"]),
        ],
        foreign_keys: &[],
    },
    TableSpec {
        name: "players",
        columns: &[
            "id",
            "room_id",
            "seat",
            "name",
            "joined_at",
            "disconnected_at",
            "abandon_deadline",
            "return_deadline",
        ],
        primary_key: &["id"],
        indexes: &[
            ("uq_players_room_seat", true, &["room_id", "seat"]),
            ("idx_players_abandon_deadline", false, &["abandon_deadline"]),
        ],
        foreign_keys: &[("room_id", "rooms")],
    },
    TableSpec {
        name: "game_sessions",
        columns: &[
            "id",
            "room_id",
            "player_id",
            "token_nonce",
            "connected_at",
            "last_heartbeat",
            "disconnected_at",
            "reconnected_at",
            "connection_count",
            "ip_address",
            "user_agent",
            "is_active",
            "revoked_at",
            "expires_at",
            "created_at",
        ],
        primary_key: &["id"],
        indexes: &[
            ("uq_game_sessions_token_nonce", true, &["token_nonce"]),
            ("idx_game_sessions_room_id", false, &["room_id"]),
            ("idx_game_sessions_player_id", false, &["player_id"]),
            ("idx_game_sessions_expires_at", false, &["expires_at"]),
        ],
        foreign_keys: &[("room_id", "rooms"), ("player_id", "players")],
    },
    TableSpec {
        name: "game_action_log",
        columns: &[
            "id",
            "room_id",
            "player_id",
            "sequence_number",
            "action_id",
            "action_type",
            "action_data",
            "created_at",
        ],
        primary_key: &["id"],
        indexes: &[
            (
                "uq_game_action_log_room_sequence",
                true,
                &["room_id", "sequence_number"],
            ),
            (
                "uq_game_action_log_room_action_id",
                true,
                &["room_id", "action_id"],
            ),
            ("idx_game_action_log_player_id", false, &["player_id"]),
        ],
        foreign_keys: &[("room_id", "rooms"), ("player_id", "players")],
    },
    TableSpec {
        name: "server_settings",
        columns: &["key", "value", "updated_at"],
        primary_key: &["key"],
        indexes: &[],
        foreign_keys: &[],
    },
    TableSpec {
        name: "game_rejected_actions",
        columns: &[
            "id",
            "room_id",
            "player_id",
            "action_id",
            "action_data",
            "code",
            "message",
            "created_at",
        ],
        primary_key: &["id"],
        indexes: &[
            (
                "uq_game_rejected_actions_room_action_id",
                true,
                &["room_id", "action_id"],
            ),
            ("idx_game_rejected_actions_player_id", false, &["player_id"]),
        ],
        foreign_keys: &[("room_id", "rooms"), ("player_id", "players")],
    },
];

/// An index as the database reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexInfo {
    pub name: String,
    pub unique: bool,
    pub columns: Vec<String>,
}

async fn rows(
    db: &DatabaseConnection,
    sql: &str,
    values: Vec<migration::sea_orm::Value>,
) -> Result<Vec<migration::sea_orm::QueryResult>, DbErr> {
    let backend = db.get_database_backend();
    db.query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
}

/// Names of the project's tables present (the migration bookkeeping table excluded).
pub async fn table_names(db: &DatabaseConnection) -> Result<BTreeSet<String>, DbErr> {
    let sql = match db.get_database_backend() {
        DbBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        _ => {
            "SELECT table_name::text AS name FROM information_schema.tables \
              WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        }
    };
    let mut names = BTreeSet::new();
    for row in rows(db, sql, vec![]).await? {
        let name: String = row.try_get("", "name")?;
        if name != "seaql_migrations" {
            names.insert(name);
        }
    }
    Ok(names)
}

/// Column names of `table`.
pub async fn column_names(db: &DatabaseConnection, table: &str) -> Result<BTreeSet<String>, DbErr> {
    let sql = match db.get_database_backend() {
        DbBackend::Sqlite => "SELECT name FROM pragma_table_info(?)",
        _ => {
            "SELECT column_name::text AS name FROM information_schema.columns \
              WHERE table_schema = current_schema() AND table_name = $1"
        }
    };
    let mut names = BTreeSet::new();
    for row in rows(db, sql, vec![table.into()]).await? {
        names.insert(row.try_get("", "name")?);
    }
    Ok(names)
}

/// The primary key's columns of `table`, in key order.
pub async fn primary_key(db: &DatabaseConnection, table: &str) -> Result<Vec<String>, DbErr> {
    let sql = match db.get_database_backend() {
        DbBackend::Sqlite => "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk",
        _ => {
            "SELECT a.attname::text AS name \
               FROM pg_index ix \
               JOIN pg_class tc ON tc.oid = ix.indrelid \
               JOIN pg_namespace n ON n.oid = tc.relnamespace \
               CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
               JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum \
              WHERE tc.relname = $1 AND n.nspname = current_schema() AND ix.indisprimary \
              ORDER BY k.ord"
        }
    };
    let mut columns = Vec::new();
    for row in rows(db, sql, vec![table.into()]).await? {
        columns.push(row.try_get("", "name")?);
    }
    Ok(columns)
}

/// Indexes of `table` except the primary key's.
pub async fn indexes(db: &DatabaseConnection, table: &str) -> Result<Vec<IndexInfo>, DbErr> {
    let mut found = Vec::new();
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            let list = rows(
                db,
                "SELECT name, \"unique\" AS is_unique FROM pragma_index_list(?) WHERE origin <> 'pk'",
                vec![table.into()],
            )
            .await?;
            for row in list {
                let name: String = row.try_get("", "name")?;
                let unique: i32 = row.try_get("", "is_unique")?;
                let mut columns = Vec::new();
                for col in rows(
                    db,
                    "SELECT name FROM pragma_index_info(?) ORDER BY seqno",
                    vec![name.clone().into()],
                )
                .await?
                {
                    columns.push(col.try_get("", "name")?);
                }
                found.push(IndexInfo {
                    name,
                    unique: unique != 0,
                    columns,
                });
            }
        }
        _ => {
            let list = rows(
                db,
                "SELECT ic.relname::text AS name, ix.indisunique AS is_unique, \
                   (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) \
                      FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
                      JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum) AS cols \
                 FROM pg_index ix \
                 JOIN pg_class ic ON ic.oid = ix.indexrelid \
                 JOIN pg_class tc ON tc.oid = ix.indrelid \
                 JOIN pg_namespace n ON n.oid = tc.relnamespace \
                 WHERE tc.relname = $1 AND n.nspname = current_schema() AND NOT ix.indisprimary",
                vec![table.into()],
            )
            .await?;
            for row in list {
                let cols: String = row.try_get("", "cols")?;
                found.push(IndexInfo {
                    name: row.try_get("", "name")?,
                    unique: row.try_get("", "is_unique")?,
                    columns: cols.split(',').map(str::to_owned).collect(),
                });
            }
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

/// Foreign keys of `table` as (column, referenced table).
pub async fn foreign_keys(
    db: &DatabaseConnection,
    table: &str,
) -> Result<BTreeSet<(String, String)>, DbErr> {
    let sql = match db.get_database_backend() {
        DbBackend::Sqlite => {
            "SELECT \"from\" AS col, \"table\" AS target FROM pragma_foreign_key_list(?)"
        }
        _ => {
            "SELECT a.attname::text AS col, rt.relname::text AS target \
              FROM pg_constraint c \
              JOIN pg_class t ON t.oid = c.conrelid \
              JOIN pg_namespace n ON n.oid = t.relnamespace \
              JOIN pg_class rt ON rt.oid = c.confrelid \
              JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) \
              WHERE c.contype = 'f' AND t.relname = $1 AND n.nspname = current_schema()"
        }
    };
    let mut keys = BTreeSet::new();
    for row in rows(db, sql, vec![table.into()]).await? {
        keys.insert((row.try_get("", "col")?, row.try_get("", "target")?));
    }
    Ok(keys)
}

/// A table as it must stand after some migrations.
#[derive(Debug, Clone)]
pub struct Expected {
    pub name: &'static str,
    pub columns: Vec<&'static str>,
    pub primary_key: &'static [&'static str],
    pub indexes: Vec<(&'static str, bool, &'static [&'static str])>,
    pub foreign_keys: Vec<(&'static str, &'static str)>,
}

impl From<&TableSpec> for Expected {
    fn from(spec: &TableSpec) -> Self {
        Self {
            name: spec.name,
            columns: spec.columns.to_vec(),
            primary_key: spec.primary_key,
            indexes: spec.indexes.to_vec(),
            foreign_keys: spec.foreign_keys.to_vec(),
        }
    }
}

/// The tables after the first `count` migrations.
pub fn expected_after(count: usize) -> Vec<Expected> {
    let mut tables: Vec<Expected> = Vec::new();
    for step in &MIGRATIONS[..count] {
        match step {
            Step::Create(spec) => tables.push(Expected::from(*spec)),
            Step::Replace(spec) => {
                let table = tables
                    .iter_mut()
                    .find(|t| t.name == spec.name)
                    .expect("a rebuilt table was created before");
                *table = Expected::from(*spec);
            }
            Step::Alter(alters) => {
                for alter in *alters {
                    let table = tables
                        .iter_mut()
                        .find(|t| t.name == alter.table)
                        .expect("an altered table was created before");
                    table.columns.retain(|c| !alter.drop_columns.contains(c));
                    table.columns.extend_from_slice(alter.add_columns);
                    table.indexes.extend_from_slice(alter.add_indexes);
                }
            }
        }
    }
    tables
}

/// Asserts that `spec`'s table exists exactly as specified: columns, indexes (with uniqueness and
/// column order) and foreign keys.
pub async fn assert_table_matches(db: &DatabaseConnection, spec: &Expected) -> Result<(), DbErr> {
    let columns = column_names(db, spec.name).await?;
    let expected: BTreeSet<String> = spec.columns.iter().map(|c| (*c).to_owned()).collect();
    assert_eq!(columns, expected, "columns of {}", spec.name);
    assert_eq!(
        primary_key(db, spec.name).await?,
        spec.primary_key,
        "primary key of {}",
        spec.name
    );

    let found = indexes(db, spec.name).await?;
    let mut expected: Vec<IndexInfo> = spec
        .indexes
        .iter()
        .map(|(name, unique, cols)| IndexInfo {
            name: (*name).to_owned(),
            unique: *unique,
            columns: cols.iter().map(|c| (*c).to_owned()).collect(),
        })
        .collect();
    expected.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(found, expected, "indexes of {}", spec.name);

    let fks = foreign_keys(db, spec.name).await?;
    let expected: BTreeSet<(String, String)> = spec
        .foreign_keys
        .iter()
        .map(|(c, t)| ((*c).to_owned(), (*t).to_owned()))
        .collect();
    assert_eq!(fks, expected, "foreign keys of {}", spec.name);
    Ok(())
}

/// Asserts that the schema is exactly what the first `count` migrations make, and that no table
/// or index of a later one is left behind.
pub async fn assert_schema_up_to(db: &DatabaseConnection, count: usize) -> Result<(), DbErr> {
    let tables = expected_after(count);
    let present = table_names(db).await?;
    let expected: BTreeSet<String> = tables.iter().map(|t| t.name.to_owned()).collect();
    assert_eq!(present, expected, "tables after {count} migration(s)");
    let manager = migration::SchemaManager::new(db);
    for spec in &tables {
        assert!(manager.has_table(spec.name).await?, "{} exists", spec.name);
        for column in &spec.columns {
            assert!(
                manager.has_column(spec.name, column).await?,
                "{}.{column} exists",
                spec.name
            );
        }
        assert_table_matches(db, spec).await?;
    }
    for spec in TABLES.iter().filter(|t| !expected.contains(t.name)) {
        assert!(
            !manager.has_table(spec.name).await?,
            "{} is gone",
            spec.name
        );
        for (index, _, _) in spec.indexes {
            assert!(
                !manager.has_index(spec.name, index).await?,
                "index {index} is gone"
            );
        }
    }
    Ok(())
}
