//! Every row of the lifecycle table (module docs) on the pure core, with millisecond clocks and
//! no sleeps: the clock is the `now` each input is given.

use game::protocol::{
    AbandonOption, CloseCode, EndReason, ErrorCode, EventKind, PresenceState, RoomStatus,
    ServerMessage,
};
use game::{Ruleset, Seat};

use super::*;

mod interlude;

const A: Seat = Seat::FIRST;
const B: Seat = Seat::SECOND;
const ALICE: i64 = 10;
const BOB: i64 = 20;
const T: Timing = Timing {
    temporarily_ms: 100,
    abandon_ms: 300,
    return_ms: 600,
    unload_ms: 1_000,
    hand_break_ms: 5_000,
    max_rejections: 3,
};
const START: i64 = 1_000_000;

fn seat_row(seat: Seat, player_id: i64, name: &str, since: i64) -> StoredSeat {
    StoredSeat {
        seat,
        player_id,
        name: name.to_owned(),
        away: Some(StoredAway {
            since,
            reason: AwayReason::Joined,
            abandon_at: since + T.abandon_ms,
            return_by: since + T.return_ms,
            abandoned_at: None,
        }),
        left_at: None,
    }
}

fn stored(seats: Vec<StoredSeat>) -> StoredRoom {
    StoredRoom {
        id: 1,
        code: "ABC234".to_owned(),
        ruleset: Ruleset::default(),
        seed: 42,
        salt: Some("salt".to_owned()),
        closed: false,
        waited: false,
        seats,
        log: Vec::new(),
        rejected: Vec::new(),
        rematch: None,
    }
}

fn load(room: StoredRoom, now: i64) -> (RoomCore, Out) {
    RoomCore::load(room, T, now).expect("a valid room")
}

/// A waiting room: Alice in seat 0 on socket 1.
fn waiting() -> RoomCore {
    let (mut core, _) = load(stored(vec![seat_row(A, ALICE, "Alice", START)]), START);
    let out = core.attach(1, A, ALICE, 0, false, START + 1);
    assert_eq!(
        out.records(),
        [Record::Back {
            player_id: ALICE,
            wait_over: false
        }]
    );
    core
}

/// A running game: Alice on socket 1, Bob on socket 2.
fn playing() -> RoomCore {
    let (mut core, _) = load(
        stored(vec![
            seat_row(A, ALICE, "Alice", START),
            seat_row(B, BOB, "Bob", START),
        ]),
        START,
    );
    core.attach(1, A, ALICE, 0, false, START + 1);
    core.attach(2, B, BOB, 0, false, START + 2);
    assert_eq!(core.phase(), Phase::Playing);
    core
}

fn sent(out: &Out, conn: ConnId) -> Vec<ServerMessage> {
    out.all_effects()
        .filter_map(|e| match e {
            Effect::Send { conn: c, message } if *c == conn => Some(message.clone()),
            _ => None,
        })
        .collect()
}

fn closes(out: &Out) -> Vec<(ConnId, CloseCode)> {
    out.all_effects()
        .filter_map(|e| match e {
            Effect::Close { conn, code } => Some((*conn, *code)),
            _ => None,
        })
        .collect()
}

fn metrics(out: &Out) -> Vec<Metric> {
    out.all_effects()
        .filter_map(|e| match e {
            Effect::Metric(m) => Some(*m),
            _ => None,
        })
        .collect()
}

fn schedule(out: &Out) -> Option<Option<i64>> {
    out.all_effects().find_map(|e| match e {
        Effect::Schedule(at) => Some(*at),
        _ => None,
    })
}

fn unloads(out: &Out) -> bool {
    out.all_effects().any(|e| matches!(e, Effect::Unload))
}

/// The presence state of `seat` in a `presence` message sent to `conn`.
fn presence_seen(out: &Out, conn: ConnId, seat: Seat) -> Option<PresenceState> {
    sent(out, conn).iter().rev().find_map(|m| match m {
        ServerMessage::Presence { seats } => seats.iter().find(|s| s.seat == seat).map(|s| s.state),
        _ => None,
    })
}

fn error_code(message: &ServerMessage) -> Option<ErrorCode> {
    match message {
        ServerMessage::Error { code, .. } | ServerMessage::Rejected { code, .. } => Some(*code),
        _ => None,
    }
}

/// Plays the first legal move of whoever is to move.
fn play(core: &mut RoomCore, action_id: &str, now: i64) -> Out {
    let game = core.game().expect("a game");
    let seat = game.to_move;
    let mv = game.legal_moves(seat)[0].clone();
    let (conn, player_id) = if seat == A { (1, ALICE) } else { (2, BOB) };
    core.propose(
        Proposal {
            conn,
            seat,
            player_id,
            action_id: action_id.to_owned(),
            mv,
        },
        now,
    )
}

