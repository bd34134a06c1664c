//! The reducer, message by message.

use super::*;
use game::protocol::{ErrorCode, EventKind, MissedEvent, PresenceState, ServerMessage};
use game::{GameState, Ruleset};

fn state() -> GameState {
    GameState::new(3, Seat::SECOND, Ruleset::default())
}

fn status(seat: u8, connected: bool) -> SeatPresence {
    SeatPresence {
        seat: Seat::try_from(seat).expect("seat"),
        state: if connected {
            PresenceState::Connected
        } else {
            PresenceState::Reconnecting
        },
        since: (!connected).then_some(1),
    }
}

fn welcome(view: Option<PlayerView>, seq: u64, summary: Vec<String>) -> ServerMessage {
    ServerMessage::Welcome {
        protocol: game::protocol::PROTOCOL_VERSION,
        room: "ABC234".to_owned(),
        you: Seat::FIRST,
        players: vec![SeatInfo {
            seat: Seat::FIRST,
            name: "Alice".to_owned(),
        }],
        your_turn: false,
        view,
        seq,
        missed: Vec::new(),
        summary,
        presence: vec![status(0, true), status(1, true)],
        deal_commitment: None,
        seat_kept_ms: 0,
    }
}

fn event(seq: u64, view: PlayerView) -> ServerMessage {
    ServerMessage::Event {
        seq,
        at: 0,
        seat: Some(Seat::FIRST),
        kind: game::protocol::EventKind::Trail,
        summary: format!("event {seq}"),
        view,
    }
}

#[test]
fn a_server_conflict_is_told_in_plain_words() {
    let mut m = GameModel::new("ABC234");
    m.apply(ServerMessage::Conflict {
        message: "send takeover to move it here".to_owned(),
    });
    assert_eq!(
        m.phase,
        Phase::Conflict("This game is open in another tab or on another device.".to_owned())
    );
}

#[test]
fn welcome_without_view_waits_then_a_view_starts_the_game() {
    let mut m = GameModel::new("ABC234");
    assert_eq!(m.phase, Phase::Recovering);
    assert!(m.apply(welcome(None, 0, vec![])).is_empty());
    assert_eq!(m.phase, Phase::WaitingForOpponent);
    m.apply(ServerMessage::PlayerJoined {
        seat: Seat::SECOND,
        name: "Bob".to_owned(),
    });
    assert_eq!(m.name_of(Seat::SECOND), Some("Bob"));
    m.apply(welcome(Some(state().view(Seat::FIRST)), 0, vec![]));
    assert_eq!(m.phase, Phase::Playing);
    assert!(m.missed.is_empty(), "a first welcome has nothing missed");
}

#[test]
fn the_opponent_counts_as_joined_only_once_named() {
    let mut m = GameModel::new("ABC234");
    m.apply(welcome(None, 0, vec![]));
    m.apply(ServerMessage::Presence {
        seats: vec![status(0, true), status(1, false)],
    });
    assert!(m.opponent_presence().is_some());
    assert!(!m.opponent_joined(), "an empty seat is nobody to report on");
    m.apply(ServerMessage::PlayerJoined {
        seat: Seat::SECOND,
        name: "Bob".to_owned(),
    });
    assert!(m.opponent_joined());
}

#[test]
fn it_is_your_turn_only_in_a_running_game_where_you_move() {
    for seat in [Seat::FIRST, Seat::SECOND] {
        let mut m = GameModel::new("ABC234");
        m.apply(welcome(None, 0, vec![]));
        assert!(!m.your_turn(), "no game yet");
        let view = state().view(seat);
        let expected = view.is_my_turn();
        m.apply(welcome(Some(view), 0, vec![]));
        assert_eq!(m.your_turn(), expected);
        m.phase = Phase::SessionMoved;
        assert!(!m.your_turn(), "a moved session plays nowhere");
    }
}

#[test]
fn the_live_region_names_the_opponent_and_says_your_turn() {
    let state = state();
    let mover = state.view(Seat::FIRST).to_move.expect("someone moves");
    let mut m = GameModel::new("ABC234");
    m.apply(welcome(Some(state.view(Seat::FIRST)), 0, vec![]));
    m.apply(ServerMessage::PlayerJoined {
        seat: Seat::SECOND,
        name: "Bob".to_owned(),
    });
    let mut message = event(1, state.view(Seat::FIRST));
    if let ServerMessage::Event { summary, .. } = &mut message {
        *summary = "Opponent trailed 7\u{2663}".to_owned();
    }
    m.apply(message);
    let expected = if mover == Seat::FIRST {
        "Bob trailed 7 of clubs. Your turn."
    } else {
        "Bob trailed 7 of clubs."
    };
    assert_eq!(m.announcement, expected);
}

#[test]
fn events_apply_once_in_order() {
    let mut m = GameModel::new("ABC234");
    let view = state().view(Seat::FIRST);
    m.apply(welcome(Some(view.clone()), 4, vec![]));
    m.apply(event(5, view.clone()));
    assert_eq!(m.seq, 5);
    assert_eq!(m.last_event.as_deref(), Some("event 5"));
    m.apply(event(5, view.clone()));
    m.apply(event(3, view));
    assert_eq!(m.seq, 5);
    assert_eq!(m.last_event.as_deref(), Some("event 5"));
    assert_eq!(
        m.hello(),
        ClientMessage::Hello {
            protocol: game::protocol::PROTOCOL_VERSION,
            last_seq: 5
        }
    );
}

