//! A modal dialog, the one way every dialog of the client is drawn: named by its heading, the
//! focus moved in when it opens and kept in (Tab cycles), Escape does what the dialog says is
//! safe (close, stay, wait), a click on the backdrop too, the page behind inert, and the focus
//! given back when it closes (to where it was, else to the first of `return_to` that exists).

use std::cell::RefCell;
use std::rc::Rc;

use dioxus::prelude::*;

use crate::web::browser::{focus_id, sleep_ms};
use crate::web::modal;

/// Where the focus goes when a dialog closes and what had it is gone: the player's hand, the
/// turn, the game's result, the page's heading.
pub const RETURN_TO: &[&str] = &[
    "#my-hand button[tabindex=\"0\"]",
    "#my-hand button",
    "#turn-indicator",
    "#game-result",
    "#player-name",
    "#leave-room",
];

/// A modal dialog with `id`, named by the element `labelled_by` among its children.
#[component]
pub fn Modal(
    id: String,
    labelled_by: String,
    /// The control that takes the focus when the dialog opens.
    focus: String,
    /// Escape, and a click on the backdrop: close, or whatever is safe.
    on_escape: EventHandler<()>,
    /// More classes of the dialog (`summary`, `rules`).
    #[props(default)]
    class: String,
    /// Where the focus goes when it closes, if what had it before is gone.
    #[props(default = RETURN_TO)]
    return_to: &'static [&'static str],
    /// Whether the focus goes back to what had it before (false: straight to `return_to`, for
    /// a dialog whose closing changed the screen under it, as a new hand does).
    #[props(default = true)]
    back_to_opener: bool,
    /// Text that describes the dialog (`aria-describedby`), if any.
    #[props(default)]
    described_by: Option<String>,
    children: Element,
) -> Element {
    // What had the focus when the dialog opened (read before the dialog takes it).
    let opener = use_hook(|| Rc::new(RefCell::new(modal::focused().filter(|_| back_to_opener))));
    let opened = id.clone();
    let first = focus.clone();
    use_hook(move || {
        spawn(async move {
            // Once the dialog is in the page.
            sleep_ms(0).await;
            modal::opened(&opened);
            focus_id(&first);
        });
    });
    let closing = id.clone();
    use_drop(move || {
        modal::closed(&closing);
        let opener = opener.borrow_mut().take();
        // Once the page behind is live again (the same render may remove the dialog and
        // change what was under it).
        wasm_bindgen_futures::spawn_local(async move {
            sleep_ms(0).await;
            modal::restore_focus(opener, return_to);
        });
    });
    let trapped = id.clone();
    rsx! {
        div { class: "backdrop", onclick: move |_| on_escape.call(()) }
        div {
            id: "{id}",
            class: "dialog {class}",
            role: "dialog",
            "aria-modal": "true",
            "aria-labelledby": "{labelled_by}",
            "aria-describedby": described_by,
            onkeydown: move |evt: KeyboardEvent| match evt.key() {
                Key::Escape => {
                    evt.prevent_default();
                    on_escape.call(());
                }
                Key::Tab if modal::trap_tab(&trapped, evt.modifiers().shift()) => {
                    evt.prevent_default();
                }
                _ => {}
            },
            {children}
        }
    }
}
