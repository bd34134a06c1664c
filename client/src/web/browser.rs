//! Small wrappers over the browser: clock, randomness, timers, address bar, clipboard, sharing,
//! tab title.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// A random integer in `0..bound`.
pub fn random_below(bound: u64) -> u64 {
    (js_sys::Math::random() * bound as f64) as u64
}

/// A fresh idempotency key for a move.
pub fn new_action_id() -> String {
    format!(
        "a{:x}-{:08x}{:08x}",
        now_ms(),
        random_below(1 << 32),
        random_below(1 << 32)
    )
}

/// Waits `ms` milliseconds.
pub async fn sleep_ms(ms: u64) {
    let ms = i32::try_from(ms).unwrap_or(i32::MAX);
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            // A failed setTimeout leaves the promise pending: the caller simply never wakes.
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Whether the browser says it has a network (`navigator.onLine`; true when unknown).
pub fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// The address bar's path.
pub fn path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default()
}

/// Shows `path` in the address bar without loading it.
pub fn push_path(path: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(path));
    }
}

/// The page's origin for WebSocket addresses: `ws://host` or `wss://host`.
pub fn ws_origin() -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    let scheme = match location.protocol().as_deref() {
        Ok("https:") => "wss:",
        _ => "ws:",
    };
    format!("{scheme}//{}", location.host().unwrap_or_default())
}

/// Copies `text` to the clipboard; whether it worked.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let promise = window.navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.is_ok()
}

/// The page's origin, `http://host:port`, for links to give to someone else.
pub fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The Web Share API's `navigator.share`, where the browser has one (most desktop browsers on
/// Linux do not). Called through `Reflect` because web-sys guards it behind an unstable flag.
fn share_function() -> Option<(web_sys::Navigator, js_sys::Function)> {
    let navigator = web_sys::window()?.navigator();
    let share = js_sys::Reflect::get(&navigator, &JsValue::from_str("share")).ok()?;
    let share = share.dyn_into::<js_sys::Function>().ok()?;
    Some((navigator, share))
}

/// Whether the browser can share a link through the system's share sheet.
pub fn can_share() -> bool {
    share_function().is_some()
}

/// Opens the share sheet for `url`; whether it was shared (false when dismissed or missing).
pub async fn share_link(title: &str, url: &str) -> bool {
    let Some((navigator, share)) = share_function() else {
        return false;
    };
    let data = js_sys::Object::new();
    for (key, value) in [("title", title), ("url", url)] {
        if js_sys::Reflect::set(&data, &JsValue::from_str(key), &JsValue::from_str(value)).is_err()
        {
            return false;
        }
    }
    let Ok(promise) = share.call1(&navigator, &data) else {
        return false;
    };
    match promise.dyn_into::<js_sys::Promise>() {
        Ok(promise) => JsFuture::from(promise).await.is_ok(),
        Err(_) => false,
    }
}

/// The tab's title.
pub fn title() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .map(|d| d.title())
        .unwrap_or_default()
}

/// Sets the tab's title, unless it reads so already.
pub fn set_title(title: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        if document.title() != title {
            document.set_title(title);
        }
    }
}

/// Logs a line to the browser console.
pub fn log(message: &str) {
    web_sys::console::log_1(&JsValue::from_str(message));
}

/// Where an arrow key moves the focus within a group of buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FocusStep {
    /// The previous button, wrapping around.
    Previous,
    /// The next button, wrapping around.
    Next,
    /// The first button.
    First,
    /// The last button.
    Last,
}

/// Moves the focus from the focused button to a sibling button of its group (the buttons of a
/// group that share one tab stop carry `data-roving`).
pub fn move_focus(step: FocusStep) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(active) = document.active_element() else {
        return;
    };
    let Some(group) = active.parent_element() else {
        return;
    };
    let Ok(list) = group.query_selector_all(":scope > [data-roving]") else {
        return;
    };
    let items: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    let Some(last) = items.len().checked_sub(1) else {
        return;
    };
    let here = items.iter().position(|e| **e == active).unwrap_or_default();
    let next = match step {
        FocusStep::Previous if here == 0 => last,
        FocusStep::Previous => here - 1,
        FocusStep::Next if here == last => 0,
        FocusStep::Next => here + 1,
        FocusStep::First => 0,
        FocusStep::Last => last,
    };
    if let Some(target) = items.get(next) {
        // A failed focus leaves the focus where it was: nothing to report.
        let _ = target.focus();
    }
}

/// Scrolls the page so that the element with `id` starts at the top of the window.
pub fn scroll_to_top(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id));
    if let Some(element) = element {
        element.scroll_into_view_with_bool(true);
    }
}

/// Moves the focus to the element with `id`, if there is one.
pub fn focus_id(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        // A failed focus leaves the focus where it was: nothing to report.
        let _ = element.focus();
    }
}

/// Focuses the first element, trying the CSS selectors in turn (each in document order),
/// that takes the focus; whether one did.
pub fn focus_first(selectors: &[&str]) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    for selector in selectors {
        let Ok(found) = document.query_selector_all(selector) else {
            continue;
        };
        for i in 0..found.length() {
            let Some(element) = found
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
            else {
                continue;
            };
            // A failed focus leaves the focus where it was: the next candidate.
            let _ = element.focus();
            let focused = document
                .active_element()
                .is_some_and(|a| a.is_same_node(Some(element.as_ref())));
            if focused {
                return true;
            }
        }
    }
    false
}

/// Whether nothing has the focus: it fell to the page's body (its element left the page).
pub fn focus_lost() -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    match (document.active_element(), document.body()) {
        (None, _) => true,
        (Some(active), Some(body)) => active.is_same_node(Some(body.as_ref())),
        (Some(_), None) => false,
    }
}