#[test]
fn pending_moves_stay_until_ack_and_are_resent_after_welcome() {
    let mut m = GameModel::new("ABC234");
    let view = state().view(Seat::FIRST);
    m.apply(welcome(Some(view.clone()), 0, vec![]));
    let mv = Move::Trail { card: view.hand[0] };
    let sent = m.propose("a1".to_owned(), mv.clone());
    assert!(matches!(&sent, ClientMessage::Action { action_id, .. } if action_id == "a1"));
    assert!(m.has_pending());
    m.on_disconnect();
    assert_eq!(m.phase, Phase::Recovering);
    let resend = m.apply(welcome(Some(view), 1, vec!["You trailed".to_owned()]));
    assert_eq!(resend, vec![sent]);
    m.apply(ServerMessage::Ack {
        action_id: "a1".to_owned(),
        seq: 1,
        at: 0,
    });
    assert!(!m.has_pending());
    assert!(m.resend_list().is_empty());
}

#[test]
fn a_rejection_clears_the_move_and_is_shown() {
    let mut m = GameModel::new("ABC234");
    let view = state().view(Seat::FIRST);
    m.apply(welcome(Some(view.clone()), 0, vec![]));
    m.propose("a1".to_owned(), Move::Trail { card: view.hand[0] });
    m.apply(ServerMessage::Rejected {
        action_id: "a1".to_owned(),
        code: ErrorCode::NotYourTurn,
        message: "It is not your turn".to_owned(),
    });
    assert!(!m.has_pending());
    assert_eq!(
        m.rejection.as_deref(),
        Some("Move refused: It is not your turn (NOT_YOUR_TURN)")
    );
}

#[test]
fn a_reconnection_keeps_the_last_five_summaries() {
    let mut m = GameModel::new("ABC234");
    let view = state().view(Seat::FIRST);
    m.apply(welcome(Some(view.clone()), 1, vec![]));
    let summary: Vec<String> = (1..=7).map(|i| format!("e{i}")).collect();
    m.apply(welcome(Some(view), 8, summary));
    assert_eq!(m.missed, ["e3", "e4", "e5", "e6", "e7"]);
}

#[test]
fn opponent_return_raises_the_notice() {
    let mut m = GameModel::new("ABC234");
    m.apply(welcome(None, 0, vec![]));
    m.apply(ServerMessage::Presence {
        seats: vec![status(0, true), status(1, false)],
    });
    assert!(!m.opponent_returned);
    assert!(m
        .opponent_presence()
        .is_some_and(|s| s.state == PresenceState::Reconnecting));
    m.apply(ServerMessage::Presence {
        seats: vec![status(0, true), status(1, true)],
    });
    assert!(m.opponent_returned);
}

fn gone(seat: u8) -> SeatPresence {
    SeatPresence {
        state: PresenceState::Away,
        ..status(seat, false)
    }
}

fn offer(options: Vec<AbandonOption>, waiting: bool) -> ServerMessage {
    ServerMessage::Abandoned {
        options,
        opponent_gone_since: 1,
        return_by: 600_001,
        waiting,
    }
}

#[test]
fn abandoned_then_wait_keeps_claim_available_and_a_return_closes_everything() {
    let mut m = GameModel::new("ABC234");
    m.apply(welcome(Some(state().view(Seat::FIRST)), 0, vec![]));
    m.apply(ServerMessage::Presence {
        seats: vec![status(0, true), gone(1)],
    });
    m.apply(offer(
        vec![AbandonOption::Wait, AbandonOption::ClaimVictory],
        false,
    ));
    assert!(m.dialog_open());
    assert_eq!(m.choose_wait(), ClientMessage::Wait);
    assert!(!m.dialog_open(), "the dialog closes on Wait");
    assert!(m.offer.is_some(), "claim victory stays available");
    assert_eq!(m.phase, Phase::Playing);
    // The server's answer, and the same offer again after a reconnect.
    m.apply(offer(vec![AbandonOption::ClaimVictory], true));
    assert!(!m.dialog_open());
    assert_eq!(
        m.offer.as_ref().map(|o| o.options.clone()),
        Some(vec![AbandonOption::ClaimVictory])
    );
    m.apply(ServerMessage::Presence {
        seats: vec![status(0, true), status(1, true)],
    });
    assert!(m.offer.is_none(), "the return withdraws the offer");
    assert!(m.opponent_returned);
    // A late `abandoned` for an opponent who is back is ignored.
    m.apply(offer(vec![AbandonOption::Wait], false));
    assert!(m.offer.is_none());
}

#[test]
fn claiming_victory_ends_with_the_result() {
    let mut m = GameModel::new("ABC234");
    m.apply(welcome(Some(state().view(Seat::FIRST)), 0, vec![]));
    m.apply(ServerMessage::Presence {
        seats: vec![status(0, true), gone(1)],
    });
    m.apply(offer(
        vec![AbandonOption::Wait, AbandonOption::ClaimVictory],
        false,
    ));
    assert_eq!(m.claim_victory(), ClientMessage::ClaimVictory);
    assert!(m.offer.as_ref().is_some_and(|o| o.claiming));
    let result = GameResult {
        winner: Some(Seat::FIRST),
        scores: [3, 1],
        hands_played: 0,
    };
    m.apply(ServerMessage::GameOver {
        result: result.clone(),
        reason: EndReason::VictoryClaimed,
        deal: None,
    });
    assert_eq!(
        m.phase,
        Phase::Over {
            result,
            reason: EndReason::VictoryClaimed
        }
    );
    assert!(m.offer.is_none());
}

