//! A bug must never leave a blank page: a panic replaces the page with a message in the
//! person's language and a reload button, and logs the details for support.

use crate::i18n::{Key, initial_locale};

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("Bird Premium Support stopped: {info}").into());
        show_message();
    }));
}

fn show_message() {
    let locale = initial_locale();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    let Ok(box_) = document.create_element("div") else { return };
    box_.set_class_name("crash");
    let _ = box_.set_attribute("role", "alert");
    let Ok(text) = document.create_element("p") else { return };
    text.set_text_content(Some(locale.text(Key::AppCrashed)));
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
