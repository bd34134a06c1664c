//! The server's messages applied to the model, one method per message kind (`apply` picks).
//! Reached only through `reduce` (`input.rs`).

use game::protocol::{
    AbandonOption, ClientMessage, DealReveal, EndReason, ErrorCode, EventKind, MissedEvent,
    PresenceState, SeatInfo, SeatPresence, ServerMessage,
};
use game::{GameResult, HandResult, PlayerView, Seat};

use super::{GameModel, HandBreak, Offer, Phase, MAX_SUMMARY};
use crate::hand_report::{hand_announcement, running_totals};
use crate::last_move::LastMove;
use crate::speech;

/// The parts of a `welcome` that the model keeps (the socket owner reads the rest).
struct Welcome {
    room: String,
    you: Seat,
    players: Vec<SeatInfo>,
    view: Option<PlayerView>,
    seq: u64,
    missed: Vec<MissedEvent>,
    summary: Vec<String>,
    presence: Vec<SeatPresence>,
    deal_commitment: Option<String>,
}

impl GameModel {
    /// Applies one server message; returns what to send back (resends after `welcome`, a
    /// readiness lost in a reconnection).
    pub(super) fn apply(&mut self, message: ServerMessage) -> Vec<ClientMessage> {
        match message {
            ServerMessage::Welcome {
                room,
                you,
                players,
                view,
                seq,
                missed,
                summary,
                presence,
                deal_commitment,
                ..
            } => self.on_welcome(Welcome {
                room,
                you,
                players,
                view,
                seq,
                missed,
                summary,
                presence,
                deal_commitment,
            }),
            ServerMessage::HandBreak {
                hand,
                ready,
                next_hand_at,
            } => self.on_hand_break(HandBreak {
                hand,
                ready,
                next_hand_at,
            }),
            other => {
                self.apply_news(other);
                Vec::new()
            }
        }
    }

    /// The messages about the game on the table: moves and their answers, hands, players.
    fn apply_news(&mut self, message: ServerMessage) {
        match message {
            ServerMessage::Event {
                seq,
                seat,
                kind,
                summary,
                view,
                ..
            } => self.on_event(seq, seat, kind, &summary, view),
            ServerMessage::Ack { action_id, .. } => {
                self.pending.retain(|p| p.action_id != action_id);
            }
            ServerMessage::Rejected {
                action_id,
                code,
                message,
            } => self.on_rejected(&action_id, code, &message),
            ServerMessage::PlayerJoined { seat, name } => {
                self.players.retain(|p| p.seat != seat);
                self.players.push(SeatInfo { seat, name });
                self.players.sort_by_key(|p| p.seat);
            }
            ServerMessage::HandStarted { hand, view } => self.on_hand_started(hand, view),
            ServerMessage::Rematch {
                offered,
                room,
                declined,
            } => self.on_rematch(offered, room, declined),
            other => self.apply_session_news(other),
        }
    }