#[test]
fn leaving_waits_for_the_server_and_is_final() {
    let mut m = GameModel::new("ABC234");
    m.apply(welcome(Some(state().view(Seat::FIRST)), 0, vec![]));
    assert_eq!(m.leave(), ClientMessage::Leave);
    assert_eq!(m.phase, Phase::Leaving);
    assert!(!m.is_final(), "not before the server says so");
    // A reconnect while leaving says it again.
    assert_eq!(
        m.apply(welcome(Some(state().view(Seat::FIRST)), 0, vec![])),
        vec![ClientMessage::Leave]
    );
    m.apply(ServerMessage::Left);
    assert_eq!(m.phase, Phase::Left);
    assert!(m.is_final());
    assert!(m.on_close_code(CloseCode::Left.code()));
    assert_eq!(m.phase, Phase::Left);
    // Another tab of the same seat learns it from the close code.
    let mut other = GameModel::new("ABC234");
    other.apply(welcome(Some(state().view(Seat::FIRST)), 0, vec![]));
    assert!(other.on_close_code(1000));
    assert_eq!(other.phase, Phase::Left);
}

#[test]
fn returning_after_a_claim_shows_the_result_and_after_the_window_expires() {
    let mut m = GameModel::new("ABC234");
    m.apply(welcome(Some(state().view(Seat::SECOND)), 0, vec![]));
    let result = GameResult {
        winner: Some(Seat::SECOND),
        scores: [0, 0],
        hands_played: 0,
    };
    m.apply(ServerMessage::GameOver {
        result,
        reason: EndReason::VictoryClaimed,
        deal: None,
    });
    assert!(matches!(m.phase, Phase::Over { .. }));

    let mut m = GameModel::new("ABC234");
    m.apply(ServerMessage::Error {
        code: ErrorCode::SessionExpired,
        message: "gone too long".to_owned(),
    });
    assert_eq!(m.phase, Phase::Expired);
    assert!(m.on_close_code(CloseCode::SessionExpired.code()));
    m.apply(welcome(None, 0, vec![]));
    assert_eq!(m.phase, Phase::Expired, "an expired session stays expired");

    let mut m = GameModel::new("ABC234");
    assert!(m.on_close_code(CloseCode::RoomGone.code()));
    assert_eq!(m.phase, Phase::Expired);
    let mut m = GameModel::new("ABC234");
    assert!(!m.on_close_code(1006), "an ordinary drop reconnects");
    assert!(m.on_close_code(CloseCode::SessionMoved.code()));
    assert_eq!(m.phase, Phase::SessionMoved);
}

#[test]
fn game_over_session_moved_and_errors() {
    let mut m = GameModel::new("ABC234");
    m.apply(welcome(None, 0, vec![]));
    let result = GameResult {
        winner: Some(Seat::FIRST),
        scores: [21, 9],
        hands_played: 2,
    };
    m.apply(ServerMessage::GameOver {
        result: result.clone(),
        reason: EndReason::Completed,
        deal: None,
    });
    assert_eq!(
        m.phase,
        Phase::Over {
            result,
            reason: EndReason::Completed
        }
    );
    m.apply(ServerMessage::SessionMoved);
    assert_eq!(m.phase, Phase::SessionMoved);
    m.apply(welcome(None, 0, vec![]));
    assert_eq!(m.phase, Phase::SessionMoved, "a moved session stays moved");
    m.apply(ServerMessage::Error {
        code: ErrorCode::RateLimited,
        message: "slow down".to_owned(),
    });
    assert_eq!(m.server_error.as_deref(), Some("slow down (RATE_LIMITED)"));
}

/// Alice (seat 0) and Bob seated, a game to 21 running.
fn seated() -> GameModel {
    let mut m = GameModel::new("ABC234");
    m.apply(welcome(Some(state().view(Seat::FIRST)), 0, vec![]));
    m.apply(ServerMessage::PlayerJoined {
        seat: Seat::SECOND,
        name: "Bob".to_owned(),
    });
    m
}

/// Alice's view once hand `n` has ended: the next hand dealt, nobody to move (a break).
fn after_hand(n: u32) -> PlayerView {
    let mut view = state().view(Seat::FIRST);
    view.hand_results = (1..=n)
        .map(|hand_number| HandResult {
            hand_number,
            seats: Default::default(),
            scoring_cards: Default::default(),
        })
        .collect();
    view.hand_number = n + 1;
    view.to_move = None;
    view
}

fn hand_break(hand: u32, ready: Vec<Seat>) -> ServerMessage {
    ServerMessage::HandBreak {
        hand,
        ready,
        next_hand_at: 100_000,
    }
}

