//! Between hands and after the game: the break after a hand (`hand_break` / `next_hand` /
//! `hand_started`), its countdown on the server's clock (from the heartbeat's pongs), and the
//! rematch of a finished game as the game-over screen shows it.

use game::protocol::{ClientMessage, PresenceState};
use game::Seat;

use super::{GameModel, Phase};

/// The break after a hand (`hand_break`), as the server last told it: the next hand is dealt
/// but nobody moves until both players are ready or `next_hand_at` has passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandBreak {
    /// The hand that ended.
    pub hand: u32,
    /// The seats that said they are ready.
    pub ready: Vec<Seat>,
    /// When the next hand starts anyway (server clock, ms since the epoch).
    pub next_hand_at: i64,
}

/// A rematch of the finished game: who asked, who said no, and the new room once both asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rematch {
    /// The seats that asked for a rematch (the server's `rematch`, or the answer to our ask).
    pub offered: Vec<Seat>,
    /// The seats that said no (withdrew their offer, declined, or went to play another game).
    pub declined: Vec<Seat>,
    /// The new room, once both asked.
    pub room: Option<String>,
    /// This player's ask is on its way (the button is off meanwhile).
    pub asking: bool,
    /// The new room's session arrived: the screen is moving to it.
    pub entering: bool,
    /// The server said the opponent left the room: no rematch.
    pub opponent_left: bool,
    /// Why the last ask failed, in words.
    pub error: Option<String>,
    /// When this player's offer went out (this browser's clock), to say it is unanswered.
    pub asked_at: Option<i64>,
}

/// What the server answered to this player's ask, as far as the model is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RematchAnswer {
    /// Waiting for the opponent: these seats have asked.
    Offered(Vec<Seat>),
    /// This player's seat in the new room.
    Seated,
    /// The opponent left the finished room.
    OpponentLeft,
    /// Anything else, in words.
    Failed(String),
}

/// What the game-over screen does next with the rematch (after an ask or an answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RematchStep {
    /// Send the ask (none is on its way, and the new room is not being entered).
    Ask,
    /// Enter the new room with the seat the answer gave.
    Enter,
    /// The new room came to be while the ask was on its way: ask again for the seat in it.
    AskAgain,
    /// Nothing more.
    Stay,
}

/// What the game-over screen shows of the rematch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RematchView {
    /// The button's label ("Rematch with Bob", "Accept rematch with Alice"); `None`: no button.
    pub button: Option<String>,
    /// Whether pressing the button asks (off while waiting for the opponent or the server).
    pub enabled: bool,
    /// The status line ("Waiting for Bob to accept…", "Alice wants a rematch").
    pub status: String,
    /// "Withdraw offer" is offered (this player's offer is out, unanswered).
    pub withdraw: bool,
    /// "No, thanks" is offered (the opponent's offer waits for an answer).
    pub decline: bool,
}

impl RematchView {
    /// No button, no status.
    fn nothing() -> Self {
        Self {
            button: None,
            enabled: false,
            status: String::new(),
            withdraw: false,
            decline: false,
        }
    }
}

/// How long an offer waits before the status line says it is unanswered.
pub const UNANSWERED_AFTER_MS: i64 = 20_000;

/// The server's clock minus this browser's, from a `pong` answering the ping sent at `t` and
/// received at `now` (the server read its clock about halfway through the round trip).
pub fn clock_offset(t: i64, server_t: i64, now: i64) -> i64 {
    server_t - (t + (now - t) / 2)
}

impl GameModel {
    /// A `pong` answering the ping sent at `t` came back at `now`: the clock offset is taken
    /// from the quickest round trip seen (a busy page reads its pongs late). Whether the
    /// offset changed.
    pub(super) fn on_pong(&mut self, t: i64, server_t: i64, now: i64) -> bool {
        if !self.pong_is_quicker(t, now) {
            return false;
        }
        self.clock_rtt_ms = Some(now.saturating_sub(t).max(0));
        let offset = clock_offset(t, server_t, now);
        let changed = offset != self.clock_offset_ms;
        self.clock_offset_ms = offset;
        changed
    }

    /// Whether a pong of the ping sent at `t`, back at `now`, made a quicker round trip than
    /// the one the clock offset comes from (only such a pong changes the offset).
    pub fn pong_is_quicker(&self, t: i64, now: i64) -> bool {
        let rtt = now.saturating_sub(t).max(0);
        self.clock_rtt_ms.is_none_or(|best| rtt < best)
    }

