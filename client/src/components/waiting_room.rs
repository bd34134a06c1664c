//! Waiting for the second player: the code to share, with a copy button.

use dioxus::prelude::*;

use crate::web::browser;

/// The waiting room of `room`.
#[component]
pub fn WaitingRoom(room: String) -> Element {
    let mut copied = use_signal(|| None::<bool>);
    let code = room.clone();
    rsx! {
        section { id: "waiting-room", class: "panel center",
            h2 { "Waiting for your opponent" }
            p { "Send this code to a friend:" }
            div { id: "room-code-display", class: "code", "{room}" }
            button {
                id: "copy-code",
                onclick: move |_| {
                    let code = code.clone();
                    spawn(async move {
                        copied.set(Some(browser::copy_text(&code).await));
                    });
                },
                "Copy code"
            }
            match copied() {
                Some(true) => rsx! { span { class: "hint", " Copied!" } },
                Some(false) => rsx! { span { class: "hint", " Copy failed — select the code instead." } },
                None => rsx! {},
            }
            p { class: "hint", "or the link: /room/{room}" }
        }
    }
}
