//! Between hands and after the game (`interlude.rs`): the break after a hand and the rematch,
//! with the same millisecond clocks as the lifecycle table's tests.

use super::*;

/// Plays from `now` (1 ms a move) until hand 1 of a game to 21 ends; returns the last move's out,
/// the time after it, and every record.
fn play_first_hand(core: &mut RoomCore, mut now: i64) -> (Out, i64, Vec<Record>) {
    let mut records = Vec::new();
    loop {
        let out = play(core, &format!("m{now}"), now);
        records.extend(out.records().iter().cloned());
        now += 1;
        if core.game().is_some_and(|g| g.hand_number == 2) {
            return (out, now, records);
        }
        assert!(now < START + 500, "the hand never ended");
    }
}

/// The stored log of these records' moves.
fn entries(records: &[Record]) -> Vec<StoredEntry> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Move {
                seq,
                player_id,
                action_id,
                mv,
                at,
            } => Some(StoredEntry {
                seq: *seq,
                player_id: Some(*player_id),
                action_id: action_id.clone(),
                kind: mv.kind().into(),
                data: serde_json::to_value(mv).expect("json"),
                winner: None,
                at: *at,
            }),
            _ => None,
        })
        .collect()
}

fn hand_break(out: &Out, conn: ConnId) -> Option<(u32, Vec<Seat>, i64)> {
    sent(out, conn).into_iter().rev().find_map(|m| match m {
        ServerMessage::HandBreak {
            hand,
            ready,
            next_hand_at,
        } => Some((hand, ready, next_hand_at)),
        _ => None,
    })
}

fn hand_started(out: &Out, conn: ConnId) -> Option<(u32, Option<Seat>)> {
    sent(out, conn).into_iter().find_map(|m| match m {
        ServerMessage::HandStarted { hand, view } => Some((hand, view.to_move)),
        _ => None,
    })
}

/// Proposes the first legal move of the seat the game has to move (even during a break).
fn propose_next(core: &mut RoomCore, action_id: &str, now: i64) -> (ConnId, Out) {
    let game = core.game().expect("a game");
    let seat = game.to_move;
    let mv = game.legal_moves(seat)[0].clone();
    let (conn, player_id) = if seat == A { (1, ALICE) } else { (2, BOB) };
    let out = core.propose(
        Proposal {
            conn,
            seat,
            player_id,
            action_id: action_id.to_owned(),
            mv,
        },
        now,
    );
    (conn, out)
}

#[test]
fn after_a_hand_nobody_moves_until_both_players_are_ready() {
    let mut core = playing();
    let (last, now, records) = play_first_hand(&mut core, START + 10);
    for conn in [1, 2] {
        let messages = sent(&last, conn);
        // The event shows the new deal with nobody to move, then the break.
        let event = messages
            .iter()
            .find_map(|m| match m {
                ServerMessage::Event { view, .. } => Some(view.clone()),
                _ => None,
            })
            .expect("the hand's last event");
        assert_eq!(event.hand_number, 2);
        assert_eq!(event.to_move, None);
        assert_eq!(
            hand_break(&last, conn),
            Some((1, vec![], now - 1 + T.hand_break_ms))
        );
    }
    assert_eq!(schedule(&last), Some(Some(now - 1 + T.hand_break_ms)));
    // A move now is refused and not stored; the same action id stays usable.
    let (conn, out) = propose_next(&mut core, "early", now);
    assert!(out.records().is_empty());
    assert_eq!(
        sent(&out, conn)
            .iter()
            .filter_map(error_code)
            .collect::<Vec<_>>(),
        [ErrorCode::HandNotStarted]
    );
    // A retry of the move that ended the hand is still answered from the log.
    let Some(Record::Move {
        action_id,
        player_id,
        mv,
        ..
    }) = records.last().cloned()
    else {
        panic!("a move record");
    };
    let (retry_conn, retry_seat) = if player_id == ALICE { (1, A) } else { (2, B) };
    let out = core.propose(
        Proposal {
            conn: retry_conn,
            seat: retry_seat,
            player_id,
            action_id,
            mv,
        },
        now,
    );
    assert!(matches!(
        sent(&out, retry_conn)[..],
        [ServerMessage::Ack { .. }]
    ));
    // Alice is ready: both are told; saying it twice changes nothing.
    let out = core.next_hand(1, A, ALICE, 1, now + 1);
    for conn in [1, 2] {
        assert_eq!(hand_break(&out, conn).map(|b| b.1), Some(vec![A]));
    }
    assert!(sent(&core.next_hand(1, A, ALICE, 1, now + 2), 1).is_empty());
    // A readiness for another hand is ignored.
    assert!(sent(&core.next_hand(2, B, BOB, 7, now + 2), 2).is_empty());
    // Bob too: hand 2 starts for both, with someone to move.
    let out = core.next_hand(2, B, BOB, 1, now + 3);
    let to_move = core.game().map(|g| g.to_move);
    for conn in [1, 2] {
        assert_eq!(hand_started(&out, conn), Some((2, to_move)));
    }
    assert_eq!(metrics(&out), [Metric::HandStarted { both_ready: true }]);
    assert!(out.records().is_empty());
    let (conn, out) = propose_next(&mut core, "early", now + 4);
    assert!(matches!(
        sent(&out, conn)[..],
        [ServerMessage::Ack { .. }, ..]
    ));
}

