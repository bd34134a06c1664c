//! The room's `GameModel` as the page shares it: a signal that components and the socket owner
//! read, and change only by giving the model's reducer an `Input` (`dispatch`).

use dioxus::prelude::*;
use dioxus::signals::ReadableRef;

use crate::model::{GameModel, Input, Out};

/// The room's model, readable by all and written only through its reducer.
#[derive(Clone, Copy, PartialEq)]
pub struct GameStore {
    model: Signal<GameModel>,
}

impl GameStore {
    /// Reads the model, subscribing the caller (a component, memo or effect) to its changes.
    pub fn read(&self) -> ReadableRef<'_, Signal<GameModel>> {
        self.model.read()
    }

    /// Reads the model without subscribing.
    pub fn peek(&self) -> ReadableRef<'_, Signal<GameModel>> {
        self.model.peek()
    }

    /// Gives `input` to the model's reducer; what to do next.
    pub fn dispatch(&self, input: Input) -> Out {
        let mut model = self.model;
        let out = model.write().reduce(input);
        out
    }
}

/// A new store for `room` (a hook: the same store on every render of the caller).
pub fn use_game_store(room: &str) -> GameStore {
    let room = room.to_owned();
    GameStore {
        model: use_signal(move || GameModel::new(&room)),
    }
}
