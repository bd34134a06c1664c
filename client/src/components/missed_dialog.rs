//! "While you were away": the last (at most 5) missed events, closed by Continue, Escape or
//! after 5 s.

use dioxus::prelude::*;

use crate::components::modal::Modal;
use crate::config::UiConfig;
use crate::model::Input;
use crate::store::GameStore;
use crate::web::browser::sleep_ms;

/// The missed-actions dialog.
#[component]
pub fn MissedDialog(model: GameStore, config: UiConfig) -> Element {
    let count = use_memo(move || model.read().missed.len());
    use_effect(move || {
        if count() > 0 {
            spawn(async move {
                sleep_ms(config.missed_dialog_ms).await;
                model.dispatch(Input::MissedSeen);
            });
        }
    });
    let missed = model.read().missed.clone();
    if missed.is_empty() {
        return rsx! {};
    }
    rsx! {
        Modal {
            id: "missed-dialog",
            labelled_by: "missed-title",
            focus: "missed-continue",
            on_escape: move |_| {
                model.dispatch(Input::MissedSeen);
            },
            h2 { id: "missed-title", "While you were away" }
            ul {
                for line in missed {
                    li { "{line}" }
                }
            }
            button { id: "missed-continue", r#type: "button", class: "primary",
                onclick: move |_| {
                model.dispatch(Input::MissedSeen);
            },
                "Continue"
            }
        }
    }
}