#[test]
fn the_hand_summary_waits_for_both_players_and_closes_when_the_hand_starts() {
    let mut m = seated();
    m.apply(event(1, after_hand(1)));
    assert_eq!(m.hand_summary.as_ref().map(|h| h.hand_number), Some(1));
    assert!(!m.your_turn(), "nobody moves during the break");
    assert!(m.apply(hand_break(1, vec![])).is_empty());
    assert!(!m.is_ready());
    assert_eq!(m.break_status(), "");
    assert_eq!(m.next_hand(), Some(ClientMessage::NextHand { hand: 1 }));
    assert_eq!(m.next_hand(), None, "sent once");
    assert!(m.hand_summary.is_some(), "the dialog stays open");
    assert_eq!(m.break_status(), "Waiting for Bob…");
    m.apply(hand_break(1, vec![Seat::FIRST]));
    assert!(m.is_ready());
    assert!(!m.opponent_ready());
    m.apply(hand_break(1, vec![Seat::FIRST, Seat::SECOND]));
    assert!(m.opponent_ready());

    let mut view = state().view(Seat::FIRST);
    view.hand_number = 2;
    let mine = view.is_my_turn();
    m.apply(ServerMessage::HandStarted { hand: 2, view });
    assert!(m.hand_summary.is_none());
    assert!(m.hand_break.is_none());
    assert_eq!(m.your_turn(), mine);
    assert_eq!(
        m.announcement,
        if mine {
            "Hand 2 starts. Your turn."
        } else {
            "Hand 2 starts. Bob's turn."
        }
    );
}

#[test]
fn the_opponent_ready_first_is_told_by_name() {
    let mut m = seated();
    m.apply(event(1, after_hand(1)));
    m.apply(hand_break(1, vec![Seat::SECOND]));
    assert_eq!(m.break_status(), "Bob is ready");
    assert!(!m.is_ready());
    assert_eq!(m.next_hand(), Some(ClientMessage::NextHand { hand: 1 }));
}

#[test]
fn a_reload_during_a_break_reopens_the_summary_with_who_is_ready() {
    let mut m = GameModel::new("ABC234");
    m.apply(welcome(Some(after_hand(2)), 40, vec![]));
    assert!(m.hand_summary.is_none());
    m.apply(hand_break(2, vec![Seat::FIRST]));
    assert_eq!(m.hand_summary.as_ref().map(|h| h.hand_number), Some(2));
    assert!(m.is_ready(), "the server remembers this seat said so");
    assert_eq!(m.next_hand(), None);
}

#[test]
fn a_readiness_lost_in_a_reconnection_is_said_again() {
    let mut m = seated();
    m.apply(event(1, after_hand(1)));
    m.apply(hand_break(1, vec![]));
    assert!(m.next_hand().is_some());
    m.on_disconnect();
    m.apply(welcome(Some(after_hand(1)), 1, vec![]));
    assert!(m.hand_summary.is_some(), "still between hands");
    assert_eq!(
        m.apply(hand_break(1, vec![])),
        vec![ClientMessage::NextHand { hand: 1 }]
    );
    // A break that ended while away: the welcome's view has someone to move.
    m.on_disconnect();
    m.apply(welcome(Some(state().view(Seat::FIRST)), 2, vec![]));
    assert!(m.hand_summary.is_none());
    assert!(m.hand_break.is_none());
    assert!(!m.is_ready());
}

#[test]
fn after_the_last_hand_or_without_a_break_the_button_just_closes() {
    let mut m = seated();
    let mut last = after_hand(3);
    last.result = Some(GameResult {
        winner: Some(Seat::FIRST),
        scores: [21, 12],
        hands_played: 3,
    });
    m.apply(event(1, last));
    assert!(m.hand_summary.is_some());
    assert_eq!(m.next_hand(), None);
    assert!(m.hand_summary.is_none());

    // A server without a break: the next hand is playable at once.
    let mut m = seated();
    let mut view = state().view(Seat::FIRST);
    view.hand_results = after_hand(1).hand_results;
    m.apply(event(1, view));
    assert!(m.hand_summary.is_some());
    assert_eq!(m.next_hand(), None);
    assert!(m.hand_summary.is_none());
}

#[test]
fn the_countdown_runs_on_the_servers_clock() {
    assert_eq!(clock_offset(1_000, 6_050, 1_100), 5_000);
    let mut m = seated();
    // The quickest round trip tells the offset best.
    assert!(m.on_pong(1_000, 6_050, 1_100));
    assert!(
        !m.on_pong(2_000, 5_000, 4_000),
        "a slow pong is not trusted"
    );
    assert_eq!(m.clock_offset_ms, 5_000);
    assert!(m.on_pong(3_000, 7_980, 3_040));
    assert_eq!(m.clock_offset_ms, 4_960);
    m.clock_offset_ms = 0;
    assert_eq!(m.seconds_to_next_hand(0), None);
    m.apply(event(1, after_hand(1)));
    m.apply(hand_break(1, vec![]));
    assert_eq!(m.seconds_to_next_hand(77_000), Some(23));
    assert_eq!(m.seconds_to_next_hand(77_001), Some(23));
    m.clock_offset_ms = 10_000;
    assert_eq!(m.seconds_to_next_hand(77_000), Some(13));
    assert_eq!(m.seconds_to_next_hand(200_000), Some(0));
}

