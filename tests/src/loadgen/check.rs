//! The consistency check: every acknowledged move is in the server's log exactly once, at its
//! seq, and each room's log replays (seed + ruleset + moves, as `GameLog::replay` in
//! server/src/room/game_log.rs rebuilds a room) to the final view each of its two bots saw.

use std::collections::HashMap;

use anyhow::{anyhow, Context};
use entity::{game_action_log, players, rooms};
use game::{GameState, Move, Ruleset, Seat};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

use super::bot::BotOutcome;

/// The server's first dealer (server/src/room/game_log.rs `FIRST_DEALER`, docs/API.md:
/// "seat 1 deals the first hand").
const FIRST_DEALER: Seat = Seat::SECOND;

/// One room played, with what its bots ended with.
pub struct RoomRecord {
    /// Room code.
    pub code: String,
    /// Both bots.
    pub bots: Vec<BotOutcome>,
}

/// The check's findings.
#[derive(Default)]
pub struct CheckReport {
    /// Rooms checked.
    pub rooms: u64,
    /// Log rows read.
    pub log_rows: u64,
    /// Acknowledged moves found in the log at their seq, exactly once.
    pub acked_found: u64,
    /// Log rows no bot saw acknowledged (a run stopped mid-flight would show some; informative).
    pub logged_not_acked: u64,
    /// Views compared with the replay.
    pub views_compared: u64,
    /// What went wrong (empty = passed).
    pub failures: Vec<String>,
}

impl CheckReport {
    /// Whether everything matched.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// As JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "passed": self.passed(),
            "rooms": self.rooms,
            "log_rows": self.log_rows,
            "acked_found_once": self.acked_found,
            "logged_not_acked": self.logged_not_acked,
            "views_compared": self.views_compared,
            "failures": self.failures,
        })
    }
}

/// Checks every room against the database at `url`.
pub async fn check(url: &str, records: &[RoomRecord]) -> anyhow::Result<CheckReport> {
    let db = migration::connect(url)
        .await
        .with_context(|| format!("connect to {}", migration::redact_url(url)))?;
    let mut report = CheckReport::default();
    for record in records {
        if let Err(err) = check_room(&db, record, &mut report).await {
            report
                .failures
                .push(format!("room {}: cannot check: {err:#}", record.code));
        }
        report.rooms += 1;
    }
    Ok(report)
}

