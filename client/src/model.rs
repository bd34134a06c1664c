//! The client's game model and the reducer that applies server messages to it (SPEC R4, R7).
//! No I/O: the socket owner feeds messages in and sends what comes out.

use game::protocol::{ClientMessage, EndReason, SeatInfo, SeatStatus, ServerMessage};
use game::{GameResult, Move, PlayerView, Seat};

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
}

/// Close codes of docs/API.md the client acts on.
pub mod close_code {
    /// The room no longer exists, or the session does not match its seat.
    pub const ROOM_GONE: u16 = 4004;
    /// The session moved to a newer connection.
    pub const SESSION_MOVED: u16 = 4009;
    /// The player was gone past the return window.
    pub const SESSION_EXPIRED: u16 = 4010;
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
    /// Connection state of both seats.
    pub status: Vec<SeatStatus>,
    /// The latest event in words.
    pub last_event: Option<String>,
    /// Screen phase.
    pub phase: Phase,
    /// The opponent just came back (the "Opponent reconnected" notice is due).
    pub opponent_returned: bool,
    /// Abandonment options offered by the server (R5), if any: the dialog is up.
    pub abandoned: Option<Vec<String>>,
    /// The player chose to wait for the abandoning opponent.
    pub waited: bool,
    /// The last protocol error from the server.
    pub server_error: Option<String>,
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
            status: Vec::new(),
            last_event: None,
            phase: Phase::Recovering,
            opponent_returned: false,
            abandoned: None,
            waited: false,
            server_error: None,
        }
    }

    /// Records a move the player chose; returns the message to send (if the socket is up).
    pub fn propose(&mut self, action_id: String, mv: Move) -> ClientMessage {
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
        ClientMessage::Hello {
            protocol: game::protocol::PROTOCOL_VERSION,
            last_seq: self.seq,
        }
    }

    /// Every unacknowledged move, to resend after a reconnection (same `action_id`s).
    pub fn resend_list(&self) -> Vec<ClientMessage> {
        self.pending.iter().map(PendingMove::message).collect()
    }

    /// "Wait" in the abandoned dialog: the dialog closes, the table and the banner stay.
    pub fn choose_wait(&mut self) -> ClientMessage {
        self.abandoned = None;
        self.waited = true;
        ClientMessage::Wait
    }

    /// "Claim victory" in the abandoned dialog; the server ends the game with `game_over`.
    pub fn claim_victory(&mut self) -> ClientMessage {
        self.abandoned = None;
        ClientMessage::ClaimVictory
    }

    /// Whether the session ended for good here (moved or expired): never reconnect.
    pub fn is_final(&self) -> bool {
        matches!(self.phase, Phase::SessionMoved | Phase::Expired)
    }

    /// The socket closed with `code`: whether the client must stop reconnecting.
    pub fn on_close_code(&mut self, code: u16) -> bool {
        let ended = matches!(self.phase, Phase::Over { .. } | Phase::SessionMoved);
        match code {
            close_code::SESSION_MOVED => self.phase = Phase::SessionMoved,
            close_code::ROOM_GONE | close_code::SESSION_EXPIRED if !ended => {
                self.phase = Phase::Expired;
            }
            close_code::ROOM_GONE | close_code::SESSION_EXPIRED => {}
            _ => return false,
        }
        true
    }

    /// The socket went away: back to "Recovering" until the next `welcome`, keeping everything.
    pub fn on_disconnect(&mut self) {
        if matches!(self.phase, Phase::Playing | Phase::WaitingForOpponent) {
            self.phase = Phase::Recovering;
        }
    }

    /// The opponent's seat.
    pub fn opponent(&self) -> Option<Seat> {
        self.you.map(Seat::other)
    }

    /// The opponent's connection state.
    pub fn opponent_status(&self) -> Option<&SeatStatus> {
        let them = self.opponent()?;
        self.status.iter().find(|s| s.seat == them)
    }

    /// A player's display name.
    pub fn name_of(&self, seat: Seat) -> Option<&str> {
        self.players
            .iter()
            .find(|p| p.seat == seat)
            .map(|p| p.name.as_str())
    }

    fn set_status(&mut self, status: Vec<SeatStatus>) {
        // A seat never taken is not "away": only a player who left can come back.
        let was_away = self
            .opponent_status()
            .is_some_and(|s| !s.connected && s.disconnected_since.is_some());
        self.status = status;
        let back = self.opponent_status().is_some_and(|s| s.connected);
        if was_away && back {
            self.opponent_returned = true;
        }
        if back {
            // The opponent is back: the abandoned dialog has nothing left to decide.
            self.abandoned = None;
            self.waited = false;
        }
    }

    fn phase_for_view(&self) -> Phase {
        match &self.view {
            None => Phase::WaitingForOpponent,
            Some(view) => match &view.result {
                Some(result) => Phase::Over {
                    result: result.clone(),
                    reason: EndReason::Completed,
                },
                None => Phase::Playing,
            },
        }
    }

    /// Applies one server message; returns what to send back (resends after `welcome`).
    pub fn apply(&mut self, message: ServerMessage) -> Vec<ClientMessage> {
        match message {
            ServerMessage::Welcome {
                room,
                you,
                players,
                view,
                seq,
                summary,
                status,
                ..
            } => {
                let reconnecting = self.you.is_some() || self.seq > 0;
                self.room = room;
                self.you = Some(you);
                self.players = players;
                self.view = view;
                self.seq = self.seq.max(seq);
                self.set_status(status);
                if reconnecting && !summary.is_empty() {
                    let skip = summary.len().saturating_sub(MAX_SUMMARY);
                    self.missed = summary.into_iter().skip(skip).collect();
                }
                if !self.is_final() {
                    self.phase = self.phase_for_view();
                }
                return self.resend_list();
            }
            ServerMessage::Event {
                seq, summary, view, ..
            } => {
                if seq > self.seq {
                    self.seq = seq;
                    self.last_event = Some(summary);
                    self.view = Some(view);
                    if matches!(self.phase, Phase::Playing | Phase::WaitingForOpponent) {
                        self.phase = self.phase_for_view();
                    }
                }
            }
            ServerMessage::Ack { action_id, .. } => {
                self.pending.retain(|p| p.action_id != action_id);
            }
            ServerMessage::Rejected {
                action_id,
                code,
                message,
            } => {
                let was_ours = self.pending.iter().any(|p| p.action_id == action_id);
                self.pending.retain(|p| p.action_id != action_id);
                if was_ours {
                    self.rejection = Some(format!("Move refused: {message} ({code})"));
                }
            }
            ServerMessage::PlayerJoined { seat, name } => {
                self.players.retain(|p| p.seat != seat);
                self.players.push(SeatInfo { seat, name });
                self.players.sort_by_key(|p| p.seat);
            }
            ServerMessage::ConnectionStatus { players } => self.set_status(players),
            // The server's text speaks to developers ("send takeover"); players get plain words.
            ServerMessage::Conflict { .. } => {
                self.phase = Phase::Conflict(
                    "This game is open in another tab or on another device.".to_owned(),
                )
            }
            ServerMessage::SessionMoved => self.phase = Phase::SessionMoved,
            ServerMessage::Abandoned { options, .. } => {
                let opponent_away = self.opponent_status().is_none_or(|s| !s.connected);
                if opponent_away && !self.is_final() {
                    self.abandoned = Some(options);
                }
            }
            ServerMessage::GameOver { result, reason } => {
                self.phase = Phase::Over { result, reason };
                self.abandoned = None;
            }
            ServerMessage::Error { code, message } => {
                if code == "SESSION_EXPIRED" {
                    self.phase = Phase::Expired;
                }
                self.server_error = Some(format!("{message} ({code})"));
            }
            ServerMessage::Pong { .. } => {}
        }
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use game::{GameState, Ruleset};

    fn state() -> GameState {
        GameState::new(3, Seat::SECOND, Ruleset::default())
    }

    fn status(seat: u8, connected: bool) -> SeatStatus {
        SeatStatus {
            seat: Seat::try_from(seat).expect("seat"),
            connected,
            disconnected_since: (!connected).then_some(1),
            reconnecting: false,
            temporarily_disconnected: false,
        }
    }

    fn welcome(view: Option<PlayerView>, seq: u64, summary: Vec<String>) -> ServerMessage {
        ServerMessage::Welcome {
            protocol: 1,
            room: "ABC234".to_owned(),
            you: Seat::FIRST,
            players: vec![SeatInfo {
                seat: Seat::FIRST,
                name: "Alice".to_owned(),
            }],
            your_turn: false,
            view,
            seq,
            missed: Vec::new(),
            summary,
            status: vec![status(0, true), status(1, true)],
        }
    }

    fn event(seq: u64, view: PlayerView) -> ServerMessage {
        ServerMessage::Event {
            seq,
            at: 0,
            seat: Some(Seat::FIRST),
            kind: "trail".to_owned(),
            summary: format!("event {seq}"),
            view,
        }
    }

    #[test]
    fn a_server_conflict_is_told_in_plain_words() {
        let mut m = GameModel::new("ABC234");
        m.apply(ServerMessage::Conflict {
            message: "send takeover to move it here".to_owned(),
        });
        assert_eq!(
            m.phase,
            Phase::Conflict("This game is open in another tab or on another device.".to_owned())
        );
    }

    #[test]
    fn welcome_without_view_waits_then_a_view_starts_the_game() {
        let mut m = GameModel::new("ABC234");
        assert_eq!(m.phase, Phase::Recovering);
        assert!(m.apply(welcome(None, 0, vec![])).is_empty());
        assert_eq!(m.phase, Phase::WaitingForOpponent);
        m.apply(ServerMessage::PlayerJoined {
            seat: Seat::SECOND,
            name: "Bob".to_owned(),
        });
        assert_eq!(m.name_of(Seat::SECOND), Some("Bob"));
        m.apply(welcome(Some(state().view(Seat::FIRST)), 0, vec![]));
        assert_eq!(m.phase, Phase::Playing);
        assert!(m.missed.is_empty(), "a first welcome has nothing missed");
    }

    #[test]
    fn events_apply_once_in_order() {
        let mut m = GameModel::new("ABC234");
        let view = state().view(Seat::FIRST);
        m.apply(welcome(Some(view.clone()), 4, vec![]));
        m.apply(event(5, view.clone()));
        assert_eq!(m.seq, 5);
        assert_eq!(m.last_event.as_deref(), Some("event 5"));
        m.apply(event(5, view.clone()));
        m.apply(event(3, view));
        assert_eq!(m.seq, 5);
        assert_eq!(m.last_event.as_deref(), Some("event 5"));
        assert_eq!(
            m.hello(),
            ClientMessage::Hello {
                protocol: 1,
                last_seq: 5
            }
        );
    }

    #[test]
    fn pending_moves_stay_until_ack_and_are_resent_after_welcome() {
        let mut m = GameModel::new("ABC234");
        let view = state().view(Seat::FIRST);
        m.apply(welcome(Some(view.clone()), 0, vec![]));
        let mv = Move::Trail { card: view.hand[0] };
        let sent = m.propose("a1".to_owned(), mv.clone());
        assert!(matches!(&sent, ClientMessage::Action { action_id, .. } if action_id == "a1"));
        assert!(m.has_pending());
        m.on_disconnect();
        assert_eq!(m.phase, Phase::Recovering);
        let resend = m.apply(welcome(Some(view), 1, vec!["You trailed".to_owned()]));
        assert_eq!(resend, vec![sent]);
        m.apply(ServerMessage::Ack {
            action_id: "a1".to_owned(),
            seq: 1,
            at: 0,
        });
        assert!(!m.has_pending());
        assert!(m.resend_list().is_empty());
    }

    #[test]
    fn a_rejection_clears_the_move_and_is_shown() {
        let mut m = GameModel::new("ABC234");
        let view = state().view(Seat::FIRST);
        m.apply(welcome(Some(view.clone()), 0, vec![]));
        m.propose("a1".to_owned(), Move::Trail { card: view.hand[0] });
        m.apply(ServerMessage::Rejected {
            action_id: "a1".to_owned(),
            code: "NOT_YOUR_TURN".to_owned(),
            message: "It is not your turn".to_owned(),
        });
        assert!(!m.has_pending());
        assert_eq!(
            m.rejection.as_deref(),
            Some("Move refused: It is not your turn (NOT_YOUR_TURN)")
        );
    }

    #[test]
    fn a_reconnection_keeps_the_last_five_summaries() {
        let mut m = GameModel::new("ABC234");
        let view = state().view(Seat::FIRST);
        m.apply(welcome(Some(view.clone()), 1, vec![]));
        let summary: Vec<String> = (1..=7).map(|i| format!("e{i}")).collect();
        m.apply(welcome(Some(view), 8, summary));
        assert_eq!(m.missed, ["e3", "e4", "e5", "e6", "e7"]);
    }

    #[test]
    fn opponent_return_raises_the_notice() {
        let mut m = GameModel::new("ABC234");
        m.apply(welcome(None, 0, vec![]));
        m.apply(ServerMessage::ConnectionStatus {
            players: vec![status(0, true), status(1, false)],
        });
        assert!(!m.opponent_returned);
        assert!(m.opponent_status().is_some_and(|s| !s.connected));
        m.apply(ServerMessage::ConnectionStatus {
            players: vec![status(0, true), status(1, true)],
        });
        assert!(m.opponent_returned);
    }

    fn gone(seat: u8) -> SeatStatus {
        SeatStatus {
            temporarily_disconnected: true,
            ..status(seat, false)
        }
    }

    #[test]
    fn abandoned_then_wait_keeps_the_table_and_a_return_closes_everything() {
        let mut m = GameModel::new("ABC234");
        m.apply(welcome(Some(state().view(Seat::FIRST)), 0, vec![]));
        m.apply(ServerMessage::ConnectionStatus {
            players: vec![status(0, true), gone(1)],
        });
        m.apply(ServerMessage::Abandoned {
            options: vec!["wait".to_owned(), "claim_victory".to_owned()],
            opponent_gone_since: 1,
        });
        assert!(m.abandoned.is_some());
        assert_eq!(m.choose_wait(), ClientMessage::Wait);
        assert!(m.abandoned.is_none());
        assert!(m.waited);
        assert_eq!(m.phase, Phase::Playing);
        m.apply(ServerMessage::Abandoned {
            options: vec!["wait".to_owned()],
            opponent_gone_since: 1,
        });
        m.apply(ServerMessage::ConnectionStatus {
            players: vec![status(0, true), status(1, true)],
        });
        assert!(m.abandoned.is_none(), "the return closes the dialog");
        assert!(m.opponent_returned);
        assert!(!m.waited);
        // A late `abandoned` for an opponent who is back is ignored.
        m.apply(ServerMessage::Abandoned {
            options: vec!["wait".to_owned()],
            opponent_gone_since: 1,
        });
        assert!(m.abandoned.is_none());
    }

    #[test]
    fn claiming_victory_ends_with_the_result() {
        let mut m = GameModel::new("ABC234");
        m.apply(welcome(Some(state().view(Seat::FIRST)), 0, vec![]));
        m.apply(ServerMessage::ConnectionStatus {
            players: vec![status(0, true), gone(1)],
        });
        m.apply(ServerMessage::Abandoned {
            options: vec!["wait".to_owned(), "claim_victory".to_owned()],
            opponent_gone_since: 1,
        });
        assert_eq!(m.claim_victory(), ClientMessage::ClaimVictory);
        let result = GameResult {
            winner: Some(Seat::FIRST),
            scores: [3, 1],
            hands_played: 0,
        };
        m.apply(ServerMessage::GameOver {
            result: result.clone(),
            reason: EndReason::VictoryClaimed,
        });
        assert_eq!(
            m.phase,
            Phase::Over {
                result,
                reason: EndReason::VictoryClaimed
            }
        );
    }

    #[test]
    fn returning_after_a_claim_shows_the_result_and_after_the_window_expires() {
        let mut m = GameModel::new("ABC234");
        m.apply(welcome(Some(state().view(Seat::SECOND)), 0, vec![]));
        let result = GameResult {
            winner: Some(Seat::SECOND),
            scores: [0, 0],
            hands_played: 0,
        };
        m.apply(ServerMessage::GameOver {
            result,
            reason: EndReason::VictoryClaimed,
        });
        assert!(matches!(m.phase, Phase::Over { .. }));

        let mut m = GameModel::new("ABC234");
        m.apply(ServerMessage::Error {
            code: "SESSION_EXPIRED".to_owned(),
            message: "gone too long".to_owned(),
        });
        assert_eq!(m.phase, Phase::Expired);
        assert!(m.on_close_code(close_code::SESSION_EXPIRED));
        m.apply(welcome(None, 0, vec![]));
        assert_eq!(m.phase, Phase::Expired, "an expired session stays expired");

        let mut m = GameModel::new("ABC234");
        assert!(m.on_close_code(close_code::ROOM_GONE));
        assert_eq!(m.phase, Phase::Expired);
        let mut m = GameModel::new("ABC234");
        assert!(!m.on_close_code(1006), "an ordinary drop reconnects");
        assert!(m.on_close_code(close_code::SESSION_MOVED));
        assert_eq!(m.phase, Phase::SessionMoved);
    }

    #[test]
    fn game_over_session_moved_and_errors() {
        let mut m = GameModel::new("ABC234");
        m.apply(welcome(None, 0, vec![]));
        let result = GameResult {
            winner: Some(Seat::FIRST),
            scores: [21, 9],
            hands_played: 2,
        };
        m.apply(ServerMessage::GameOver {
            result: result.clone(),
            reason: EndReason::Completed,
        });
        assert_eq!(
            m.phase,
            Phase::Over {
                result,
                reason: EndReason::Completed
            }
        );
        m.apply(ServerMessage::SessionMoved);
        assert_eq!(m.phase, Phase::SessionMoved);
        m.apply(welcome(None, 0, vec![]));
        assert_eq!(m.phase, Phase::SessionMoved, "a moved session stays moved");
        m.apply(ServerMessage::Error {
            code: "RATE_LIMITED".to_owned(),
            message: "slow down".to_owned(),
        });
        assert_eq!(m.server_error.as_deref(), Some("slow down (RATE_LIMITED)"));
    }
}