/// Bob's socket drops at `at`; returns its absence's out.
fn bob_drops(core: &mut RoomCore, at: i64) -> Out {
    core.detach(2, DetachReason::Dropped, at)
}

// --- welcome ----------------------------------------------------------------------------------

#[test]
fn welcome_tells_how_long_the_seat_is_kept_after_a_drop() {
    let mut core = playing();
    let out = core.attach(1, A, ALICE, 0, false, START + 3);
    match &sent(&out, 1)[0] {
        ServerMessage::Welcome { seat_kept_ms, .. } => {
            assert_eq!(*seat_kept_ms, T.return_ms as u64);
        }
        other => panic!("expected welcome, got {other:?}"),
    }
}

// --- join -------------------------------------------------------------------------------------

#[test]
fn join_takes_the_second_seat_after_its_commit_and_starts_the_game() {
    let mut core = waiting();
    let out = core.join("Bob".to_owned(), "nonce".to_owned(), START + 99, START + 10);
    assert!(out.reply.is_none(), "the reply waits for the commit");
    match out.records() {
        [Record::Joined {
            seat, name, away, ..
        }] => {
            assert_eq!((*seat, name.as_str()), (B, "Bob"));
            assert_eq!(away.reason, AwayReason::Joined);
            assert_eq!(away.return_by, START + 10 + T.return_ms);
        }
        other => panic!("expected a Joined record, got {other:?}"),
    }
    let again = core.join("Eve".to_owned(), "n2".to_owned(), START + 99, START + 11);
    assert_eq!(again.reply, Some(Reply::JoinRefused(ErrorCode::RoomFull)));
    let out = core.joined(BOB, START + 12);
    assert_eq!(out.reply, Some(Reply::Joined { player_id: BOB }));
    let to_alice = sent(&out, 1);
    assert!(matches!(to_alice[0], ServerMessage::PlayerJoined { seat, .. } if seat == B));
    assert!(
        matches!(&to_alice[1], ServerMessage::Welcome { view: Some(_), .. }),
        "{to_alice:?}"
    );
    assert_eq!(core.phase(), Phase::Playing);
    // Bob's first socket is not a reconnection.
    let out = core.attach(2, B, BOB, 0, false, START + 13);
    assert_eq!(
        out.records(),
        [Record::Back {
            player_id: BOB,
            wait_over: false
        }]
    );
    assert!(metrics(&out).is_empty(), "{:?}", metrics(&out));
    assert_eq!(presence_seen(&out, 1, B), Some(PresenceState::Connected));
}

#[test]
fn a_full_or_closed_room_refuses_to_join() {
    let mut core = playing();
    let out = core.join("Eve".to_owned(), "n".to_owned(), 0, START + 5);
    assert_eq!(out.reply, Some(Reply::JoinRefused(ErrorCode::RoomFull)));
    let mut core = waiting();
    core.leave(1, A, ALICE, START + 5);
    let out = core.join("Bob".to_owned(), "n".to_owned(), 0, START + 6);
    assert_eq!(out.reply, Some(Reply::JoinRefused(ErrorCode::RoomClosed)));
    assert!(out.records().is_empty());
}

// --- the deal commitment ----------------------------------------------------------------------

#[test]
fn every_welcome_commits_to_the_deal_and_only_the_end_reveals_it() {
    let mut core = playing();
    let out = core.attach(1, A, ALICE, 0, false, START + 5);
    let welcome = serde_json::to_string(&sent(&out, 1)[0]).expect("json");
    let commitment = game::fairness::commitment(42, "salt");
    assert!(welcome.contains(&commitment), "{welcome}");
    assert!(
        !welcome.contains("\"salt\""),
        "the salt stays secret: {welcome}"
    );
    bob_drops(&mut core, START + 10);
    let out = core.claim(Some(1), A, ALICE, START + 10 + T.abandon_ms);
    assert!(sent(&out, 1).iter().any(|m| matches!(
        m,
        ServerMessage::GameOver { deal: Some(deal), .. } if deal.seed == "42" && deal.salt == "salt"
    )));
}

// --- attach -----------------------------------------------------------------------------------

#[test]
fn a_returning_player_is_welcomed_after_the_back_record_and_the_opponent_told() {
    let mut core = playing();
    bob_drops(&mut core, START + 50);
    let out = core.attach(3, B, BOB, 0, false, START + 80);
    assert_eq!(
        out.records(),
        [Record::Back {
            player_id: BOB,
            wait_over: false
        }]
    );
    assert!(out
        .effects
        .iter()
        .all(|e| !matches!(e, Effect::Send { .. })));
    let to_bob = sent(&out, 3);
    assert!(matches!(to_bob[0], ServerMessage::Welcome { .. }));
    assert_eq!(presence_seen(&out, 1, B), Some(PresenceState::Connected));
    assert_eq!(
        metrics(&out),
        [
            Metric::ReconnectionAttempted,
            Metric::ReconnectionSucceeded { after_ms: 30 }
        ]
    );
}

