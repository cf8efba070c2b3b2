//! A bug must never leave a blank page: a panic replaces the page with a message in the
//! person's language and a reload button, and logs the details for support.

use crate::core::i18n::{Key, initial_locale};
use std::cell::RefCell;

thread_local! {
    /// Where the message goes: the page's `<body>`, or a mounted portal's own element (a bug
    /// in the portal must not wipe the host's page).
    static TARGET: RefCell<Option<web_sys::Element>> = const { RefCell::new(None) };
}

/// Shows the message in `element` instead of the page's `<body>`.
pub fn show_in(element: web_sys::Element) {
    TARGET.with(|t| *t.borrow_mut() = Some(element));
}

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("Bird Premium Support stopped: {info}").into());
        show(Key::AppCrashed);
    }));
}

/// Replaces the page with `message` and a link that reloads it.
pub fn show(message: Key) {
    let locale = initial_locale();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let target = TARGET.with(|t| t.borrow().clone());
    let Some(body) = target.or_else(|| document.body().map(Into::into)) else { return };
    let Ok(box_) = document.create_element("div") else { return };
    box_.set_class_name("crash");
    let _ = box_.set_attribute("role", "alert");
    let Ok(text) = document.create_element("p") else { return };
    text.set_text_content(Some(locale.text(message)));
    // A link to this very page reloads it without any script, which the CSP would refuse.
    let Ok(button) = document.create_element("a") else { return };
    button.set_text_content(Some(locale.text(Key::AppReload)));
    let here = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_else(|| "/".to_owned());
    let _ = button.set_attribute("href", &here);
    button.set_class_name("button-primary");
    let _ = box_.append_child(&text);
    let _ = box_.append_child(&button);
    body.set_inner_html("");
    let _ = body.append_child(&box_);
}
