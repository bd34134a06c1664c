//! Tabs of one browser agree on who holds a room's seat (SPEC R6), free of the browser: the
//! wasm wrapper carries [`TabMessage`]s over a `BroadcastChannel` and acts on [`TabEvent`]s.
//!
//! A tab opening a room first *probes*: it asks whether another tab holds that room and waits a
//! short window before connecting. A holder answers `present`; the probing (newer) tab then shows
//! "Game is open in another tab" instead of connecting. If the player takes over, the newer tab
//! connects (answering the server's `conflict` with `takeover`) and, once welcomed, tells the
//! other tabs `took_over`; the old holder then stops for good ("Session moved to another tab").

use serde::{Deserialize, Serialize};

/// A message between tabs of the same browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TabMessage {
    /// "Does any tab hold `room`?" — sent by a tab that is about to connect.
    Probe {
        /// Room code.
        room: String,
        /// The asking tab.
        tab: String,
    },
    /// "I hold `room`" — the answer of a holder to a probe (and its announcement once welcomed).
    Present {
        /// Room code.
        room: String,
        /// The holding tab.
        tab: String,
    },
    /// "I took `room` over" — sent by the newer tab once the server seated it.
    TookOver {
        /// Room code.
        room: String,
        /// The tab that holds the seat now.
        tab: String,
    },
}

impl TabMessage {
    fn room(&self) -> &str {
        match self {
            TabMessage::Probe { room, .. }
            | TabMessage::Present { room, .. }
            | TabMessage::TookOver { room, .. } => room,
        }
    }

    fn tab(&self) -> &str {
        match self {
            TabMessage::Probe { tab, .. }
            | TabMessage::Present { tab, .. }
            | TabMessage::TookOver { tab, .. } => tab,
        }
    }
}

/// Where this tab stands for its room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabRole {
    /// Asked the other tabs; connects when the window passes without an answer.
    Probing {
        /// When to give up waiting (ms, caller's clock).
        until: i64,
    },
    /// Connected (or connecting) as this browser's tab for the room.
    Holder,
    /// Another tab holds the room; the dialog is up.
    Conflict,
    /// The player chose "Take over": connect and take the seat.
    TakingOver,
    /// The seat went to another tab; this tab never reconnects.
    Moved,
    /// Left (Cancel, Leave, game over): quiet.
    Closed,
}

/// What the tab should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TabEvent {
    /// Open the socket.
    Connect,
    /// Show "Game is open in another tab" with "Take over" and "Cancel".
    ShowConflict,
    /// Close the socket, show "Session moved to another tab", disable every control.
    SessionMoved,
}

/// The decision logic of one tab for one room.
#[derive(Debug, Clone)]
pub struct TabCoordinator {
    room: String,
    tab: String,
    role: TabRole,
}

impl TabCoordinator {
    /// A coordinator for `room` in the tab named `tab`, starting its probe at `now`: returns it
    /// and the probe to broadcast. With `window_ms` 0 (no `BroadcastChannel`) it holds at once.
    pub fn start(room: &str, tab: &str, now: i64, window_ms: i64) -> (Self, TabMessage) {
        let role = if window_ms > 0 {
            TabRole::Probing {
                until: now + window_ms,
            }
        } else {
            TabRole::Holder
        };
        let me = Self {
            room: room.to_owned(),
            tab: tab.to_owned(),
            role,
        };
        let probe = TabMessage::Probe {
            room: room.to_owned(),
            tab: tab.to_owned(),
        };
        (me, probe)
    }

    /// The current role.
    pub fn role(&self) -> TabRole {
        self.role
    }

    /// Whether the socket may be opened (and reopened).
    pub fn may_connect(&self) -> bool {
        matches!(self.role, TabRole::Holder | TabRole::TakingOver)
    }

    /// Time passes: a probe without an answer ends with [`TabEvent::Connect`].
    pub fn poll(&mut self, now: i64) -> Option<TabEvent> {
        match self.role {
            TabRole::Probing { until } if now >= until => {
                self.role = TabRole::Holder;
                Some(TabEvent::Connect)
            }
            _ => None,
        }
    }