#[test]
fn a_return_after_the_window_is_refused_as_expired() {
    let mut core = waiting();
    core.detach(1, DetachReason::Closed, START + 10);
    let out = core.attach(5, A, ALICE, 0, false, START + 10 + T.return_ms);
    assert_eq!(
        error_code(&sent(&out, 5)[0]),
        Some(ErrorCode::SessionExpired)
    );
    assert_eq!(closes(&out), [(5, CloseCode::SessionExpired)]);
}

#[test]
fn a_player_who_left_cannot_come_back() {
    let mut core = playing();
    core.leave(2, B, BOB, START + 20);
    let out = core.attach(3, B, BOB, 0, false, START + 30);
    assert_eq!(
        error_code(&sent(&out, 3)[0]),
        Some(ErrorCode::SessionRevoked)
    );
    assert_eq!(closes(&out), [(3, CloseCode::Left)]);
    assert!(out.records().is_empty());
}

#[test]
fn a_finished_room_tells_who_left_before_the_end() {
    let mut core = playing();
    core.leave(2, B, BOB, START + 20);
    assert!(core.facts().left.is_empty(), "only once the game is over");
    let out = core.claim(Some(1), A, ALICE, START + 30);
    assert!(matches!(out.reply, Some(Reply::Claimed(_))));
    let facts = core.facts();
    assert_eq!(facts.end_reason, Some(EndReason::VictoryClaimed));
    assert_eq!(facts.left, [B]);
}

#[test]
fn a_leave_after_the_end_is_not_why_the_game_ended() {
    let mut core = playing();
    let gone = START + 10;
    bob_drops(&mut core, gone);
    core.tick(gone + T.abandon_ms);
    core.claim(Some(1), A, ALICE, gone + T.abandon_ms + 1);
    // Bob comes back within the window, sees the result, and leaves the finished room.
    core.attach(3, B, BOB, 0, false, gone + T.abandon_ms + 2);
    core.leave(3, B, BOB, gone + T.abandon_ms + 3);
    assert!(matches!(core.presence_of(B), Presence::Left { .. }));
    let facts = core.facts();
    assert_eq!(facts.end_reason, Some(EndReason::VictoryClaimed));
    assert!(facts.left.is_empty(), "he was away, not gone by Leave");
}

#[test]
fn a_session_of_another_seat_is_turned_away() {
    let mut core = playing();
    let out = core.attach(9, B, ALICE, 0, false, START + 5);
    assert_eq!(closes(&out), [(9, CloseCode::RoomGone)]);
}

#[test]
fn hello_again_on_the_holding_socket_resends_the_state() {
    let mut core = playing();
    let out = core.attach(1, A, ALICE, 0, false, START + 5);
    assert!(out.records().is_empty());
    assert!(matches!(sent(&out, 1)[0], ServerMessage::Welcome { .. }));
}

#[test]
fn a_second_socket_waits_on_conflict_and_gets_the_seat_when_the_first_goes() {
    let mut core = playing();
    let out = core.attach(7, A, ALICE, 0, false, START + 5);
    assert!(matches!(sent(&out, 7)[0], ServerMessage::Conflict { .. }));
    assert!(closes(&out).is_empty());
    // Its moves are refused while it waits.
    let mv = core.game().expect("game").legal_moves(A)[0].clone();
    let out = core.propose(
        Proposal {
            conn: 7,
            seat: A,
            player_id: ALICE,
            action_id: "x".to_owned(),
            mv,
        },
        START + 6,
    );
    assert_eq!(
        error_code(&sent(&out, 7)[0]),
        Some(ErrorCode::SeatHeldElsewhere)
    );
    // The first socket closes (a reloaded tab): the waiting one holds the seat, no absence.
    let out = core.detach(1, DetachReason::Closed, START + 7);
    assert!(out.records().is_empty());
    assert!(matches!(sent(&out, 7)[0], ServerMessage::Welcome { .. }));
    assert_eq!(
        core.presence_of(A),
        Presence::Connected {
            conn: 7,
            healthy: true
        }
    );
}

