//! A finished room's result, shown when its link is opened: who won, the scores, the rules it
//! was played under and why it ended (left, claimed after an absence, did not come back,
//! played out).

use dioxus::prelude::*;

use crate::hand_report::{end_reason, presence_at_end};
use crate::variants::{ruleset_line, ruleset_of};
use crate::web::api::RoomFacts;
use crate::wording::count;

/// The result of finished room `code`.
#[component]
pub fn FinishedRoomPanel(code: String, room: RoomFacts) -> Element {
    let name = |i: usize| {
        room.players
            .iter()
            .find(|p| p.seat.index() == i)
            .map_or_else(|| format!("Player {}", i + 1), |p| p.name.clone())
    };
    let names = [name(0), name(1)];
    let refs = [names[0].as_str(), names[1].as_str()];
    let Some(result) = room.result.clone() else {
        return rsx! {
            section { id: "finished-room", class: "panel", "data-status": "{room.status}",
                h2 { "Room {code}: this game is over" }
                p { id: "finished-reason", "Its creator left before anyone joined." }
            }
        };
    };
    let ruleset = ruleset_of(&room.variants);
    let rules = ruleset_line(&ruleset);
    let winner = match result.winner {
        Some(w) => format!("{} won", names[w.index()]),
        None => "A draw".to_owned(),
    };
    let left: Vec<usize> = room.left.iter().map(|s| s.index()).collect();
    let target = (!ruleset.single_hand).then_some(ruleset.target);
    let (key, why) = room.end_reason.map_or(("", String::new()), |reason| {
        end_reason(
            reason,
            result.winner.map(|w| w.index()),
            refs,
            presence_at_end(&left),
            target,
        )
    });
    let score = if result.hands_played == 0 {
        "No hand was finished before the game ended.".to_owned()
    } else {
        format!(
            "{} {} – {} {} · {}",
            names[0],
            result.scores[0],
            result.scores[1],
            names[1],
            count(u64::from(result.hands_played), "hand", "hands")
        )
    };
    rsx! {
        section { id: "finished-room", class: "panel", "data-status": "{room.status}",
            h2 { "Room {code}: this game is over" }
            p { id: "finished-winner", class: "final", "{winner}" }
            p { id: "finished-scores", "{score}" }
            p { id: "finished-reason", "data-reason": key, "{why}" }
            p { id: "finished-rules", class: "hint", "{rules}" }
        }
    }
}
