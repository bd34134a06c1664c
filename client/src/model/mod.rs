//! The client's game model and the reducer that applies server messages to it (SPEC R4, R7),
//! with the break between hands (`hand_break` / `next_hand` / `hand_started`) and the rematch
//! offer of a finished game (`rematch`). No I/O: every change is an `Input` to `reduce`
//! (`input.rs`); the socket owner sends what comes out, the game-over screen asks for the
//! rematch over HTTP.

use game::protocol::{AbandonOption, ClientMessage, CloseCode, EndReason, SeatInfo, SeatPresence};
use game::{GameResult, HandResult, Move, PlayerView, Seat};

use crate::deal_check::{DealCheck, DealWitness};
use crate::hand_moves::HandMoves;
use crate::last_move::LastMove;

mod apply;
mod input;
mod interlude;
#[cfg(test)]
mod tests;

pub use input::{Input, Out};
pub use interlude::{
    clock_offset, HandBreak, Rematch, RematchAnswer, RematchStep, RematchView, UNANSWERED_AFTER_MS,
};

/// The most missed events the recovery dialog lists.
pub const MAX_SUMMARY: usize = 5;

/// A move sent (or waiting to be sent) whose acknowledgement has not arrived.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingMove {
    /// Idempotency key, reused verbatim on every resend.
    pub action_id: String,
    /// The move.
    pub mv: Move,
}

impl PendingMove {
    /// The `action` message carrying this move.
    pub fn message(&self) -> ClientMessage {
        ClientMessage::Action {
            action_id: self.action_id.clone(),
            mv: self.mv.clone(),
        }
    }
}

/// What the screen shows, beyond the table.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// Waiting for `welcome` ("Recovering game state…").
    Recovering,
    /// Seated, waiting for the second player.
    WaitingForOpponent,
    /// A game runs.
    Playing,
    /// The game ended.
    Over {
        /// Winner and scores.
        result: GameResult,
        /// Why.
        reason: EndReason,
    },
    /// Another connection holds the seat.
    Conflict(String),
    /// The seat moved to another tab or device; every control is off.
    SessionMoved,
    /// The session is no longer valid (gone past the return window, or the room is gone).
    Expired,
    /// The player pressed Leave and confirmed; waiting for the server's `left`.
    Leaving,
    /// The player left this game (here or in another tab): it cannot be resumed.
    Left,
}

/// The `abandoned` offer: the opponent abandoned the game (gone too long, or left).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// What the player may do.
    pub options: Vec<AbandonOption>,
    /// When the opponent went away (ms).
    pub gone_since: i64,
    /// When the game ends by itself, this player winning (ms).
    pub return_by: i64,
    /// The player chose to wait: the dialog is closed, "Claim victory" stays on the table.
    pub waiting: bool,
    /// "Claim victory" was sent: the buttons are off until the server answers.
    pub claiming: bool,
}

/// The client's picture of its room.
#[derive(Debug, Clone, PartialEq)]
pub struct GameModel {
    /// Room code.
    pub room: String,
    /// This player's seat, once welcomed.
    pub you: Option<Seat>,
    /// Seated players.
    pub players: Vec<SeatInfo>,
    /// The latest view.
    pub view: Option<PlayerView>,
    /// Highest event sequence number applied.
    pub seq: u64,
    /// Moves not yet acknowledged, oldest first.
    pub pending: Vec<PendingMove>,
    /// The last rejection, in words.
    pub rejection: Option<String>,
    /// Missed events in words, shown after a reconnection until dismissed.
    pub missed: Vec<String>,
    /// Presence of both seats.
    pub presence: Vec<SeatPresence>,
    /// The latest event in words, the opponent by name and captured cards listed.
    pub last_event: Option<String>,
    /// What the latest move put on the table, marked until the next one.
    pub last_move: LastMove,
    /// This hand's moves in words as shown (the opponent by name), oldest first: the move list.
    pub hand_moves: HandMoves,
    /// Screen phase.
    pub phase: Phase,
    /// The opponent just came back (the "Opponent reconnected" notice is due).
    pub opponent_returned: bool,
    /// This page has seen the opponent connected (so a later return is a return).
    pub opponent_seen: bool,
    /// The abandonment offer (R5), while the opponent stays away.
    pub offer: Option<Offer>,
    /// The last protocol error from the server.
    pub server_error: Option<String>,
    /// The deal's commitment and what this player saw dealt.
    pub witness: DealWitness,
    /// What the revealed deal says, once the game is over.
    pub deal_check: Option<DealCheck>,
    /// What the screen reader's live region says: the last event in words, "Your turn".
    pub announcement: String,
    /// The hand that just ended, while its summary dialog is open (games of more than one
    /// hand; a single hand's detail is on the game-over screen). Between hands it stays open
    /// until the server starts the next hand; after the last hand, until the player closes it.
    pub hand_summary: Option<HandResult>,
    /// The hand whose summary the player put away (Escape): a bar above the table offers it
    /// again, and "Next hand".
    pub summary_put_away: Option<u32>,
    /// The break between hands, while it lasts.
    pub hand_break: Option<HandBreak>,
    /// The hand after which this player said "Next hand" (sent again if the server's next
    /// `hand_break` does not list this seat as ready, e.g. after a reconnection).
    pub ready_for: Option<u32>,
    /// The server's clock minus this browser's (ms), from the heartbeat's pongs; 0 until known.
    pub clock_offset_ms: i64,
    /// The round trip of the pong `clock_offset_ms` comes from: the shortest seen, as the
    /// offset's error is at most half of it.
    pub clock_rtt_ms: Option<i64>,
    /// The rematch of a finished game.
    pub rematch: Rematch,
}

