//! The group-commit log writer: the one write path of every room. One task takes appends (each
//! a room's records, in the room's order) from every room through a bounded queue, commits
//! whatever has piled up in one transaction, then answers each room. A room does nothing else
//! until its answer, so "ack" means "durable" (DESIGN principle 3) and a room's records commit
//! in its order, while a busy server pays one commit (one fsync) for many rooms.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use entity::rooms::{self, AbandonmentDecision, EndReason, RoomStatus};
use entity::{game_action_log, game_rejected_actions, game_sessions, players};
use game::protocol::EventKind;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, Set, TransactionTrait,
};
use tokio::sync::{mpsc, oneshot};

use super::StoreError;
use crate::clock::from_ms;
use crate::metrics::Metrics;
use crate::room::{AwayFields, Record, RoomEnd};

/// What a commit answers a room.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Receipt {
    /// The id of the player a `Joined` record seated.
    pub player_id: Option<i64>,
}

struct Job {
    room_id: i64,
    /// The room's lease (code, epoch) when several nodes share the database: the append
    /// commits only while the lease is still this node's at that epoch.
    lease: Option<(String, i64)>,
    records: Vec<Record>,
    done: oneshot::Sender<Result<Receipt, String>>,
}

/// Handle to the writer task; cheap to clone, one per server.
#[derive(Clone)]
pub struct LogWriter {
    queue: mpsc::Sender<Job>,
    /// The writer's own thread: it keeps committing while the rooms' threads decide moves.
    _thread: actix::ArbiterHandle,
}

impl LogWriter {
    /// Starts the writer on an arbiter (thread) of its own, in the current actix system, with a
    /// queue of `queue` appends and at most `max_batch` appends per transaction. `node` names
    /// the node whose room leases fence the appends (several nodes on PostgreSQL); it counts
    /// its batches and fenced appends in `metrics`.
    pub fn start(
        db: DatabaseConnection,
        queue: usize,
        max_batch: usize,
        node: Option<String>,
        metrics: Arc<Metrics>,
    ) -> Self {
        let (tx, rx) = mpsc::channel(queue.max(1));
        let thread = actix::Arbiter::new().handle();
        thread.spawn(run(db, node, rx, max_batch.max(1), metrics));
        Self {
            queue: tx,
            _thread: thread,
        }
    }

    /// Commits `records` of room `room_id`, all or none, and returns once they are durable;
    /// with a `lease` (room code, epoch), only while that lease is still this node's. A full
    /// queue makes the caller wait (backpressure), never grows memory.
    pub async fn append(
        &self,
        room_id: i64,
        lease: Option<(String, i64)>,
        records: Vec<Record>,
    ) -> Result<Receipt, StoreError> {
        let (done, answer) = oneshot::channel();
        self.queue
            .send(Job {
                room_id,
                lease,
                records,
                done,
            })
            .await
            .map_err(|_| StoreError::WriterGone)?;
        match answer.await {
            Ok(Ok(receipt)) => Ok(receipt),
            Ok(Err(message)) => Err(StoreError::Db(DbErr::Custom(message))),
            Err(_) => Err(StoreError::WriterGone),
        }
    }
}

/// What an append that lost its lease is answered.
pub const FENCED: &str = "the room's lease passed to another node; the append was not written";

async fn run(
    db: DatabaseConnection,
    node: Option<String>,
    mut rx: mpsc::Receiver<Job>,
    max_batch: usize,
    metrics: Arc<Metrics>,
) {
    let node = node.as_deref();
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < max_batch {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let started = std::time::Instant::now();
        let jobs: Vec<&Job> = batch.iter().collect();
        let committed = commit(&db, node, &jobs).await;
        metrics
            .log_commit_duration
            .observe(started.elapsed().as_secs_f64());
        metrics.log_batch_size.observe(batch.len() as f64);
        match committed {
            Ok(receipts) => {
                log::debug!("log writer committed {} appends", batch.len());
                for (job, receipt) in batch.into_iter().zip(receipts) {
                    let _ = job.done.send(receipt.ok_or_else(|| fenced(&metrics)));
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
                    let result = match commit(&db, node, &[&job]).await {
                        Ok(receipts) => receipts
                            .first()
                            .copied()
                            .flatten()
                            .ok_or_else(|| fenced(&metrics)),
                        Err(err) => {
                            log::error!("log append failed: {err}");
                            Err(err.to_string())
                        }
                    };
                    let _ = job.done.send(result);
                }
            }
        }
    }
}

fn fenced(metrics: &Metrics) -> String {
    metrics.fenced_appends.inc();
    FENCED.to_owned()
}