#[test]
fn a_move_between_hands_is_refused_in_words() {
    let mut m = seated();
    m.propose(
        "a1".to_owned(),
        Move::Trail {
            card: state().view(Seat::FIRST).hand[0],
        },
    );
    m.apply(ServerMessage::Rejected {
        action_id: "a1".to_owned(),
        code: ErrorCode::HandNotStarted,
        message: "hand 1 has ended".to_owned(),
    });
    assert!(m
        .rejection
        .as_deref()
        .is_some_and(|r| r.contains("the next hand has not started yet")));
}

fn over(m: &mut GameModel) {
    m.apply(ServerMessage::GameOver {
        result: GameResult {
            winner: Some(Seat::FIRST),
            scores: [7, 4],
            hands_played: 1,
        },
        reason: EndReason::Completed,
        deal: None,
    });
}

#[test]
fn the_rematch_is_offered_waited_for_and_accepted_by_name() {
    let mut m = seated();
    over(&mut m);
    let view = m.rematch_view(0);
    assert_eq!(view.button.as_deref(), Some("Rematch with Bob"));
    assert!(view.enabled);
    assert_eq!(view.status, "");
    m.rematch.asking = true;
    assert!(!m.rematch_view(0).enabled, "off while asking");
    m.rematch.asking = false;
    m.apply(ServerMessage::Rematch {
        offered: vec![Seat::FIRST],
        room: None,
        declined: Vec::new(),
    });
    let view = m.rematch_view(0);
    assert_eq!(view.status, "Waiting for Bob to accept…");
    assert!(!view.enabled);

    // Bob's side of the same offer.
    let mut bob = GameModel::new("ABC234");
    bob.apply(ServerMessage::Welcome {
        protocol: game::protocol::PROTOCOL_VERSION,
        room: "ABC234".to_owned(),
        you: Seat::SECOND,
        players: vec![
            SeatInfo {
                seat: Seat::FIRST,
                name: "Alice".to_owned(),
            },
            SeatInfo {
                seat: Seat::SECOND,
                name: "Bob".to_owned(),
            },
        ],
        your_turn: false,
        view: Some(state().view(Seat::SECOND)),
        seq: 0,
        missed: Vec::new(),
        summary: Vec::new(),
        presence: vec![status(0, true), status(1, true)],
        deal_commitment: None,
        seat_kept_ms: 0,
    });
    over(&mut bob);
    bob.apply(ServerMessage::Rematch {
        offered: vec![Seat::FIRST],
        room: None,
        declined: Vec::new(),
    });
    let view = bob.rematch_view(0);
    assert_eq!(view.button.as_deref(), Some("Accept rematch with Alice"));
    assert_eq!(view.status, "Alice wants a rematch");
    assert!(view.enabled);
    bob.apply(ServerMessage::Rematch {
        offered: vec![Seat::FIRST, Seat::SECOND],
        room: Some("NEW234".to_owned()),
        declined: Vec::new(),
    });
    assert_eq!(bob.rematch.room.as_deref(), Some("NEW234"));
    assert!(!bob.rematch_view(0).enabled);
}

#[test]
fn no_rematch_once_the_opponent_left_and_errors_are_told() {
    let mut m = seated();
    over(&mut m);
    m.rematch.error = Some("The server cannot be reached.".to_owned());
    assert_eq!(m.rematch_view(0).status, "The server cannot be reached.");
    assert!(m.rematch_view(0).enabled, "may be asked again");
    m.apply(ServerMessage::Presence {
        seats: vec![
            status(0, true),
            SeatPresence {
                state: PresenceState::Left,
                ..status(1, false)
            },
        ],
    });
    let view = m.rematch_view(0);
    assert_eq!(view.button, None);
    assert_eq!(view.status, "Bob has left; no rematch");
    let mut m = seated();
    over(&mut m);
    m.rematch.opponent_left = true;
    assert_eq!(m.rematch_view(0).status, "Bob has left; no rematch");
}

#[test]
fn an_ask_answered_before_the_room_existed_is_asked_again() {
    let mut m = seated();
    over(&mut m);
    assert!(m.begin_rematch_ask(1_000));
    assert!(!m.begin_rematch_ask(1_001), "one ask at a time");
    // Both pressed at once: the server's `rematch` names the new room while this page's ask
    // is still on its way, and the ask comes back "offered".
    m.apply(ServerMessage::Rematch {
        offered: vec![Seat::FIRST, Seat::SECOND],
        room: Some("NEW234".to_owned()),
        declined: Vec::new(),
    });
    let step = m.rematch_answered(RematchAnswer::Offered(vec![Seat::FIRST, Seat::SECOND]));
    assert_eq!(step, RematchStep::AskAgain);
    assert!(m.begin_rematch_ask(1_100));
    assert_eq!(
        m.rematch_answered(RematchAnswer::Seated),
        RematchStep::Enter
    );
    assert_eq!(
        m.rematch_answered(RematchAnswer::Seated),
        RematchStep::Stay,
        "entered once"
    );
    assert!(!m.begin_rematch_ask(1_200), "no ask while entering");
}

