//! One browser WebSocket whose events go into a channel, tagged with a generation number so
//! events of a replaced socket are recognised and dropped.

use futures_channel::mpsc::UnboundedSender;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CloseEvent, MessageEvent, WebSocket};

/// What a socket reports.
#[derive(Debug)]
pub enum SocketEvent {
    /// Open; send `hello`.
    Open(u32),
    /// A text frame.
    Message(u32, String),
    /// Closed (or failed to open), with the close code (1006 when the browser gave none).
    Closed(u32, u16),
    /// The server refuses the session for good (asked after a failed connection): code, message.
    Refused(game::protocol::ErrorCode, String),
}

/// A live socket and its callbacks (freed when it is dropped).
pub struct Socket {
    ws: WebSocket,
    /// Generation of this socket.
    pub generation: u32,
    _callbacks: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl Socket {
    /// Opens `url`; its events go to `events`.
    pub fn open(
        url: &str,
        generation: u32,
        events: UnboundedSender<SocketEvent>,
    ) -> Result<Socket, JsValue> {
        let ws = WebSocket::new(url)?;
        let on_open = {
            let tx = events.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |_| {
                let _ = tx.unbounded_send(SocketEvent::Open(generation));
            })
        };
        let on_message = {
            let tx = events.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
                if let Some(text) = e
                    .dyn_ref::<MessageEvent>()
                    .and_then(|m| m.data().as_string())
                {
                    let _ = tx.unbounded_send(SocketEvent::Message(generation, text));
                }
            })
        };
        let on_close = {
            let tx = events;
            Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
                let code = e.dyn_ref::<CloseEvent>().map_or(1006, CloseEvent::code);
                let _ = tx.unbounded_send(SocketEvent::Closed(generation, code));
            })
        };
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // An error is always followed by close; close alone drives reconnection.
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Socket {
            ws,
            generation,
            _callbacks: vec![on_open, on_message, on_close],
        })
    }

    /// Sends a text frame; whether the browser took it.
    pub fn send(&self, text: &str) -> bool {
        self.ws.ready_state() == WebSocket::OPEN && self.ws.send_with_str(text).is_ok()
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        // Detach the callbacks before they are freed, then close.
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}
