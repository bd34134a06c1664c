//! What the two connection indicators show (SPEC R5, R8, R9), as plain data so it is tested
//! natively; the components only render it.

use game::protocol::SeatStatus;

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
    /// `data-state`: connected, reconnecting, disconnected, away.
    pub state: &'static str,
    /// The words of the indicator, with the timer once it is due.
    pub text: String,
    /// The running timer (`m:ss`), from `opponent_timer_after_ms` of absence.
    pub timer: Option<String>,
    /// "Opponent disconnected (m:ss)", from `opponent_banner_after_ms` of absence or once the
    /// server marks the seat temporarily disconnected.
    pub banner: Option<String>,
}

/// The opponent `name` with connection `status` at `now`.
pub fn opponent_view(status: &SeatStatus, name: &str, now: i64, ui: &UiConfig) -> OpponentView {
    if status.connected {
        return OpponentView {
            state: "connected",
            text: format!("{name}: connected"),
            timer: None,
            banner: None,
        };
    }
    let away = status.disconnected_since.map(|since| (now - since).max(0));
    let timer = away
        .filter(|ms| *ms >= ui.opponent_timer_after_ms)
        .map(clock);
    let suffix = timer
        .as_ref()
        .map(|t| format!(" ({t})"))
        .unwrap_or_default();
    let long_gone =
        status.temporarily_disconnected || away.is_some_and(|ms| ms >= ui.opponent_banner_after_ms);
    let (state, words) = if status.temporarily_disconnected {
        ("away", "temporarily disconnected")
    } else if status.reconnecting {
        ("reconnecting", "reconnecting…")
    } else {
        ("disconnected", "disconnected")
    };
    let banner = long_gone.then(|| match away {
        Some(ms) => format!("Opponent disconnected ({})", clock(ms)),
        None => "Opponent disconnected".to_owned(),
    });
    OpponentView {
        state,
        text: format!("{name}: {words}{suffix}"),
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

    fn away(since: Option<i64>, reconnecting: bool, temporarily: bool) -> SeatStatus {
        SeatStatus {
            seat: Seat::SECOND,
            connected: false,
            disconnected_since: since,
            reconnecting,
            temporarily_disconnected: temporarily,
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
        let status = SeatStatus {
            seat: Seat::SECOND,
            connected: true,
            disconnected_since: None,
            reconnecting: false,
            temporarily_disconnected: false,
        };
        let v = opponent_view(&status, "Bob", 10_000, &ui());
        assert_eq!(v.state, "connected");
        assert_eq!(v.text, "Bob: connected");
        assert_eq!((v.timer, v.banner), (None, None));
    }

    #[test]
    fn the_timer_starts_after_the_first_threshold_and_the_banner_after_the_second() {
        let s = away(Some(10_000), false, false);
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
    fn the_server_flag_raises_the_banner_and_reconnecting_is_shown() {
        let v = opponent_view(&away(Some(0), false, true), "Bob", 500, &ui());
        assert_eq!(v.state, "away");
        assert_eq!(v.banner.as_deref(), Some("Opponent disconnected (0:00)"));
        let v = opponent_view(&away(None, false, true), "Bob", 500, &ui());
        assert_eq!(v.banner.as_deref(), Some("Opponent disconnected"));
        let v = opponent_view(&away(Some(0), true, false), "Bob", 500, &ui());
        assert_eq!(
            (v.state, v.text.as_str()),
            ("reconnecting", "Bob: reconnecting…")
        );
    }

    #[test]
    fn default_durations_follow_the_spec() {
        let ui = UiConfig::default();
        let s = away(Some(0), false, false);
        assert_eq!(opponent_view(&s, "Bob", 59_999, &ui).timer, None);
        assert_eq!(
            opponent_view(&s, "Bob", 60_000, &ui).timer.as_deref(),
            Some("1:00")
        );
        assert_eq!(opponent_view(&s, "Bob", 119_999, &ui).banner, None);
        assert!(opponent_view(&s, "Bob", 120_000, &ui).banner.is_some());
    }
}