#[test]
fn an_unanswered_offer_says_so_and_can_be_withdrawn() {
    let mut m = seated();
    over(&mut m);
    assert!(m.begin_rematch_ask(1_000));
    m.rematch_answered(RematchAnswer::Offered(vec![Seat::FIRST]));
    let view = m.rematch_view(1_000 + UNANSWERED_AFTER_MS - 1);
    assert_eq!(view.status, "Waiting for Bob to accept…");
    assert!(view.withdraw && !view.enabled);
    let view = m.rematch_view(1_000 + UNANSWERED_AFTER_MS);
    assert_eq!(view.status, "Waiting for Bob to accept… No answer yet.");
    // Bob closed the game: the offer may never be seen.
    m.apply(ServerMessage::Presence {
        seats: vec![status(0, true), status(1, false)],
    });
    assert!(m
        .rematch_view(1_000)
        .status
        .ends_with("Bob has closed this game and may not see your offer."));
    m.decline_rematch();
    let view = m.rematch_view(1_000);
    assert_eq!(view.status, "You said no to a rematch.");
    assert!(view.enabled && !view.withdraw, "may ask again");
    assert!(m.begin_rematch_ask(2_000));
    assert!(
        m.rematch.declined.is_empty(),
        "asking again takes the no back"
    );
}

#[test]
fn the_opponents_no_is_shown_as_a_refusal() {
    let mut m = seated();
    over(&mut m);
    assert!(m.begin_rematch_ask(0));
    m.rematch_answered(RematchAnswer::Offered(vec![Seat::FIRST]));
    // Bob pressed "Play again" (or "No, thanks").
    m.apply(ServerMessage::Rematch {
        offered: vec![Seat::FIRST],
        room: None,
        declined: vec![Seat::SECOND],
    });
    m.apply(ServerMessage::Rematch {
        offered: Vec::new(),
        room: None,
        declined: vec![Seat::SECOND],
    });
    let view = m.rematch_view(0);
    assert_eq!(view.status, "Bob does not want a rematch now.");
    assert!(!view.withdraw);
    assert_eq!(m.rematch.asked_at, None);
}

#[test]
fn an_offer_received_can_be_declined() {
    let mut m = seated();
    over(&mut m);
    m.apply(ServerMessage::Rematch {
        offered: vec![Seat::SECOND],
        room: None,
        declined: Vec::new(),
    });
    let view = m.rematch_view(0);
    assert_eq!(view.button.as_deref(), Some("Accept rematch with Bob"));
    assert!(view.decline && view.enabled);
    m.decline_rematch();
    m.apply(ServerMessage::Rematch {
        offered: vec![Seat::SECOND],
        room: None,
        declined: vec![Seat::FIRST],
    });
    let view = m.rematch_view(0);
    assert_eq!(view.status, "You said no to a rematch.");
    assert!(
        view.enabled && !view.decline,
        "the offer stands: it may still be accepted"
    );
}

#[test]
fn an_opponent_who_joins_is_not_said_to_reconnect() {
    let mut m = GameModel::new("ABC234");
    let mut first = welcome(None, 0, vec![]);
    if let ServerMessage::Welcome { presence, .. } = &mut first {
        presence[1] = SeatPresence {
            state: PresenceState::Empty,
            ..status(1, false)
        };
    }
    m.apply(first);
    // Bob took the seat over HTTP: "disconnected" until his socket is up.
    let joined = SeatPresence {
        state: PresenceState::Disconnected,
        ..status(1, false)
    };
    m.apply(ServerMessage::Presence {
        seats: vec![status(0, true), joined.clone()],
    });
    m.apply(ServerMessage::Presence {
        seats: vec![status(0, true), status(1, true)],
    });
    assert!(!m.opponent_returned, "a first arrival is not a return");
    // Later he closes his tab and comes back: that is a return.
    m.apply(ServerMessage::Presence {
        seats: vec![status(0, true), joined],
    });
    m.apply(ServerMessage::Presence {
        seats: vec![status(0, true), status(1, true)],
    });
    assert!(m.opponent_returned);
}

fn said(seq: u64, hand: u32, summary: &str) -> MissedEvent {
    MissedEvent {
        seq,
        at: 0,
        seat: Some(Seat::SECOND),
        kind: EventKind::Trail,
        summary: summary.to_owned(),
        hand,
    }
}

/// A welcome to Alice, Bob seated, with these missed events.
fn welcome_missing(view: PlayerView, seq: u64, events: Vec<MissedEvent>) -> ServerMessage {
    let mut message = welcome(Some(view), seq, vec![]);
    if let ServerMessage::Welcome {
        missed, players, ..
    } = &mut message
    {
        *missed = events;
        players.push(SeatInfo {
            seat: Seat::SECOND,
            name: "Bob".to_owned(),
        });
    }
    message
}

fn event_saying(seq: u64, view: PlayerView, summary: &str) -> ServerMessage {
    let mut message = event(seq, view);
    if let ServerMessage::Event { summary: s, .. } = &mut message {
        *s = summary.to_owned();
    }
    message
}

fn listed(m: &GameModel) -> Vec<&str> {
    m.hand_moves.moves.iter().map(String::as_str).collect()
}

#[test]
fn the_move_list_keeps_this_hands_moves_by_name_until_the_next_hand_starts() {
    let mut m = seated();
    let view = state().view(Seat::FIRST);
    m.apply(event_saying(1, view.clone(), "Opponent trailed 7♣"));
    m.apply(event_saying(2, view, "You captured 7♣ with 7♥"));
    assert_eq!(listed(&m), ["Bob trailed 7♣", "You captured 7♣ with 7♥"]);
    // The hand's last move: the list stays up beside the hand's summary during the break.
    m.apply(event_saying(3, after_hand(1), "Opponent trailed 2♠"));
    assert_eq!(listed(&m).len(), 3);
    assert_eq!(m.hand_moves.hand, 1);
    assert!(m.last_event.is_some());
    let mut view = state().view(Seat::FIRST);
    view.hand_number = 2;
    m.apply(ServerMessage::HandStarted { hand: 2, view });
    assert!(listed(&m).is_empty(), "a new hand starts an empty list");
    assert_eq!(m.hand_moves.hand, 2);
    assert_eq!(
        m.last_event, None,
        "the last hand's last line does not stay up"
    );
}

