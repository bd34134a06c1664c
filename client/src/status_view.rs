//! What the two connection indicators show (SPEC R5, R8, R9), as plain data so it is tested
//! natively; the components only render it.

use game::protocol::{PresenceState, SeatPresence};

use crate::backoff::LinkState;
use crate::config::UiConfig;
use crate::heartbeat::Health;

/// `m:ss` for a duration in milliseconds.
pub fn clock(ms: i64) -> String {
    let secs = (ms / 1_000).max(0);
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// The link as the indicator and the room's banner show it (written by the socket owner).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkView {
    /// Lifecycle state.
    pub state: LinkState,
    /// Heartbeat health while connected.
    pub health: Health,
    /// Last round-trip time.
    pub rtt_ms: Option<i64>,
    /// The current round of attempts was started by the Retry button.
    pub manual: bool,
    /// The browser says it is offline: no attempt runs until it is back.
    pub offline: bool,
    /// While the link is down: until when the server keeps this player's seat (ms).
    pub seat_kept_until: Option<i64>,
    /// A socket is open and its `hello` sent: the game's state is on its way.
    pub awaiting_welcome: bool,
}

impl Default for LinkView {
    fn default() -> Self {
        Self {
            state: LinkState::Connecting,
            health: Health::Healthy,
            rtt_ms: None,
            manual: false,
            offline: false,
            seat_kept_until: None,
            awaiting_welcome: false,
        }
    }
}

/// This player's indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorView {
    /// `data-state`: connected, unstable, connecting, reconnecting, offline, disconnected,
    /// stopped.
    pub state: &'static str,
    /// The words shown.
    pub text: String,
    /// A spinner instead of the dot.
    pub spinner: bool,
    /// The Retry button, if shown: whether it is enabled.
    pub retry: Option<bool>,
}

/// Green "Connected", yellow "Connection unstable", orange "Reconnecting… (n/5)" (or "Offline:
/// waiting for the network" while the browser has none), red "Disconnected" with Retry; Retry
/// stays visible but disabled while an attempt runs.
pub fn indicator_view(link: &LinkView) -> IndicatorView {
    let (name, text, spinner) = match link.state {
        LinkState::Connected if link.health == Health::Unstable => {
            ("unstable", "Connection unstable".to_owned(), false)
        }
        LinkState::Connected => ("connected", "Connected".to_owned(), false),
        LinkState::Connecting => ("connecting", "Connecting…".to_owned(), true),
        LinkState::Reconnecting { .. } if link.offline => (
            "offline",
            "Offline: waiting for the network".to_owned(),
            false,
        ),
        LinkState::Reconnecting { attempt, max, .. } => (
            "reconnecting",
            format!("Reconnecting… ({attempt}/{max})"),
            true,
        ),
        LinkState::Disconnected { .. } => ("disconnected", "Disconnected".to_owned(), false),
        LinkState::Stopped => ("stopped", "Offline".to_owned(), false),
    };
    let retry = match link.state {
        LinkState::Disconnected { in_flight, .. } => Some(!in_flight),
        LinkState::Reconnecting { .. } if link.manual => Some(false),
        _ => None,
    };
    IndicatorView {
        state: name,
        text,
        spinner,
        retry,
    }
}

/// The banner above the table while the link is down: what is happening, when the next
/// attempt is, and how long the seat is still kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkBanner {
    /// `data-state`: recovering, reconnecting, offline, disconnected.
    pub state: &'static str,
    /// The words.
    pub text: String,
    /// Whether the banner offers Retry (and whether it is enabled).
    pub retry: Option<bool>,
}

