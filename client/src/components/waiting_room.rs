//! Waiting for the second player: the invitation link to send, with Copy and (where the browser
//! has a share sheet) Share.

use dioxus::prelude::*;

use crate::web::browser;

/// The waiting room of `room`.
#[component]
pub fn WaitingRoom(room: String) -> Element {
    let mut copied = use_signal(|| None::<bool>);
    // A link opened elsewhere needs the host: a bare path means nothing in a chat message.
    let link = use_hook(|| format!("{}/room/{room}", browser::origin()));
    let can_share = use_hook(browser::can_share);
    let to_copy = link.clone();
    let to_share = link.clone();
    rsx! {
        section { id: "waiting-room", class: "panel center",
            h2 { "Waiting for your opponent" }
            p { "Send this invitation link to a friend:" }
            input {
                id: "invite-link",
                class: "invite-link",
                readonly: true,
                value: "{link}",
                "aria-label": "Invitation link",
            }
            div { class: "invite-actions",
                button {
                    id: "copy-link",
                    class: "primary",
                    onclick: move |_| {
                        let text = to_copy.clone();
                        spawn(async move {
                            copied.set(Some(browser::copy_text(&text).await));
                        });
                    },
                    "Copy"
                }
                if can_share {
                    button {
                        id: "share-link",
                        onclick: move |_| {
                            let url = to_share.clone();
                            spawn(async move {
                                // A dismissed share sheet is no error worth telling.
                                let _ = browser::share_link("Play Casino with me", &url).await;
                            });
                        },
                        "Share"
                    }
                }
            }
            match copied() {
                Some(true) => rsx! { p { id: "copy-feedback", class: "hint", role: "status", "Copied" } },
                Some(false) => rsx! {
                    p { id: "copy-feedback", class: "hint", role: "status", "Copy failed — select the link instead." }
                },
                None => rsx! {},
            }
            p { class: "hint", "Or give them the room code:" }
            div { id: "room-code-display", class: "code", "{room}" }
        }
    }
}