/// Commits the jobs whose lease still holds in one transaction; `None` for a fenced job.
async fn commit(
    db: &DatabaseConnection,
    node: Option<&str>,
    jobs: &[&Job],
) -> Result<Vec<Option<Receipt>>, DbErr> {
    let txn = db.begin().await?;
    let held = match node {
        Some(node) => {
            let claims: Vec<(&str, i64)> = jobs
                .iter()
                .filter_map(|job| job.lease.as_ref().map(|(code, e)| (code.as_str(), *e)))
                .collect();
            let mut held = super::leases::fence(&txn, node, &claims).await?.into_iter();
            jobs.iter()
                .map(|job| job.lease.is_none() || held.next().unwrap_or(false))
                .collect()
        }
        None => vec![true; jobs.len()],
    };
    let live: Vec<&Job> = jobs
        .iter()
        .zip(&held)
        .filter(|(_, held)| **held)
        .map(|(job, _)| *job)
        .collect();
    let mut receipts = write(&txn, &live).await?.into_iter();
    txn.commit().await?;
    Ok(held
        .into_iter()
        .map(|held| if held { receipts.next() } else { None })
        .collect())
}

/// Writes every job. A room has at most one append in flight, so a batch holds at most one job
/// per room: log rows of all jobs go in one multi-row insert each, then every other record in
/// its job's order.
async fn write(txn: &DatabaseTransaction, jobs: &[&Job]) -> Result<Vec<Receipt>, DbErr> {
    let mut entries = Vec::new();
    let mut rejections = Vec::new();
    for job in jobs {
        for record in &job.records {
            if let Some(row) = log_row(job.room_id, record) {
                entries.push(row);
            }
            if let Record::Rejection {
                player_id,
                action_id,
                mv,
                code,
                message,
                at,
            } = record
            {
                rejections.push(game_rejected_actions::ActiveModel {
                    room_id: Set(job.room_id),
                    player_id: Set(*player_id),
                    action_id: Set(action_id.clone()),
                    action_data: Set(serde_json::to_value(mv).map_err(json_error)?),
                    code: Set(code.as_str().to_owned()),
                    message: Set(message.clone()),
                    created_at: Set(from_ms(*at)),
                    ..Default::default()
                });
            }
        }
    }
    if !entries.is_empty() {
        game_action_log::Entity::insert_many(entries)
            .exec_without_returning(txn)
            .await?;
    }
    if !rejections.is_empty() {
        game_rejected_actions::Entity::insert_many(rejections)
            .exec_without_returning(txn)
            .await?;
    }
    let mut receipts = Vec::with_capacity(jobs.len());
    for job in jobs {
        let mut receipt = Receipt::default();
        for record in &job.records {
            if let Some(id) = apply(txn, job.room_id, record).await? {
                receipt.player_id = Some(id);
            }
        }
        receipts.push(receipt);
    }
    Ok(receipts)
}

fn json_error(err: serde_json::Error) -> DbErr {
    DbErr::Custom(format!("record does not serialize: {err}"))
}

/// The action log row of an entry record (a move, a claim, an expiry).
fn log_row(room_id: i64, record: &Record) -> Option<game_action_log::ActiveModel> {
    let (seq, player_id, action_id, data, at) = match record {
        Record::Move {
            seq,
            player_id,
            action_id,
            mv,
            at,
        } => (
            *seq,
            *player_id,
            action_id.clone(),
            serde_json::to_value(mv).ok()?,
            *at,
        ),
        Record::Claimed { seq, player_id, at } => (
            *seq,
            *player_id,
            Record::system_action_id(EventKind::VictoryClaimed, *seq),
            serde_json::json!({ "type": EventKind::VictoryClaimed }),
            *at,
        ),
        Record::Expired {
            seq,
            player_id,
            winner,
            at,
        } => (
            *seq,
            *player_id,
            Record::system_action_id(EventKind::Abandoned, *seq),
            serde_json::json!({ "type": EventKind::Abandoned, "winner": winner }),
            *at,
        ),
        _ => return None,
    };
    let kind = record.event_kind()?;
    Some(game_action_log::ActiveModel {
        room_id: Set(room_id),
        player_id: Set(Some(player_id)),
        sequence_number: Set(i64::try_from(seq).ok()?),
        action_id: Set(action_id),
        action_type: Set(kind.as_str().to_owned()),
        action_data: Set(data),
        created_at: Set(from_ms(at)),
    })
}

/// The presence columns of a seat away (or back, with `None`).
fn set_away(
    update: sea_orm::UpdateMany<players::Entity>,
    away: Option<&AwayFields>,
) -> sea_orm::UpdateMany<players::Entity> {
    let at = |ms: Option<i64>| Expr::value(ms.map(from_ms));
    update
        .col_expr(players::Column::DisconnectedAt, at(away.map(|a| a.since)))
        .col_expr(
            players::Column::AwayReason,
            Expr::value(away.map(|a| a.reason.as_str().to_owned())),
        )
        .col_expr(
            players::Column::AbandonDeadline,
            at(away.map(|a| a.abandon_at)),
        )
        .col_expr(
            players::Column::ReturnDeadline,
            at(away.map(|a| a.return_by)),
        )
        .col_expr(players::Column::AbandonedAt, at(None))
}