#[test]
fn a_socket_waiting_on_conflict_cannot_mark_the_seat_ready() {
    let mut core = playing();
    let (_, now, _) = play_first_hand(&mut core, START + 10);
    // A second tab of Alice's: it is asked whether to take over, and waits.
    let out = core.attach(3, A, ALICE, 0, false, now);
    assert!(matches!(
        sent(&out, 3)[..],
        [ServerMessage::Conflict { .. }]
    ));
    // Its next_hand is refused like its moves are, and nobody is told of a readiness.
    let out = core.next_hand(3, A, ALICE, 1, now + 1);
    assert_eq!(
        sent(&out, 3)
            .iter()
            .filter_map(error_code)
            .collect::<Vec<_>>(),
        [ErrorCode::SeatHeldElsewhere]
    );
    assert!(hand_break(&out, 1).is_none() && hand_break(&out, 2).is_none());
    assert!(closes(&out).is_empty());
    // Bob is ready: the hand does not start, Alice's seat is not ready.
    let out = core.next_hand(2, B, BOB, 1, now + 2);
    assert!(hand_started(&out, 1).is_none());
    assert_eq!(hand_break(&out, 1).map(|b| b.1), Some(vec![B]));
    // The holder speaks for the seat: now it starts.
    let out = core.next_hand(1, A, ALICE, 1, now + 3);
    assert_eq!(hand_started(&out, 1).map(|h| h.0), Some(2));
}

#[test]
fn the_next_hand_starts_by_itself_when_the_break_has_passed() {
    let mut core = playing();
    let (_, now, _) = play_first_hand(&mut core, START + 10);
    let until = now - 1 + T.hand_break_ms;
    assert!(hand_started(&core.tick(until - 1), 1).is_none());
    let out = core.tick(until);
    for conn in [1, 2] {
        assert_eq!(hand_started(&out, conn).map(|h| h.0), Some(2));
    }
    assert_eq!(metrics(&out), [Metric::HandStarted { both_ready: false }]);
    // Ready too late: ignored.
    assert!(sent(&core.next_hand(1, A, ALICE, 1, until + 1), 1).is_empty());
}

#[test]
fn a_room_loaded_during_a_break_keeps_it_until_its_time() {
    let mut core = playing();
    let (_, now, records) = play_first_hand(&mut core, START + 10);
    let ended = now - 1;
    let reload = |at: i64| {
        let mut room = stored(vec![
            seat_row(A, ALICE, "Alice", START),
            seat_row(B, BOB, "Bob", START),
        ]);
        room.log = entries(&records);
        // Connected when the server stopped: away from the load on.
        for seat in &mut room.seats {
            seat.away = None;
        }
        let (mut core, _) = load(room, at);
        let out = core.attach(1, A, ALICE, 0, false, at);
        (core, out)
    };
    // Inside the break: the welcome's view has nobody to move and the break follows it.
    let (_, out) = reload(ended + 10);
    let messages = sent(&out, 1);
    assert!(matches!(
        &messages[0],
        ServerMessage::Welcome { view: Some(v), your_turn: false, .. } if v.to_move.is_none()
    ));
    assert_eq!(
        hand_break(&out, 1),
        Some((1, vec![], ended + T.hand_break_ms))
    );
    // After it: no break.
    let (_, out) = reload(ended + T.hand_break_ms);
    assert!(hand_break(&out, 1).is_none());
    assert!(matches!(
        &sent(&out, 1)[0],
        ServerMessage::Welcome { view: Some(v), .. } if v.to_move.is_some()
    ));
}