impl GameModel {
    /// A model for `room` before any message.
    pub fn new(room: &str) -> Self {
        Self {
            room: room.to_owned(),
            you: None,
            players: Vec::new(),
            view: None,
            seq: 0,
            pending: Vec::new(),
            rejection: None,
            missed: Vec::new(),
            presence: Vec::new(),
            last_event: None,
            last_move: LastMove::default(),
            hand_moves: HandMoves::default(),
            phase: Phase::Recovering,
            opponent_returned: false,
            opponent_seen: false,
            offer: None,
            server_error: None,
            witness: DealWitness::default(),
            deal_check: None,
            announcement: String::new(),
            hand_summary: None,
            summary_put_away: None,
            hand_break: None,
            ready_for: None,
            clock_offset_ms: 0,
            clock_rtt_ms: None,
            rematch: Rematch::default(),
        }
    }

    /// Records a move the player chose; returns the message to send (if the socket is up).
    fn propose(&mut self, action_id: String, mv: Move) -> ClientMessage {
        let pending = PendingMove { action_id, mv };
        let message = pending.message();
        self.rejection = None;
        self.pending.push(pending);
        message
    }

    /// Whether a move is awaiting its acknowledgement (the composer is locked meanwhile).
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// The `hello` for a new socket.
    pub fn hello(&self) -> ClientMessage {
        ClientMessage::hello(self.seq)
    }

    /// Every unacknowledged move, to resend after a reconnection (same `action_id`s).
    pub fn resend_list(&self) -> Vec<ClientMessage> {
        self.pending.iter().map(PendingMove::message).collect()
    }

    /// "Wait" in the abandoned dialog: the dialog closes; the server answers with the offer,
    /// "Claim victory" still in it.
    fn choose_wait(&mut self) -> ClientMessage {
        if let Some(offer) = &mut self.offer {
            offer.waiting = true;
        }
        ClientMessage::Wait
    }

    /// "Claim victory"; the server ends the game with `game_over` (or refuses with an error,
    /// which turns the buttons back on).
    fn claim_victory(&mut self) -> ClientMessage {
        if let Some(offer) = &mut self.offer {
            offer.claiming = true;
        }
        ClientMessage::ClaimVictory
    }

    /// Escape in the abandoned dialog when there is nothing to wait for (the opponent left):
    /// the dialog goes, "Claim victory" stays in the bar; nothing is sent.
    fn put_offer_away(&mut self) {
        if let Some(offer) = &mut self.offer {
            offer.waiting = true;
        }
    }

    /// Whether the abandoned dialog is up (an offer the player has not answered with Wait).
    pub fn dialog_open(&self) -> bool {
        self.offer.as_ref().is_some_and(|o| !o.waiting)
    }

    /// "Leave" confirmed: the `leave` to send; the client stops once the server says `left`.
    fn leave(&mut self) -> ClientMessage {
        self.phase = Phase::Leaving;
        ClientMessage::Leave
    }

    /// Whether the session ended for good here (moved, expired, left): never reconnect.
    pub fn is_final(&self) -> bool {
        matches!(
            self.phase,
            Phase::SessionMoved | Phase::Expired | Phase::Left
        )
    }

    /// The socket closed with `code`: whether the client must stop reconnecting.
    fn on_close_code(&mut self, code: u16) -> bool {
        let Some(close) = CloseCode::from_code(code).filter(|c| c.is_final()) else {
            return false;
        };
        let ended = matches!(
            self.phase,
            Phase::Over { .. } | Phase::SessionMoved | Phase::Left
        );
        match close {
            CloseCode::SessionMoved => self.phase = Phase::SessionMoved,
            CloseCode::Left => self.phase = Phase::Left,
            _ if ended => {}
            _ => self.phase = Phase::Expired,
        }
        true
    }

    /// The socket went away: back to "Recovering" until the next `welcome`, keeping everything.
    fn on_disconnect(&mut self) {
        if matches!(self.phase, Phase::Playing | Phase::WaitingForOpponent) {
            self.phase = Phase::Recovering;
        }
    }

    /// The opponent's seat.
    pub fn opponent(&self) -> Option<Seat> {
        self.you.map(Seat::other)
    }

    /// The opponent's presence.
    pub fn opponent_presence(&self) -> Option<&SeatPresence> {
        let them = self.opponent()?;
        self.presence.iter().find(|s| s.seat == them)
    }

    /// Whether an opponent has taken the other seat: before that there is nobody to show
    /// as connected or gone.
    pub fn opponent_joined(&self) -> bool {
        self.opponent().is_some_and(|s| self.name_of(s).is_some())
    }

    /// Whether a running game waits for this player's move.
    pub fn your_turn(&self) -> bool {
        self.phase == Phase::Playing && self.view.as_ref().is_some_and(PlayerView::is_my_turn)
    }

    /// Both players' display names by seat number ("Player 1" for a seat not yet named).
    pub fn names(&self) -> [String; 2] {
        [Seat::FIRST, Seat::SECOND].map(|seat| {
            self.name_of(seat)
                .map_or_else(|| format!("Player {}", seat.index() + 1), str::to_owned)
        })
    }

    /// The opponent's display name ("Opponent" until known), the word that replaces
    /// "Opponent" in the server's summaries.
    pub fn opponent_name(&self) -> &str {
        self.opponent()
            .and_then(|s| self.name_of(s))
            .unwrap_or("Opponent")
    }

    /// A player's display name.
    pub fn name_of(&self, seat: Seat) -> Option<&str> {
        self.players
            .iter()
            .find(|p| p.seat == seat)
            .map(|p| p.name.as_str())
    }
}
