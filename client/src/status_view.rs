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

/// This player's indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorView {
    /// `data-state`: connected, unstable, connecting, reconnecting, disconnected, stopped.
    pub state: &'static str,
    /// The words shown.
    pub text: String,
    /// A spinner instead of the dot.
    pub spinner: bool,
    /// The Retry button, if shown: whether it is enabled.
    pub retry: Option<bool>,
}

/// Green "Connected", yellow "Connection unstable", orange "Reconnecting… (n/5)", red
/// "Disconnected" with Retry; Retry stays visible but disabled while a manual retry runs.
pub fn indicator_view(state: LinkState, health: Health, manual: bool) -> IndicatorView {
    let (name, text, spinner) = match state {
        LinkState::Connected if health == Health::Unstable => {
            ("unstable", "Connection unstable".to_owned(), false)
        }
        LinkState::Connected => ("connected", "Connected".to_owned(), false),
        LinkState::Connecting => ("connecting", "Connecting…".to_owned(), true),
        LinkState::Reconnecting { attempt, max, .. } => (
            "reconnecting",
            format!("Reconnecting… ({attempt}/{max})"),
            true,
        ),
        LinkState::Disconnected => ("disconnected", "Disconnected".to_owned(), false),
        LinkState::Stopped => ("stopped", "Offline".to_owned(), false),
    };
    let retry = match name {
        "disconnected" => Some(true),
        "reconnecting" if manual => Some(false),
        _ => None,
    };
    IndicatorView {
        state: name,
        text,
        spinner,
        retry,
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

    #[test]
    fn indicator_shows_the_four_states() {
        let v = indicator_view(LinkState::Connected, Health::Healthy, false);
        assert_eq!(
            (v.state, v.text.as_str(), v.spinner, v.retry),
            ("connected", "Connected", false, None)
        );
        let v = indicator_view(LinkState::Connected, Health::Unstable, false);
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
        let v = indicator_view(reconnecting, Health::Healthy, false);
        assert_eq!(
            (v.state, v.text.as_str(), v.spinner, v.retry),
            ("reconnecting", "Reconnecting… (2/5)", true, None)
        );
        let v = indicator_view(LinkState::Disconnected, Health::Healthy, false);
        assert_eq!(
            (v.state, v.text.as_str(), v.retry),
            ("disconnected", "Disconnected", Some(true))
        );
    }

    #[test]
    fn retry_is_disabled_while_a_manual_retry_runs() {
        let reconnecting = LinkState::Reconnecting {
            attempt: 1,
            max: 5,
            next_at: 0,
            in_flight: true,
        };
        assert_eq!(
            indicator_view(reconnecting, Health::Healthy, true).retry,
            Some(false)
        );
        assert_eq!(
            indicator_view(LinkState::Connecting, Health::Healthy, false).retry,
            None
        );
        assert_eq!(
            indicator_view(LinkState::Stopped, Health::Healthy, false).retry,
            None
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