#[test]
fn with_no_break_configured_the_next_hand_is_played_at_once() {
    let room = stored(vec![
        seat_row(A, ALICE, "Alice", START),
        seat_row(B, BOB, "Bob", START),
    ]);
    let timing = Timing {
        hand_break_ms: 0,
        ..T
    };
    let (mut core, _) = RoomCore::load(room, timing, START).expect("a room");
    core.attach(1, A, ALICE, 0, false, START + 1);
    core.attach(2, B, BOB, 0, false, START + 2);
    let (last, now, _) = play_first_hand(&mut core, START + 10);
    assert!(hand_break(&last, 1).is_none());
    let (conn, out) = propose_next(&mut core, "next", now);
    assert!(matches!(
        sent(&out, conn)[..],
        [ServerMessage::Ack { .. }, ..]
    ));
}

fn rematch_seen(out: &Out, conn: ConnId) -> Option<(Vec<Seat>, Option<String>)> {
    rematch_told(out, conn).map(|(offered, room, _)| (offered, room))
}

/// The `rematch` message sent to `conn`: offered, room, declined.
fn rematch_told(out: &Out, conn: ConnId) -> Option<(Vec<Seat>, Option<String>, Vec<Seat>)> {
    sent(out, conn).into_iter().find_map(|m| match m {
        ServerMessage::Rematch {
            offered,
            room,
            declined,
        } => Some((offered, room, declined)),
        _ => None,
    })
}

/// The core's answer: no room yet, these seats offered and these declined.
fn standing(offered: Vec<Seat>, declined: Vec<Seat>) -> Option<Reply> {
    Some(Reply::Rematch(RematchAnswer::Offered(RematchStand {
        offered,
        declined,
    })))
}

#[test]
fn a_rematch_needs_both_players_and_swaps_the_seats() {
    let (mut core, now, _) = finished();
    let out = core.rematch(A, ALICE, now);
    assert_eq!(out.reply, standing(vec![A], vec![]));
    for conn in [1, 2] {
        assert_eq!(rematch_seen(&out, conn), Some((vec![A], None)));
    }
    // Asking again: the same answer, nobody told twice.
    let out = core.rematch(A, ALICE, now + 1);
    assert_eq!(out.reply, standing(vec![A], vec![]));
    assert!(rematch_seen(&out, 2).is_none());
    // Bob too: the shell is asked to create the room, Bob in seat 0 and Alice in seat 1.
    let out = core.rematch(B, BOB, now + 2);
    assert_eq!(
        out.reply,
        Some(Reply::Rematch(RematchAnswer::Create {
            names: ["Bob".to_owned(), "Alice".to_owned()]
        }))
    );
    // While it is created, another ask does not create a second room: it waits for this one.
    assert_eq!(
        core.rematch(A, ALICE, now + 3).reply,
        Some(Reply::Rematch(RematchAnswer::Creating))
    );
    assert!(core.rematch_creating() && core.rematch_room().is_none());
    let out = core.rematch_created("NEW234".to_owned(), now + 4);
    assert_eq!(metrics(&out), [Metric::Rematch]);
    for conn in [1, 2] {
        assert_eq!(
            rematch_seen(&out, conn),
            Some((vec![A, B], Some("NEW234".to_owned())))
        );
    }
    assert_eq!(
        core.rematch(A, ALICE, now + 5).reply,
        Some(Reply::Rematch(RematchAnswer::Ready("NEW234".to_owned())))
    );
    // A socket coming back to the finished room hears of it after the result.
    let out = core.attach(3, A, ALICE, 0, true, now + 6);
    let messages = sent(&out, 3);
    assert!(matches!(
        messages[..],
        [
            ServerMessage::Welcome { .. },
            ServerMessage::GameOver { .. },
            ServerMessage::Rematch { .. }
        ]
    ));
}