    /// The server's time now, from this browser's `now` (ms since the epoch).
    pub fn server_now(&self, now: i64) -> i64 {
        now.saturating_add(self.clock_offset_ms)
    }

    /// "Next hand" (or "See the result") in the hand summary. During a break: the `next_hand`
    /// to send, once; the dialog stays open until the server starts the hand. After the last
    /// hand, or when the server gives no break, the dialog just closes.
    pub(super) fn next_hand(&mut self) -> Option<ClientMessage> {
        let summary = self.hand_summary.as_ref()?.hand_number;
        let game_over = matches!(self.phase, Phase::Over { .. })
            || self.view.as_ref().is_some_and(|v| v.result.is_some());
        // Views sent during a break have nobody to move: the break is on even if its
        // `hand_break` has not arrived yet.
        let in_break = self.hand_break.is_some()
            || self
                .view
                .as_ref()
                .is_some_and(|v| v.to_move.is_none() && v.result.is_none());
        if game_over || !in_break {
            self.hand_summary = None;
            return None;
        }
        let hand = self.hand_break.as_ref().map_or(summary, |b| b.hand);
        if self.is_ready() {
            return None;
        }
        self.ready_for = Some(hand);
        Some(ClientMessage::NextHand { hand })
    }

    /// Whether the hand summary dialog is up (a summary the player has not put away).
    pub fn summary_open(&self) -> bool {
        self.hand_summary
            .as_ref()
            .is_some_and(|h| self.summary_put_away != Some(h.hand_number))
    }

    /// Escape in the hand summary: the dialog goes (the dealt table shows under a bar that
    /// offers the summary again and "Next hand"); nobody is told anything.
    pub(super) fn put_summary_away(&mut self) {
        self.summary_put_away = self.hand_summary.as_ref().map(|h| h.hand_number);
    }

    /// "Show the summary" in that bar.
    pub(super) fn show_summary(&mut self) {
        self.summary_put_away = None;
    }

    /// Whether this player is ready for the next hand (said so here, or the server says so).
    pub fn is_ready(&self) -> bool {
        let Some(hand) = self
            .hand_break
            .as_ref()
            .map(|b| b.hand)
            .or_else(|| self.hand_summary.as_ref().map(|h| h.hand_number))
        else {
            return false;
        };
        self.ready_for == Some(hand)
            || self
                .hand_break
                .as_ref()
                .is_some_and(|b| self.you.is_some_and(|you| b.ready.contains(&you)))
    }

    /// Whether the opponent is ready for the next hand.
    pub fn opponent_ready(&self) -> bool {
        self.hand_break
            .as_ref()
            .is_some_and(|b| self.opponent().is_some_and(|them| b.ready.contains(&them)))
    }

    /// Whole seconds until the break ends by itself (rounded up, never negative), at this
    /// browser's `now`; `None` outside a break.
    pub fn seconds_to_next_hand(&self, now: i64) -> Option<i64> {
        let at = self.hand_break.as_ref()?.next_hand_at;
        let left = at.saturating_sub(self.server_now(now)).max(0);
        Some((left + 999) / 1000)
    }

    /// The hand summary's status line: who is ready, in words (empty outside a break).
    pub fn break_status(&self) -> String {
        if self.hand_summary.is_none() || self.hand_break.is_none() && self.ready_for.is_none() {
            return String::new();
        }
        let them = self
            .opponent()
            .and_then(|s| self.name_of(s))
            .unwrap_or("your opponent");
        match (self.is_ready(), self.opponent_ready()) {
            (true, true) => "Both players are ready: the next hand starts.".to_owned(),
            (true, false) => format!("Waiting for {them}…"),
            (false, true) => format!("{them} is ready"),
            (false, false) => String::new(),
        }
    }

    /// "Rematch" pressed at `now`: whether to send the ask (not while one is on its way or the
    /// new room is being entered).
    pub(super) fn begin_rematch_ask(&mut self, now: i64) -> bool {
        let r = &mut self.rematch;
        if r.asking || r.entering {
            return false;
        }
        r.asking = true;
        r.error = None;
        r.asked_at.get_or_insert(now);
        if let Some(you) = self.you {
            r.declined.retain(|s| *s != you);
        }
        true
    }

    /// The server answered this player's ask.
    pub(super) fn rematch_answered(&mut self, answer: RematchAnswer) -> RematchStep {
        let r = &mut self.rematch;
        r.asking = false;
        match answer {
            RematchAnswer::Offered(seats) => {
                r.offered = seats;
                if r.room.is_some() {
                    RematchStep::AskAgain
                } else {
                    RematchStep::Stay
                }
            }
            RematchAnswer::Seated if r.entering => RematchStep::Stay,
            RematchAnswer::Seated => {
                r.entering = true;
                RematchStep::Enter
            }
            RematchAnswer::OpponentLeft => {
                r.opponent_left = true;
                RematchStep::Stay
            }
            RematchAnswer::Failed(message) => {
                r.error = Some(message);
                RematchStep::Stay
            }
        }
    }