#[test]
fn takeover_moves_the_seat_and_closes_the_old_socket() {
    let mut core = playing();
    core.attach(7, A, ALICE, 0, false, START + 5);
    let out = core.attach(7, A, ALICE, 0, true, START + 6);
    assert_eq!(sent(&out, 1), [ServerMessage::SessionMoved]);
    assert_eq!(closes(&out), [(1, CloseCode::SessionMoved)]);
    assert!(matches!(sent(&out, 7)[0], ServerMessage::Welcome { .. }));
    assert_eq!(metrics(&out), [Metric::Takeover]);
    assert!(out.records().is_empty(), "a takeover is not an absence");
    // The old socket's detach, when it comes, changes nothing.
    let out = core.detach(1, DetachReason::Closed, START + 7);
    assert!(out.records().is_empty());
    assert!(sent(&out, 2).is_empty());
}

#[test]
fn a_socket_reported_unhealthy_is_replaced_without_asking() {
    let mut core = playing();
    core.health(1, false, START + 5);
    let out = core.attach(7, A, ALICE, 0, false, START + 6);
    assert!(
        sent(&out, 1).is_empty(),
        "no session_moved to a silent socket"
    );
    assert_eq!(closes(&out), [(1, CloseCode::SessionMoved)]);
    assert!(matches!(sent(&out, 7)[0], ServerMessage::Welcome { .. }));
    // Healthy again: the next newcomer is asked.
    core.health(7, true, START + 7);
    let out = core.attach(8, A, ALICE, 0, false, START + 8);
    assert!(matches!(sent(&out, 8)[0], ServerMessage::Conflict { .. }));
}

// --- detach and presence ----------------------------------------------------------------------

#[test]
fn a_clean_close_shows_disconnected_and_a_drop_shows_reconnecting() {
    for (reason, stored, shown) in [
        (
            DetachReason::Closed,
            AwayReason::Closed,
            PresenceState::Disconnected,
        ),
        (
            DetachReason::Dropped,
            AwayReason::Dropped,
            PresenceState::Reconnecting,
        ),
        (
            DetachReason::Silent,
            AwayReason::Silent,
            PresenceState::Reconnecting,
        ),
    ] {
        let mut core = playing();
        let now = START + 40;
        let out = core.detach(2, reason, now);
        assert_eq!(
            out.records(),
            [Record::Away {
                player_id: BOB,
                away: AwayFields {
                    since: now,
                    reason: stored,
                    abandon_at: now + T.abandon_ms,
                    return_by: now + T.return_ms,
                },
            }]
        );
        assert_eq!(presence_seen(&out, 1, B), Some(shown), "{reason:?}");
        assert_eq!(schedule(&out), Some(Some(now + T.temporarily_ms)));
    }
}

#[test]
fn an_unknown_socket_going_away_changes_nothing() {
    let mut core = playing();
    let out = core.detach(99, DetachReason::Dropped, START + 5);
    assert_eq!(out, Out::none());
}

// --- moves ------------------------------------------------------------------------------------

#[test]
fn a_move_is_acknowledged_and_shown_only_after_its_commit() {
    let mut core = playing();
    let out = play(&mut core, "m1", START + 10);
    assert!(matches!(out.records(), [Record::Move { seq: 1, .. }]));
    assert!(out
        .effects
        .iter()
        .all(|e| !matches!(e, Effect::Send { .. })));
    let mover = if sent(&out, 1)
        .iter()
        .any(|m| matches!(m, ServerMessage::Ack { .. }))
    {
        1
    } else {
        2
    };
    assert!(matches!(
        &sent(&out, mover)[0],
        ServerMessage::Ack { seq: 1, action_id, .. } if action_id == "m1"
    ));
    for conn in [1, 2] {
        assert!(sent(&out, conn).iter().any(
            |m| matches!(m, ServerMessage::Event { seq: 1, kind, .. } if *kind != EventKind::Abandoned)
        ));
    }
    assert!(matches!(metrics(&out)[..], [Metric::MoveApplied(_)]));
}

#[test]
fn a_retry_is_answered_from_the_dedup_table_without_a_record() {
    let mut core = playing();
    let game = core.game().expect("game");
    let seat = game.to_move;
    let mv = game.legal_moves(seat)[0].clone();
    let (conn, player_id) = if seat == A { (1, ALICE) } else { (2, BOB) };
    let proposal = Proposal {
        conn,
        seat,
        player_id,
        action_id: "once".to_owned(),
        mv,
    };
    core.propose(proposal.clone(), START + 10);
    let out = core.propose(proposal, START + 11);
    assert!(out.records().is_empty());
    assert!(matches!(
        sent(&out, conn)[..],
        [ServerMessage::Ack { seq: 1, .. }]
    ));
    assert!(matches!(metrics(&out)[..], [Metric::MoveDuplicate(_)]));
}

