//! The home page's "Resume a game" list: every stored session is checked with the server
//! before it is shown (a seat is kept only minutes after its player went, SPEC R2, while the
//! token reads valid for a day), the ones it refuses are forgotten, and the rest are described
//! with who plays whom and whether the game is over. Pure: the page feeds it the answers.

use game::protocol::SeatInfo;
use game::Seat;

use crate::session_store::StoredSession;

/// Where a room stands, as `GET /api/rooms/{code}` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// One seat taken, waiting for an opponent.
    Waiting,
    /// The game is on.
    Playing,
    /// The game is over (finished or abandoned).
    Over,
    /// The room's facts could not be read.
    Unknown,
}

impl Standing {
    /// The standing of a room whose `status` is as the server spells it.
    pub fn from_status(status: &str) -> Standing {
        match status {
            "waiting" => Standing::Waiting,
            "playing" => Standing::Playing,
            "finished" | "abandoned" => Standing::Over,
            _ => Standing::Unknown,
        }
    }
}

/// What the server said about one stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionCheck {
    /// `GET /api/session` answered 200: the seat is still held.
    Live {
        /// The player's name as the server knows it.
        name: Option<String>,
        /// The opponent's name, once someone took the other seat.
        opponent: Option<String>,
        /// Where the room stands.
        standing: Standing,
    },
    /// 401: the session is over (expired, revoked, left, …).
    Refused,
    /// No answer, or not a clear one: the session may still be good.
    Unreachable,
}

