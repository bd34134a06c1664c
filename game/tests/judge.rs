//! The judge against the documented cases in game/cases/, in-process and through the binary.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

fn cases() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn verdicts(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    }
}

#[test]
fn every_documented_case_meets_its_expectation() {
    let files = cases();
    assert!(files.len() >= 3, "cases are missing");
    let mut count = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
        let out =
            game::judge::judge_json(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for verdict in verdicts(&out) {
            assert_eq!(
                verdict["expect_met"],
                Value::Bool(true),
                "{}: {verdict:#}",
                file.display()
            );
            count += 1;
        }
    }
    assert!(count >= 7);
}

#[test]
fn an_illegal_case_names_the_rule_and_a_legal_one_shows_the_result() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases/owner-may-not-trail.json"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = game::judge::judge_json(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out["legal"], false);
    assert_eq!(out["error"]["code"], "OWNER_MAY_NOT_TRAIL");
    assert_eq!(out["error"]["rule"], "R-OWNER-NO-TRAIL");

    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases/multi-set-capture.json"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = game::judge::judge_json(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out["legal"], true);
    assert_eq!(out["outcome"]["sweep"], true);
    assert_eq!(out["position"]["table"]["loose"], Value::Array(vec![]));
    assert_eq!(
        out["summary"],
        "You swept the table, capturing 7♥, 3♦, 4♣, 5♠, 2♥ and the build of 7 (6♦ + A♣) \
         with 7♣"
    );
}

#[test]
fn the_binary_reads_stdin_and_fails_an_unmet_expectation() {
    let case = r#"{"position":{"hands":[["7C"],["2D"]],"table":{"loose":["7H"]}},
                  "move":{"type":"capture","card":"7C","loose":["7H"]},
                  "expect":{"legal":false}}"#;
    let mut child = Command::new(env!("CARGO_BIN_EXE_casino-judge"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    child
        .stdin
        .take()
        .map(|mut s| s.write_all(case.as_bytes()))
        .transpose()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(1),
        "the move is legal, so `legal: false` is unmet"
    );
    let verdict: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(verdict["legal"], true);
    assert_eq!(verdict["expect_met"], false);

    let bad = Command::new(env!("CARGO_BIN_EXE_casino-judge"))
        .arg("/nonexistent/case.json")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(bad.status.code(), Some(2));
}

/// A case around `position` (JSON) with `mv`.
fn case(position: Value, mv: Value) -> String {
    serde_json::json!({ "position": position, "move": mv }).to_string()
}

#[test]
fn positions_out_of_range_are_refused_at_the_boundary_not_wrapped() {
    let build_250 = serde_json::json!({
        "to_move": 0, "dealer": 1, "deal_number": 6,
        "hands": [["9C", "4D"], ["9H", "4S"]],
        "table": {"loose": [], "builds": [
            {"id": 1, "value": 250, "components": [["4C", "5C"]], "owner": 0}
        ]}
    });
    let rich = serde_json::json!({
        "to_move": 0, "dealer": 1, "deal_number": 6,
        "hands": [["9C"], ["9H"]], "scores": [u32::MAX - 1, 3],
        "table": {"loose": ["2S"], "builds": []}
    });
    let twice = serde_json::json!({
        "to_move": 0, "dealer": 1, "deal_number": 6,
        "hands": [["9C"], ["9C"]],
        "table": {"loose": [], "builds": []}
    });
    for position in [build_250, rich, twice] {
        let out = game::judge::judge_json(&case(
            position.clone(),
            serde_json::json!({"type": "increase", "card": "9C", "build": 1}),
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out["legal"], false, "{position}");
        assert_eq!(out["error"]["code"], "INVALID_POSITION", "{out:#}");
    }
}

#[test]
fn the_engine_never_wraps_a_build_value() {
    // The engine itself, handed such a build without the judge's check, still refuses.
    let mut state: game::GameState = serde_json::from_value(serde_json::json!({
        "to_move": 0, "dealer": 1, "deal_number": 6,
        "hands": [["9C", "4D"], ["9H", "4S"]],
        "table": {"loose": [], "builds": [
            {"id": 1, "value": 250, "components": [["4C", "5C"]], "owner": 0}
        ]}
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    let mv: game::Move =
        serde_json::from_value(serde_json::json!({"type": "increase", "card": "9C", "build": 1}))
            .unwrap_or_else(|e| panic!("{e}"));
    let err = state
        .apply(game::Seat::FIRST, &mv)
        .expect_err("a build of 259 is refused");
    assert_eq!(err.code().as_str(), "BUILD_OVER_10");
}