    /// A message from another tab: what to answer (broadcast) and what to do.
    pub fn on_message(&mut self, message: &TabMessage) -> (Option<TabMessage>, Option<TabEvent>) {
        if message.room() != self.room || message.tab() == self.tab {
            return (None, None);
        }
        match (message, self.role) {
            // An older tab holds the room: this (newer) tab asks the player.
            (TabMessage::Present { .. }, TabRole::Probing { .. }) => {
                self.role = TabRole::Conflict;
                (None, Some(TabEvent::ShowConflict))
            }
            // A newer tab asks: answer that this one holds the room.
            (TabMessage::Probe { .. }, TabRole::Holder | TabRole::TakingOver) => {
                let present = TabMessage::Present {
                    room: self.room.clone(),
                    tab: self.tab.clone(),
                };
                (Some(present), None)
            }
            // Another tab took the seat: this one stops for good.
            (TabMessage::TookOver { .. }, TabRole::Holder) => {
                self.role = TabRole::Moved;
                (None, Some(TabEvent::SessionMoved))
            }
            // The tab that held the room gave it up meanwhile: nothing to ask any more.
            _ => (None, None),
        }
    }

    /// The server refused this connection because another one holds the seat (`conflict`).
    pub fn on_server_conflict(&mut self) -> Option<TabEvent> {
        match self.role {
            // The player already chose: the caller answers with `takeover`.
            TabRole::TakingOver => None,
            TabRole::Moved | TabRole::Closed => None,
            _ => {
                self.role = TabRole::Conflict;
                Some(TabEvent::ShowConflict)
            }
        }
    }

    /// Whether a `conflict` from the server should be answered with `takeover` at once.
    pub fn answers_conflict_with_takeover(&self) -> bool {
        self.role == TabRole::TakingOver
    }

    /// The player pressed "Take over".
    pub fn take_over(&mut self) -> Option<TabEvent> {
        if matches!(self.role, TabRole::Conflict | TabRole::Probing { .. }) {
            self.role = TabRole::TakingOver;
            Some(TabEvent::Connect)
        } else {
            None
        }
    }

    /// The server seated this tab (`welcome`): after a takeover, tell the other tabs.
    pub fn on_welcome(&mut self) -> Option<TabMessage> {
        let took_over = self.role == TabRole::TakingOver;
        if matches!(self.role, TabRole::TakingOver | TabRole::Conflict) {
            self.role = TabRole::Holder;
        }
        took_over.then(|| TabMessage::TookOver {
            room: self.room.clone(),
            tab: self.tab.clone(),
        })
    }

    /// The server moved the seat away (`session_moved`, close 4009).
    pub fn on_session_moved(&mut self) {
        self.role = TabRole::Moved;
    }