#[test]
fn a_rematch_is_refused_before_the_end_after_a_leave_and_to_strangers() {
    let mut core = playing();
    assert_eq!(
        core.rematch(A, ALICE, START + 10).reply,
        Some(Reply::Rematch(RematchAnswer::Refused(
            ErrorCode::GameNotOver
        )))
    );
    let (mut core, now, _) = finished();
    assert_eq!(
        core.rematch(A, BOB, now).reply,
        Some(Reply::Rematch(RematchAnswer::Refused(ErrorCode::NotSeated)))
    );
    core.leave(2, B, BOB, now + 1);
    assert_eq!(
        core.rematch(A, ALICE, now + 2).reply,
        Some(Reply::Rematch(RematchAnswer::Refused(
            ErrorCode::OpponentLeft
        )))
    );
    // A failed creation lets a later ask try again.
    let (mut core, now, _) = finished();
    core.rematch(A, ALICE, now);
    assert!(matches!(
        core.rematch(B, BOB, now + 1).reply,
        Some(Reply::Rematch(RematchAnswer::Create { .. }))
    ));
    core.rematch_failed();
    assert!(matches!(
        core.rematch(B, BOB, now + 2).reply,
        Some(Reply::Rematch(RematchAnswer::Create { .. }))
    ));
}

#[test]
fn a_seat_declines_a_rematch_until_it_asks_again() {
    let (mut core, now, _) = finished();
    core.rematch(A, ALICE, now);
    // Bob says no: both sockets hear who asked and who declined.
    let out = core.decline_rematch(B, BOB, now + 1);
    assert_eq!(out.reply, standing(vec![A], vec![B]));
    for conn in [1, 2] {
        assert_eq!(rematch_told(&out, conn), Some((vec![A], None, vec![B])));
    }
    // Said twice: the same answer, nobody told again.
    let out = core.decline_rematch(B, BOB, now + 2);
    assert_eq!(out.reply, standing(vec![A], vec![B]));
    assert!(rematch_told(&out, 1).is_none());
    // Alice withdraws her offer: she declines too.
    let out = core.decline_rematch(A, ALICE, now + 3);
    assert_eq!(out.reply, standing(vec![], vec![A, B]));
    assert_eq!(rematch_told(&out, 2), Some((vec![], None, vec![A, B])));
    // A socket coming back hears of the declines after the result, though nobody offers.
    let out = core.attach(3, B, BOB, 0, true, now + 4);
    assert!(matches!(
        sent(&out, 3)[..],
        [
            ServerMessage::Welcome { .. },
            ServerMessage::GameOver { .. },
            ServerMessage::Rematch { .. }
        ]
    ));
    assert_eq!(rematch_told(&out, 3), Some((vec![], None, vec![A, B])));
    // Bob asks after all: his decline is cleared, and so is Alice's earlier no (his offer is a
    // new question for her); Alice says no to it, then yes: the room is made.
    let out = core.rematch(B, BOB, now + 5);
    assert_eq!(out.reply, standing(vec![B], vec![]));
    assert_eq!(rematch_told(&out, 1), Some((vec![B], None, vec![])));
    assert_eq!(
        core.decline_rematch(A, ALICE, now + 5).reply,
        standing(vec![B], vec![A])
    );
    // Asking again while his offer stands is no new question: her no stays.
    assert_eq!(
        core.rematch(B, BOB, now + 5).reply,
        standing(vec![B], vec![A])
    );
    assert!(matches!(
        core.rematch(A, ALICE, now + 6).reply,
        Some(Reply::Rematch(RematchAnswer::Create { .. }))
    ));
    // Too late to say no, while the room is made and once it is.
    let refused = Some(Reply::Rematch(RematchAnswer::Refused(
        ErrorCode::RematchMade,
    )));
    assert_eq!(core.decline_rematch(B, BOB, now + 7).reply, refused);
    core.rematch_created("NEW234".to_owned(), now + 8);
    assert_eq!(core.decline_rematch(A, ALICE, now + 9).reply, refused);
}

#[test]
fn a_decline_is_refused_before_the_end_and_to_strangers() {
    let mut core = playing();
    assert_eq!(
        core.decline_rematch(A, ALICE, START + 10).reply,
        Some(Reply::Rematch(RematchAnswer::Refused(
            ErrorCode::GameNotOver
        )))
    );
    let (mut core, now, _) = finished();
    assert_eq!(
        core.decline_rematch(A, BOB, now).reply,
        Some(Reply::Rematch(RematchAnswer::Refused(ErrorCode::NotSeated)))
    );
}