fn room_update(room_id: i64, at: DateTime<Utc>) -> sea_orm::UpdateMany<rooms::Entity> {
    rooms::Entity::update_many()
        .col_expr(rooms::Column::UpdatedAt, Expr::value(at))
        .filter(rooms::Column::Id.eq(room_id))
}

/// Writes one record other than a log or rejection row; returns a seated player's new id.
async fn apply(
    txn: &DatabaseTransaction,
    room_id: i64,
    record: &Record,
) -> Result<Option<i64>, DbErr> {
    match record {
        Record::Move { .. }
        | Record::Rejection { .. }
        | Record::Claimed { .. }
        | Record::Expired { .. } => {}
        Record::Joined {
            seat,
            name,
            nonce,
            at,
            expires_at,
            away,
        } => {
            let at = from_ms(*at);
            let player = players::ActiveModel {
                room_id: Set(room_id),
                seat: Set(i16::from(u8::from(*seat))),
                name: Set(name.clone()),
                joined_at: Set(at),
                disconnected_at: Set(Some(from_ms(away.since))),
                away_reason: Set(Some(away.reason.as_str().to_owned())),
                abandon_deadline: Set(Some(from_ms(away.abandon_at))),
                return_deadline: Set(Some(from_ms(away.return_by))),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            super::sessions::insert(txn, room_id, player.id, nonce, at, from_ms(*expires_at))
                .await
                .map_err(|err| DbErr::Custom(err.to_string()))?;
            room_update(room_id, at)
                .col_expr(rooms::Column::Status, Expr::value(RoomStatus::Playing))
                .exec(txn)
                .await?;
            return Ok(Some(player.id));
        }
        Record::Away { player_id, away } => {
            set_away(players::Entity::update_many(), Some(away))
                .filter(players::Column::Id.eq(*player_id))
                .exec(txn)
                .await?;
        }
        Record::Back {
            player_id,
            wait_over,
        } => {
            set_away(players::Entity::update_many(), None)
                .filter(players::Column::Id.eq(*player_id))
                .exec(txn)
                .await?;
            if *wait_over {
                rooms::Entity::update_many()
                    .col_expr(
                        rooms::Column::AbandonmentDecision,
                        Expr::value(Option::<AbandonmentDecision>::None),
                    )
                    .col_expr(
                        rooms::Column::AbandonmentDecidedAt,
                        Expr::value(Option::<DateTime<Utc>>::None),
                    )
                    .filter(rooms::Column::Id.eq(room_id))
                    .exec(txn)
                    .await?;
            }
        }
        Record::Left {
            player_id,
            at,
            return_by,
        } => {
            let at = from_ms(*at);
            players::Entity::update_many()
                .col_expr(players::Column::LeftAt, Expr::value(at))
                .col_expr(players::Column::DisconnectedAt, Expr::value(at))
                .col_expr(players::Column::AbandonDeadline, Expr::value(at))
                .col_expr(players::Column::AbandonedAt, Expr::value(at))
                .col_expr(
                    players::Column::ReturnDeadline,
                    Expr::value(from_ms(*return_by)),
                )
                .filter(players::Column::Id.eq(*player_id))
                .exec(txn)
                .await?;
            game_sessions::Entity::update_many()
                .col_expr(game_sessions::Column::IsActive, Expr::value(false))
                .col_expr(game_sessions::Column::RevokedAt, Expr::value(at))
                .filter(game_sessions::Column::PlayerId.eq(*player_id))
                .exec(txn)
                .await?;
        }
        Record::Abandoned { player_id, at } => {
            players::Entity::update_many()
                .col_expr(players::Column::AbandonedAt, Expr::value(from_ms(*at)))
                .filter(players::Column::Id.eq(*player_id))
                .exec(txn)
                .await?;
        }
        Record::Waited { at } => {
            let at = from_ms(*at);
            room_update(room_id, at)
                .col_expr(
                    rooms::Column::AbandonmentDecision,
                    Expr::value(AbandonmentDecision::Wait),
                )
                .col_expr(rooms::Column::AbandonmentDecidedAt, Expr::value(at))
                .exec(txn)
                .await?;
        }
        Record::Finished { end, winner, at } => {
            let at = from_ms(*at);
            let (status, reason) = match end {
                RoomEnd::Completed => (RoomStatus::Finished, EndReason::Completed),
                RoomEnd::VictoryClaimed => (RoomStatus::Finished, EndReason::VictoryClaimed),
                RoomEnd::Abandoned => (RoomStatus::Abandoned, EndReason::Abandoned),
            };
            room_update(room_id, at)
                .col_expr(rooms::Column::Status, Expr::value(status))
                .col_expr(
                    rooms::Column::WinnerSeat,
                    Expr::value(winner.map(|s| i16::from(u8::from(s)))),
                )
                .col_expr(rooms::Column::EndReason, Expr::value(reason))
                .col_expr(rooms::Column::FinishedAt, Expr::value(at))
                .exec(txn)
                .await?;
        }
    }
    Ok(None)
}