    /// The tab left the room (Cancel, Leave, game over, expiry).
    pub fn close(&mut self) {
        if self.role != TabRole::Moved {
            self.role = TabRole::Closed;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn present(tab: &str) -> TabMessage {
        TabMessage::Present {
            room: "ABC234".to_owned(),
            tab: tab.to_owned(),
        }
    }

    fn probe(tab: &str) -> TabMessage {
        TabMessage::Probe {
            room: "ABC234".to_owned(),
            tab: tab.to_owned(),
        }
    }

    fn holder(tab: &str) -> TabCoordinator {
        let (mut t, _) = TabCoordinator::start("ABC234", tab, 0, 200);
        assert_eq!(t.poll(200), Some(TabEvent::Connect));
        t
    }

    #[test]
    fn a_lone_tab_connects_after_the_probe_window() {
        let (mut t, sent) = TabCoordinator::start("ABC234", "t1", 1_000, 200);
        assert_eq!(sent, probe("t1"));
        assert!(!t.may_connect());
        assert_eq!(t.poll(1_199), None);
        assert_eq!(t.poll(1_200), Some(TabEvent::Connect));
        assert_eq!(t.role(), TabRole::Holder);
        assert!(t.may_connect());
        assert_eq!(t.poll(5_000), None, "connects once");
    }

    #[test]
    fn without_broadcast_channel_a_tab_holds_at_once() {
        let (t, _) = TabCoordinator::start("ABC234", "t1", 0, 0);
        assert_eq!(t.role(), TabRole::Holder);
    }

    #[test]
    fn the_older_tab_answers_and_the_newer_one_asks_the_player() {
        let mut old = holder("old");
        let (mut new, sent) = TabCoordinator::start("ABC234", "new", 0, 200);
        let (reply, event) = old.on_message(&sent);
        assert_eq!(reply, Some(present("old")));
        assert_eq!(event, None);
        let (reply, event) = new.on_message(&reply.expect("present"));
        assert_eq!((reply, event), (None, Some(TabEvent::ShowConflict)));
        assert_eq!(new.role(), TabRole::Conflict);
        assert_eq!(new.poll(1_000), None, "a tab in conflict does not connect");
        assert!(!new.may_connect());
    }

    #[test]
    fn other_rooms_and_own_echoes_are_ignored() {
        let mut old = holder("old");
        let other = TabMessage::Probe {
            room: "ZZZ999".to_owned(),
            tab: "new".to_owned(),
        };
        assert_eq!(old.on_message(&other), (None, None));
        assert_eq!(old.on_message(&probe("old")), (None, None));
        let (mut new, _) = TabCoordinator::start("ABC234", "new", 0, 200);
        assert_eq!(new.on_message(&present("new")), (None, None));
    }

    #[test]
    fn two_probing_tabs_do_not_block_each_other() {
        let (mut a, pa) = TabCoordinator::start("ABC234", "a", 0, 200);
        let (mut b, pb) = TabCoordinator::start("ABC234", "b", 0, 200);
        assert_eq!(a.on_message(&pb), (None, None));
        assert_eq!(b.on_message(&pa), (None, None));
        // Both connect; the server's `conflict` decides.
        assert_eq!(a.poll(200), Some(TabEvent::Connect));
        assert_eq!(b.poll(200), Some(TabEvent::Connect));
        assert_eq!(b.on_server_conflict(), Some(TabEvent::ShowConflict));
    }

    #[test]
    fn taking_over_moves_the_seat_and_stops_the_old_tab() {
        let mut old = holder("old");
        let (mut new, sent) = TabCoordinator::start("ABC234", "new", 0, 200);
        let (reply, _) = old.on_message(&sent);
        new.on_message(&reply.expect("present"));
        assert_eq!(new.take_over(), Some(TabEvent::Connect));
        assert!(new.may_connect());
        // The server still sees the old socket: its `conflict` is answered with `takeover`.
        assert_eq!(new.on_server_conflict(), None);
        assert!(new.answers_conflict_with_takeover());
        let told = new.on_welcome().expect("took_over");
        assert_eq!(new.role(), TabRole::Holder);
        assert_eq!(old.on_message(&told), (None, Some(TabEvent::SessionMoved)));
        assert_eq!(old.role(), TabRole::Moved);
        assert!(!old.may_connect());
        // The moved tab answers no probe any more; the new holder does.
        assert_eq!(old.on_message(&probe("third")), (None, None));
        assert_eq!(new.on_message(&probe("third")).0, Some(present("new")));
        assert_eq!(
            new.on_welcome(),
            None,
            "a plain reconnection announces nothing"
        );
    }

    #[test]
    fn a_server_conflict_without_another_tab_shows_the_same_dialog() {
        let mut t = holder("t1");
        assert_eq!(t.on_server_conflict(), Some(TabEvent::ShowConflict));
        assert_eq!(t.take_over(), Some(TabEvent::Connect));
        assert_eq!(
            t.on_welcome(),
            Some(TabMessage::TookOver {
                room: "ABC234".to_owned(),
                tab: "t1".to_owned()
            })
        );
    }

    #[test]
    fn session_moved_and_closed_are_final() {
        let mut t = holder("t1");
        t.on_session_moved();
        assert_eq!(t.on_server_conflict(), None);
        assert_eq!(t.take_over(), None);
        t.close();
        assert_eq!(t.role(), TabRole::Moved);
        let mut u = holder("t2");
        u.close();
        assert_eq!(u.on_message(&probe("t3")), (None, None));
    }

    #[test]
    fn messages_round_trip_as_json() {
        let m = TabMessage::TookOver {
            room: "ABC234".to_owned(),
            tab: "t1".to_owned(),
        };
        let text = serde_json::to_string(&m).expect("json");
        assert_eq!(text, r#"{"type":"took_over","room":"ABC234","tab":"t1"}"#);
        assert_eq!(serde_json::from_str::<TabMessage>(&text).expect("parse"), m);
    }
}
