//! The portal inside a host's iframe (`/embed/…`). It shows nothing until a parent whose
//! origin the server's `frame-ancestors` allows posts its configuration; every other message
//! is ignored. It reports its height so the host can size the frame.

use super::{EmbedOptions, theme, token_wait};
use crate::core::api::{ApiClient, BearerToken};
use crate::core::host::{EVENT_SOURCE, Host, HostEvent, HostMode};
use crate::core::i18n::{Key, Locale, initial_locale};
use crate::entry::app::{Portal, PortalControls};
use crate::entry::on_demand::split_fn;
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use portal_contract::origin_allowed;
use send_wrapper::SendWrapper;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// What the parent sends: `{"target": "bird-support-portal", "version": 1, "type": …}`.
enum ParentMessage {
    Configure(Box<EmbedOptions>),
    Token(String),
    Locale(String),
}

/// Read field by field rather than through an internally tagged serde enum, whose
/// deserializer buffers through serde's `Content` and weighs kilobytes of wasm.
fn parse(data: &JsValue) -> Option<ParentMessage> {
    let field = |name: &str| js_sys::Reflect::get(data, &name.into()).ok();
    let text = |name: &str| field(name).and_then(|v| v.as_string());
    if text("target")? != EVENT_SOURCE {
        return None;
    }
    match text("type")?.as_str() {
        "configure" => {
            let options = js_sys::JSON::stringify(&field("options")?).ok()?.as_string()?;
            EmbedOptions::from_json(&options).ok().map(|o| ParentMessage::Configure(Box::new(o)))
        }
        "token" => text("token").map(ParentMessage::Token),
        "locale" => text("locale").map(ParentMessage::Locale),
        _ => None,
    }
}

fn is_frame_path(path: &str) -> bool {
    path == "/embed" || path.starts_with("/embed/")
}

/// Starts frame mode when this page is the frame's; `false` leaves it to the standalone app.
pub fn start() -> bool {
    let Some(window) = web_sys::window() else { return false };
    let framed = window.parent().ok().flatten().is_some_and(|parent| parent != window);
    if !framed || !is_frame_path(&window.location().pathname().unwrap_or_default()) {
        return false;
    }
    // Leptos's executor starts with the first mount, which waits for the parent; until then
    // the browser's own runs the listener.
    wasm_bindgen_futures::spawn_local(async move {
        if listen_fetched(window).await.is_err() {
            crate::core::panic_page::show(Key::ErrorPageCode);
        }
    });
    true
}

split_fn!(
    embed_frame,
    fn listen_fetched(window: web_sys::Window) -> Result<(), SplitLoaderError> {
        wasm_bindgen_futures::spawn_local(listen(window));
        Ok(())
    }
);

fn post(window: &web_sys::Window, event: &HostEvent, origin: &str) {
    if let (Ok(Some(parent)), Ok(data)) = (window.parent(), js_sys::JSON::parse(&event.to_json())) {
        let _ = parent.post_message(&data, origin);
    }
}

async fn listen(window: web_sys::Window) {
    let own_origin = window.location().origin().unwrap_or_default();
    let allowed = ApiClient::new("", || {}).embedding_policy().await.map(|p| p.frame_ancestors).unwrap_or_default();
    // The running portal, once the parent configured the frame.
    let running: Rc<RefCell<Option<PortalControls>>> = Rc::default();
    let on_message = {
        let window = window.clone();
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let from_parent = match (event.source(), window.parent()) {
                (Some(source), Ok(Some(parent))) => JsValue::from(source) == JsValue::from(parent),
                _ => false,
            };
            let origin = event.origin();
            if !from_parent || !origin_allowed(&allowed, &origin, &own_origin) {
                return;
            }
            match parse(&event.data()) {
                Some(ParentMessage::Configure(options)) if running.borrow().is_none() => {
                    configure(&window, *options, origin, running.clone());
                }
                Some(ParentMessage::Token(token)) => {
                    if let Some(c) = running.borrow().as_ref() {
                        c.hand_over_token(&token);
                    }
                }
                Some(ParentMessage::Locale(locale)) => {
                    if let (Some(locale), Some(c)) = (Locale::parse(&locale), running.borrow().as_ref()) {
                        c.i18n.set_locale(locale);
                    }
                }
                _ => {}
            }
        })
    };
    let _ = window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    // The frame lives as long as its page; so does this listener.
    on_message.forget();
    // No data in it, so any parent may hear it: it says "send the configuration now".
    post(&window, &HostEvent::Ready, "*");
}

/// Mounts the portal with the parent's options; `running` holds it from then on.
fn configure(
    window: &web_sys::Window,
    options: EmbedOptions,
    parent_origin: String,
    running: Rc<RefCell<Option<PortalControls>>>,
) {
    let checked = match options.check(false) {
        Ok(checked) => checked,
        Err(problems) => {
            web_sys::console::error_1(&format!("Bird Support Portal: {}", problems.join("; ")).into());
            return;
        }
    };
    let reply_to = SendWrapper::new((window.clone(), parent_origin));
    let host = Host::embedded(HostMode::Framed, &checked.base_path, move |event| {
        let (window, origin) = &*reply_to;
        post(window, event, origin);
    });
    let bearer = token_wait::asking_host(&BearerToken::new(checked.token.clone(), None), host.clone());
    if let Some(root) = window.document().and_then(|d| d.document_element()).and_then(|e| e.dyn_into().ok()) {
        theme::apply(&root, &checked.theme);
    }
    if let (Some(path), Ok(history)) = (&checked.start_path, window.history()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{}{path}", checked.base_path)));
    }
    report_height(window, host.clone());

    let locale = checked.locale.unwrap_or_else(initial_locale);
    leptos::mount::mount_to_body(move || {
        view! {
            <Portal
                host
                locale
                bearer
                on_ready=Box::new(move |c: PortalControls| *running.borrow_mut() = Some(c))
            />
        }
    });
}

/// Tells the parent the height the content needs whenever it changes.
fn report_height(window: &web_sys::Window, host: Host) {
    let Some(body) = window.document().and_then(|d| d.body()) else { return };
    let last = std::cell::Cell::new(0u32);
    let measured = body.clone();
    let on_resize = Closure::<dyn Fn()>::new(move || {
        let height = measured.scroll_height().max(0) as u32;
        if height != last.replace(height) {
            host.emit(HostEvent::Resize { height });
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        observer.observe(&body);
    }
    on_resize.forget();
}
