//! The page side of modal dialogs: while one is open, everything but the dialog (and the live
//! region, and the backdrop that closes it) is `inert` — out of reach of the pointer, the
//! keyboard and screen readers — and out of sight; Tab cycles within the dialog; the focus goes back where it
//! was when the dialog closes. Dialogs stack: the one opened last is the live one.

use std::cell::RefCell;

use wasm_bindgen::JsCast;

/// Elements that stay live behind a modal: the screen reader's announcer (it must still be
/// heard) and backdrops (a click on one closes its dialog).
fn stays_live(element: &web_sys::Element) -> bool {
    element.id() == "announcer"
        || element.class_list().contains("backdrop")
        || matches!(element.tag_name().as_str(), "SCRIPT" | "STYLE" | "LINK")
}

/// Marks what is behind a modal: the stylesheet hides it (the dialog reads on one plain
/// background, whose contrast axe can measure, and nothing behind it competes).
const BEHIND: &str = "data-behind-modal";

#[derive(Default)]
struct Stack {
    /// Ids of the open dialogs, oldest first.
    open: Vec<String>,
    /// What this module made inert (and only that is made live again).
    inert: Vec<web_sys::Element>,
}

thread_local! {
    static STACK: RefCell<Stack> = RefCell::default();
}

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

impl Stack {
    /// Makes live what was made inert, then inert everything beside the newest dialog's path
    /// from the body.
    fn refresh(&mut self) {
        for element in self.inert.drain(..) {
            // A failure leaves an attribute on a node that is gone or going: nothing to do.
            let _ = element.remove_attribute("inert");
            let _ = element.remove_attribute(BEHIND);
        }
        let Some(top) = self.open.last() else {
            return;
        };
        let Some(mut node) = document().and_then(|d| d.get_element_by_id(top)) else {
            return;
        };
        while let Some(parent) = node.parent_element() {
            let siblings = parent.children();
            for i in 0..siblings.length() {
                let Some(sibling) = siblings.item(i) else {
                    continue;
                };
                if sibling == node || stays_live(&sibling) || sibling.has_attribute("inert") {
                    continue;
                }
                if sibling.set_attribute("inert", "").is_ok() {
                    // A failure only leaves the inert page in sight.
                    let _ = sibling.set_attribute(BEHIND, "");
                    self.inert.push(sibling);
                }
            }
            if parent.tag_name() == "BODY" {
                break;
            }
            node = parent;
        }
    }
}

/// The dialog `id` is in the page: it becomes the live one.
pub fn opened(id: &str) {
    STACK.with(|stack| {
        let mut stack = stack.borrow_mut();
        stack.open.retain(|open| open != id);
        stack.open.push(id.to_owned());
        stack.refresh();
    });
}

/// The dialog `id` left the page: the one under it (or the page) is live again.
pub fn closed(id: &str) {
    STACK.with(|stack| {
        let mut stack = stack.borrow_mut();
        stack.open.retain(|open| open != id);
        stack.refresh();
    });
}

/// The element that has the focus now, to give it back later.
pub fn focused() -> Option<web_sys::HtmlElement> {
    document()?
        .active_element()?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
}

/// Gives the focus back to `opener` if it is still in the page and can take it, else to the
/// first of `fallback` (CSS selectors) that can.
pub fn restore_focus(opener: Option<web_sys::HtmlElement>, fallback: &[&str]) {
    if let Some(opener) =
        opener.filter(|e| e.is_connected() && e.closest("[inert]").ok().flatten().is_none())
    {
        // A failed focus leaves it where it was: try the fallbacks.
        let _ = opener.focus();
        if document()
            .and_then(|d| d.active_element())
            .is_some_and(|a| a.is_same_node(Some(opener.as_ref())))
        {
            return;
        }
    }
    super::browser::focus_first(fallback);
}

/// What can take the focus inside a dialog, in tab order.
const FOCUSABLE: &str = "button:not([disabled]), [href], input:not([disabled]), \
    select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex=\"-1\"])";

/// Tab (or Shift+Tab when `backwards`) in the dialog `id`: whether the key must be stopped
/// because this function moved the focus round to the other end (the focus stays in).
pub fn trap_tab(id: &str, backwards: bool) -> bool {
    let Some(document) = document() else {
        return false;
    };
    let Some(dialog) = document.get_element_by_id(id) else {
        return false;
    };
    let Ok(found) = dialog.query_selector_all(FOCUSABLE) else {
        return false;
    };
    let items: Vec<web_sys::HtmlElement> = (0..found.length())
        .filter_map(|i| found.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        return true;
    };
    let active = document.active_element();
    let at = |e: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a.is_same_node(Some(e.as_ref())))
    };
    let inside = active
        .as_ref()
        .is_some_and(|a| dialog.contains(Some(a.as_ref())));
    let target = match (backwards, inside) {
        (_, false) => first,
        (true, true) if at(first) => last,
        (false, true) if at(last) => first,
        _ => return false,
    };
    // A failed focus leaves it where it was.
    let _ = target.focus();
    true
}
