//! The client's game model and the reducer that applies server messages to it (SPEC R4, R7).
//! No I/O: the socket owner feeds messages in and sends what comes out.

use game::protocol::{
    AbandonOption, ClientMessage, CloseCode, EndReason, ErrorCode, PresenceState, SeatInfo,
    SeatPresence, ServerMessage,
};
use game::{GameResult, HandResult, Move, PlayerView, Seat};

use crate::deal_check::{DealCheck, DealWitness};
use crate::hand_report::{hand_announcement, running_totals};
use crate::last_move::LastMove;
use crate::speech;

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
    /// Screen phase.
    pub phase: Phase,
    /// The opponent just came back (the "Opponent reconnected" notice is due).
    pub opponent_returned: bool,
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
    /// hand; a single hand's detail is on the game-over screen).
    pub hand_summary: Option<HandResult>,
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
            phase: Phase::Recovering,
            opponent_returned: false,
            offer: None,
            server_error: None,
            witness: DealWitness::default(),
            deal_check: None,
            announcement: String::new(),
            hand_summary: None,
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

    /// "Wait" in the abandoned dialog: the dialog closes; the server answers with the offer,
    /// "Claim victory" still in it.
    pub fn choose_wait(&mut self) -> ClientMessage {
        if let Some(offer) = &mut self.offer {
            offer.waiting = true;
        }
        ClientMessage::Wait
    }

    /// "Claim victory"; the server ends the game with `game_over` (or refuses with an error,
    /// which turns the buttons back on).
    pub fn claim_victory(&mut self) -> ClientMessage {
        if let Some(offer) = &mut self.offer {
            offer.claiming = true;
        }
        ClientMessage::ClaimVictory
    }

    /// Whether the abandoned dialog is up (an offer the player has not answered with Wait).
    pub fn dialog_open(&self) -> bool {
        self.offer.as_ref().is_some_and(|o| !o.waiting)
    }

    /// "Leave" confirmed: the `leave` to send; the client stops once the server says `left`.
    pub fn leave(&mut self) -> ClientMessage {
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
    pub fn on_close_code(&mut self, code: u16) -> bool {
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
    pub fn on_disconnect(&mut self) {
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

    /// A player's display name.
    pub fn name_of(&self, seat: Seat) -> Option<&str> {
        self.players
            .iter()
            .find(|p| p.seat == seat)
            .map(|p| p.name.as_str())
    }

    fn set_presence(&mut self, presence: Vec<SeatPresence>) {
        // A seat never connected is not "away": only a player who was there can come back.
        let was_away = self
            .opponent_presence()
            .is_some_and(|s| s.state != PresenceState::Connected && s.since.is_some());
        self.presence = presence;
        let back = self
            .opponent_presence()
            .is_some_and(|s| s.state == PresenceState::Connected);
        if was_away && back {
            self.opponent_returned = true;
        }
        if back {
            // The opponent is back: the offer has nothing left to decide.
            self.offer = None;
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
                presence,
                deal_commitment,
                ..
            } => {
                self.witness.on_commitment(deal_commitment.as_deref());
                if let Some(view) = &view {
                    self.witness.on_view(view);
                }
                let reconnecting = self.you.is_some() || self.seq > 0;
                self.room = room;
                self.you = Some(you);
                self.players = players;
                self.view = view;
                self.last_move = LastMove::default();
                self.seq = self.seq.max(seq);
                self.set_presence(presence);
                if let Some(view) = &self.view {
                    self.announcement = speech::announcement("", view);
                }
                if reconnecting && !summary.is_empty() {
                    let skip = summary.len().saturating_sub(MAX_SUMMARY);
                    self.missed = summary.into_iter().skip(skip).collect();
                }
                if self.phase == Phase::Leaving {
                    // Reconnected while leaving: say it again on the new socket.
                    return vec![ClientMessage::Leave];
                }
                if !self.is_final() {
                    self.phase = self.phase_for_view();
                }
                return self.resend_list();
            }
            ServerMessage::Event {
                seq,
                seat,
                summary,
                view,
                ..
            } => {
                if seq > self.seq {
                    self.witness.on_view(&view);
                    let opponent = view.seat.other();
                    let name = self.name_of(opponent).unwrap_or("Opponent").to_owned();
                    let shown = speech::event_text(&summary, self.view.as_ref(), &view, &name);
                    let said = speech::glyphs_to_words(&shown);
                    self.announcement = speech::announcement(&said, &view);
                    let before = self.view.as_ref().map_or(0, |v| v.hand_results.len());
                    if view.hand_results.len() > before && !view.ruleset.single_hand {
                        if let Some(hand) = view.hand_results.last() {
                            let totals = running_totals(&view.hand_results)
                                .last()
                                .copied()
                                .unwrap_or_default();
                            let names = self.names();
                            let names = [names[0].as_str(), names[1].as_str()];
                            self.announcement = format!(
                                "{} {}",
                                hand_announcement(hand, totals, names),
                                self.announcement
                            )
                            .trim_end()
                            .to_owned();
                            self.hand_summary = Some(hand.clone());
                        }
                    }
                    self.last_move = LastMove::between(self.view.as_ref(), &view, seat);
                    self.seq = seq;
                    self.last_event = Some(shown);
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
            ServerMessage::Presence { seats } => self.set_presence(seats),
            // The server's text speaks to developers ("send takeover"); players get plain words.
            ServerMessage::Conflict { .. } => {
                self.phase = Phase::Conflict(
                    "This game is open in another tab or on another device.".to_owned(),
                )
            }
            ServerMessage::SessionMoved => self.phase = Phase::SessionMoved,
            ServerMessage::Abandoned {
                options,
                opponent_gone_since,
                return_by,
                waiting,
            } => {
                let opponent_away = self
                    .opponent_presence()
                    .is_none_or(|s| s.state != PresenceState::Connected);
                if opponent_away && !self.is_final() {
                    self.offer = Some(Offer {
                        options,
                        gone_since: opponent_gone_since,
                        return_by,
                        waiting,
                        claiming: false,
                    });
                }
            }
            ServerMessage::GameOver {
                result,
                reason,
                deal,
            } => {
                if let (Some(deal), Some(you)) = (deal, self.you) {
                    self.deal_check = Some(self.witness.check(you, &deal));
                }
                if !self.is_final() {
                    self.phase = Phase::Over { result, reason };
                }
                self.offer = None;
            }
            ServerMessage::Left => {
                self.phase = Phase::Left;
                self.offer = None;
            }
            ServerMessage::Error { code, message } => {
                if let Some(offer) = &mut self.offer {
                    offer.claiming = false;
                }
                match code {
                    ErrorCode::SessionExpired => self.phase = Phase::Expired,
                    ErrorCode::SessionRevoked => self.phase = Phase::Left,
                    _ => {}
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

    fn status(seat: u8, connected: bool) -> SeatPresence {
        SeatPresence {
            seat: Seat::try_from(seat).expect("seat"),
            state: if connected {
                PresenceState::Connected
            } else {
                PresenceState::Reconnecting
            },
            since: (!connected).then_some(1),
        }
    }

    fn welcome(view: Option<PlayerView>, seq: u64, summary: Vec<String>) -> ServerMessage {
        ServerMessage::Welcome {
            protocol: game::protocol::PROTOCOL_VERSION,
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
            presence: vec![status(0, true), status(1, true)],
            deal_commitment: None,
        }
    }

    fn event(seq: u64, view: PlayerView) -> ServerMessage {
        ServerMessage::Event {
            seq,
            at: 0,
            seat: Some(Seat::FIRST),
            kind: game::protocol::EventKind::Trail,
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
    fn the_opponent_counts_as_joined_only_once_named() {
        let mut m = GameModel::new("ABC234");
        m.apply(welcome(None, 0, vec![]));
        m.apply(ServerMessage::Presence {
            seats: vec![status(0, true), status(1, false)],
        });
        assert!(m.opponent_presence().is_some());
        assert!(!m.opponent_joined(), "an empty seat is nobody to report on");
        m.apply(ServerMessage::PlayerJoined {
            seat: Seat::SECOND,
            name: "Bob".to_owned(),
        });
        assert!(m.opponent_joined());
    }

    #[test]
    fn it_is_your_turn_only_in_a_running_game_where_you_move() {
        for seat in [Seat::FIRST, Seat::SECOND] {
            let mut m = GameModel::new("ABC234");
            m.apply(welcome(None, 0, vec![]));
            assert!(!m.your_turn(), "no game yet");
            let view = state().view(seat);
            let expected = view.is_my_turn();
            m.apply(welcome(Some(view), 0, vec![]));
            assert_eq!(m.your_turn(), expected);
            m.phase = Phase::SessionMoved;
            assert!(!m.your_turn(), "a moved session plays nowhere");
        }
    }

    #[test]
    fn the_live_region_names_the_opponent_and_says_your_turn() {
        let state = state();
        let mover = state.view(Seat::FIRST).to_move.expect("someone moves");
        let mut m = GameModel::new("ABC234");
        m.apply(welcome(Some(state.view(Seat::FIRST)), 0, vec![]));
        m.apply(ServerMessage::PlayerJoined {
            seat: Seat::SECOND,
            name: "Bob".to_owned(),
        });
        let mut message = event(1, state.view(Seat::FIRST));
        if let ServerMessage::Event { summary, .. } = &mut message {
            *summary = "Opponent trailed 7\u{2663}".to_owned();
        }
        m.apply(message);
        let expected = if mover == Seat::FIRST {
            "Bob trailed 7 of clubs. Your turn."
        } else {
            "Bob trailed 7 of clubs."
        };
        assert_eq!(m.announcement, expected);
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
                protocol: game::protocol::PROTOCOL_VERSION,
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
            code: ErrorCode::NotYourTurn,
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
        m.apply(ServerMessage::Presence {
            seats: vec![status(0, true), status(1, false)],
        });
        assert!(!m.opponent_returned);
        assert!(m
            .opponent_presence()
            .is_some_and(|s| s.state == PresenceState::Reconnecting));
        m.apply(ServerMessage::Presence {
            seats: vec![status(0, true), status(1, true)],
        });
        assert!(m.opponent_returned);
    }

    fn gone(seat: u8) -> SeatPresence {
        SeatPresence {
            state: PresenceState::Away,
            ..status(seat, false)
        }
    }

    fn offer(options: Vec<AbandonOption>, waiting: bool) -> ServerMessage {
        ServerMessage::Abandoned {
            options,
            opponent_gone_since: 1,
            return_by: 600_001,
            waiting,
        }
    }

    #[test]
    fn abandoned_then_wait_keeps_claim_available_and_a_return_closes_everything() {
        let mut m = GameModel::new("ABC234");
        m.apply(welcome(Some(state().view(Seat::FIRST)), 0, vec![]));
        m.apply(ServerMessage::Presence {
            seats: vec![status(0, true), gone(1)],
        });
        m.apply(offer(
            vec![AbandonOption::Wait, AbandonOption::ClaimVictory],
            false,
        ));
        assert!(m.dialog_open());
        assert_eq!(m.choose_wait(), ClientMessage::Wait);
        assert!(!m.dialog_open(), "the dialog closes on Wait");
        assert!(m.offer.is_some(), "claim victory stays available");
        assert_eq!(m.phase, Phase::Playing);
        // The server's answer, and the same offer again after a reconnect.
        m.apply(offer(vec![AbandonOption::ClaimVictory], true));
        assert!(!m.dialog_open());
        assert_eq!(
            m.offer.as_ref().map(|o| o.options.clone()),
            Some(vec![AbandonOption::ClaimVictory])
        );
        m.apply(ServerMessage::Presence {
            seats: vec![status(0, true), status(1, true)],
        });
        assert!(m.offer.is_none(), "the return withdraws the offer");
        assert!(m.opponent_returned);
        // A late `abandoned` for an opponent who is back is ignored.
        m.apply(offer(vec![AbandonOption::Wait], false));
        assert!(m.offer.is_none());
    }

    #[test]
    fn claiming_victory_ends_with_the_result() {
        let mut m = GameModel::new("ABC234");
        m.apply(welcome(Some(state().view(Seat::FIRST)), 0, vec![]));
        m.apply(ServerMessage::Presence {
            seats: vec![status(0, true), gone(1)],
        });
        m.apply(offer(
            vec![AbandonOption::Wait, AbandonOption::ClaimVictory],
            false,
        ));
        assert_eq!(m.claim_victory(), ClientMessage::ClaimVictory);
        assert!(m.offer.as_ref().is_some_and(|o| o.claiming));
        let result = GameResult {
            winner: Some(Seat::FIRST),
            scores: [3, 1],
            hands_played: 0,
        };
        m.apply(ServerMessage::GameOver {
            result: result.clone(),
            reason: EndReason::VictoryClaimed,
            deal: None,
        });
        assert_eq!(
            m.phase,
            Phase::Over {
                result,
                reason: EndReason::VictoryClaimed
            }
        );
        assert!(m.offer.is_none());
    }

    #[test]
    fn leaving_waits_for_the_server_and_is_final() {
        let mut m = GameModel::new("ABC234");
        m.apply(welcome(Some(state().view(Seat::FIRST)), 0, vec![]));
        assert_eq!(m.leave(), ClientMessage::Leave);
        assert_eq!(m.phase, Phase::Leaving);
        assert!(!m.is_final(), "not before the server says so");
        // A reconnect while leaving says it again.
        assert_eq!(
            m.apply(welcome(Some(state().view(Seat::FIRST)), 0, vec![])),
            vec![ClientMessage::Leave]
        );
        m.apply(ServerMessage::Left);
        assert_eq!(m.phase, Phase::Left);
        assert!(m.is_final());
        assert!(m.on_close_code(CloseCode::Left.code()));
        assert_eq!(m.phase, Phase::Left);
        // Another tab of the same seat learns it from the close code.
        let mut other = GameModel::new("ABC234");
        other.apply(welcome(Some(state().view(Seat::FIRST)), 0, vec![]));
        assert!(other.on_close_code(1000));
        assert_eq!(other.phase, Phase::Left);
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
            deal: None,
        });
        assert!(matches!(m.phase, Phase::Over { .. }));

        let mut m = GameModel::new("ABC234");
        m.apply(ServerMessage::Error {
            code: ErrorCode::SessionExpired,
            message: "gone too long".to_owned(),
        });
        assert_eq!(m.phase, Phase::Expired);
        assert!(m.on_close_code(CloseCode::SessionExpired.code()));
        m.apply(welcome(None, 0, vec![]));
        assert_eq!(m.phase, Phase::Expired, "an expired session stays expired");

        let mut m = GameModel::new("ABC234");
        assert!(m.on_close_code(CloseCode::RoomGone.code()));
        assert_eq!(m.phase, Phase::Expired);
        let mut m = GameModel::new("ABC234");
        assert!(!m.on_close_code(1006), "an ordinary drop reconnects");
        assert!(m.on_close_code(CloseCode::SessionMoved.code()));
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
            deal: None,
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
            code: ErrorCode::RateLimited,
            message: "slow down".to_owned(),
        });
        assert_eq!(m.server_error.as_deref(), Some("slow down (RATE_LIMITED)"));
    }
}
