//! A seated player's screen: owns the connection task and picks what to show by phase.

use dioxus::prelude::*;

use crate::app::{go, Screen};
use crate::components::connection_indicator::ConnectionIndicator;
use crate::components::game_over::GameOver;
use crate::components::hand_summary::HandSummaryDialog;
use crate::components::how_to_play::HowToPlay;
use crate::components::missed_dialog::MissedDialog;
use crate::components::opponent_status::{AbandonedDialog, OpponentBanner, OpponentStatus};
use crate::components::sound_toggle::SoundToggle;
use crate::components::table::TableView;
use crate::components::waiting_room::WaitingRoom;
use crate::config::ClientConfig;
use crate::model::{GameModel, Phase};
use crate::session_store::StoredSession;
use crate::tab_title::{tab_title, title_base};
use crate::web::browser::{self, now_ms, sleep_ms};
use crate::web::connection::{self, Command, LinkView};

/// The room screen of `session`.
#[component]
pub fn RoomScreen(session: StoredSession) -> Element {
    let screen = use_context::<Signal<Screen>>();
    let config = ClientConfig::default();
    let model = use_signal(|| GameModel::new(&session.room));
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
    let summary_open = if model.read().hand_summary.is_some() {
        "true"
    } else {
        "false"
    };
    let room = session.room.clone();
    let home = move |_| {
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
            header { class: "topbar",
                div { class: "brand",
                    h1 { class: "title", "Casino Online" }
                    span { id: "room-label", " Room {room}" }
                    div { class: "tools",
                        HowToPlay {}
                        SoundToggle { model }
                    }
                }
                div { class: "status-stack",
                    if !deciding {
                        ConnectionIndicator { link }
                    }
                    OpponentStatus { model, now: now(), config: config.ui }
                }
            }
            main { class: "felt",
                // Always in the page so that screen readers hear each change of its text.
                div { id: "announcer", class: "visually-hidden", role: "status",
                    "aria-live": "polite", "aria-atomic": "true",
                    "{model.read().announcement}"
                }
                match phase {
                    Phase::Recovering => rsx! {
                        div { id: "recovering", class: "banner", "Recovering game state…" }
                        if has_view {
                            TableView { model, disabled: true }
                        }
                    },
                    Phase::WaitingForOpponent => rsx! { WaitingRoom { room: room.clone() } },
                    Phase::Playing => rsx! {
                        OpponentBanner { model, now: now(), config: config.ui }
                        TableView { model, disabled: false }
                        AbandonedDialog { model, now: now() }
                    },
                    Phase::Over { .. } => rsx! { GameOver { model, session: session.clone() } },
                    Phase::Conflict(message) => rsx! {
                        div { id: "conflict-dialog", class: "dialog",
                            h2 { "Game is open in another tab" }
                            p { "{message}" }
                            button { id: "takeover", onclick: move |_| conn.send(Command::Takeover), "Take over" }
                            button {
                                id: "cancel-takeover",
                                onclick: move |_| {
                                    conn.send(Command::Cancel);
                                    go(screen, Screen::Home { code: String::new(), notice: None });
                                },
                                "Cancel"
                            }
                        }
                    },
                    Phase::Expired => rsx! {
                        div { id: "session-expired", class: "dialog",
                            h2 { "This game session has expired" }
                            p { "You were away too long to return to this game." }
                            button {
                                id: "expired-home",
                                onclick: move |_| go(screen, Screen::Home { code: String::new(), notice: None }),
                                "Back to the lobby"
                            }
                        }
                    },
                    Phase::Leaving => rsx! {
                        div { id: "leaving", class: "banner", "Leaving the game…" }
                    },
                    Phase::Left => rsx! {
                        div { id: "left-game", class: "dialog",
                            h2 { "You left this game" }
                            p { "A game you leave cannot be resumed." }
                            button { id: "left-home", onclick: home, "Back to the lobby" }
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
                    div { id: "leave-dialog", class: "dialog", role: "dialog", "aria-modal": "true",
                        h2 { "Leave the game?" }
                        p { "You cannot come back to it, and your opponent may claim the victory." }
                        button { id: "confirm-leave", class: "primary", onclick: leave, "Leave" }
                        button { id: "cancel-leave", onclick: move |_| confirm_leave.set(false), "Stay" }
                    }
                }
                if !model.read().is_final() && !matches!(model.read().phase, Phase::Over { .. } | Phase::Leaving) {
                    button { id: "leave-room", class: "leave", onclick: move |_| confirm_leave.set(true), "Leave" }
                }
            }
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