#[test]
fn an_illegal_move_is_stored_then_refused_and_refused_again_verbatim() {
    let mut core = playing();
    let game = core.game().expect("game");
    let idle = game.to_move.other();
    let mv = game.legal_moves(game.to_move)[0].clone();
    let (conn, player_id) = if idle == A { (1, ALICE) } else { (2, BOB) };
    let proposal = Proposal {
        conn,
        seat: idle,
        player_id,
        action_id: "early".to_owned(),
        mv,
    };
    let out = core.propose(proposal.clone(), START + 10);
    assert!(matches!(
        out.records(),
        [Record::Rejection {
            code: ErrorCode::NotYourTurn,
            ..
        }]
    ));
    assert_eq!(
        error_code(&sent(&out, conn)[0]),
        Some(ErrorCode::NotYourTurn)
    );
    let out = core.propose(proposal, START + 11);
    assert!(out.records().is_empty());
    assert_eq!(
        error_code(&sent(&out, conn)[0]),
        Some(ErrorCode::NotYourTurn)
    );
}

/// A single-hand game played to its end: Alice on socket 1, Bob on socket 2. Returns the time
/// after the last move, and the last move's out.
pub(super) fn finished() -> (RoomCore, i64, Out) {
    let mut room = stored(vec![
        seat_row(A, ALICE, "Alice", START),
        seat_row(B, BOB, "Bob", START),
    ]);
    room.ruleset = Ruleset::with_variants(&["V-SINGLE-HAND".to_owned()]).expect("variant");
    let (mut core, _) = load(room, START);
    core.attach(1, A, ALICE, 0, false, START + 1);
    core.attach(2, B, BOB, 0, false, START + 2);
    let mut now = START + 10;
    loop {
        let out = play(&mut core, &format!("m{now}"), now);
        now += 1;
        if core.phase() == Phase::Over {
            return (core, now, out);
        }
        assert!(now < START + 200, "the hand never ended");
    }
}

#[test]
fn the_last_move_finishes_the_room_in_the_same_commit() {
    let (core, _, last) = finished();
    assert!(matches!(
        out_records_tail(&last),
        Some(Record::Finished {
            end: RoomEnd::Completed,
            ..
        })
    ));
    for conn in [1, 2] {
        assert!(sent(&last, conn).iter().any(|m| matches!(
            m,
            ServerMessage::GameOver {
                reason: EndReason::Completed,
                ..
            }
        )));
    }
    let facts = core.facts();
    assert_eq!(facts.status, RoomStatus::Finished);
    // A finished room tells its result, why it ended and its hands.
    assert_eq!(facts.end_reason, Some(EndReason::Completed));
    let result = facts.result.expect("a finished room has a result");
    assert_eq!(result.hands_played as usize, facts.hands.len());
    assert!(!facts.hands.is_empty());
}

fn out_records_tail(out: &Out) -> Option<&Record> {
    out.records().last()
}

// --- leave ------------------------------------------------------------------------------------

#[test]
fn leaving_a_running_game_lets_the_opponent_claim_at_once() {
    let mut core = playing();
    let now = START + 20;
    let out = core.leave(2, B, BOB, now);
    assert_eq!(
        out.records(),
        [Record::Left {
            player_id: BOB,
            at: now,
            return_by: now + T.return_ms
        }]
    );
    assert_eq!(sent(&out, 2), [ServerMessage::Left]);
    assert_eq!(closes(&out), [(2, CloseCode::Left)]);
    assert_eq!(presence_seen(&out, 1, B), Some(PresenceState::Left));
    assert!(sent(&out, 1).iter().any(|m| matches!(
        m,
        ServerMessage::Abandoned { options, .. } if options == &[AbandonOption::ClaimVictory]
    )));
    assert_eq!(metrics(&out), [Metric::GameAbandoned]);
    let out = core.claim(Some(1), A, ALICE, now + 1);
    assert!(matches!(out.reply, Some(Reply::Claimed(Claimed { winner, .. })) if winner == A));
}

#[test]
fn leaving_closes_every_socket_of_the_seat() {
    let mut core = playing();
    core.attach(7, B, BOB, 0, false, START + 5);
    let out = core.leave(7, B, BOB, START + 6);
    assert_eq!(sent(&out, 7), [ServerMessage::Left]);
    assert_eq!(closes(&out), [(7, CloseCode::Left), (2, CloseCode::Left)]);
}

#[test]
fn leaving_a_waiting_room_closes_it() {
    let mut core = waiting();
    let out = core.leave(1, A, ALICE, START + 5);
    assert!(matches!(
        out.records(),
        [
            Record::Left { .. },
            Record::Finished {
                end: RoomEnd::Abandoned,
                winner: None,
                ..
            }
        ]
    ));
    assert_eq!(core.phase(), Phase::Over);
    assert_eq!(core.facts().status, RoomStatus::Abandoned);
}

// --- abandonment, wait and claim --------------------------------------------------------------

