//! The optional chime on the opponent's move: a short tone made with the Web Audio API (no
//! audio file), off unless the player turns it on; the choice is kept in `localStorage`.

use std::cell::RefCell;

use web_sys::{AudioContext, OscillatorType};

/// The `localStorage` key of the choice ("on" or "off").
const KEY: &str = "casino_sound";

thread_local! {
    static CONTEXT: RefCell<Option<AudioContext>> = const { RefCell::new(None) };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Whether the player turned the sound on (off by default).
pub fn enabled() -> bool {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .is_some_and(|v| v == "on")
}

/// Keeps the player's choice; when turning it on (a click, which browsers require before
/// sound), the audio context starts.
pub fn set_enabled(on: bool) {
    if let Some(storage) = storage() {
        // Storage blocked or full: the choice lasts for this page only.
        let _ = storage.set_item(KEY, if on { "on" } else { "off" });
    }
    if on {
        let _ = context();
    }
}

/// The page's audio context, made once and resumed (browsers suspend it until a click).
fn context() -> Option<AudioContext> {
    CONTEXT.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = AudioContext::new().ok();
        }
        let context = cell.clone()?;
        // A refused resume leaves the context silent: the chime is a nicety.
        let _ = context.resume();
        Some(context)
    })
}

/// A short two-note chime; whether it was started.
pub fn chime() -> bool {
    let Some(context) = context() else {
        return false;
    };
    let now = context.current_time();
    let play = |frequency: f32, start: f64| -> Option<()> {
        let oscillator = context.create_oscillator().ok()?;
        oscillator.set_type(OscillatorType::Sine);
        oscillator.frequency().set_value(frequency);
        let gain = context.create_gain().ok()?;
        let volume = gain.gain();
        volume.set_value_at_time(0.0001, start).ok()?;
        volume
            .exponential_ramp_to_value_at_time(0.18, start + 0.02)
            .ok()?;
        volume
            .exponential_ramp_to_value_at_time(0.0001, start + 0.18)
            .ok()?;
        oscillator.connect_with_audio_node(&gain).ok()?;
        gain.connect_with_audio_node(&context.destination()).ok()?;
        oscillator.start_with_when(start).ok()?;
        oscillator.stop_with_when(start + 0.2).ok()
    };
    play(660.0, now).is_some() && play(880.0, now + 0.12).is_some()
}
