//! A seated player's screen: owns the connection task and picks what to show by phase.

use dioxus::prelude::*;

use crate::backoff::LinkState;
use crate::components::clock::use_clock_provider;
use crate::components::connection_indicator::ConnectionIndicator;
use crate::components::game_over::GameOver;
use crate::components::hand_summary::{HandSummaryBar, HandSummaryDialog};
use crate::components::how_to_play::HowToPlay;
use crate::components::link_banner::LinkBannerView;
use crate::components::missed_dialog::MissedDialog;
use crate::components::opponent_status::{AbandonedDialog, OpponentBanner, OpponentStatus};
use crate::components::room_dialogs::{ConflictDialog, ExpiredDialog, LeaveDialog, LeftDialog};
use crate::components::ruleset_line::RulesetLine;
use crate::components::sound_toggle::SoundToggle;
use crate::components::table::TableView;
use crate::components::waiting_room::WaitingRoom;
use crate::config::ClientConfig;
use crate::model::Phase;
use crate::navigation::Screen;
use crate::session_store::StoredSession;
use crate::status_view::LinkView;
use crate::store::{use_game_store, GameStore};
use crate::tab_title::{tab_title, title_base};
use crate::web::browser;
use crate::web::connection;

/// The room screen of `session`.
#[component]
pub fn RoomScreen(session: StoredSession) -> Element {
    let screen = use_context::<Signal<Screen>>();
    let config = ClientConfig::default();
    let model = use_game_store(&session.room);
    let link = use_signal(LinkView::default);
    let owned = session.clone();
    // The connection task, also the coroutine the components send their commands to.
    use_coroutine(move |rx| connection::run(owned.clone(), config, model, link, screen, rx));
    let mut confirm_leave = use_signal(|| false);
    use_clock_provider();
    use_tab_title(model);

    let phase = model.read().phase.clone();
    let phase_attr = phase_name(&phase);
    // The hand summary covers the whole screen: what is under it is out of sight and reach.
    let summary_open = if model.read().summary_open() {
        "true"
    } else {
        "false"
    };
    let room = session.room.clone();
    rsx! {
        div { class: "room", "data-phase": phase_attr, "data-summary-open": summary_open,
            // Always in the page so that screen readers hear each change of its text (beside
            // the header and the table, so that it stays live behind any dialog).
            div { id: "announcer", class: "visually-hidden", role: "status",
                "aria-live": "polite", "aria-atomic": "true",
                "{model.read().announcement}"
            }
            RoomHeader { model, link, room: room.clone(), config }
            main { class: "felt",
                if !model.read().is_final() {
                    LinkBannerView { link }
                }
                PhaseView { model, phase: phase.clone(), session: session.clone(), config }
                MissedDialog { model, config: config.ui }
                if matches!(phase_attr, "playing" | "over") {
                    HandSummaryDialog { model }
                }
                LeaveDialog { open: confirm_leave }
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

/// The tab's title tells a player busy in another tab that the game waits for their move
/// (and is put back when the room screen goes).
fn use_tab_title(model: GameStore) {
    let base_title = use_hook(|| title_base(&browser::title()).to_owned());
    let base = base_title.clone();
    use_effect(move || {
        let your_turn = model.read().your_turn();
        browser::set_title(&tab_title(&base, your_turn));
    });
    use_drop(move || browser::set_title(&base_title));
}

/// The title bar: room, ruleset, tools, this page's link and the opponent's presence.
#[component]
fn RoomHeader(
    model: GameStore,
    link: Signal<LinkView>,
    room: String,
    config: ClientConfig,
) -> Element {
    // The conflict dialog waits for the player's choice: no "Connecting…" spinner behind it.
    let deciding = matches!(model.read().phase, Phase::Conflict(_));
    // While this page's own link is down, what it last heard of the opponent may be stale.
    let known = link().state == LinkState::Connected;
    rsx! {
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
                OpponentStatus { model, config: config.ui, known }
            }
        }
    }
}

/// What the phase shows on the felt: the table, the waiting room, the end, or a dialog.
#[component]
fn PhaseView(
    model: GameStore,
    phase: Phase,
    session: StoredSession,
    config: ClientConfig,
) -> Element {
    let has_view = model.read().view.is_some();
    match phase {
        Phase::Recovering => rsx! {
            if has_view {
                TableView { model, disabled: true }
            }
        },
        Phase::WaitingForOpponent => rsx! { WaitingRoom { room: session.room.clone() } },
        Phase::Playing => rsx! {
            OpponentBanner { model, config: config.ui }
            HandSummaryBar { model }
            TableView { model, disabled: false }
            AbandonedDialog { model }
        },
        Phase::Over { .. } => rsx! {
            HandSummaryBar { model }
            GameOver { model, session }
        },
        Phase::Conflict(message) => rsx! { ConflictDialog { message } },
        Phase::Expired => rsx! { ExpiredDialog {} },
        Phase::Leaving => rsx! {
            div { id: "leaving", class: "banner", "Leaving the game…" }
        },
        Phase::Left => rsx! { LeftDialog {} },
        Phase::SessionMoved => rsx! {
            div { id: "session-moved", class: "banner warn", "Session moved to another tab" }
            if has_view {
                TableView { model, disabled: true }
            }
        },
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