#[test]
fn the_absence_is_announced_then_abandoned_and_the_opponent_offered_a_choice() {
    let mut core = playing();
    let gone = START + 10;
    let out = bob_drops(&mut core, gone);
    assert_eq!(schedule(&out), Some(Some(gone + T.temporarily_ms)));
    let out = core.tick(gone + T.temporarily_ms);
    assert_eq!(presence_seen(&out, 1, B), Some(PresenceState::Away));
    assert_eq!(schedule(&out), Some(Some(gone + T.abandon_ms)));
    assert!(out.records().is_empty());
    let out = core.tick(gone + T.abandon_ms);
    assert_eq!(
        out.records(),
        [Record::Abandoned {
            player_id: BOB,
            at: gone + T.abandon_ms
        }]
    );
    assert_eq!(metrics(&out), [Metric::GameAbandoned]);
    assert!(matches!(
        &sent(&out, 1)[..],
        [ServerMessage::Abandoned { options, waiting: false, return_by, .. }]
            if options == &[AbandonOption::Wait, AbandonOption::ClaimVictory]
                && *return_by == gone + T.return_ms
    ));
    // Recorded once: a later tick adds nothing.
    let out = core.tick(gone + T.abandon_ms + 5);
    assert!(out.records().is_empty());
}

#[test]
fn a_claim_is_refused_until_the_opponent_abandoned() {
    let mut core = playing();
    let out = core.claim(Some(1), A, ALICE, START + 5);
    assert_eq!(
        out.reply,
        Some(Reply::ClaimRefused(ErrorCode::ClaimTooEarly))
    );
    assert_eq!(
        error_code(&sent(&out, 1)[0]),
        Some(ErrorCode::ClaimTooEarly)
    );
    bob_drops(&mut core, START + 10);
    let out = core.claim(None, A, ALICE, START + 10 + T.abandon_ms - 1);
    assert_eq!(
        out.reply,
        Some(Reply::ClaimRefused(ErrorCode::ClaimTooEarly))
    );
    let out = core.claim(None, A, BOB, START + 10 + T.abandon_ms);
    assert_eq!(out.reply, Some(Reply::ClaimRefused(ErrorCode::NotSeated)));
    let out = core.claim(None, B, BOB, START + 10 + T.abandon_ms);
    assert_eq!(
        out.reply,
        Some(Reply::ClaimRefused(ErrorCode::ClaimTooEarly))
    );
    let mut core = waiting();
    let out = core.claim(Some(1), A, ALICE, START + 5);
    assert_eq!(
        out.reply,
        Some(Reply::ClaimRefused(ErrorCode::GameNotInPlay))
    );
}

#[test]
fn a_claim_ends_the_game_with_its_records_then_tells_both() {
    let mut core = playing();
    bob_drops(&mut core, START + 10);
    let now = START + 10 + T.abandon_ms;
    let out = core.claim(Some(1), A, ALICE, now);
    let records = out.records();
    // The abandonment is recorded in the same commit as the claim, even before any tick.
    assert!(matches!(
        records[0],
        Record::Abandoned { player_id: BOB, .. }
    ));
    assert!(matches!(
        records[1],
        Record::Claimed {
            seq: 1,
            player_id: ALICE,
            ..
        }
    ));
    assert!(matches!(
        records[2],
        Record::Finished {
            end: RoomEnd::VictoryClaimed,
            winner: Some(A),
            ..
        }
    ));
    let to_alice = sent(&out, 1);
    assert!(to_alice.iter().any(|m| matches!(
        m,
        ServerMessage::Event {
            kind: EventKind::VictoryClaimed,
            ..
        }
    )));
    assert!(to_alice.iter().any(|m| matches!(
        m,
        ServerMessage::GameOver {
            reason: EndReason::VictoryClaimed,
            ..
        }
    )));
    assert!(matches!(
        out.reply,
        Some(Reply::Claimed(Claimed { seq: 1, .. }))
    ));
    assert_eq!(core.facts().status, RoomStatus::Finished);
    // Bob comes back within the window and sees the result.
    let out = core.attach(3, B, BOB, 0, false, now + 10);
    assert!(sent(&out, 3).iter().any(|m| matches!(
        m,
        ServerMessage::GameOver {
            reason: EndReason::VictoryClaimed,
            ..
        }
    )));
}