#[test]
fn without_a_break_the_first_move_of_the_next_hand_starts_the_list_afresh() {
    let mut m = seated();
    m.apply(event_saying(1, state().view(Seat::FIRST), "a"));
    let mut next = state().view(Seat::FIRST);
    next.hand_number = 2;
    m.apply(event_saying(2, next.clone(), "b"));
    assert!(
        listed(&m).is_empty(),
        "hand 2 is in play: hand 1's list is gone"
    );
    m.apply(event_saying(3, next, "c"));
    assert_eq!(listed(&m), ["c"]);
}

#[test]
fn a_reload_rebuilds_the_move_list_from_this_hands_missed_moves() {
    let mut view = state().view(Seat::FIRST);
    view.hand_number = 2;
    let events = vec![
        said(1, 1, "Opponent trailed 5♦"),
        said(2, 1, "You trailed 6♦"),
        said(3, 2, "Opponent trailed 7♣"),
        said(4, 2, "You captured 7♣ with 7♥"),
    ];
    let mut m = GameModel::new("ABC234");
    m.apply(welcome_missing(view, 4, events.clone()));
    assert_eq!(listed(&m), ["Bob trailed 7♣", "You captured 7♣ with 7♥"]);
    // Reloaded during the break after hand 1: hand 1's moves, as before the reload.
    let mut m = GameModel::new("ABC234");
    m.apply(welcome_missing(after_hand(1), 2, events[..2].to_vec()));
    assert_eq!(listed(&m), ["Bob trailed 5♦", "You trailed 6♦"]);
}

#[test]
fn a_reconnection_appends_only_the_new_moves_and_leaves_out_the_end_of_the_game() {
    let mut m = seated();
    let view = state().view(Seat::FIRST);
    m.apply(event_saying(1, view.clone(), "Opponent trailed 5♦"));
    m.on_disconnect();
    let mut end = said(
        3,
        1,
        "Your opponent claimed victory after you were gone too long",
    );
    end.kind = EventKind::VictoryClaimed;
    m.apply(welcome_missing(
        view,
        3,
        vec![said(2, 1, "Opponent trailed 7♣"), end],
    ));
    assert_eq!(listed(&m), ["Bob trailed 5♦", "Bob trailed 7♣"]);
}

#[test]
fn a_new_room_whose_seat_did_not_come_can_be_asked_again() {
    let mut m = seated();
    over(&mut m);
    m.apply(ServerMessage::Rematch {
        offered: vec![Seat::FIRST, Seat::SECOND],
        room: Some("NEW234".to_owned()),
        declined: Vec::new(),
    });
    assert!(m.begin_rematch_ask(0));
    assert!(!m.rematch_view(0).enabled);
    m.rematch_answered(RematchAnswer::Failed(
        "The server cannot be reached.".to_owned(),
    ));
    let view = m.rematch_view(0);
    assert_eq!(view.button.as_deref(), Some("Open the new game"));
    assert!(view.enabled);
    assert!(view.status.ends_with("The server cannot be reached."));
}

#[test]
fn an_offer_the_opponent_refused_is_not_waited_on() {
    let mut m = seated();
    over(&mut m);
    m.apply(ServerMessage::Rematch {
        offered: vec![Seat::FIRST],
        room: None,
        declined: vec![Seat::SECOND],
    });
    let view = m.rematch_view(0);
    assert_eq!(view.status, "Bob does not want a rematch now.");
    assert!(!view.withdraw && !view.enabled);
}

#[test]
fn what_was_missed_names_the_opponent() {
    let mut m = seated();
    let view = state().view(Seat::FIRST);
    m.on_disconnect();
    let mut back = welcome(Some(view), 9, vec!["Opponent trailed 7♣".to_owned()]);
    if let ServerMessage::Welcome { players, .. } = &mut back {
        players.push(SeatInfo {
            seat: Seat::SECOND,
            name: "Bob".to_owned(),
        });
    }
    m.apply(back);
    assert_eq!(m.missed, ["Bob trailed 7♣"]);
}

// The inputs that do not come from the server, through the one door (`reduce`).

#[test]
fn a_conflict_with_another_tab_and_a_takeover_go_through_the_reducer() {
    let mut m = seated();
    assert_eq!(m.reduce(Input::TabConflict), Out::default());
    assert_eq!(
        m.phase,
        Phase::Conflict("This game is open in another tab of this browser.".to_owned())
    );
    assert_eq!(m.reduce(Input::TakeOver), Out::default());
    assert_eq!(m.phase, Phase::Recovering);
    m.reduce(Input::Moved);
    assert_eq!(m.phase, Phase::SessionMoved);
    assert!(m.is_final());
}