/// What the banner says at `now` (ms), `None` while connected (or for good stopped).
pub fn link_banner(link: &LinkView, now: i64) -> Option<LinkBanner> {
    if link.awaiting_welcome {
        let text = if link.state == LinkState::Connecting {
            "Loading the game…"
        } else {
            "Connected again: recovering the game…"
        };
        return Some(LinkBanner {
            state: "recovering",
            text: text.to_owned(),
            retry: None,
        });
    }
    let seat = link.seat_kept_until.map(|until| seat_words(until - now));
    let (state, head, retry) = match link.state {
        LinkState::Connected | LinkState::Stopped | LinkState::Connecting => return None,
        _ if link.offline => (
            "offline",
            "No network. The game reconnects by itself when it is back.".to_owned(),
            None,
        ),
        LinkState::Reconnecting { attempt, max, .. } => (
            "reconnecting",
            format!("Connection lost: reconnecting (attempt {attempt} of {max})…"),
            None,
        ),
        LinkState::Disconnected {
            in_flight: true, ..
        } => (
            "disconnected",
            "Disconnected: trying again…".to_owned(),
            Some(false),
        ),
        LinkState::Disconnected { next_at, .. } => {
            let wait = (i64::try_from(next_at).unwrap_or(i64::MAX) - now).max(0);
            (
                "disconnected",
                format!("Disconnected: trying again in {}.", clock(wait + 999)),
                Some(true),
            )
        }
    };
    let text = match seat {
        Some(seat) => format!("{head} {seat}"),
        None => head,
    };
    Some(LinkBanner { state, text, retry })
}

/// "Your seat is kept for 4:12." while the return window lasts; after it, what that means.
fn seat_words(left_ms: i64) -> String {
    if left_ms > 0 {
        format!("Your seat is kept for {}.", clock(left_ms))
    } else {
        "Your seat's time has run out: if your opponent did not wait for you, the game is over."
            .to_owned()
    }
}

/// The opponent's indicator and the banner above the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpponentView {
    /// `data-state`: the presence state (`connected`, `reconnecting`, `disconnected`, `away`,
    /// `left`, `empty`).
    pub state: &'static str,
    /// The words of the indicator, with the timer once it is due.
    pub text: String,
    /// The running timer (`m:ss`), from `opponent_timer_after_ms` of absence.
    pub timer: Option<String>,
    /// Above the table: "Opponent disconnected (m:ss)" from `opponent_banner_after_ms` of
    /// absence or once the server says "away"; "Bob left the game" at once after a leave.
    pub banner: Option<String>,
}

/// The opponent `name` while this page's own link is down: the last presence the server told
/// may be stale, so nothing is claimed about it.
pub fn opponent_unknown(name: &str) -> OpponentView {
    OpponentView {
        state: "unknown",
        text: format!("{name}: unknown until you are back online"),
        timer: None,
        banner: None,
    }
}