#[test]
fn wait_is_answered_and_the_claim_stays_available() {
    let mut core = playing();
    let out = core.wait(1, A, ALICE, START + 5);
    assert_eq!(error_code(&sent(&out, 1)[0]), Some(ErrorCode::NotAbandoned));
    bob_drops(&mut core, START + 10);
    let now = START + 10 + T.abandon_ms;
    core.tick(now);
    let out = core.wait(1, A, ALICE, now + 1);
    assert_eq!(out.records(), [Record::Waited { at: now + 1 }]);
    assert!(matches!(
        &sent(&out, 1)[..],
        [ServerMessage::Abandoned { options, waiting: true, .. }]
            if options == &[AbandonOption::ClaimVictory]
    ));
    // A reconnect of the player who waited: the offer comes back with the welcome.
    core.detach(1, DetachReason::Dropped, now + 2);
    let out = core.attach(4, A, ALICE, 0, false, now + 3);
    assert!(sent(&out, 4)
        .iter()
        .any(|m| matches!(m, ServerMessage::Abandoned { waiting: true, .. })));
    let out = core.wait(4, A, ALICE, now + 4);
    assert!(out.records().is_empty(), "waiting is recorded once");
    let out = core.claim(Some(4), A, ALICE, now + 5);
    assert!(matches!(out.reply, Some(Reply::Claimed(_))));
}

#[test]
fn when_the_window_ends_after_wait_the_game_ends_and_the_player_who_stayed_wins() {
    let mut core = playing();
    let gone = START + 10;
    bob_drops(&mut core, gone);
    core.tick(gone + T.abandon_ms);
    core.wait(1, A, ALICE, gone + T.abandon_ms + 1);
    let out = core.tick(gone + T.return_ms);
    let records = out.records();
    assert!(matches!(
        records,
        [
            Record::Expired {
                seq: 1,
                player_id: BOB,
                winner: Some(A),
                ..
            },
            Record::Finished {
                end: RoomEnd::Abandoned,
                winner: Some(A),
                ..
            }
        ]
    ));
    let to_alice = sent(&out, 1);
    assert!(matches!(
        &to_alice[..],
        [
            ServerMessage::Event { kind: EventKind::Abandoned, summary, .. },
            ServerMessage::GameOver { reason: EndReason::Abandoned, result, deal: Some(deal) },
        ] if result.winner == Some(A) && summary == "Opponent did not come back: you win"
            && deal.seed == "42" && deal.salt == "salt"
    ));
    assert_eq!(core.facts().status, RoomStatus::Abandoned);
    assert_eq!(core.phase(), Phase::Over);
    let out = core.attach(3, B, BOB, 0, false, gone + T.return_ms + 1);
    assert_eq!(closes(&out), [(3, CloseCode::SessionExpired)]);
}

#[test]
fn a_deadline_passed_between_ticks_is_applied_before_the_next_input() {
    let mut core = playing();
    let gone = START + 10;
    bob_drops(&mut core, gone);
    // No tick at all: Alice's next message finds the game already over.
    let out = core.attach(1, A, ALICE, 0, false, gone + T.return_ms + 50);
    assert!(matches!(out.records()[1], Record::Expired { .. }));
    assert!(sent(&out, 1).iter().any(|m| matches!(
        m,
        ServerMessage::GameOver {
            reason: EndReason::Abandoned,
            ..
        }
    )));
}

#[test]
fn when_both_abandoned_nobody_wins() {
    let mut core = playing();
    core.detach(1, DetachReason::Closed, START + 10);
    core.detach(2, DetachReason::Closed, START + 20);
    let out = core.tick(START + 10 + T.return_ms);
    assert!(matches!(
        out.records(),
        [
            Record::Abandoned {
                player_id: ALICE,
                ..
            },
            Record::Abandoned { player_id: BOB, .. },
            Record::Expired {
                player_id: ALICE,
                winner: None,
                ..
            },
            Record::Finished { winner: None, .. }
        ]
    ));
}

#[test]
fn a_waiting_room_whose_creator_never_returns_closes() {
    let mut core = waiting();
    core.detach(1, DetachReason::Closed, START + 10);
    let out = core.tick(START + 10 + T.return_ms);
    assert!(matches!(
        out.records(),
        [Record::Finished {
            end: RoomEnd::Abandoned,
            winner: None,
            ..
        }]
    ));
    assert_eq!(core.facts().status, RoomStatus::Abandoned);
}

// --- memory -----------------------------------------------------------------------------------

#[test]
fn a_room_nobody_holds_unloads_after_the_idle_time() {
    let mut core = playing();
    core.detach(1, DetachReason::Closed, START + 10);
    let out = core.detach(2, DetachReason::Closed, START + 20);
    assert!(!unloads(&out));
    let out = core.tick(START + 20 + T.unload_ms);
    assert!(unloads(&out));
}

#[test]
fn a_failed_commit_closes_every_socket_for_a_reload() {
    let mut core = playing();
    core.attach(7, B, BOB, 0, false, START + 5);
    let out = core.commit_failed();
    assert_eq!(
        closes(&out),
        [
            (1, CloseCode::RoomReloading),
            (2, CloseCode::RoomReloading),
            (7, CloseCode::RoomReloading)
        ]
    );
    assert!(unloads(&out));
}