impl SessionCheck {
    /// A held seat: `name` and `seat` as `GET /api/session` gives them, with the room's
    /// `players` and `status` as `GET /api/rooms/{code}` gives them (none when that failed).
    pub fn live(name: String, seat: Seat, room: Option<(&[SeatInfo], &str)>) -> SessionCheck {
        let opponent = room.and_then(|(players, _)| {
            players
                .iter()
                .find(|p| p.seat != seat)
                .map(|p| p.name.clone())
        });
        SessionCheck::Live {
            name: Some(name).filter(|n| !n.trim().is_empty()),
            opponent,
            standing: room.map_or(Standing::Unknown, |(_, status)| {
                Standing::from_status(status)
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Checking,
    Live {
        name: Option<String>,
        opponent: Option<String>,
        standing: Standing,
    },
    NotChecked,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    session: StoredSession,
    state: State,
}

/// One line of the list as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeLine {
    /// The room's code (the link goes to `/room/{room}`).
    pub room: String,
    /// Who plays whom and how the game stands: "Alice against Bob · in play".
    pub detail: String,
    /// A stable key for tests and styles: `waiting`, `playing`, `over`, `live`, `unchecked`.
    pub state: &'static str,
}

/// The stored sessions, each with what the server said of it so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResumeList {
    entries: Vec<Entry>,
}

impl ResumeList {
    /// The stored `sessions`, none checked yet.
    pub fn new(sessions: Vec<StoredSession>) -> Self {
        let entries = sessions
            .into_iter()
            .map(|session| Entry {
                session,
                state: State::Checking,
            })
            .collect();
        ResumeList { entries }
    }

    /// The sessions to ask the server about.
    pub fn sessions(&self) -> Vec<StoredSession> {
        self.entries.iter().map(|e| e.session.clone()).collect()
    }

    /// Takes the server's answer for `room`'s session. True when the session is over and must
    /// be forgotten from storage too.
    pub fn checked(&mut self, room: &str, check: SessionCheck) -> bool {
        match check {
            SessionCheck::Refused => {
                let before = self.entries.len();
                self.entries.retain(|e| e.session.room != room);
                self.entries.len() != before
            }
            SessionCheck::Live {
                name,
                opponent,
                standing,
            } => {
                self.set(
                    room,
                    State::Live {
                        name,
                        opponent,
                        standing,
                    },
                );
                false
            }
            SessionCheck::Unreachable => {
                self.set(room, State::NotChecked);
                false
            }
        }
    }

    fn set(&mut self, room: &str, state: State) {
        if let Some(entry) = self.entries.iter_mut().find(|e| e.session.room == room) {
            entry.state = state;
        }
    }

    /// The player pressed "Forget" on `room`.
    pub fn forget(&mut self, room: &str) {
        self.entries.retain(|e| e.session.room != room);
    }

    /// Whether some session still waits for the server's answer.
    pub fn checking(&self) -> bool {
        self.entries.iter().any(|e| e.state == State::Checking)
    }

    /// The lines to show: only sessions the server did not refuse — a session still being
    /// checked is not shown, so that a dead one never flashes up.
    pub fn shown(&self) -> Vec<ResumeLine> {
        self.entries.iter().filter_map(Entry::line).collect()
    }
}

impl Entry {
    fn line(&self) -> Option<ResumeLine> {
        let stored_name = Some(self.session.name.trim()).filter(|n| !n.is_empty());
        let (detail, state) = match &self.state {
            State::Checking => return None,
            State::NotChecked => (
                format!(
                    "{} · not checked: the server did not answer",
                    stored_name.unwrap_or("You")
                ),
                "unchecked",
            ),
            State::Live {
                name,
                opponent,
                standing,
            } => {
                let me = name.as_deref().or(stored_name).unwrap_or("You");
                let who = match opponent {
                    Some(opponent) => format!("{me} against {opponent}"),
                    None => me.to_owned(),
                };
                match standing {
                    Standing::Waiting => (format!("{who} · waiting for an opponent"), "waiting"),
                    Standing::Playing => (format!("{who} · in play"), "playing"),
                    Standing::Over => (format!("{who} · game over"), "over"),
                    Standing::Unknown => (who, "live"),
                }
            }
        };
        Some(ResumeLine {
            room: self.session.room.clone(),
            detail,
            state,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(room: &str, name: &str) -> StoredSession {
        StoredSession {
            room: room.to_owned(),
            seat: 0,
            player_id: 1,
            token: format!("token-{room}"),
            expires_at: i64::MAX,
            name: name.to_owned(),
        }
    }

    fn live(opponent: Option<&str>, standing: Standing) -> SessionCheck {
        SessionCheck::Live {
            name: Some("Alice".to_owned()),
            opponent: opponent.map(str::to_owned),
            standing,
        }
    }

    fn list() -> ResumeList {
        ResumeList::new(vec![
            session("AAA234", "Alice"),
            session("BBB234", "Alice"),
            session("CCC234", ""),
        ])
    }

    #[test]
    fn nothing_is_shown_before_the_server_answered() {
        let mut list = list();
        assert!(list.checking());
        assert!(list.shown().is_empty());
        list.checked("BBB234", live(Some("Bob"), Standing::Playing));
        let rooms: Vec<String> = list.shown().into_iter().map(|l| l.room).collect();
        assert_eq!(rooms, ["BBB234"], "only the answered one");
        assert!(list.checking());
    }

    #[test]
    fn a_refused_session_is_dropped_and_forgotten() {
        let mut list = list();
        assert!(list.checked("AAA234", SessionCheck::Refused));
        assert!(!list.checked("AAA234", SessionCheck::Refused), "only once");
        list.checked("BBB234", live(None, Standing::Waiting));
        list.checked("CCC234", SessionCheck::Refused);
        assert!(!list.checking());
        let rooms: Vec<String> = list.shown().into_iter().map(|l| l.room).collect();
        assert_eq!(rooms, ["BBB234"]);
        let sessions: Vec<String> = list.sessions().into_iter().map(|s| s.room).collect();
        assert_eq!(sessions, ["BBB234"]);
    }

    #[test]
    fn live_sessions_say_who_plays_whom_and_how_the_game_stands() {
        let mut list = list();
        list.checked("AAA234", live(Some("Bob"), Standing::Playing));
        list.checked("BBB234", live(Some("Bob"), Standing::Over));
        list.checked("CCC234", live(None, Standing::Waiting));
        let lines = list.shown();
        assert_eq!(lines[0].detail, "Alice against Bob · in play");
        assert_eq!(lines[0].state, "playing");
        assert_eq!(lines[1].detail, "Alice against Bob · game over");
        assert_eq!(lines[1].state, "over");
        assert_eq!(lines[2].detail, "Alice · waiting for an opponent");
        assert_eq!(lines[2].state, "waiting");
    }

    #[test]
    fn without_an_answer_the_session_stays_listed_as_not_checked() {
        let mut list = list();
        assert!(!list.checked("AAA234", SessionCheck::Unreachable));
        list.checked("CCC234", SessionCheck::Unreachable);
        let lines = list.shown();
        assert_eq!(
            lines[0].detail,
            "Alice · not checked: the server did not answer"
        );
        assert_eq!(lines[0].state, "unchecked");
        assert_eq!(
            lines[1].detail, "You · not checked: the server did not answer",
            "an old session without a stored name"
        );
    }

    #[test]
    fn the_server_s_name_wins_and_an_unknown_standing_says_only_who() {
        let mut list = ResumeList::new(vec![session("AAA234", "")]);
        list.checked(
            "AAA234",
            SessionCheck::Live {
                name: Some("Alicia".to_owned()),
                opponent: Some("Bob".to_owned()),
                standing: Standing::Unknown,
            },
        );
        assert_eq!(list.shown()[0].detail, "Alicia against Bob");
        assert_eq!(list.shown()[0].state, "live");
    }

    #[test]
    fn forget_removes_an_entry() {
        let mut list = list();
        list.checked("AAA234", live(None, Standing::Playing));
        list.forget("AAA234");
        list.forget("ZZZ234");
        assert!(list.shown().is_empty());
        assert_eq!(list.sessions().len(), 2);
    }

    #[test]
    fn the_opponent_is_whoever_holds_the_other_seat() {
        let players = [
            SeatInfo {
                seat: Seat::FIRST,
                name: "Alice".to_owned(),
            },
            SeatInfo {
                seat: Seat::SECOND,
                name: "Bob".to_owned(),
            },
        ];
        assert_eq!(
            SessionCheck::live("Bob".to_owned(), Seat::SECOND, Some((&players, "playing"))),
            SessionCheck::Live {
                name: Some("Bob".to_owned()),
                opponent: Some("Alice".to_owned()),
                standing: Standing::Playing,
            }
        );
        assert_eq!(
            SessionCheck::live(
                "Alice".to_owned(),
                Seat::FIRST,
                Some((&players[..1], "waiting"))
            ),
            SessionCheck::Live {
                name: Some("Alice".to_owned()),
                opponent: None,
                standing: Standing::Waiting,
            }
        );
        assert_eq!(
            SessionCheck::live(String::new(), Seat::FIRST, None),
            SessionCheck::Live {
                name: None,
                opponent: None,
                standing: Standing::Unknown,
            }
        );
    }

    #[test]
    fn statuses_map_to_standings() {
        assert_eq!(Standing::from_status("waiting"), Standing::Waiting);
        assert_eq!(Standing::from_status("playing"), Standing::Playing);
        assert_eq!(Standing::from_status("finished"), Standing::Over);
        assert_eq!(Standing::from_status("abandoned"), Standing::Over);
        assert_eq!(Standing::from_status("archived"), Standing::Unknown);
    }
}
