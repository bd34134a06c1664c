//! "Sound" on or off (off by default, remembered in this browser); when on, a chime plays on
//! each move of the opponent.

use dioxus::prelude::*;

use crate::store::GameStore;
use crate::web::sound;

/// The toggle, and the chime on the opponent's moves while it is on.
#[component]
pub fn SoundToggle(model: GameStore) -> Element {
    let mut on = use_signal(sound::enabled);
    // Only a new move of the opponent chimes (not a reconnection, nor one's own move).
    let theirs = use_memo(move || {
        let m = model.read();
        let by_them = m.opponent().is_some_and(|o| m.last_move.by(o));
        (m.seq, by_them)
    });
    let mut heard = use_signal(|| theirs.peek().0);
    use_effect(move || {
        let (seq, by_them) = theirs();
        if seq > *heard.peek() {
            heard.set(seq);
            if by_them && *on.peek() {
                sound::chime();
            }
        }
    });
    rsx! {
        button {
            id: "sound-toggle",
            r#type: "button",
            class: "sound-toggle",
            "aria-pressed": if on() { "true" } else { "false" },
            title: "A short sound when your opponent moves",
            onclick: move |_| {
                let next = !on();
                sound::set_enabled(next);
                on.set(next);
            },
            if on() { "Sound: on" } else { "Sound: off" }
        }
    }
}