// --- load -------------------------------------------------------------------------------------

#[test]
fn a_loaded_room_keeps_its_stored_deadlines_and_decisions() {
    let gone = START + 10;
    let mut bob = seat_row(B, BOB, "Bob", gone);
    bob.away = Some(StoredAway {
        since: gone,
        reason: AwayReason::Dropped,
        abandon_at: gone + T.abandon_ms,
        return_by: gone + T.return_ms,
        abandoned_at: Some(gone + T.abandon_ms),
    });
    let mut alice = seat_row(A, ALICE, "Alice", START);
    alice.away = None;
    let mut room = stored(vec![alice, bob]);
    room.waited = true;
    // Loaded long after Bob left, with other durations configured: the stored ones count.
    let now = gone + T.abandon_ms + 100;
    let (mut core, out) = RoomCore::load(
        room,
        Timing {
            return_ms: 60_000,
            ..T
        },
        now,
    )
    .expect("load");
    // Alice was connected when the server stopped: away from now, and recorded.
    assert!(matches!(
        out.records(),
        [Record::Away { player_id: ALICE, away }] if away.since == now
    ));
    assert_eq!(schedule(&out), Some(Some(now + T.temporarily_ms)));
    let out = core.attach(1, A, ALICE, 0, false, now + 1);
    assert!(sent(&out, 1)
        .iter()
        .any(|m| matches!(m, ServerMessage::Abandoned { waiting: true, .. })));
    assert!(
        !out.records()
            .iter()
            .any(|r| matches!(r, Record::Abandoned { .. })),
        "the abandonment was recorded before the restart"
    );
    let out = core.tick(gone + T.return_ms);
    assert!(matches!(
        out.records()[0],
        Record::Expired {
            winner: Some(A),
            ..
        }
    ));
}

#[test]
fn a_loaded_log_replays_and_answers_retries() {
    let mut core = playing();
    let out = play(&mut core, "m1", START + 10);
    let Some(Record::Move { mv, player_id, .. }) = out.records().first().cloned() else {
        panic!("a move record");
    };
    let mut room = stored(vec![
        seat_row(A, ALICE, "Alice", START),
        seat_row(B, BOB, "Bob", START),
    ]);
    room.log.push(StoredEntry {
        seq: 1,
        player_id: Some(player_id),
        action_id: "m1".to_owned(),
        kind: mv.kind().into(),
        data: serde_json::to_value(&mv).expect("json"),
        winner: None,
        at: START + 10,
    });
    let (mut reloaded, _) = load(room, START + 20);
    assert_eq!(reloaded.game(), core.game());
    let seat = if player_id == ALICE { A } else { B };
    let conn = if seat == A { 1 } else { 2 };
    reloaded.attach(conn, seat, player_id, 1, false, START + 21);
    let out = reloaded.propose(
        Proposal {
            conn,
            seat,
            player_id,
            action_id: "m1".to_owned(),
            mv,
        },
        START + 22,
    );
    assert!(out.records().is_empty());
    assert!(matches!(
        sent(&out, conn)[..],
        [ServerMessage::Ack { seq: 1, .. }]
    ));
}

#[test]
fn a_log_with_a_gap_does_not_load() {
    let mut room = stored(vec![
        seat_row(A, ALICE, "Alice", START),
        seat_row(B, BOB, "Bob", START),
    ]);
    room.log.push(StoredEntry {
        seq: 2,
        player_id: Some(ALICE),
        action_id: "x".to_owned(),
        kind: EventKind::Trail,
        data: serde_json::Value::Null,
        winner: None,
        at: START,
    });
    let err = RoomCore::load(room, T, START).expect_err("a gap");
    assert!(err.contains("gap"), "{err}");
}

#[test]
fn the_wait_ends_when_the_absent_player_returns() {
    let mut core = playing();
    bob_drops(&mut core, START + 10);
    let now = START + 10 + T.abandon_ms;
    core.wait(1, A, ALICE, now);
    let out = core.attach(3, B, BOB, 0, false, now + 5);
    assert_eq!(
        out.records(),
        [Record::Back {
            player_id: BOB,
            wait_over: true
        }]
    );
    assert_eq!(presence_seen(&out, 1, B), Some(PresenceState::Connected));
    // A later absence is a new one: the player who stays is asked again.
    bob_drops_on(&mut core, 3, now + 10);
    let out = core.tick(now + 10 + T.abandon_ms);
    assert!(sent(&out, 1).iter().any(|m| matches!(
        m,
        ServerMessage::Abandoned { waiting: false, options, .. } if options.len() == 2
    )));
}

fn bob_drops_on(core: &mut RoomCore, conn: ConnId, at: i64) -> Out {
    core.detach(conn, DetachReason::Dropped, at)
}
