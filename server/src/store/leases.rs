//! `room_leases`: which node serves a loaded room when several nodes share one PostgreSQL
//! database (docs/SCALING.md). A node claims a room's lease before loading it, renews all its
//! leases in one statement, releases a lease when the room leaves memory, and asks the owner of a
//! lease it needs to release it with `NOTIFY`. Every append is fenced by the lease's epoch in the
//! log writer's transaction ([`fence`]). A single node on SQLite has no leases.

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, Statement, Value,
};

/// The `LISTEN`/`NOTIFY` channel on which a node asks the owner of a room to release it; the
/// payload is the room code.
pub const RELEASE_CHANNEL: &str = "casino_release";

/// The leases of one node.
#[derive(Clone)]
pub struct Leases {
    db: DatabaseConnection,
    node: String,
    lease_ms: i64,
}

fn statement(sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

/// `$first, $first+1, …` for `count` values.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Leases {
    /// The leases of node `node` on PostgreSQL database `db`, each `lease_ms` long.
    pub fn new(db: DatabaseConnection, node: String, lease_ms: u64) -> Self {
        Self {
            db,
            node,
            lease_ms: i64::try_from(lease_ms).unwrap_or(i64::MAX / 4),
        }
    }

    /// This node's name.
    pub fn node(&self) -> &str {
        &self.node
    }

    /// The database (for the listener).
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Claims room `code`: a new lease, this node's own lease again, or one that expired. Each
    /// claim raises the epoch, so appends of any earlier holder are fenced. `None` while another
    /// node holds a live lease.
    pub async fn claim(&self, code: &str) -> Result<Option<i64>, DbErr> {
        let row = self
            .db
            .query_one_raw(statement(
                "INSERT INTO room_leases (room_code, node, epoch, expires_at) \
                 VALUES ($1, $2, 1, clock_timestamp() + make_interval(secs => $3::float8 / 1000)) \
                 ON CONFLICT (room_code) DO UPDATE \
                 SET node = EXCLUDED.node, epoch = room_leases.epoch + 1, \
                     expires_at = EXCLUDED.expires_at \
                 WHERE room_leases.node = EXCLUDED.node \
                    OR room_leases.expires_at < clock_timestamp() \
                 RETURNING epoch",
                vec![code.into(), self.node.clone().into(), self.lease_ms.into()],
            ))
            .await?;
        row.map(|row| row.try_get::<i64>("", "epoch")).transpose()
    }

    /// Asks the node holding room `code` to release it.
    pub async fn ask_release(&self, code: &str) -> Result<(), DbErr> {
        self.db
            .execute_raw(statement(
                "SELECT pg_notify($1, $2)",
                vec![RELEASE_CHANNEL.into(), code.into()],
            ))
            .await
            .map(drop)
    }

    /// Releases this node's lease of room `code` at `epoch` (nothing if it was taken over).
    pub async fn release(&self, code: &str, epoch: i64) -> Result<(), DbErr> {
        self.db
            .execute_raw(statement(
                "DELETE FROM room_leases WHERE room_code = $1 AND node = $2 AND epoch = $3",
                vec![code.into(), self.node.clone().into(), epoch.into()],
            ))
            .await
            .map(drop)
    }

    /// Renews this node's leases of `codes` in one statement; returns the ones still this
    /// node's, with their epochs. A room missing from the answer was taken over.
    pub async fn renew(&self, codes: &[String]) -> Result<Vec<(String, i64)>, DbErr> {
        if codes.is_empty() {
            return Ok(Vec::new());
        }
        let mut values: Vec<Value> = vec![self.node.clone().into(), self.lease_ms.into()];
        values.extend(codes.iter().map(|code| Value::from(code.clone())));
        let rows = self
            .db
            .query_all_raw(statement(
                &format!(
                    "UPDATE room_leases \
                     SET expires_at = clock_timestamp() + make_interval(secs => $2::float8 / 1000) \
                     WHERE node = $1 AND room_code IN ({}) RETURNING room_code, epoch",
                    placeholders(3, codes.len())
                ),
                values,
            ))
            .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get::<String>("", "room_code")?,
                    row.try_get::<i64>("", "epoch")?,
                ))
            })
            .collect()
    }

    /// Deletes every lease of this node: at start, when it holds none, leases left by an
    /// earlier life under the same name (after a `kill -9`) would only delay other nodes.
    pub async fn forget_all(&self) -> Result<u64, DbErr> {
        Ok(self
            .db
            .execute_raw(statement(
                "DELETE FROM room_leases WHERE node = $1",
                vec![self.node.clone().into()],
            ))
            .await?
            .rows_affected())
    }

    /// Rooms among `codes` that no node holds a live lease of (the sweeps' rooms), or `None`
    /// when another node runs the sweep right now.
    pub async fn unowned(&self, codes: Vec<String>) -> Result<Option<Vec<String>>, DbErr> {
        use sea_orm::TransactionTrait;
        if codes.is_empty() {
            return Ok(Some(codes));
        }
        let txn = self.db.begin().await?;
        let locked = txn
            .query_one_raw(statement(
                "SELECT pg_try_advisory_xact_lock($1) AS locked",
                vec![SWEEP_LOCK.into()],
            ))
            .await?
            .map(|row| row.try_get::<bool>("", "locked"))
            .transpose()?
            .unwrap_or(false);
        if !locked {
            txn.rollback().await?;
            return Ok(None);
        }
        let values: Vec<Value> = codes.iter().map(|code| Value::from(code.clone())).collect();
        let held = txn
            .query_all_raw(statement(
                &format!(
                    "SELECT room_code FROM room_leases WHERE expires_at > clock_timestamp() \
                     AND room_code IN ({})",
                    placeholders(1, codes.len())
                ),
                values,
            ))
            .await?
            .iter()
            .map(|row| row.try_get::<String>("", "room_code"))
            .collect::<Result<std::collections::HashSet<_>, _>>()?;
        txn.commit().await?;
        Ok(Some(
            codes.into_iter().filter(|c| !held.contains(c)).collect(),
        ))
    }
}

/// The advisory lock that lets one node at a time run the sweep of rooms loaded nowhere.
const SWEEP_LOCK: i64 = 0x6361_7369_6e6f; // "casino"

/// Which of `claims` (room code, epoch) node `node` still holds, locking those lease rows until
/// `txn` ends: a node taking a lease over waits for this commit, and an append whose epoch is
/// no longer the lease's is not written (fencing).
pub async fn fence(
    txn: &DatabaseTransaction,
    node: &str,
    claims: &[(&str, i64)],
) -> Result<Vec<bool>, DbErr> {
    if claims.is_empty() {
        return Ok(Vec::new());
    }
    let mut values: Vec<Value> = vec![node.into()];
    values.extend(claims.iter().map(|(code, _)| Value::from(*code)));
    let rows = txn
        .query_all_raw(statement(
            &format!(
                "SELECT room_code, epoch FROM room_leases WHERE node = $1 AND room_code IN ({}) \
                 FOR SHARE",
                placeholders(2, claims.len())
            ),
            values,
        ))
        .await?;
    let mut held = std::collections::HashMap::new();
    for row in &rows {
        held.insert(
            row.try_get::<String>("", "room_code")?,
            row.try_get::<i64>("", "epoch")?,
        );
    }
    Ok(claims
        .iter()
        .map(|(code, epoch)| held.get(*code) == Some(epoch))
        .collect())
}