    /// "Withdraw offer", "No, thanks" or "Play again": this player does not want a rematch (the
    /// server is told; its `rematch` confirms).
    pub(super) fn decline_rematch(&mut self) {
        let Some(you) = self.you else {
            return;
        };
        let r = &mut self.rematch;
        r.offered.retain(|s| *s != you);
        if !r.declined.contains(&you) {
            r.declined.push(you);
        }
        r.asked_at = None;
        r.error = None;
    }

    /// The rematch as the game-over screen shows it at `now` (this browser's clock).
    pub fn rematch_view(&self, now: i64) -> RematchView {
        let nothing = RematchView::nothing();
        let (Some(you), Some(them)) = (self.you, self.opponent()) else {
            return nothing;
        };
        // A game that never started has nothing to play again.
        if self.view.is_none() {
            return nothing;
        }
        let name = self.name_of(them).unwrap_or("your opponent").to_owned();
        let r = &self.rematch;
        let ask = format!("Rematch with {name}");
        if r.entering || r.room.is_some() && r.error.is_none() {
            return RematchView {
                button: Some(ask),
                status: "Both players said yes: opening the new game…".to_owned(),
                ..nothing
            };
        }
        if let (Some(_), Some(error)) = (&r.room, &r.error) {
            // The new room exists but this page's seat in it did not come: ask again.
            return RematchView {
                button: Some("Open the new game".to_owned()),
                enabled: !r.asking,
                status: format!("The new game could not be opened: {error}"),
                ..nothing
            };
        }
        let left = r.opponent_left
            || self
                .opponent_presence()
                .is_some_and(|p| p.state == PresenceState::Left);
        if left {
            return RematchView {
                status: format!("{name} has left; no rematch"),
                ..nothing
            };
        }
        let view = self.offers_view(you, them, &name, now);
        RematchView {
            status: r.error.clone().unwrap_or(view.status.clone()),
            ..view
        }
    }

    /// The rematch while nothing is decided: who offered, who said no.
    fn offers_view(&self, you: Seat, them: Seat, name: &str, now: i64) -> RematchView {
        let nothing = RematchView::nothing();
        let r = &self.rematch;
        let ask = format!("Rematch with {name}");
        let mine = r.offered.contains(&you);
        let theirs = r.offered.contains(&them);
        if mine && r.declined.contains(&them) {
            // Their no answers this offer: nothing to wait for (it stands, should they change
            // their mind).
            RematchView {
                button: Some(ask),
                status: format!("{name} does not want a rematch now."),
                ..nothing
            }
        } else if mine {
            RematchView {
                button: Some(ask),
                status: self.unanswered_status(name, now),
                withdraw: true,
                ..nothing
            }
        } else if theirs && r.declined.contains(&you) {
            // Said no to their offer; it stands, so accepting is still possible.
            RematchView {
                button: Some(format!("Accept rematch with {name}")),
                enabled: !r.asking,
                status: "You said no to a rematch.".to_owned(),
                ..nothing
            }
        } else if theirs {
            RematchView {
                button: Some(format!("Accept rematch with {name}")),
                enabled: !r.asking,
                status: format!("{name} wants a rematch"),
                decline: true,
                ..nothing
            }
        } else {
            let status = if r.declined.contains(&them) {
                format!("{name} does not want a rematch now.")
            } else if r.declined.contains(&you) {
                "You said no to a rematch.".to_owned()
            } else {
                String::new()
            };
            RematchView {
                button: Some(ask),
                enabled: !r.asking,
                status,
                ..nothing
            }
        }
    }

    /// "Waiting for Bob to accept…", and why no answer may come.
    fn unanswered_status(&self, name: &str, now: i64) -> String {
        let waiting = format!("Waiting for {name} to accept…");
        let gone = self
            .opponent_presence()
            .is_some_and(|p| p.state != PresenceState::Connected);
        let long = self
            .rematch
            .asked_at
            .is_some_and(|at| now - at >= UNANSWERED_AFTER_MS);
        if gone {
            format!("{waiting} {name} has closed this game and may not see your offer.")
        } else if long {
            format!("{waiting} No answer yet.")
        } else {
            waiting
        }
    }
}
