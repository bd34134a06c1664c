//! The thin browser side of tab coordination (SPEC R6): [`TabMessage`]s as JSON over a
//! `BroadcastChannel`. The decisions live in [`crate::tabs`].

use futures_channel::mpsc::UnboundedSender;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

use crate::tabs::TabMessage;

/// The channel every tab of this origin shares.
const CHANNEL: &str = "casino-tabs";

/// An open channel and its callback (closed when dropped).
pub struct TabChannel {
    channel: BroadcastChannel,
    _on_message: Closure<dyn FnMut(JsValue)>,
}

impl TabChannel {
    /// Opens the channel; messages from other tabs go to `incoming`. `None` where the browser
    /// has no `BroadcastChannel` (the server's `conflict` still protects the seat).
    pub fn open(incoming: UnboundedSender<TabMessage>) -> Option<TabChannel> {
        let channel = BroadcastChannel::new(CHANNEL).ok()?;
        let on_message = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let message = e
                .dyn_ref::<MessageEvent>()
                .and_then(|m| m.data().as_string())
                .and_then(|text| serde_json::from_str::<TabMessage>(&text).ok());
            if let Some(message) = message {
                let _ = incoming.unbounded_send(message);
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(TabChannel {
            channel,
            _on_message: on_message,
        })
    }

    /// Sends `message` to the other tabs.
    pub fn post(&self, message: &TabMessage) {
        if let Ok(text) = serde_json::to_string(message) {
            let _ = self.channel.post_message(&JsValue::from_str(&text));
        }
    }
}

impl Drop for TabChannel {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}
