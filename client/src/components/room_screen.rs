//! A seated player's screen: owns the connection task and picks what to show by phase.

use dioxus::prelude::*;

use crate::backoff::LinkState;
use crate::components::connection_indicator::ConnectionIndicator;
use crate::components::game_over::GameOver;
use crate::components::hand_summary::{HandSummaryBar, HandSummaryDialog};
use crate::components::how_to_play::HowToPlay;
use crate::components::link_banner::LinkBannerView;
use crate::components::missed_dialog::MissedDialog;
use crate::components::modal::Modal;
use crate::components::opponent_status::{AbandonedDialog, OpponentBanner, OpponentStatus};
use crate::components::ruleset_line::RulesetLine;
use crate::components::sound_toggle::SoundToggle;
use crate::components::table::TableView;
use crate::components::waiting_room::WaitingRoom;
use crate::config::ClientConfig;
use crate::model::Phase;
use crate::navigation::{go, Screen};
use crate::session_store::StoredSession;
use crate::status_view::LinkView;
use crate::store::use_game_store;
use crate::tab_title::{tab_title, title_base};
use crate::web::browser::{self, now_ms, sleep_ms};
use crate::web::connection::{self, Command};

/// The room screen of `session`.
#[component]
pub fn RoomScreen(session: StoredSession) -> Element {
    let screen = use_context::<Signal<Screen>>();
    let config = ClientConfig::default();
    let model = use_game_store(&session.room);
    let link = use_signal(LinkView::default);
    let owned = session.clone();
    let conn =
        use_coroutine(move |rx| connection::run(owned.clone(), config, model, link, screen, rx));
    let mut confirm_leave = use_signal(|| false);
    let mut now = use_signal(now_ms);
    use_future(move || async move {
        loop {
            sleep_ms(1_000).await;
            now.set(now_ms());
        }
    });

    // The tab's title tells a player busy in another tab that the game waits for their move.
    let base_title = use_hook(|| title_base(&browser::title()).to_owned());
    let base = base_title.clone();
    use_effect(move || {
        let your_turn = model.read().your_turn();
        browser::set_title(&tab_title(&base, your_turn));
    });
    use_drop(move || browser::set_title(&base_title));

    let phase = model.read().phase.clone();
    // The conflict dialog waits for the player's choice: no "Connecting…" spinner behind it.
    let deciding = matches!(phase, Phase::Conflict(_));
    let has_view = model.read().view.is_some();
    let phase_attr = phase_name(&phase);
    // The hand summary covers the whole screen: what is under it is out of sight and reach.
    let summary_open = if model.read().summary_open() {
        "true"
    } else {
        "false"
    };
    // While this page's own link is down, what it last heard of the opponent may be stale.
    let known = link().state == LinkState::Connected;
    let room = session.room.clone();
    let home = move || {
        go(
            screen,
            Screen::Home {
                code: String::new(),
                notice: None,
            },
        )
    };
    // Leaving is for good: ask first. The connection task goes home once the server confirms.
    let leave = move |_| {
        confirm_leave.set(false);
        conn.send(Command::Leave);
    };

    rsx! {
        div { class: "room", "data-phase": phase_attr, "data-summary-open": summary_open,
            // Always in the page so that screen readers hear each change of its text (beside
            // the header and the table, so that it stays live behind any dialog).
            div { id: "announcer", class: "visually-hidden", role: "status",
                "aria-live": "polite", "aria-atomic": "true",
                "{model.read().announcement}"
            }
            header { class: "topbar",
                div { class: "brand",
                    h1 { class: "title", "Casino Online" }
                    span { id: "room-label", " Room {room}" }
                    RulesetLine { ruleset: model.read().view.as_ref().map(|v| v.ruleset) }
                    div { class: "tools",
                        HowToPlay {}
                        SoundToggle { model }
                    }
                }
                div { class: "status-stack",
                    if !deciding {
                        ConnectionIndicator { link }
                    }
                    OpponentStatus { model, now: now(), config: config.ui, known }
                }
            }
            main { class: "felt",
                if !model.read().is_final() {
                    LinkBannerView { link, now: now() }
                }
                match phase {
                    Phase::Recovering => rsx! {
                        if has_view {
                            TableView { model, disabled: true }
                        }
                    },
                    Phase::WaitingForOpponent => rsx! { WaitingRoom { room: room.clone() } },
                    Phase::Playing => rsx! {
                        OpponentBanner { model, now: now(), config: config.ui }
                        HandSummaryBar { model }
                        TableView { model, disabled: false }
                        AbandonedDialog { model, now: now() }
                    },
                    Phase::Over { .. } => rsx! {
                        HandSummaryBar { model }
                        GameOver { model, session: session.clone(), now: now() }
                    },
                    Phase::Conflict(message) => rsx! { ConflictDialog { message } },
                    Phase::Expired => rsx! {
                        Modal {
                            id: "session-expired",
                            labelled_by: "expired-title",
                            focus: "expired-home",
                            on_escape: move |_| home(),
                            h2 { id: "expired-title", "This game session has expired" }
                            p { "You were away too long to return to this game." }
                            button { id: "expired-home", r#type: "button", class: "primary", onclick: move |_| home(),
                                "Back to the lobby"
                            }
                        }
                    },
                    Phase::Leaving => rsx! {
                        div { id: "leaving", class: "banner", "Leaving the game…" }
                    },
                    Phase::Left => rsx! {
                        Modal {
                            id: "left-game",
                            labelled_by: "left-title",
                            focus: "left-home",
                            on_escape: move |_| home(),
                            h2 { id: "left-title", "You left this game" }
                            p { "A game you leave cannot be resumed." }
                            button { id: "left-home", r#type: "button", class: "primary", onclick: move |_| home(),
                                "Back to the lobby"
                            }
                        }
                    },
                    Phase::SessionMoved => rsx! {
                        div { id: "session-moved", class: "banner warn", "Session moved to another tab" }
                        if has_view {
                            TableView { model, disabled: true }
                        }
                    },
                }
                MissedDialog { model, config: config.ui }
                if matches!(phase_attr, "playing" | "over") {
                    HandSummaryDialog { model, now: now() }
                }
                if confirm_leave() {
                    Modal {
                        id: "leave-dialog",
                        labelled_by: "leave-title",
                        described_by: "leave-text",
                        focus: "cancel-leave",
                        on_escape: move |_| confirm_leave.set(false),
                        h2 { id: "leave-title", "Leave the game?" }
                        p { id: "leave-text", "You cannot come back to it, and your opponent may claim the victory." }
                        button { id: "confirm-leave", r#type: "button", class: "primary", onclick: leave, "Leave" }
                        button { id: "cancel-leave", r#type: "button", onclick: move |_| confirm_leave.set(false), "Stay" }
                    }
                }
                if !model.read().is_final() && !matches!(model.read().phase, Phase::Over { .. } | Phase::Leaving) {
                    button { id: "leave-room", r#type: "button", class: "leave",
                        "aria-haspopup": "dialog",
                        onclick: move |_| confirm_leave.set(true),
                        "Leave"
                    }
                }
            }
        }
    }
}

/// "Game is open in another tab": take the seat over here, or leave it to the other tab
/// (Escape: the other tab keeps it).
#[component]
fn ConflictDialog(message: String) -> Element {
    let screen = use_context::<Signal<Screen>>();
    let conn = use_coroutine_handle::<Command>();
    let cancel = move || {
        conn.send(Command::Cancel);
        go(
            screen,
            Screen::Home {
                code: String::new(),
                notice: None,
            },
        );
    };
    rsx! {
        Modal {
            id: "conflict-dialog",
            labelled_by: "conflict-title",
            described_by: "conflict-text",
            focus: "takeover",
            on_escape: move |_| cancel(),
            h2 { id: "conflict-title", "Game is open in another tab" }
            p { id: "conflict-text", "{message}" }
            button { id: "takeover", r#type: "button", class: "primary",
                onclick: move |_| conn.send(Command::Takeover),
                "Take over"
            }
            button { id: "cancel-takeover", r#type: "button", onclick: move |_| cancel(), "Cancel" }
        }
    }
}

fn phase_name(phase: &Phase) -> &'static str {
    match phase {
        Phase::Recovering => "recovering",
        Phase::WaitingForOpponent => "waiting",
        Phase::Playing => "playing",
        Phase::Over { .. } => "over",
        Phase::Conflict(_) => "conflict",
        Phase::SessionMoved => "moved",
        Phase::Expired => "expired",
        Phase::Leaving => "leaving",
        Phase::Left => "left",
    }
}
