//! The judge: reads a case (position, seat, move) as JSON and rules on it. The format is
//! documented in game/README.md; `casino-judge` is the command-line front end.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::card::Card;
use crate::error::Violation;
use crate::integrity::check_integrity;
use crate::moves::Move;
use crate::position::validate_position;
use crate::seat::Seat;
use crate::state::{GameState, Outcome};

/// One case: a position, the seat that moves (default: the one to move), the move, and
/// optionally what the caller expects.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    /// Free text naming the case.
    #[serde(default)]
    pub name: Option<String>,
    /// The position; omitted fields take defaults (see game/README.md).
    pub position: GameState,
    /// The seat proposing the move; defaults to `position.to_move`.
    #[serde(default)]
    pub seat: Option<Seat>,
    /// The move, kept raw so an unknown move type is a ruling, not a parse failure.
    #[serde(rename = "move")]
    pub mv: Value,
    /// What the caller expects; the verdict says whether it was met.
    #[serde(default)]
    pub expect: Option<Expectation>,
}

/// What a case expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expectation {
    /// Whether the move is legal.
    pub legal: bool,
    /// The error code, when illegal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The captured table cards (any order), when legal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captured: Option<Vec<Card>>,
    /// Whether the move sweeps, when legal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<bool>,
}

/// The judge's answer to a case.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// The case's name, echoed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether the move is legal.
    pub legal: bool,
    /// Why not, when illegal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Violation>,
    /// What the move did, when legal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// The outcome in words from the mover's side, when legal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The resulting position, when legal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<GameState>,
    /// Integrity problems of the resulting position (a partial position reports missing cards).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub integrity: Vec<String>,
    /// Whether `expect` held, when the case had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expect_met: Option<bool>,
}

/// Rules on one case.
pub fn judge(case: &Case) -> Verdict {
    let seat = case.seat.unwrap_or(case.position.to_move);
    let mut verdict = Verdict {
        name: case.name.clone(),
        legal: false,
        error: None,
        outcome: None,
        summary: None,
        position: None,
        integrity: Vec::new(),
        expect_met: None,
    };
    if let Err(invalid) = validate_position(&case.position) {
        verdict.error = Some(Violation {
            code: crate::protocol::ErrorCode::InvalidPosition,
            rule: "POSITION".to_owned(),
            message: invalid.to_string(),
        });
        if let Some(expect) = &case.expect {
            verdict.expect_met = Some(meets(&verdict, expect));
        }
        return verdict;
    }
    match serde_json::from_value::<Move>(case.mv.clone()) {
        Err(e) => {
            verdict.error = Some(Violation {
                code: crate::protocol::ErrorCode::UnknownMove,
                rule: "R-TURN".to_owned(),
                message: format!("not a move: {e}"),
            });
        }
        Ok(mv) => {
            let mut state = case.position.clone();
            match state.apply(seat, &mv) {
                Ok(outcome) => {
                    verdict.legal = true;
                    verdict.summary = Some(outcome.summary(seat));
                    verdict.outcome = Some(outcome);
                    // Hand-made positions often hold only the cards that matter; the full
                    // check applies to whole-pack positions.
                    if whole_pack(&case.position) {
                        if let Err(problems) = check_integrity(&state) {
                            verdict.integrity = problems.iter().map(ToString::to_string).collect();
                        }
                    }
                    verdict.position = Some(state);
                }
                Err(e) => verdict.error = Some(e.violation()),
            }
        }
    }
    if let Some(expect) = &case.expect {
        verdict.expect_met = Some(meets(&verdict, expect));
    }
    verdict
}

fn whole_pack(state: &GameState) -> bool {
    let table = state.table.cards().count();
    let rest = state.stock.len()
        + state.hands.iter().map(Vec::len).sum::<usize>()
        + state.piles.iter().map(Vec::len).sum::<usize>()
        + state.set_aside.len();
    table + rest == 52
}

fn meets(verdict: &Verdict, expect: &Expectation) -> bool {
    if verdict.legal != expect.legal {
        return false;
    }
    if let (Some(code), Some(error)) = (&expect.code, &verdict.error) {
        if code.as_str() != error.code.as_str() {
            return false;
        }
    }
    if let (Some(want), Some(outcome)) = (&expect.captured, &verdict.outcome) {
        let mut want = want.clone();
        let mut got = outcome.captured.clone();
        want.sort();
        got.sort();
        if want != got {
            return false;
        }
    }
    if let (Some(sweep), Some(outcome)) = (expect.sweep, &verdict.outcome) {
        if sweep != outcome.sweep {
            return false;
        }
    }
    true
}

/// Rules on a JSON document holding one case or an array of cases.
pub fn judge_json(input: &str) -> Result<Value, serde_json::Error> {
    let doc: Value = serde_json::from_str(input)?;
    if let Value::Array(items) = doc {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let case: Case = serde_json::from_value(item)?;
            out.push(serde_json::to_value(judge(&case))?);
        }
        Ok(Value::Array(out))
    } else {
        let case: Case = serde_json::from_value(doc)?;
        serde_json::to_value(judge(&case))
    }
}
