//! One or more tests per rule of RULES.md; each names the rule it checks.

mod common;

use common::*;
use game::{GameState, Ruleset, Seat};

// ---- R-DEAL, R-LEAD, R-DEAL-END ------------------------------------------------------------

#[test]
fn r_deal_first_deal_goes_out_in_twos_nondealer_table_dealer() {
    let s = GameState::new(42, Seat::SECOND, Ruleset::default());
    let pack = game::shuffled_pack(42, 1);
    // Non-dealer (seat 0) 1-2 and 7-8; table 3-4 and 9-10; dealer 5-6 and 11-12 (1-based).
    assert_eq!(s.hands[0], [pack[0], pack[1], pack[6], pack[7]]);
    assert_eq!(s.table.loose, [pack[2], pack[3], pack[8], pack[9]]);
    assert_eq!(s.hands[1], [pack[4], pack[5], pack[10], pack[11]]);
    assert_eq!(s.stock, pack[12..].to_vec());
    assert_eq!(s.deal_number, 1);
    assert_eq!(s.to_move, Seat::FIRST, "R-LEAD: the non-dealer leads");
    assert!(game::check_integrity(&s).is_ok());
}

#[test]
fn r_deal_later_deals_go_to_hands_only_and_nondealer_leads_each_deal() {
    let mut s = GameState::new(5, Seat::FIRST, Ruleset::default());
    let table_before = s.table.loose.len();
    // Seat 1 is the non-dealer: it leads. Play out deal 1 by trailing (always legal without builds).
    for _ in 0..4 {
        for who in [1, 0] {
            let card = s.hands[who].last().copied().expect("card");
            if s.table.builds.iter().any(|b| b.owner == seat(who as u8)) {
                panic!("no builds expected");
            }
            play(
                &mut s,
                who as u8,
                &format!(r#"{{"type":"trail","card":"{card}"}}"#),
            );
        }
    }
    assert_eq!(s.deal_number, 2);
    assert_eq!(s.hands[0].len(), 4);
    assert_eq!(s.hands[1].len(), 4);
    assert_eq!(
        s.table.loose.len(),
        table_before + 8,
        "deals 2-6 give the table nothing"
    );
    assert_eq!(s.stock.len(), 32);
    assert_eq!(s.to_move, Seat::SECOND, "the non-dealer leads every deal");
    let pack = game::shuffled_pack(5, 1);
    // Positions within the block of 8: non-dealer 1-2 and 5-6; dealer 3-4 and 7-8.
    assert_eq!(s.hands[1], [pack[12], pack[13], pack[16], pack[17]]);
    assert_eq!(s.hands[0], [pack[14], pack[15], pack[18], pack[19]]);
}

#[test]
fn r_deal_end_a_new_deal_starts_only_when_both_hands_are_empty() {
    let mut s = GameState::new(9, Seat::SECOND, Ruleset::default());
    for _ in 0..3 {
        for who in [0u8, 1] {
            let card = s.hands[usize::from(who)][0];
            play(
                &mut s,
                who,
                &format!(r#"{{"type":"trail","card":"{card}"}}"#),
            );
        }
    }
    let card = s.hands[0][0];
    let out = play(&mut s, 0, &format!(r#"{{"type":"trail","card":"{card}"}}"#));
    assert_eq!(out.next_deal, None, "the dealer still holds a card");
    assert_eq!(s.deal_number, 1);
    let card = s.hands[1][0];
    let out = play(&mut s, 1, &format!(r#"{{"type":"trail","card":"{card}"}}"#));
    assert_eq!(out.next_deal, Some(2));
}

#[test]
fn a_hand_has_exactly_six_deals() {
    let mut s = GameState::new(77, Seat::SECOND, Ruleset::default());
    let mut deals_seen = vec![s.deal_number];
    while s.hand_number == 1 && !s.is_over() {
        let who = s.to_move;
        let mv = s.legal_moves(who).into_iter().next().expect("a legal move");
        let out = s.apply(who, &mv).expect("legal");
        if let Some(d) = out.next_deal {
            deals_seen.push(d);
        }
        if out.hand_result.is_some() {
            assert!(s.is_last_deal() || s.hand_number == 2);
            break;
        }
    }
    assert_eq!(deals_seen, vec![1, 2, 3, 4, 5, 6]);
}

// ---- R-TURN ------------------------------------------------------------------------------------

#[test]
fn r_turn_out_of_turn_and_unknown_cards_are_refused_without_change() {
    let s = position("7C 5D", "3H 4S", "7H");
    refuse(&s, 1, r#"{"type":"trail","card":"3H"}"#, "NOT_YOUR_TURN");
    refuse(&s, 0, r#"{"type":"trail","card":"KH"}"#, "CARD_NOT_IN_HAND");
    refuse(&s, 0, r#"{"type":"trail","card":"3H"}"#, "CARD_NOT_IN_HAND");
}

// ---- R-TRAIL -----------------------------------------------------------------------------------

#[test]
fn r_trail_is_allowed_even_when_the_card_could_capture() {
    let mut s = position("7C 5D", "3H 4S", "7H");
    let out = play(&mut s, 0, r#"{"type":"trail","card":"7C"}"#);
    assert!(out.captured.is_empty());
    assert_eq!(s.table.loose, cards("7H 7C"));
    assert_eq!(s.to_move, Seat::SECOND);
}

// ---- R-CAP-FACE ----------------------------------------------------------------------------------

#[test]
fn r_cap_face_a_face_card_pairs_exactly_one_card_of_its_rank() {
    let mut s = position("KC 5D", "3H 4S", "KH KD QS 5S");
    refuse(
        &s,
        0,
        r#"{"type":"capture","card":"KC","loose":["KH","KD"]}"#,
        "FACE_CARD_SINGLE_ONLY",
    );
    refuse(
        &s,
        0,
        r#"{"type":"capture","card":"KC","loose":["QS"]}"#,
        "FACE_CARD_SINGLE_ONLY",
    );
    let out = play(
        &mut s,
        0,
        r#"{"type":"capture","card":"KC","loose":["KD"]}"#,
    );
    assert_eq!(out.captured, cards("KD"));
    assert_eq!(s.table.loose, cards("KH QS 5S"), "the other king stays");
    assert_eq!(s.piles[0], cards("KD KC"));
}

#[test]
fn r_cap_face_a_face_card_never_takes_a_build() {
    let s = with_build(position("QC 9D", "3H 4S", "QH"), 1, 9, &["4C 5C"], 0);
    refuse(
        &s,
        0,
        r#"{"type":"capture","card":"QC","builds":[1]}"#,
        "FACE_CARD_SINGLE_ONLY",
    );
}

#[test]
fn r_value_face_cards_are_never_part_of_a_sum() {
    let s = position("10C 5D", "3H 4S", "JH 5H");
    refuse(
        &s,
        0,
        r#"{"type":"capture","card":"10C","loose":["JH"]}"#,
        "FACE_CARD_NOT_NUMERIC",
    );
    refuse(
        &s,
        0,
        r#"{"type":"build","card":"5D","value":10,"with":["JH"]}"#,
        "FACE_CARD_NOT_NUMERIC",
    );
}

// ---- R-CAP-NUM, R-CAP-CHOICE ---------------------------------------------------------------------

#[test]
fn r_cap_num_pair_and_sum_sets_in_one_capture() {
    let mut s = position("7C 2D", "3H 4S", "7H 3D 4C 5S 2H KD");
    let out = play(
        &mut s,
        0,
        r#"{"type":"capture","card":"7C","loose":["7H","3D","4C","5S","2H"]}"#,
    );
    assert_eq!(out.captured.len(), 5);
    assert_eq!(s.table.loose, cards("KD"));
    assert!(!out.sweep);
    assert_eq!(s.last_capturer, Some(Seat::FIRST));
    assert_eq!(
        s.piles[0].len(),
        6,
        "captured cards plus the capturing card"
    );
}

#[test]
fn r_cap_choice_the_capturer_need_not_take_every_set() {
    let mut s = position("7C 2D", "3H 4S", "7H 3D 4C");
    let out = play(
        &mut s,
        0,
        r#"{"type":"capture","card":"7C","loose":["3D","4C"]}"#,
    );
    assert_eq!(out.captured, cards("3D 4C"));
    assert_eq!(s.table.loose, cards("7H"));
}

#[test]
fn r_cap_num_sets_must_each_total_the_card_value() {
    let s = position("7C 2D", "3H 4S", "3D 5C 2S 6H");
    refuse(
        &s,
        0,
        r#"{"type":"capture","card":"7C","loose":["3D","5C"]}"#,
        "SET_DOES_NOT_TOTAL",
    );
    // 5+2 = 7 but 3+6 = 9: the whole selection must split into sevens.
    refuse(
        &s,
        0,
        r#"{"type":"capture","card":"7C","loose":["5C","2S","3D","6H"]}"#,
        "SET_DOES_NOT_TOTAL",
    );
    refuse(
        &s,
        0,
        r#"{"type":"capture","card":"7C","loose":["5C","5C","2S"]}"#,
        "CARD_USED_TWICE",
    );
    refuse(
        &s,
        0,
        r#"{"type":"capture","card":"7C","loose":["4H","3D"]}"#,
        "CARD_NOT_ON_TABLE",
    );
    refuse(
        &s,
        0,
        r#"{"type":"capture","card":"7C"}"#,
        "NOTHING_CAPTURED",
    );
}

// ---- R-CAP-BUILD ---------------------------------------------------------------------------------

#[test]
fn r_cap_build_only_by_its_declared_value_and_only_whole() {
    // 3+3 declared as 6 can be taken only by a 6.
    let s = with_build(position("3C 6C 9D", "6H 4S", "AH"), 1, 6, &["3D 3S"], 1);
    refuse(
        &s,
        0,
        r#"{"type":"capture","card":"3C","builds":[1]}"#,
        "BUILD_WRONG_VALUE",
    );
    refuse(
        &s,
        0,
        r#"{"type":"capture","card":"3C","loose":["3D"]}"#,
        "BUILD_NOT_WHOLE",
    );
    refuse(
        &s,
        0,
        r#"{"type":"capture","card":"6C","builds":[7]}"#,
        "UNKNOWN_BUILD",
    );
    let mut s = s;
    // Stealing the opponent's build.
    let out = play(&mut s, 0, r#"{"type":"capture","card":"6C","builds":[1]}"#);
    assert_eq!(out.captured.len(), 2);
    assert!(s.table.builds.is_empty());
}

#[test]
fn r_cap_build_a_multiple_build_of_threes_is_taken_only_by_a_three() {
    let s = with_build(
        position("3C 4C 9D", "6H 4S", "KH"),
        2,
        3,
        &["3D", "AH 2S"],
        1,
    );
    refuse(
        &s,
        0,
        r#"{"type":"capture","card":"4C","builds":[2]}"#,
        "BUILD_WRONG_VALUE",
    );
    let mut s = s;
    let out = play(&mut s, 0, r#"{"type":"capture","card":"3C","builds":[2]}"#);
    assert_eq!(out.captured.len(), 3);
}

#[test]
fn r_cap_build_builds_and_loose_sets_of_the_same_value_go_together() {
    let mut s = with_build(position("8C 2D", "6H 4S", "8H 5C 3D"), 1, 8, &["6D 2C"], 1);
    let out = play(
        &mut s,
        0,
        r#"{"type":"capture","card":"8C","builds":[1],"loose":["8H","5C","3D"]}"#,
    );
    assert_eq!(out.captured.len(), 5);
    assert!(out.sweep, "nothing left: a sweep");
    assert_eq!(s.sweeps[0], 1);
}

// ---- R-SWEEP -------------------------------------------------------------------------------------

#[test]
fn r_sweep_a_face_pair_taking_the_last_card_is_a_sweep() {
    let mut s = position("QC 2D", "6H 4S", "QH");
    let out = play(
        &mut s,
        0,
        r#"{"type":"capture","card":"QC","loose":["QH"]}"#,
    );
    assert!(out.sweep);
    assert_eq!(s.sweeps, [1, 0]);
}

#[test]
fn r_sweep_last_a_capture_with_the_last_card_that_clears_the_table_counts() {
    let mut s = position("9C", "4H", "4D");
    play(&mut s, 0, r#"{"type":"trail","card":"9C"}"#);
    let out = play(
        &mut s,
        1,
        r#"{"type":"capture","card":"4H","loose":["4D"]}"#,
    );
    assert!(!out.sweep, "9C is still on the table");
    let mut s = position("AC", "5H", "4D");
    play(&mut s, 0, r#"{"type":"trail","card":"AC"}"#);
    // Seat 1's last card 5H takes 4D + AC: it clears the table with the hand's last card.
    let out = play(
        &mut s,
        1,
        r#"{"type":"capture","card":"5H","loose":["4D","AC"]}"#,
    );
    assert!(out.sweep);
    assert_eq!(s.hand_results[0].seats[1].sweeps, 1, "R-SWEEP-LAST scores");
}

// ---- R-BUILD-NEW, R-BUILD-HOLD, R-BUILD-MAX --------------------------------------------------------

#[test]
fn r_build_new_single_build_needs_a_capturing_card() {
    let mut s = position("2D 5C", "6H 4S", "3H");
    let out = play(
        &mut s,
        0,
        r#"{"type":"build","card":"2D","value":5,"with":["3H"]}"#,
    );
    let b = out.build.expect("a build");
    assert_eq!((b.value, b.owner, b.components.len()), (5, Seat::FIRST, 1));
    assert!(s.table.loose.is_empty());
    assert_eq!(s.last_capturer, None, "building is never a capture");
    assert!(
        !out.sweep,
        "a build is never a sweep even if no loose card is left"
    );

    let s = position("2D 6C", "6H 4S", "3H");
    refuse(
        &s,
        0,
        r#"{"type":"build","card":"2D","value":5,"with":["3H"]}"#,
        "NO_CAPTURING_CARD",
    );
    refuse(
        &s,
        0,
        r#"{"type":"build","card":"2D","value":6,"with":["3H"]}"#,
        "SET_DOES_NOT_TOTAL",
    );
}

#[test]
fn r_build_new_the_played_card_must_join_table_cards() {
    let s = position("5D 5C", "6H 4S", "3H");
    refuse(
        &s,
        0,
        r#"{"type":"build","card":"5D","value":5}"#,
        "BUILD_NEEDS_TABLE_CARD",
    );
}

#[test]
fn r_build_numeral_and_max() {
    let s = position("JD 9C", "6H 4S", "3H 8S");
    refuse(
        &s,
        0,
        r#"{"type":"build","card":"JD","value":3,"with":["3H"]}"#,
        "FACE_CARD_NOT_NUMERIC",
    );
    let s = position("4D KC", "6H 4S", "8S");
    refuse(
        &s,
        0,
        r#"{"type":"build","card":"4D","value":12,"with":["8S"]}"#,
        "BUILD_OVER_10",
    );
}

#[test]
fn r_build_new_the_declared_value_decides_single_or_multiple() {
    // A 5 onto a 5: "building ten" (single, needs a 10) or "building fives" (multiple, needs a 5).
    let mut ten = position("5D 10C 5S", "6H 4S", "5H");
    play(
        &mut ten,
        0,
        r#"{"type":"build","card":"5D","value":10,"with":["5H"]}"#,
    );
    let b = build_of(&ten, 10);
    assert!(b.is_single());
    let mut fives = position("5D 10C 5S", "6H 4S", "5H");
    play(
        &mut fives,
        0,
        r#"{"type":"build","card":"5D","value":5,"absorb":[["5H"]]}"#,
    );
    let b = build_of(&fives, 5);
    assert!(!b.is_single());
    assert_eq!(b.components.len(), 2);
    // Without a 5 left in hand, fives are refused.
    let s = position("5D 10C", "6H 4S", "5H");
    refuse(
        &s,
        0,
        r#"{"type":"build","card":"5D","value":5,"absorb":[["5H"]]}"#,
        "NO_CAPTURING_CARD",
    );
}

#[test]
fn r_build_new_a_three_beside_ace_and_two_builds_threes() {
    let mut s = position("3D 3C", "6H 4S", "AH 2S");
    play(
        &mut s,
        0,
        r#"{"type":"build","card":"3D","value":3,"absorb":[["AH","2S"]]}"#,
    );
    let b = build_of(&s, 3);
    assert_eq!(b.components, vec![cards("3D"), cards("AH 2S")]);
}

#[test]
fn r_build_absorb_other_loose_groups_of_the_value_join() {
    let mut s = position("4D 9C", "6H 4S", "5H 9S 6C 3H");
    play(
        &mut s,
        0,
        r#"{"type":"build","card":"4D","value":9,"with":["5H"],"absorb":[["9S"],["6C","3H"]]}"#,
    );
    let b = build_of(&s, 9);
    assert_eq!(b.components.len(), 3);
    assert!(s.table.loose.is_empty());
    let s = position("4D 9C", "6H 4S", "5H 9S 2C");
    refuse(
        &s,
        0,
        r#"{"type":"build","card":"4D","value":9,"with":["5H"],"absorb":[["2C"]]}"#,
        "SET_DOES_NOT_TOTAL",
    );
    refuse(
        &s,
        0,
        r#"{"type":"build","card":"4D","value":9,"with":["5H"],"absorb":[["5H"]]}"#,
        "CARD_USED_TWICE",
    );
}

#[test]
fn r_build_unique_a_second_build_of_a_value_merges_into_the_first() {
    // Pagat's Example D: hand 6 + table 3 onto an existing 9-build.
    let mut s = with_build(position("6D 9C", "9H 4S", "3S"), 4, 9, &["4C 5C"], 1);
    play(
        &mut s,
        0,
        r#"{"type":"build","card":"6D","value":9,"with":["3S"]}"#,
    );
    assert_eq!(s.table.builds.len(), 1);
    let b = build_of(&s, 9);
    assert_eq!(b.id, 4, "the existing build keeps its id");
    assert_eq!(b.owner, Seat::FIRST, "the mover owns the merged build");
    assert_eq!(b.components.len(), 2);
}

// ---- R-INCREASE -----------------------------------------------------------------------------------

#[test]
fn r_increase_a_single_build_is_raised_by_the_hand_card_only() {
    let mut s = with_build(position("2D 9C", "9H 4S", "AS"), 1, 7, &["3C 4C"], 1);
    refuse(
        &s,
        0,
        r#"{"type":"increase","card":"2D","build":1,"with":["AS"]}"#,
        "INCREASE_HAND_CARD_ONLY",
    );
    let out = play(&mut s, 0, r#"{"type":"increase","card":"2D","build":1}"#);
    let b = out.build.expect("build");
    assert_eq!(
        (b.value, b.owner),
        (9, Seat::FIRST),
        "ownership moves to the mover"
    );
    assert!(b.is_single());
}

#[test]
fn r_increase_pagat_example_c_absorbs_a_loose_nine() {
    let mut s = with_build(position("2D 9C", "9H 4S", "9S"), 1, 7, &["3C 4C"], 1);
    play(
        &mut s,
        0,
        r#"{"type":"increase","card":"2D","build":1,"absorb":[["9S"]]}"#,
    );
    let b = build_of(&s, 9);
    assert!(!b.is_single(), "absorbing makes it multiple");
    assert!(s.table.loose.is_empty());
}

#[test]
fn r_increase_refusals_locked_over_ten_and_no_capturing_card() {
    let s = with_build(
        position("2D 9C 10C", "9H 4S", "AS"),
        1,
        7,
        &["3C 4C", "7S"],
        1,
    );
    refuse(
        &s,
        0,
        r#"{"type":"increase","card":"2D","build":1}"#,
        "MULTIPLE_BUILD_LOCKED",
    );
    let s = with_build(position("5D 9C", "9H 4S", "AS"), 1, 7, &["3C 4C"], 1);
    refuse(
        &s,
        0,
        r#"{"type":"increase","card":"5D","build":1}"#,
        "BUILD_OVER_10",
    );
    let s = with_build(position("2D 8C", "9H 4S", "AS"), 1, 7, &["3C 4C"], 1);
    refuse(
        &s,
        0,
        r#"{"type":"increase","card":"2D","build":1}"#,
        "NO_CAPTURING_CARD",
    );
}

#[test]
fn r_increase_your_own_build_is_allowed() {
    let mut s = with_build(position("2D 9C 7D", "9H 4S", "AS"), 1, 7, &["3C 4C"], 0);
    play(&mut s, 0, r#"{"type":"increase","card":"2D","build":1}"#);
    assert_eq!(build_of(&s, 9).owner, Seat::FIRST);
}

#[test]
fn r_increase_into_an_existing_value_merges_builds() {
    let s = with_build(position("2D 9C", "9H 4S", "AS"), 1, 7, &["3C 4C"], 1);
    let mut s = with_build(s, 2, 9, &["4D 5D"], 1);
    play(&mut s, 0, r#"{"type":"increase","card":"2D","build":1}"#);
    assert_eq!(s.table.builds.len(), 1);
    let b = build_of(&s, 9);
    assert_eq!((b.components.len(), b.owner), (2, Seat::FIRST));
}

// ---- R-ADD ------------------------------------------------------------------------------------------

#[test]
fn r_add_a_card_alone_or_with_loose_cards_becomes_a_new_component() {
    let mut s = with_build(position("8D 3C 8C", "9H 4S", "5S"), 1, 8, &["3H 5H"], 1);
    let out = play(
        &mut s,
        0,
        r#"{"type":"add","card":"3C","build":1,"with":["5S"]}"#,
    );
    let b = out.build.expect("build");
    assert_eq!((b.value, b.owner, b.components.len()), (8, Seat::FIRST, 2));
    // Now multiple: its value is locked.
    let mut s2 = s.clone();
    s2.to_move = Seat::FIRST;
    s2.hands[0].push(c("AC"));
    refuse(
        &s2,
        0,
        r#"{"type":"increase","card":"AC","build":1}"#,
        "MULTIPLE_BUILD_LOCKED",
    );
    let mut s = with_build(position("8D 8C", "9H 4S", ""), 1, 8, &["3H 5H"], 0);
    play(&mut s, 0, r#"{"type":"add","card":"8D","build":1}"#);
    assert_eq!(build_of(&s, 8).components.len(), 2);
}

#[test]
fn r_add_refusals() {
    let s = with_build(position("3C 8C", "9H 4S", "4S"), 1, 8, &["3H 5H"], 1);
    refuse(
        &s,
        0,
        r#"{"type":"add","card":"3C","build":1,"with":["4S"]}"#,
        "SET_DOES_NOT_TOTAL",
    );
    let s = with_build(position("8D 9C", "9H 4S", ""), 1, 8, &["3H 5H"], 1);
    refuse(
        &s,
        0,
        r#"{"type":"add","card":"8D","build":1}"#,
        "NO_CAPTURING_CARD",
    );
}

// ---- R-OWNER-NO-TRAIL, R-OWNER-KEEP ---------------------------------------------------------------

#[test]
fn r_owner_no_trail() {
    let s = with_build(position("9C 4D", "9H 4S", "2S"), 1, 9, &["4C 5C"], 0);
    refuse(
        &s,
        0,
        r#"{"type":"trail","card":"4D"}"#,
        "OWNER_MAY_NOT_TRAIL",
    );
    // The opponent may trail.
    let mut other = s.clone();
    other.to_move = Seat::SECOND;
    play(&mut other, 1, r#"{"type":"trail","card":"4S"}"#);
}

#[test]
fn r_owner_keep_the_only_capturing_card_may_not_be_spent_elsewhere() {
    let s = with_build(position("9C 4D", "9H 4S", "9S 2H 2D"), 1, 9, &["4C 5C"], 0);
    refuse(
        &s,
        0,
        r#"{"type":"capture","card":"9C","loose":["9S"]}"#,
        "OWNER_MUST_KEEP_CAPTURING_CARD",
    );
    refuse(
        &s,
        0,
        r#"{"type":"build","card":"4D","value":6,"with":["2H"]}"#,
        "NO_CAPTURING_CARD",
    );
    // ... unless the same move captures the build.
    let mut ok = s.clone();
    play(
        &mut ok,
        0,
        r#"{"type":"capture","card":"9C","builds":[1],"loose":["9S"]}"#,
    );
    assert!(ok.table.builds.is_empty());
}

// ---- R-HAND-END, R-SCORE -------------------------------------------------------------------------

#[test]
fn r_hand_end_the_last_capturer_takes_the_residue_which_is_not_a_sweep() {
    let mut s = position("9C", "5H", "4D");
    s.last_capturer = Some(Seat::SECOND);
    play(&mut s, 0, r#"{"type":"trail","card":"9C"}"#);
    let out = play(&mut s, 1, r#"{"type":"trail","card":"5H"}"#);
    let residue = out.residue.expect("residue");
    assert_eq!(residue.to, Some(Seat::SECOND));
    assert_eq!(residue.cards.len(), 3);
    assert!(!out.sweep);
    assert_eq!(out.hand_result.expect("scored").seats[1].sweeps, 0);
}

#[test]
fn r_hand_end_without_any_capture_the_residue_is_set_aside() {
    let mut s = position("9C", "5H", "4D");
    play(&mut s, 0, r#"{"type":"trail","card":"9C"}"#);
    let out = play(&mut s, 1, r#"{"type":"trail","card":"5H"}"#);
    assert_eq!(out.residue.expect("residue").to, None);
    let hand = out.hand_result.expect("scored");
    assert_eq!(hand.seats[0].total + hand.seats[1].total, 0);
}

#[test]
fn r_score_categories() {
    let piles = [cards("10D 2S AS AH 3S 4S 5C 6C"), cards("AD AC 7H 8H 9H")];
    let hand = game::score::score_hand(1, &piles, [2, 1], &Ruleset::default());
    let a = hand.seats[0];
    assert_eq!((a.cards, a.spades), (8, 4));
    assert_eq!(
        (
            a.most_cards,
            a.most_spades,
            a.big_casino,
            a.little_casino,
            a.aces,
            a.sweeps
        ),
        (3, 1, 2, 1, 2, 2)
    );
    assert_eq!(a.total, 11);
    let b = hand.seats[1];
    assert_eq!(
        (b.most_cards, b.most_spades, b.aces, b.sweeps, b.total),
        (0, 0, 2, 1, 3)
    );
    let no_sweeps = game::score::score_hand(
        1,
        &piles,
        [2, 1],
        &Ruleset::with_variants(&["V-NO-SWEEPS"]).expect("variant"),
    );
    assert_eq!((no_sweeps.seats[0].total, no_sweeps.seats[1].total), (9, 2));
}

#[test]
fn r_score_names_the_scoring_cards_each_seat_took() {
    let piles = [cards("10D 2S AS AH 3S 4S 5C 6C"), cards("AD AC 7H 8H 9H")];
    let hand = game::score::score_hand(1, &piles, [2, 1], &Ruleset::default());
    let mut first = cards("10D 2S AS AH");
    first.sort();
    let mut second = cards("AD AC");
    second.sort();
    assert_eq!(hand.scoring_cards, [first, second]);
    // A result stored before the field existed still reads.
    let old: game::HandResult = serde_json::from_value(
        serde_json::json!({ "hand_number": 1, "seats": [hand.seats[0], hand.seats[1]] }),
    )
    .expect("old hand result");
    assert!(old.scoring_cards.iter().all(Vec::is_empty));
}

#[test]
fn r_score_ties_for_cards_or_spades_score_nothing() {
    let piles = [cards("3S 4H"), cards("5S 6H")];
    let hand = game::score::score_hand(1, &piles, [0, 0], &Ruleset::default());
    assert_eq!(hand.seats[0].most_cards + hand.seats[1].most_cards, 0);
    assert_eq!(hand.seats[0].most_spades + hand.seats[1].most_spades, 0);
}

// ---- R-GAME-END and variants -----------------------------------------------------------------------

/// Seat 0 to play its last card (capturing everything), seat 1 then trails its last card.
fn last_turns(scores: [u32; 2], ruleset: Ruleset) -> GameState {
    let mut s = position("5C", "KH", "5D");
    s.ruleset = ruleset;
    s.scores = scores;
    s.piles = [
        cards("10D 2S AS AH AD AC 3S 4S 6S 7S 8S 9S"),
        cards("3H 4H"),
    ];
    s
}

#[test]
fn r_game_end_one_player_reaches_the_target() {
    let mut s = last_turns([10, 5], Ruleset::default());
    play(
        &mut s,
        0,
        r#"{"type":"capture","card":"5C","loose":["5D"]}"#,
    );
    let out = play(&mut s, 1, r#"{"type":"trail","card":"KH"}"#);
    // Seat 0 scores 3+1+2+1+4+1(sweep) = 12 → 22.
    let result = out.game_over.expect("over");
    assert_eq!(result.winner, Some(Seat::FIRST));
    assert_eq!(result.scores, [22, 5]);
    assert!(s.is_over());
    refuse(&s, 0, r#"{"type":"trail","card":"KH"}"#, "GAME_OVER");
}

#[test]
fn r_game_end_nobody_there_yet_deals_a_new_hand_with_the_other_dealer() {
    let mut s = last_turns([0, 0], Ruleset::default());
    s.seed = 3;
    play(
        &mut s,
        0,
        r#"{"type":"capture","card":"5C","loose":["5D"]}"#,
    );
    let out = play(&mut s, 1, r#"{"type":"trail","card":"KH"}"#);
    assert!(out.game_over.is_none());
    assert_eq!(s.hand_number, 2);
    assert_eq!(s.dealer, Seat::FIRST, "the deal alternates");
    assert_eq!(s.to_move, Seat::SECOND);
    assert_eq!((s.deal_number, s.stock.len()), (1, 40));
    assert!(s.piles.iter().all(Vec::is_empty));
    assert_eq!(s.scores, [12, 0]);
}

#[test]
fn r_game_end_both_reach_it_and_the_higher_total_wins_equal_plays_on() {
    let mut s = last_turns([12, 30], Ruleset::default());
    play(
        &mut s,
        0,
        r#"{"type":"capture","card":"5C","loose":["5D"]}"#,
    );
    let out = play(&mut s, 1, r#"{"type":"trail","card":"KH"}"#);
    assert_eq!(
        out.game_over.expect("over").winner,
        Some(Seat::SECOND),
        "24 < 30"
    );
    let mut s = last_turns([18, 30], Ruleset::default());
    play(
        &mut s,
        0,
        r#"{"type":"capture","card":"5C","loose":["5D"]}"#,
    );
    let out = play(&mut s, 1, r#"{"type":"trail","card":"KH"}"#);
    assert!(out.game_over.is_none(), "30-30: another hand");
    assert_eq!(s.hand_number, 2);
}

#[test]
fn v_target_11_and_single_hand() {
    let eleven = Ruleset::with_variants(&["V-TARGET-11"]).expect("variant");
    let mut s = last_turns([0, 0], eleven);
    play(
        &mut s,
        0,
        r#"{"type":"capture","card":"5C","loose":["5D"]}"#,
    );
    let out = play(&mut s, 1, r#"{"type":"trail","card":"KH"}"#);
    assert_eq!(out.game_over.expect("12 ≥ 11").winner, Some(Seat::FIRST));

    let single = Ruleset::with_variants(&["V-SINGLE-HAND"]).expect("variant");
    let mut s = position("9C", "5H", "4D");
    s.ruleset = single;
    play(&mut s, 0, r#"{"type":"trail","card":"9C"}"#);
    let out = play(&mut s, 1, r#"{"type":"trail","card":"5H"}"#);
    let result = out.game_over.expect("one hand is the game");
    assert_eq!(result.winner, None, "0-0 is a draw");
}

// ---- Views and summaries ---------------------------------------------------------------------------

#[test]
fn a_view_shows_own_hand_and_counts_only() {
    let s = GameState::new(11, Seat::SECOND, Ruleset::default());
    let view = s.view(Seat::FIRST);
    assert_eq!(view.hand, s.hands[0]);
    assert_eq!(view.opponent_hand_count, 4);
    assert_eq!(view.stock_count, 40);
    let json = serde_json::to_string(&view).expect("json");
    for hidden in s.hands[1].iter().chain(&s.stock) {
        assert!(!json.contains(&format!("\"{hidden}\"")), "{hidden} leaked");
    }
    assert!(!json.contains("seed"));
    assert_eq!(view.legal_moves(), s.legal_moves(Seat::FIRST));
    assert!(s.view(Seat::SECOND).legal_moves().is_empty());
}

#[test]
fn summaries_read_from_both_sides() {
    let mut s = position("7C 2D", "3H 4S", "3D 4C 9S");
    let out = play(
        &mut s,
        0,
        r#"{"type":"capture","card":"7C","loose":["3D","4C"]}"#,
    );
    assert_eq!(out.summary(Seat::FIRST), "You captured 3♦ and 4♣ with 7♣");
    assert_eq!(
        out.summary(Seat::SECOND),
        "Opponent captured 3♦ and 4♣ with 7♣"
    );
    let out = play(&mut s, 1, r#"{"type":"trail","card":"3H"}"#);
    assert_eq!(out.summary(Seat::FIRST), "Opponent trailed 3♥");
}

#[test]
fn r_sweep_summary_names_every_card_taken() {
    let mut s = position("9C 2D", "3H 4S", "9S");
    let out = play(
        &mut s,
        0,
        r#"{"type":"capture","card":"9C","loose":["9S"]}"#,
    );
    assert_eq!(
        out.summary(Seat::SECOND),
        "Opponent swept the table, capturing 9♠ with 9♣"
    );
}

#[test]
fn r_cap_build_summary_names_the_build_taken_with_its_value_and_cards() {
    let s = position("7C 2D", "3H 4S", "7H KS");
    let mut s = with_build(s, 1, 7, &["4D 3S", "7S"], 1);
    let out = play(
        &mut s,
        0,
        r#"{"type":"capture","card":"7C","builds":[1],"loose":["7H"]}"#,
    );
    assert_eq!(
        out.summary(Seat::SECOND),
        "Opponent captured 7♥ and the build of 7 (4♦ + 3♠ and 7♠) with 7♣"
    );
    assert_eq!(out.taken_builds.len(), 1);
    assert_eq!(out.taken_builds[0].value, 7);
}

#[test]
fn r_build_new_summary_names_the_value_and_the_table_cards() {
    let mut s = position("4D 9C", "6H 4S", "5H");
    let out = play(
        &mut s,
        0,
        r#"{"type":"build","card":"4D","value":9,"with":["5H"]}"#,
    );
    assert_eq!(
        out.summary(Seat::SECOND),
        "Opponent built 9 with 4♦ and 5♥ from the table"
    );
    let mut s = position("AD 9C", "6H 4S", "5H 3C");
    let out = play(
        &mut s,
        0,
        r#"{"type":"build","card":"AD","value":9,"with":["5H","3C"]}"#,
    );
    assert_eq!(
        out.summary(Seat::FIRST),
        "You built 9 with A♦, 5♥ and 3♣ from the table"
    );
}

#[test]
fn r_build_absorb_summary_says_multiple_build_and_lists_each_set() {
    let mut s = position("2D 8C", "6H 4S", "6C 8H");
    let out = play(
        &mut s,
        0,
        r#"{"type":"build","card":"2D","value":8,"with":["6C"],"absorb":[["8H"]]}"#,
    );
    assert_eq!(
        out.summary(Seat::SECOND),
        "Opponent built a multiple build of 8 with 2♦: 2♦ + 6♣ and 8♥"
    );
}

#[test]
fn r_increase_summary_says_from_which_value_to_which_and_the_cards() {
    let s = position("3H 8C", "6H 4S", "KS");
    let mut s = with_build(s, 1, 5, &["3C 2D"], 1);
    let out = play(&mut s, 0, r#"{"type":"increase","card":"3H","build":1}"#);
    assert_eq!(
        out.summary(Seat::SECOND),
        "Opponent raised the build of 5 to 8 with 3♥: 3♣ + 2♦ + 3♥"
    );
    let s = position("3H 8C", "6H 4S", "6S 2S");
    let mut s = with_build(s, 1, 5, &["3C 2D"], 1);
    let out = play(
        &mut s,
        0,
        r#"{"type":"increase","card":"3H","build":1,"absorb":[["6S","2S"]]}"#,
    );
    assert_eq!(
        out.summary(Seat::SECOND),
        "Opponent raised the build of 5 to 8 with 3♥, now a multiple build: \
         3♣ + 2♦ + 3♥ and 6♠ + 2♠"
    );
}

#[test]
fn r_add_summary_names_the_cards_that_joined_and_the_sets_now() {
    let s = position("2D 8C", "6H 4S", "6C KS");
    let mut s = with_build(s, 1, 8, &["8H"], 1);
    let out = play(
        &mut s,
        0,
        r#"{"type":"add","card":"2D","build":1,"with":["6C"]}"#,
    );
    assert_eq!(
        out.summary(Seat::FIRST),
        "You added 2♦ + 6♣ to the build of 8, now a multiple build: 8♥ and 2♦ + 6♣"
    );
}

#[test]
fn r_hand_end_summary_keeps_the_residue_and_hand_over_tails() {
    let mut s = position("7C", "5H", "4D 3S 2S");
    play(
        &mut s,
        0,
        r#"{"type":"capture","card":"7C","loose":["4D","3S"]}"#,
    );
    let out = play(&mut s, 1, r#"{"type":"trail","card":"5H"}"#);
    assert_eq!(
        out.summary(Seat::FIRST),
        "Opponent trailed 5♥; last capture: you took the 2 cards left on the table \
         (2♠ and 5♥). Hand 1 over: you scored 5, opponent 0"
    );
}
