//! Above the table while the link is down: what the page is doing about it (recovering,
//! reconnecting, waiting for the network, the next attempt), how long the seat is still kept,
//! and Retry.

use dioxus::prelude::*;

use crate::components::clock::use_clock;
use crate::status_view::{link_banner, LinkView};
use crate::web::connection::Command;

/// The banner of `link` at `now` (the room's once-a-second tick); nothing while connected.
#[component]
pub fn LinkBannerView(link: Signal<LinkView>) -> Element {
    let now = use_clock();
    let conn = use_coroutine_handle::<Command>();
    let Some(banner) = link_banner(&link(), now) else {
        return rsx! {};
    };
    rsx! {
        // Not a live region: its countdown would be read out every second.
        div { id: "link-banner", class: "banner link {banner.state}", "data-state": banner.state,
            span { "{banner.text}" }
            if let Some(enabled) = banner.retry {
                button {
                    id: "banner-retry",
                    r#type: "button",
                    disabled: !enabled,
                    onclick: move |_| conn.send(Command::Retry),
                    "Retry now"
                }
            }
        }
    }
}