#[test]
fn a_server_message_that_ends_the_session_says_stop() {
    let mut m = seated();
    let out = m.reduce(Input::Server(ServerMessage::PlayerJoined {
        seat: Seat::SECOND,
        name: "Bob".to_owned(),
    }));
    assert!(!out.stop);
    assert!(m.reduce(Input::Server(ServerMessage::SessionMoved)).stop);
}

#[test]
fn a_close_says_stop_only_when_final_and_a_drop_recovers() {
    let mut m = seated();
    assert!(!m.reduce(Input::Closed(1006)).stop);
    m.reduce(Input::Disconnected);
    assert_eq!(m.phase, Phase::Recovering);
    assert!(m.reduce(Input::Closed(CloseCode::SessionMoved.code())).stop);
    assert_eq!(m.phase, Phase::SessionMoved);
}

#[test]
fn a_refused_session_is_over_whatever_the_code() {
    let mut m = seated();
    let out = m.reduce(Input::Refused {
        code: ErrorCode::SessionRevoked,
        message: "revoked".to_owned(),
    });
    assert!(out.stop);
    assert_eq!(m.phase, Phase::Left, "a revoked session was left");
    let mut other = seated();
    other.reduce(Input::Refused {
        code: ErrorCode::RateLimited,
        message: "slow down".to_owned(),
    });
    assert_eq!(other.phase, Phase::Expired);
    assert!(other
        .server_error
        .as_deref()
        .is_some_and(|e| e.starts_with("slow down")));
}

#[test]
fn moves_leave_and_its_timeout_are_inputs_that_say_what_to_send() {
    let mut m = seated();
    let out = m.reduce(Input::Propose {
        action_id: "a1".to_owned(),
        mv: Move::Trail {
            card: state().view(Seat::FIRST).hand[0],
        },
    });
    assert_eq!(out.send.len(), 1);
    assert!(m.has_pending());
    assert_eq!(m.reduce(Input::Leave).send, vec![ClientMessage::Leave]);
    assert_eq!(m.phase, Phase::Leaving);
    assert!(!m.reduce(Input::LeaveTimedOut).stop);
    assert_eq!(m.phase, Phase::Left);
}

#[test]
fn the_abandoned_dialog_answers_are_inputs() {
    let mut m = seated();
    m.reduce(Input::Server(ServerMessage::Presence {
        seats: vec![status(0, true), gone(1)],
    }));
    m.reduce(Input::Server(offer(
        vec![AbandonOption::ClaimVictory],
        false,
    )));
    assert!(m.dialog_open());
    m.reduce(Input::PutOfferAway);
    assert!(!m.dialog_open());
    assert_eq!(
        m.reduce(Input::ClaimVictory).send,
        vec![ClientMessage::ClaimVictory]
    );
    assert!(m.offer.as_ref().is_some_and(|o| o.claiming));
    assert_eq!(m.reduce(Input::Wait).send, vec![ClientMessage::Wait]);
}

#[test]
fn the_missed_dialog_and_the_return_notice_close_through_the_reducer() {
    let mut m = GameModel::new("ABC234");
    m.reduce(Input::Server(welcome(
        Some(state().view(Seat::FIRST)),
        1,
        vec![],
    )));
    m.reduce(Input::Server(welcome(
        Some(state().view(Seat::FIRST)),
        2,
        vec!["Opponent trailed".to_owned()],
    )));
    assert_eq!(m.missed.len(), 1);
    m.reduce(Input::MissedSeen);
    assert!(m.missed.is_empty());
    m.opponent_returned = true;
    m.reduce(Input::ReturnNoticeSeen);
    assert!(!m.opponent_returned);
}

#[test]
fn the_hand_summary_is_put_away_shown_and_answered_through_the_reducer() {
    let mut m = seated();
    m.reduce(Input::Server(event(1, after_hand(1))));
    m.reduce(Input::Server(hand_break(1, vec![])));
    assert!(m.summary_open());
    m.reduce(Input::PutSummaryAway);
    assert!(!m.summary_open());
    m.reduce(Input::ShowSummary);
    assert!(m.summary_open());
    assert_eq!(
        m.reduce(Input::NextHand).send,
        vec![ClientMessage::NextHand { hand: 1 }]
    );
    assert!(m.reduce(Input::NextHand).send.is_empty(), "said once");
}

#[test]
fn a_rematch_ask_is_sent_once_at_a_time_and_its_answer_says_the_next_step() {
    let mut m = seated();
    over(&mut m);
    let ask = m.reduce(Input::AskRematch { now: 5 });
    assert_eq!(ask.rematch, Some(RematchStep::Ask));
    assert_eq!(m.reduce(Input::AskRematch { now: 6 }).rematch, None);
    assert_eq!(m.rematch.asked_at, Some(5));
    let out = m.reduce(Input::RematchAnswered(RematchAnswer::Offered(vec![
        Seat::FIRST,
    ])));
    assert_eq!(out.rematch, Some(RematchStep::Stay));
    m.reduce(Input::DeclineRematch);
    assert!(m.rematch.declined.contains(&Seat::FIRST));
    assert_eq!(m.rematch.asked_at, None);
    m.reduce(Input::AskRematch { now: 7 });
    let out = m.reduce(Input::RematchAnswered(RematchAnswer::Seated));
    assert_eq!(out.rematch, Some(RematchStep::Enter));
    assert_eq!(m.reduce(Input::AskRematch { now: 8 }).rematch, None);
}