/// The opponent `name` with presence `presence` at `now` (SPEC R9): "disconnected" after a clean
/// close, "reconnecting…" after a drop, "temporarily disconnected" past 2 minutes, "left".
pub fn opponent_view(presence: &SeatPresence, name: &str, now: i64, ui: &UiConfig) -> OpponentView {
    let away = presence.since.map(|since| (now - since).max(0));
    let timer = away
        .filter(|ms| *ms >= ui.opponent_timer_after_ms)
        .map(clock);
    let suffix = timer
        .as_ref()
        .map(|t| format!(" ({t})"))
        .unwrap_or_default();
    let (state, text) = match presence.state {
        PresenceState::Connected => {
            return OpponentView {
                state: "connected",
                text: format!("{name}: connected"),
                timer: None,
                banner: None,
            }
        }
        PresenceState::Empty => {
            return OpponentView {
                state: "empty",
                text: "No opponent yet".to_owned(),
                timer: None,
                banner: None,
            }
        }
        PresenceState::Left => {
            let words = format!("{name} left the game");
            return OpponentView {
                state: "left",
                text: words.clone(),
                timer: None,
                banner: Some(words),
            };
        }
        PresenceState::Reconnecting => ("reconnecting", format!("{name}: reconnecting…{suffix}")),
        PresenceState::Disconnected => ("disconnected", format!("{name}: disconnected{suffix}")),
        PresenceState::Away => ("away", format!("{name}: temporarily disconnected{suffix}")),
    };
    let long_gone = presence.state == PresenceState::Away
        || away.is_some_and(|ms| ms >= ui.opponent_banner_after_ms);
    let banner = long_gone.then(|| match away {
        Some(ms) => format!("Opponent disconnected ({})", clock(ms)),
        None => "Opponent disconnected".to_owned(),
    });
    OpponentView {
        state,
        text,
        timer,
        banner,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use game::Seat;

    fn ui() -> UiConfig {
        // Shrunk durations, as a test server would use.
        UiConfig {
            opponent_timer_after_ms: 1_000,
            opponent_banner_after_ms: 2_000,
            ..UiConfig::default()
        }
    }

    fn seen(state: PresenceState, since: Option<i64>) -> SeatPresence {
        SeatPresence {
            seat: Seat::SECOND,
            state,
            since,
        }
    }

    #[test]
    fn clock_reads_minutes_and_seconds() {
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(61_999), "1:01");
        assert_eq!(clock(-5), "0:00");
        assert_eq!(clock(600_000), "10:00");
    }

    fn link(state: LinkState) -> LinkView {
        LinkView {
            state,
            ..LinkView::default()
        }
    }

    #[test]
    fn indicator_shows_the_four_states() {
        let v = indicator_view(&link(LinkState::Connected));
        assert_eq!(
            (v.state, v.text.as_str(), v.spinner, v.retry),
            ("connected", "Connected", false, None)
        );
        let unstable = LinkView {
            health: Health::Unstable,
            ..link(LinkState::Connected)
        };
        let v = indicator_view(&unstable);
        assert_eq!(
            (v.state, v.text.as_str(), v.retry),
            ("unstable", "Connection unstable", None)
        );
        let reconnecting = LinkState::Reconnecting {
            attempt: 2,
            max: 5,
            next_at: 0,
            in_flight: false,
        };
        let v = indicator_view(&link(reconnecting));
        assert_eq!(
            (v.state, v.text.as_str(), v.spinner, v.retry),
            ("reconnecting", "Reconnecting… (2/5)", true, None)
        );
        let v = indicator_view(&link(DISCONNECTED));
        assert_eq!(
            (v.state, v.text.as_str(), v.retry),
            ("disconnected", "Disconnected", Some(true))
        );
    }

    const DISCONNECTED: LinkState = LinkState::Disconnected {
        next_at: 20_000,
        in_flight: false,
    };

    #[test]
    fn offline_is_said_instead_of_counting_attempts() {
        let offline = LinkView {
            offline: true,
            ..link(LinkState::Reconnecting {
                attempt: 1,
                max: 5,
                next_at: 0,
                in_flight: false,
            })
        };
        let v = indicator_view(&offline);
        assert_eq!(
            (v.state, v.text.as_str(), v.spinner),
            ("offline", "Offline: waiting for the network", false)
        );
        let banner = link_banner(&offline, 0).expect("a banner");
        assert_eq!(banner.state, "offline");
    }

    #[test]
    fn retry_is_disabled_while_an_attempt_runs() {
        let manual = LinkView {
            manual: true,
            ..link(LinkState::Reconnecting {
                attempt: 1,
                max: 5,
                next_at: 0,
                in_flight: true,
            })
        };
        assert_eq!(indicator_view(&manual).retry, Some(false));
        let slow = link(LinkState::Disconnected {
            next_at: 0,
            in_flight: true,
        });
        assert_eq!(indicator_view(&slow).retry, Some(false));
        assert_eq!(indicator_view(&link(LinkState::Connecting)).retry, None);
        assert_eq!(indicator_view(&link(LinkState::Stopped)).retry, None);
    }

    #[test]
    fn the_banner_says_when_the_next_attempt_is_and_how_long_the_seat_is_kept() {
        let down = LinkView {
            seat_kept_until: Some(300_000),
            ..link(DISCONNECTED)
        };
        let banner = link_banner(&down, 8_000).expect("a banner");
        assert_eq!(banner.state, "disconnected");
        assert_eq!(
            banner.text,
            "Disconnected: trying again in 0:12. Your seat is kept for 4:52."
        );
        assert_eq!(banner.retry, Some(true));
        let late = link_banner(&down, 300_001).expect("a banner");
        assert!(late.text.contains("time has run out"), "{}", late.text);
        assert_eq!(link_banner(&link(LinkState::Connected), 0), None);
        let recovering = LinkView {
            awaiting_welcome: true,
            ..down
        };
        assert_eq!(
            link_banner(&recovering, 0).map(|b| b.state),
            Some("recovering")
        );
    }

    #[test]
    fn a_connected_opponent_is_green_without_timer_or_banner() {
        let v = opponent_view(&seen(PresenceState::Connected, None), "Bob", 10_000, &ui());
        assert_eq!(v.state, "connected");
        assert_eq!(v.text, "Bob: connected");
        assert_eq!((v.timer, v.banner), (None, None));
    }

    #[test]
    fn a_clean_close_reads_disconnected_and_a_drop_reconnecting() {
        let v = opponent_view(
            &seen(PresenceState::Disconnected, Some(0)),
            "Bob",
            500,
            &ui(),
        );
        assert_eq!(
            (v.state, v.text.as_str()),
            ("disconnected", "Bob: disconnected")
        );
        let v = opponent_view(
            &seen(PresenceState::Reconnecting, Some(0)),
            "Bob",
            500,
            &ui(),
        );
        assert_eq!(
            (v.state, v.text.as_str()),
            ("reconnecting", "Bob: reconnecting…")
        );
    }

    #[test]
    fn the_timer_starts_after_the_first_threshold_and_the_banner_after_the_second() {
        let s = seen(PresenceState::Disconnected, Some(10_000));
        let v = opponent_view(&s, "Bob", 10_999, &ui());
        assert_eq!(
            (v.state, v.text.as_str(), v.timer.clone(), v.banner.clone()),
            ("disconnected", "Bob: disconnected", None, None)
        );
        let v = opponent_view(&s, "Bob", 11_000, &ui());
        assert_eq!(v.timer.as_deref(), Some("0:01"));
        assert_eq!(v.text, "Bob: disconnected (0:01)");
        assert_eq!(v.banner, None);
        let v = opponent_view(&s, "Bob", 12_500, &ui());
        assert_eq!(v.banner.as_deref(), Some("Opponent disconnected (0:02)"));
    }

    #[test]
    fn away_raises_the_banner_and_left_says_so_at_once() {
        let v = opponent_view(&seen(PresenceState::Away, Some(0)), "Bob", 500, &ui());
        assert_eq!(v.state, "away");
        assert_eq!(v.banner.as_deref(), Some("Opponent disconnected (0:00)"));
        let v = opponent_view(&seen(PresenceState::Away, None), "Bob", 500, &ui());
        assert_eq!(v.banner.as_deref(), Some("Opponent disconnected"));
        let v = opponent_view(&seen(PresenceState::Left, Some(0)), "Bob", 5, &ui());
        assert_eq!(
            (v.state, v.text.as_str(), v.banner.as_deref()),
            ("left", "Bob left the game", Some("Bob left the game"))
        );
        let v = opponent_view(&seen(PresenceState::Empty, None), "Bob", 5, &ui());
        assert_eq!((v.state, v.banner), ("empty", None));
    }

    #[test]
    fn default_durations_follow_the_spec() {
        let ui = UiConfig::default();
        let s = seen(PresenceState::Reconnecting, Some(0));
        assert_eq!(opponent_view(&s, "Bob", 59_999, &ui).timer, None);
        assert_eq!(
            opponent_view(&s, "Bob", 60_000, &ui).timer.as_deref(),
            Some("1:00")
        );
        assert_eq!(opponent_view(&s, "Bob", 119_999, &ui).banner, None);
        assert!(opponent_view(&s, "Bob", 120_000, &ui).banner.is_some());
    }
}