    /// The messages about the session and the people in it: presence, conflicts, the end.
    fn apply_session_news(&mut self, message: ServerMessage) {
        match message {
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
            } => self.on_abandoned(options, opponent_gone_since, return_by, waiting),
            ServerMessage::GameOver {
                result,
                reason,
                deal,
            } => self.on_game_over(result, reason, deal),
            ServerMessage::Left => {
                self.phase = Phase::Left;
                self.offer = None;
            }
            ServerMessage::Error { code, message } => self.on_error(code, &message),
            // A pong is the socket owner's. Listed, not `_`, so that a new kind of message
            // is a compile error until it is applied somewhere.
            ServerMessage::Pong { .. } => {}
            // Applied by `apply` and `apply_news`.
            ServerMessage::Welcome { .. }
            | ServerMessage::HandBreak { .. }
            | ServerMessage::Event { .. }
            | ServerMessage::Ack { .. }
            | ServerMessage::Rejected { .. }
            | ServerMessage::PlayerJoined { .. }
            | ServerMessage::HandStarted { .. }
            | ServerMessage::Rematch { .. } => {}
        }
    }

    fn on_welcome(&mut self, welcome: Welcome) -> Vec<ClientMessage> {
        self.witness
            .on_commitment(welcome.deal_commitment.as_deref());
        if let Some(view) = &welcome.view {
            self.witness.on_view(view);
        }
        let reconnecting = self.you.is_some() || self.seq > 0;
        self.room = welcome.room;
        self.you = Some(welcome.you);
        self.players = welcome.players;
        self.view = welcome.view;
        self.last_move = LastMove::default();
        self.list_missed(&welcome.missed);
        self.seq = self.seq.max(welcome.seq);
        self.set_presence(welcome.presence);
        if let Some(view) = &self.view {
            self.announcement = speech::announcement("", view);
            // A break that lasts is told again right after (`hand_break`); a view with
            // someone to move means the break ended while this socket was away.
            if view.to_move.is_some() {
                self.hand_summary = None;
                self.ready_for = None;
            }
        }
        self.hand_break = None;
        if reconnecting && !welcome.summary.is_empty() {
            self.list_summary(&welcome.summary);
        }
        if self.phase == Phase::Leaving {
            // Reconnected while leaving: say it again on the new socket.
            return vec![ClientMessage::Leave];
        }
        if !self.is_final() {
            self.phase = self.phase_for_view();
        }
        self.resend_list()
    }

    /// The last few missed events in words, for the "While you were away" dialog.
    fn list_summary(&mut self, summary: &[String]) {
        let skip = summary.len().saturating_sub(MAX_SUMMARY);
        let name = self.opponent_name().to_owned();
        self.missed = summary
            .iter()
            .skip(skip)
            .map(|line| speech::event_text(line, &name))
            .collect();
    }

    fn on_event(
        &mut self,
        seq: u64,
        seat: Option<Seat>,
        kind: EventKind,
        summary: &str,
        view: PlayerView,
    ) {
        if seq <= self.seq {
            return;
        }
        self.witness.on_view(&view);
        let opponent = view.seat.other();
        let name = self.name_of(opponent).unwrap_or("Opponent").to_owned();
        let shown = speech::event_text(summary, &name);
        let said = speech::glyphs_to_words(&shown);
        self.announcement = speech::announcement(&said, &view);
        self.on_hand_ended(&view);
        // A move belongs to the hand the table showed when it was played.
        let played_in = self
            .view
            .as_ref()
            .map_or(view.hand_number, |v| v.hand_number);
        if is_move(kind) {
            self.hand_moves.record(played_in, shown.clone());
        }
        self.hand_moves.follow(&view);
        self.last_move = LastMove::between(self.view.as_ref(), &view, seat);
        self.seq = seq;
        self.last_event = Some(shown);
        self.view = Some(view);
        if matches!(self.phase, Phase::Playing | Phase::WaitingForOpponent) {
            self.phase = self.phase_for_view();
        }
    }

    /// An event whose view has one more hand result than the table: in a game of several
    /// hands, its summary opens.
    fn on_hand_ended(&mut self, view: &PlayerView) {
        let before = self.view.as_ref().map_or(0, |v| v.hand_results.len());
        if view.hand_results.len() <= before || view.ruleset.single_hand {
            return;
        }
        let Some(hand) = view.hand_results.last() else {
            return;
        };
        let totals = running_totals(&view.hand_results)
            .last()
            .copied()
            .unwrap_or_default();
        let names = self.names();
        let names = [names[0].as_str(), names[1].as_str()];
        // Short: the move itself is in the move list, the details in the summary that opens.
        self.announcement = hand_announcement(hand, totals, names);
        self.hand_summary = Some(hand.clone());
        // The break that follows is told by `hand_break`.
        self.hand_break = None;
        self.ready_for = None;
    }

    fn on_rejected(&mut self, action_id: &str, code: ErrorCode, message: &str) {
        let was_ours = self.pending.iter().any(|p| p.action_id == action_id);
        self.pending.retain(|p| p.action_id != action_id);
        if was_ours {
            self.rejection = Some(if code == ErrorCode::HandNotStarted {
                "Move refused: the next hand has not started yet. It starts when both \
                 players are ready, or when the countdown ends."
                    .to_owned()
            } else {
                format!("Move refused: {message} ({code})")
            });
        }
    }

    fn on_abandoned(
        &mut self,
        options: Vec<AbandonOption>,
        gone_since: i64,
        return_by: i64,
        waiting: bool,
    ) {
        let opponent_away = self
            .opponent_presence()
            .is_none_or(|s| s.state != PresenceState::Connected);
        if opponent_away && !self.is_final() {
            self.offer = Some(Offer {
                options,
                gone_since,
                return_by,
                waiting,
                claiming: false,
            });
        }
    }

    fn on_game_over(&mut self, result: GameResult, reason: EndReason, deal: Option<DealReveal>) {
        if let (Some(deal), Some(you)) = (deal, self.you) {
            self.deal_check = Some(self.witness.check(you, &deal));
        }
        if !self.is_final() {
            self.phase = Phase::Over { result, reason };
        }
        self.offer = None;
    }

    fn on_error(&mut self, code: ErrorCode, message: &str) {
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

    fn on_hand_break(&mut self, told: HandBreak) -> Vec<ClientMessage> {
        if self.is_final() || matches!(self.phase, Phase::Over { .. }) {
            return Vec::new();
        }
        let hand = told.hand;
        let listed = self.you.is_some_and(|you| told.ready.contains(&you));
        // After a reload or a reconnection: the summary of the hand that ended opens.
        if self.hand_summary.as_ref().map(|h| h.hand_number) != Some(hand) {
            if let Some(ended) = self.hand_result(hand) {
                self.hand_summary = Some(ended);
            }
        }
        self.hand_break = Some(told);
        if listed {
            self.ready_for = Some(hand);
        } else if self.ready_for == Some(hand) {
            // Said here but lost on the way (a reconnection): say it again.
            return vec![ClientMessage::NextHand { hand }];
        } else {
            self.ready_for = None;
        }
        Vec::new()
    }

    /// The result of hand `hand`, as the table's view has it.
    fn hand_result(&self, hand: u32) -> Option<HandResult> {
        self.view
            .as_ref()
            .and_then(|v| v.hand_results.iter().find(|h| h.hand_number == hand))
            .cloned()
    }

    fn on_hand_started(&mut self, hand: u32, view: PlayerView) {
        self.witness.on_view(&view);
        let turn = if view.is_my_turn() {
            "Your turn.".to_owned()
        } else {
            let them = self.name_of(view.seat.other()).unwrap_or("Your opponent");
            format!("{them}'s turn.")
        };
        self.announcement = format!("Hand {hand} starts. {turn}");
        self.last_move = LastMove::default();
        // The previous hand's last line and moves do not carry into this one.
        self.last_event = None;
        self.hand_moves.start(hand);
        self.view = Some(view);
        self.hand_break = None;
        self.ready_for = None;
        self.hand_summary = None;
        if matches!(self.phase, Phase::Playing | Phase::WaitingForOpponent) {
            self.phase = self.phase_for_view();
        }
    }

    fn on_rematch(&mut self, offered: Vec<Seat>, room: Option<String>, declined: Vec<Seat>) {
        self.rematch.offered = offered;
        self.rematch.declined = declined;
        if room.is_some() {
            self.rematch.room = room;
        }
        if self
            .you
            .is_some_and(|you| !self.rematch.offered.contains(&you))
        {
            self.rematch.asked_at = None;
        }
    }

    pub(super) fn set_presence(&mut self, presence: Vec<SeatPresence>) {
        // Only a player who was there can come back: a dropped or long-gone one, or one this
        // page saw connected (a player who joined and is opening the table is "disconnected"
        // until their socket is up, and is not "reconnected" by it).
        let was_away = self.opponent_presence().is_some_and(|s| match s.state {
            PresenceState::Reconnecting | PresenceState::Away => true,
            PresenceState::Disconnected => self.opponent_seen,
            _ => false,
        });
        self.presence = presence;
        let back = self
            .opponent_presence()
            .is_some_and(|s| s.state == PresenceState::Connected);
        if was_away && back {
            self.opponent_returned = true;
        }
        self.opponent_seen |= back;
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

    /// Lists the missed moves (after a reload, the whole game's) that belong to this hand.
    fn list_missed(&mut self, missed: &[MissedEvent]) {
        let name = self
            .opponent()
            .and_then(|s| self.name_of(s))
            .unwrap_or("Opponent")
            .to_owned();
        for event in missed
            .iter()
            .filter(|e| e.seq > self.seq && is_move(e.kind))
        {
            let shown = speech::event_text(&event.summary, &name);
            self.hand_moves.record(event.hand, shown);
        }
        if let Some(view) = &self.view {
            self.hand_moves.follow(view);
        }
    }
}

/// Whether an event is a move (the move list leaves out the lifecycle events that end a game).
fn is_move(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::Trail
            | EventKind::Capture
            | EventKind::Build
            | EventKind::Increase
            | EventKind::Add
    )
}
