//! The room's rules in a few words ("Game to 11 · no sweeps"), for the room's top bar.

use dioxus::prelude::*;
use game::Ruleset;

use crate::variants::ruleset_line;

/// The rules a room plays, once known (nothing while they are not).
#[component]
pub fn RulesetLine(ruleset: Option<Ruleset>) -> Element {
    let Some(ruleset) = ruleset else {
        return rsx! {};
    };
    let line = ruleset_line(&ruleset);
    rsx! {
        span { id: "ruleset-line", class: "ruleset-line", "{line}" }
    }
}
