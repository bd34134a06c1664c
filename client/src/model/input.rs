//! The one door to the model: every change of a `GameModel` is an `Input` given to `reduce`,
//! whether it came from the server, the socket, another tab or the player. What the caller
//! must do next (send, stop, enter the rematch) comes back as an `Out`.

use game::protocol::{ClientMessage, ErrorCode, ServerMessage};
use game::Move;

use super::{GameModel, Phase, RematchAnswer, RematchStep};

/// Something that changes the model.
// An input lives only until the reducer takes it (never stored, never in a collection): boxing
// the server's message would cost an allocation per message for nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A message from the server.
    Server(ServerMessage),
    /// The socket closed with this code.
    Closed(u16),
    /// The socket went away (closed, silent or offline): recovering until the next `welcome`.
    Disconnected,
    /// The server refused the session over HTTP before the socket opened (401).
    Refused {
        /// Why.
        code: ErrorCode,
        /// The server's words.
        message: String,
    },
    /// A `pong` answering the ping sent at `t` came back at `now`.
    Pong {
        /// When the ping left (this browser's clock, ms).
        t: i64,
        /// The server's clock when it answered (ms).
        server_t: i64,
        /// When the pong arrived (this browser's clock, ms).
        now: i64,
    },
    /// Another tab of this browser holds the seat.
    TabConflict,
    /// The seat moved to another tab of this browser.
    Moved,
    /// "Take over" in the conflict dialog: recovering on this page's socket.
    TakeOver,
    /// The player chose a move (`action_id` is its idempotency key).
    Propose {
        /// Idempotency key.
        action_id: String,
        /// The move.
        mv: Move,
    },
    /// "Wait" in the abandoned dialog.
    Wait,
    /// "Claim victory".
    ClaimVictory,
    /// Escape in the abandoned dialog when there is nothing to wait for.
    PutOfferAway,
    /// "Next hand" (or "See the result") in the hand summary.
    NextHand,
    /// Escape in the hand summary.
    PutSummaryAway,
    /// "Show the summary" in the bar above the table.
    ShowSummary,
    /// "Leave" confirmed.
    Leave,
    /// The server did not answer Leave in time: the seat counts as left here.
    LeaveTimedOut,
    /// The missed-events dialog closed (Continue, Escape or its timer).
    MissedSeen,
    /// The "Opponent reconnected" notice has been shown long enough.
    ReturnNoticeSeen,
    /// "Rematch" pressed (or asked again) at `now` (this browser's clock).
    AskRematch {
        /// When.
        now: i64,
    },
    /// The server answered this player's rematch ask.
    RematchAnswered(RematchAnswer),
    /// "Withdraw offer", "No, thanks" or "Play again".
    DeclineRematch,
}

/// What the caller does after an input.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Out {
    /// Messages for the socket, in order (the caller knows whether it is up).
    pub send: Vec<ClientMessage>,
    /// The session ended for good here: no socket, no reconnection.
    pub stop: bool,
    /// The rematch's next step (after `AskRematch` or `RematchAnswered`).
    pub rematch: Option<RematchStep>,
}

impl Out {
    fn send(message: ClientMessage) -> Self {
        Self {
            send: vec![message],
            ..Self::default()
        }
    }

    fn send_some(message: Option<ClientMessage>) -> Self {
        Self {
            send: message.into_iter().collect(),
            ..Self::default()
        }
    }

    fn rematch(step: RematchStep) -> Self {
        Self {
            rematch: Some(step),
            ..Self::default()
        }
    }
}

impl GameModel {
    /// Applies one input; says what to do next.
    pub fn reduce(&mut self, input: Input) -> Out {
        match input {
            Input::Server(message) => {
                let send = self.apply(message);
                Out {
                    send,
                    stop: self.is_final(),
                    rematch: None,
                }
            }
            Input::Closed(code) => Out {
                stop: self.on_close_code(code),
                ..Out::default()
            },
            Input::Refused { code, message } => {
                self.refused(code, message);
                Out {
                    stop: true,
                    ..Out::default()
                }
            }
            Input::Pong { t, server_t, now } => {
                self.on_pong(t, server_t, now);
                Out::default()
            }
            Input::Propose { action_id, mv } => Out::send(self.propose(action_id, mv)),
            Input::Wait => Out::send(self.choose_wait()),
            Input::ClaimVictory => Out::send(self.claim_victory()),
            Input::NextHand => Out::send_some(self.next_hand()),
            Input::Leave => Out::send(self.leave()),
            Input::AskRematch { now } => {
                if self.begin_rematch_ask(now) {
                    Out::rematch(RematchStep::Ask)
                } else {
                    Out::default()
                }
            }
            Input::RematchAnswered(answer) => Out::rematch(self.rematch_answered(answer)),
            local => {
                self.on_local(local);
                Out::default()
            }
        }
    }

    /// The inputs that only change what the page shows.
    fn on_local(&mut self, input: Input) {
        match input {
            Input::Disconnected => self.on_disconnect(),
            Input::TabConflict => {
                self.phase =
                    Phase::Conflict("This game is open in another tab of this browser.".to_owned());
            }
            Input::Moved => self.phase = Phase::SessionMoved,
            Input::TakeOver => self.phase = Phase::Recovering,
            Input::LeaveTimedOut => self.phase = Phase::Left,
            Input::PutOfferAway => self.put_offer_away(),
            Input::PutSummaryAway => self.put_summary_away(),
            Input::ShowSummary => self.show_summary(),
            Input::MissedSeen => self.missed.clear(),
            Input::ReturnNoticeSeen => self.opponent_returned = false,
            Input::DeclineRematch => self.decline_rematch(),
            _ => {}
        }
    }

    /// The session was refused over HTTP: the error is shown, and the session is over here
    /// whatever the code says.
    fn refused(&mut self, code: ErrorCode, message: String) {
        let _ = self.apply(ServerMessage::Error {
            code,
            message: format!("{message} ({code})"),
        });
        if !self.is_final() {
            self.phase = Phase::Expired;
        }
    }
}
