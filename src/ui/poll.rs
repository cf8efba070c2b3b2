//! Polling that stops while the tab is hidden and catches up the moment it is shown again.

use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

fn visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

/// Calls `tick` every `period` while the page is visible, and once when it becomes visible
/// again. Everything is removed when the calling view goes away.
pub fn use_visible_poll(period: Duration, tick: impl Fn() + Clone + 'static) {
    let on_interval = tick.clone();
    let interval = set_interval_with_handle(
        move || {
            if visible() {
                on_interval();
            }
        },
        period,
    )
    .ok();

    let listener = Closure::<dyn Fn()>::new(move || {
        if visible() {
            tick();
        }
    });
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(doc) = &document {
        let _ = doc.add_event_listener_with_callback("visibilitychange", listener.as_ref().unchecked_ref());
    }
    let cleanup = send_wrapper::SendWrapper::new((document, listener));
    on_cleanup(move || {
        if let Some(handle) = interval {
            handle.clear();
        }
        let (document, listener) = cleanup.take();
        if let Some(doc) = document {
            let _ = doc.remove_event_listener_with_callback("visibilitychange", listener.as_ref().unchecked_ref());
        }
    });
}
