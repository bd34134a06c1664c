//! The cards on the table: the builds and the loose cards, one tab stop for the group; the
//! selected hand card lights up what it can work with, and the opponent's last move is marked.

use dioxus::prelude::*;
use game::{Build, BuildId, Card};

use crate::components::card_view::CardView;
use crate::components::table::{roving_keys, tab_stop, Selection};
use crate::speech::build_name;

/// What lights up on the table (the selected card can work with it) and what the opponent's
/// last move put there.
#[derive(Debug, Clone, PartialEq)]
pub struct Marks {
    /// Loose cards the selected hand card can work with.
    pub lit_cards: Vec<Card>,
    /// Builds the selected hand card can work with.
    pub lit_builds: Vec<BuildId>,
    /// Cards of the opponent's last move.
    pub marked_cards: Vec<Card>,
    /// Builds of the opponent's last move.
    pub marked_builds: Vec<BuildId>,
    /// "just played by Bob".
    pub played_by: String,
}

impl Marks {
    /// What a screen reader says of a marked or lit table item.
    fn note(&self, marked: bool, lit: bool) -> Option<String> {
        if marked {
            Some(self.played_by.clone())
        } else {
            lit.then(|| "can be used with the selected card".to_owned())
        }
    }
}

/// Adds `item` to `list`, or takes it out if it is there.
fn toggle<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if let Some(i) = list.iter().position(|x| *x == item) {
        list.remove(i);
    } else {
        list.push(item);
    }
}

/// The table group: builds first, then loose cards.
#[component]
pub fn TableCards(
    builds: Vec<Build>,
    loose: Vec<Card>,
    /// The display name of each build's owner, by seat index.
    names: [String; 2],
    /// This player's seat index.
    me: usize,
    sel: Selection,
    marks: Marks,
    can_select: bool,
    stop: Signal<usize>,
) -> Element {
    let table_len = builds.len() + loose.len();
    let build_count = builds.len();
    let mut stop = stop;
    let mut sel_loose = sel.loose;
    rsx! {
        div { id: "table-cards", class: "table-cards", role: "group", "aria-label": "Table",
            onkeydown: roving_keys,
            if loose.is_empty() && builds.is_empty() {
                p { class: "hint", "The table is empty." }
            }
            for (i, build) in builds.into_iter().enumerate() {
                BuildButton {
                    owner_name: names[build.owner.index()].clone(),
                    mine: build.owner.index() == me,
                    pile: build,
                    tabindex: tab_stop(i, stop(), table_len),
                    on_focus: move |_| stop.set(i),
                    sel,
                    marks: marks.clone(),
                    can_select,
                }
            }
            for (i, card) in loose.into_iter().enumerate() {
                CardView {
                    card,
                    selected: sel_loose.read().contains(&card),
                    workable: marks.lit_cards.contains(&card),
                    marked: marks.marked_cards.contains(&card),
                    note: marks.note(marks.marked_cards.contains(&card), marks.lit_cards.contains(&card)),
                    tabindex: tab_stop(build_count + i, stop(), table_len),
                    onfocus: move |_| stop.set(build_count + i),
                    onclick: move |_| {
                        if can_select {
                            toggle(&mut sel_loose.write(), card);
                        }
                    },
                }
            }
        }
    }
}

/// One build on the table: a toggle button that selects it for the move.
#[component]
fn BuildButton(
    pile: Build,
    owner_name: String,
    /// This player owns the build.
    mine: bool,
    tabindex: i32,
    on_focus: EventHandler<()>,
    sel: Selection,
    marks: Marks,
    can_select: bool,
) -> Element {
    let build = pile;
    let mut sel_builds = sel.builds;
    let id = build.id;
    let selected = sel_builds.read().contains(&id);
    let lit = marks.lit_builds.contains(&id);
    let marked = marks.marked_builds.contains(&id);
    let mut class = "build".to_owned();
    if selected {
        class.push_str(" selected");
    }
    if lit {
        class.push_str(" workable");
    }
    if marked {
        class.push_str(" last-move");
    }
    let owner = if mine { "yours" } else { "opponent's" };
    rsx! {
        button {
            r#type: "button",
            class,
            "aria-description": marks.note(marked, lit),
            "data-workable": if lit { "true" } else { "false" },
            "data-last-move": marked.then_some("true"),
            "aria-label": "{build_name(&build, &owner_name)}",
            "aria-pressed": if selected { "true" } else { "false" },
            tabindex: "{tabindex}",
            "data-roving": "true",
            "data-build": "{build.id}",
            "data-value": "{build.value}",
            "data-owner": "{u8::from(build.owner)}",
            onfocus: move |_| on_focus.call(()),
            onclick: move |_| {
                if can_select {
                    toggle(&mut sel_builds.write(), id);
                }
            },
            if selected {
                span { class: "check", "aria-hidden": "true" }
            }
            div { class: "build-label", "Build {build.value} · {owner}" }
            div { class: "build-cards",
                for component in build.components.clone() {
                    div { class: "component",
                        for card in component {
                            CardView { card, small: true, marked: marks.marked_cards.contains(&card) }
                        }
                    }
                }
            }
        }
    }
}
