//! The group-commit log writer: one task takes appends from every room through a bounded queue,
//! commits whatever has piled up in one transaction, then answers each room. A room's move is
//! acknowledged only after its answer, so "ack" means "durable" (DESIGN principle 3), while a
//! busy server pays one commit (one fsync) for many moves.

use chrono::{DateTime, Utc};
use entity::rooms::{self, EndReason, RoomStatus};
use entity::{game_action_log, game_rejected_actions};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};
use tokio::sync::{mpsc, oneshot};

use super::StoreError;

/// The room ends with this move.
#[derive(Debug, Clone)]
pub struct FinishRoom {
    /// Winning seat (0 or 1); `None` for a draw.
    pub winner_seat: Option<i16>,
    /// Why it ended.
    pub reason: EndReason,
}

/// One append.
#[derive(Debug, Clone)]
pub enum LogRecord {
    /// An applied move: the next entry of the room's log.
    Applied {
        /// Room id.
        room_id: i64,
        /// Acting player id.
        player_id: i64,
        /// Its sequence number.
        seq: i64,
        /// Client idempotency key.
        action_id: String,
        /// Move kind.
        action_type: String,
        /// The move's JSON.
        action_data: serde_json::Value,
        /// Commit time reported in the ack.
        at: DateTime<Utc>,
        /// Set when this move ends the game: the room row is finished in the same transaction.
        finish: Option<FinishRoom>,
    },
    /// A refused move, remembered for exactly-once answers.
    Rejected {
        /// Room id.
        room_id: i64,
        /// Acting player id.
        player_id: i64,
        /// Client idempotency key.
        action_id: String,
        /// The refused move's JSON.
        action_data: serde_json::Value,
        /// Rejection code.
        code: String,
        /// Rejection message.
        message: String,
        /// When it was refused.
        at: DateTime<Utc>,
    },
}

struct Job {
    record: LogRecord,
    done: oneshot::Sender<Result<(), String>>,
}

/// Handle to the writer task; cheap to clone, one per server.
#[derive(Clone)]
pub struct LogWriter {
    queue: mpsc::Sender<Job>,
}

impl LogWriter {
    /// Starts the writer on the current runtime with a queue of `queue` appends and at most
    /// `max_batch` appends per transaction.
    pub fn start(db: DatabaseConnection, queue: usize, max_batch: usize) -> Self {
        let (tx, rx) = mpsc::channel(queue.max(1));
        tokio::spawn(run(db, rx, max_batch.max(1)));
        Self { queue: tx }
    }

    /// Appends `record` and returns once it is committed. A full queue makes the caller wait
    /// (backpressure), never grows memory.
    pub async fn append(&self, record: LogRecord) -> Result<(), StoreError> {
        let (done, answer) = oneshot::channel();
        self.queue
            .send(Job { record, done })
            .await
            .map_err(|_| StoreError::WriterGone)?;
        match answer.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(message)) => Err(StoreError::Db(DbErr::Custom(message))),
            Err(_) => Err(StoreError::WriterGone),
        }
    }
}

async fn run(db: DatabaseConnection, mut rx: mpsc::Receiver<Job>, max_batch: usize) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < max_batch {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let records: Vec<&LogRecord> = batch.iter().map(|job| &job.record).collect();
        let started = std::time::Instant::now();
        let committed = commit(&db, &records).await;
        crate::metrics::metrics()
            .log_commit_duration
            .observe(started.elapsed().as_secs_f64());
        crate::metrics::metrics()
            .log_batch_size
            .observe(batch.len() as f64);
        match committed {
            Ok(()) => {
                log::debug!("log writer committed {} appends", batch.len());
                for job in batch {
                    let _ = job.done.send(Ok(()));
                }
            }
            Err(err) if batch.len() == 1 => {
                log::error!("log append failed: {err}");
                for job in batch {
                    let _ = job.done.send(Err(err.to_string()));
                }
            }
            Err(err) => {
                // One bad append must not fail the others: retry each on its own.
                log::warn!(
                    "group commit of {} appends failed ({err}); committing one by one",
                    batch.len()
                );
                for job in batch {
                    let result = commit(&db, &[&job.record]).await.map_err(|err| {
                        log::error!("log append failed: {err}");
                        err.to_string()
                    });
                    let _ = job.done.send(result);
                }
            }
        }
    }
}

async fn commit(db: &DatabaseConnection, records: &[&LogRecord]) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    write(&txn, records).await?;
    txn.commit().await
}

async fn write(txn: &DatabaseTransaction, records: &[&LogRecord]) -> Result<(), DbErr> {
    let mut applied = Vec::new();
    let mut rejected = Vec::new();
    let mut finished = Vec::new();
    for record in records {
        match record {
            LogRecord::Applied {
                room_id,
                player_id,
                seq,
                action_id,
                action_type,
                action_data,
                at,
                finish,
            } => {
                applied.push(game_action_log::ActiveModel {
                    room_id: Set(*room_id),
                    player_id: Set(Some(*player_id)),
                    sequence_number: Set(*seq),
                    action_id: Set(action_id.clone()),
                    action_type: Set(action_type.clone()),
                    action_data: Set(action_data.clone()),
                    created_at: Set(*at),
                    ..Default::default()
                });
                if let Some(finish) = finish {
                    finished.push((*room_id, finish.clone(), *at));
                }
            }
            LogRecord::Rejected {
                room_id,
                player_id,
                action_id,
                action_data,
                code,
                message,
                at,
            } => rejected.push(game_rejected_actions::ActiveModel {
                room_id: Set(*room_id),
                player_id: Set(*player_id),
                action_id: Set(action_id.clone()),
                action_data: Set(action_data.clone()),
                code: Set(code.clone()),
                message: Set(message.clone()),
                created_at: Set(*at),
                ..Default::default()
            }),
        }
    }
    if !applied.is_empty() {
        game_action_log::Entity::insert_many(applied)
            .exec(txn)
            .await?;
    }
    if !rejected.is_empty() {
        game_rejected_actions::Entity::insert_many(rejected)
            .exec(txn)
            .await?;
    }
    for (room_id, finish, at) in finished {
        rooms::Entity::update_many()
            .col_expr(rooms::Column::Status, Expr::value(RoomStatus::Finished))
            .col_expr(rooms::Column::WinnerSeat, Expr::value(finish.winner_seat))
            .col_expr(rooms::Column::EndReason, Expr::value(finish.reason))
            .col_expr(rooms::Column::FinishedAt, Expr::value(at))
            .col_expr(rooms::Column::UpdatedAt, Expr::value(at))
            .filter(rooms::Column::Id.eq(room_id))
            .exec(txn)
            .await?;
    }
    Ok(())
}