async fn check_room(
    db: &DatabaseConnection,
    record: &RoomRecord,
    report: &mut CheckReport,
) -> anyhow::Result<()> {
    let code = &record.code;
    let fail = |what: String| report_failure(code, what);
    let room = rooms::Entity::find()
        .filter(rooms::Column::Code.eq(code.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| anyhow!("not in the database"))?;
    let seats: HashMap<i64, i16> = players::Entity::find()
        .filter(players::Column::RoomId.eq(room.id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.seat))
        .collect();
    let log = game_action_log::Entity::find()
        .filter(game_action_log::Column::RoomId.eq(room.id))
        .order_by_asc(game_action_log::Column::SequenceNumber)
        .all(db)
        .await?;
    report.log_rows += log.len() as u64;
    let mut failures = Vec::new();

    // The log: seq 1..n without gaps, each action_id once.
    let mut by_action: HashMap<&str, Vec<&game_action_log::Model>> = HashMap::new();
    for (index, row) in log.iter().enumerate() {
        if row.sequence_number != index as i64 + 1 {
            failures.push(fail(format!(
                "log row {} has sequence {}",
                index + 1,
                row.sequence_number
            )));
        }
        by_action
            .entry(row.action_id.as_str())
            .or_default()
            .push(row);
    }
    for (action_id, rows) in &by_action {
        if rows.len() != 1 {
            failures.push(fail(format!(
                "action {action_id} is logged {} times",
                rows.len()
            )));
        }
    }

    // Every ack: exactly once, at its seq, for the bot's seat.
    let mut acked_ids = 0u64;
    for bot in &record.bots {
        for (action_id, seq) in &bot.acked {
            acked_ids += 1;
            match by_action.get(action_id.as_str()).map(Vec::as_slice) {
                Some([row]) => {
                    let seat = row.player_id.and_then(|id| seats.get(&id)).copied();
                    if row.sequence_number as u64 != *seq {
                        failures.push(fail(format!(
                            "action {action_id} acked at {seq}, logged at {}",
                            row.sequence_number
                        )));
                    } else if seat != Some(i16::from(bot.seat)) {
                        failures.push(fail(format!(
                            "action {action_id} of seat {} logged for seat {seat:?}",
                            bot.seat
                        )));
                    } else {
                        report.acked_found += 1;
                    }
                }
                Some(_) => {} // reported above
                None => failures.push(fail(format!("acked action {action_id} is not logged"))),
            }
        }
    }
    report.logged_not_acked += (log.len() as u64).saturating_sub(acked_ids);

    // Replay and compare with the final views.
    let ruleset: Ruleset = serde_json::from_value(room.ruleset.clone()).context("ruleset")?;
    let mut moves = Vec::with_capacity(log.len());
    for row in &log {
        let seat = row
            .player_id
            .and_then(|id| seats.get(&id))
            .and_then(|s| u8::try_from(*s).ok())
            .and_then(|s| Seat::try_from(s).ok())
            .ok_or_else(|| anyhow!("log row {} has no seat", row.sequence_number))?;
        let mv: Move = serde_json::from_value(row.action_data.clone())
            .with_context(|| format!("log row {}", row.sequence_number))?;
        moves.push((seat, mv));
    }
    let seats_present = seats.len() == 2;
    if seats_present {
        match GameState::replay(
            room.deal_seed as u64,
            FIRST_DEALER,
            ruleset,
            moves.iter().map(|(s, m)| (*s, m)),
        ) {
            Err(err) => failures.push(fail(format!("log does not replay: {err}"))),
            Ok(state) => {
                for bot in &record.bots {
                    if bot.failed.is_some() {
                        continue;
                    }
                    if bot.final_seq != log.len() as u64 {
                        failures.push(fail(format!(
                            "seat {} ended at seq {}, the log has {} rows",
                            bot.seat,
                            bot.final_seq,
                            log.len()
                        )));
                    }
                    let Ok(seat) = Seat::try_from(bot.seat) else {
                        continue;
                    };
                    let mut replayed = state.view(seat);
                    if bot.final_view.as_ref().is_some_and(|v| v.to_move.is_none())
                        && between_hands(&replayed)
                    {
                        // The bot stopped during the break after a hand: nobody is to move
                        // then, which the log (of moves only) does not say.
                        replayed.to_move = None;
                    }
                    match &bot.final_view {
                        Some(view) if *view == replayed => report.views_compared += 1,
                        Some(view) => failures.push(fail(format!(
                            "seat {} view differs from the replay: hand {:?} vs {:?}, table {:?} vs {:?}, scores {:?} vs {:?}, to_move {:?} vs {:?}",
                            bot.seat, view.hand, replayed.hand, view.table.loose, replayed.table.loose,
                            view.scores, replayed.scores, view.to_move, replayed.to_move
                        ))),
                        None => failures.push(fail(format!("seat {} saw no view", bot.seat))),
                    }
                }
            }
        }
    }
    for bot in &record.bots {
        if let Some(err) = &bot.failed {
            failures.push(fail(format!("seat {} bot failed: {err}", bot.seat)));
        }
    }
    report.failures.extend(failures);
    Ok(())
}

fn report_failure(code: &str, what: String) -> String {
    format!("room {code}: {what}")
}

/// Whether `view` is of a hand that was dealt and not played yet: after the break of the hand
/// before, nobody is to move until both players are ready.
fn between_hands(view: &game::PlayerView) -> bool {
    view.result.is_none()
        && view.hand_number > 1
        && view.deal_number == 1
        && view.captured_counts == [0, 0]
        && view.hand.len() == 4
        && view.opponent_hand_count == 4
}
