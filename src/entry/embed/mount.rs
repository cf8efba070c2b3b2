//! The entry `embed.js` calls: mounts the portal into an element of the host page.
//!
//! `embed.js` sets `globalThis.__birdSupportPortalEmbed` before starting the wasm, so the
//! module does not take the page's `<body>`, and then calls `__birdSupportPortal.mount(root,
//! options)` with `root` inside a shadow root it made (with the stylesheet) and `options` the
//! host's object. It answers a `control(command, value)` function behind the documented handle.

use super::{CheckedOptions, EmbedOptions, theme};
use crate::core::api::{ApiClient, BearerToken, RenewToken};
use crate::core::host::{EVENT_SOURCE, Host, HostEvent, HostMode};
use crate::core::i18n::{Locale, initial_locale};
use crate::entry::app::{Portal, PortalControls};
use crate::entry::on_demand::split_fn;
use js_sys::{Function, Promise, Reflect};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

const REQUEST_FLAG: &str = "__birdSupportPortalEmbed";
const BRIDGE: &str = "__birdSupportPortal";

pub fn requested() -> bool {
    Reflect::get(&js_sys::global(), &REQUEST_FLAG.into()).is_ok_and(|v| v.is_truthy())
}

/// Publishes the bridge `embed.js` calls. One function for the page's lifetime; it answers a
/// promise, since the code behind it is fetched on the first mount.
pub fn register() {
    let bridge = js_sys::Object::new();
    let mount = Closure::<dyn Fn(JsValue, JsValue) -> Promise>::new(|root, options| {
        wasm_bindgen_futures::future_to_promise(async move {
            mount_fetched(root, options).await.map_err(|refused| match refused {
                Refused::Code => error("its code could not be loaded; check the connection and mount again"),
                Refused::Invalid(error) => error,
            })
        })
    });
    let _ = Reflect::set(&bridge, &"mount".into(), &mount.into_js_value());
    let _ = Reflect::set(&bridge, &"version".into(), &portal_contract::EMBED_PROTOCOL_VERSION.into());
    let _ = Reflect::set(&js_sys::global(), &BRIDGE.into(), &bridge);
}

fn function(options: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(options, &name.into()).ok()?.dyn_into::<Function>().ok()
}

/// The host's `getToken()`: a string, or a promise of one.
fn renew_with(get_token: Function) -> RenewToken {
    let get_token = SendWrapper::new(get_token);
    std::sync::Arc::new(move || {
        let answer = get_token.call0(&JsValue::NULL);
        Box::pin(async move {
            let value = match answer {
                Ok(value) if value.is_instance_of::<Promise>() => {
                    JsFuture::from(value.unchecked_into::<Promise>()).await.ok()?
                }
                Ok(value) => value,
                Err(_) => return None,
            };
            value.as_string()
        })
    })
}

/// Events go to the host twice over: a DOM event on its element (bubbling out of the shadow
/// root) and its `onEvent` callback, if it gave one.
fn notifier(target: web_sys::HtmlElement, on_event: Option<Function>) -> impl Fn(&HostEvent) + Send + Sync {
    let sink = SendWrapper::new((target, on_event));
    move |event: &HostEvent| {
        let Ok(detail) = js_sys::JSON::parse(&event.to_json()) else { return };
        let (target, on_event) = &*sink;
        let init = web_sys::CustomEventInit::new();
        init.set_detail(&detail);
        init.set_bubbles(true);
        init.set_composed(true);
        if let Ok(dom_event) = web_sys::CustomEvent::new_with_event_init_dict(EVENT_SOURCE, &init) {
            let _ = target.dispatch_event(&dom_event);
        }
        if let Some(callback) = on_event {
            let _ = callback.call1(&JsValue::NULL, &detail);
        }
    }
}

fn error(message: &str) -> JsValue {
    js_sys::Error::new(&format!("Bird Support Portal: {message}")).into()
}

/// Puts the address bar under the base path, at the page the host asked for.
fn enter(base: &str, start: Option<&str>) {
    let Some(window) = web_sys::window() else { return };
    let here = window.location().pathname().unwrap_or_default();
    let inside = here == base || here.starts_with(&format!("{base}/"));
    if start.is_none() && inside {
        return;
    }
    let target = format!("{base}{}", start.unwrap_or("/"));
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&target));
    }
}

/// Why a mount did not happen.
enum Refused {
    /// The chunk with the code below could not be fetched.
    Code,
    /// The host's element or options were not usable; the error says which.
    Invalid(JsValue),
}

impl From<leptos::wasm_split::SplitLoaderError> for Refused {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        Refused::Code
    }
}

split_fn!(
    embed_mount,
    fn mount_fetched(root: JsValue, options: JsValue) -> Result<JsValue, Refused> {
        mount(root, options).map_err(Refused::Invalid)
    }
);

fn mount(root: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let root: web_sys::HtmlElement = root.dyn_into().map_err(|_| error("mount needs an element"))?;
    let text = js_sys::JSON::stringify(&options).ok().and_then(|s| s.as_string()).unwrap_or_default();
    let checked =
        EmbedOptions::from_json(&text).and_then(|o| o.check(true)).map_err(|problems| error(&problems.join("; ")))?;
    let host = Host::embedded(
        HostMode::Mounted,
        &checked.base_path,
        notifier(host_element(&root), function(&options, "onEvent")),
    );
    let bearer = bearer_for(&checked, &options, &host);
    theme::apply(&root, &checked.theme);
    crate::core::panic_page::show_in(root.clone().into());
    enter(&checked.base_path, checked.start_path.as_deref());
    let mounted = mount_portal(root, checked, host.clone(), bearer);
    host.emit(HostEvent::Ready);
    Ok(control(mounted).into_js_value())
}

/// The element the host gave, seen from the host page: the shadow root's host when `root` is
/// inside one (events bubble out of it), else `root` itself.
fn host_element(root: &web_sys::HtmlElement) -> web_sys::HtmlElement {
    root.get_root_node()
        .dyn_into::<web_sys::ShadowRoot>()
        .map(|shadow| shadow.host())
        .ok()
        .and_then(|host| host.dyn_into::<web_sys::HtmlElement>().ok())
        .unwrap_or_else(|| root.clone())
}

/// The host's token, renewed by its `getToken`, else from its `tokenUrl`, else by asking it
/// with an event.
fn bearer_for(checked: &CheckedOptions, options: &JsValue, host: &Host) -> BearerToken {
    let bearer = BearerToken::new(checked.token.clone(), None);
    match (function(options, "getToken"), checked.token_url.clone()) {
        (Some(get_token), _) => bearer.with_renew(renew_with(get_token)),
        (None, Some(url)) => bearer.with_renew(std::sync::Arc::new(move || {
            let url = url.clone();
            Box::pin(async move { ApiClient::mint_token(&url).await.ok().map(|grant| grant.token) })
        })),
        (None, None) => super::token_wait::asking_host(&bearer, host.clone()),
    }
}

/// A mounted portal: its controls once it is ready, the mount's handle, and the owner whose
/// cleanup unmounts it.
struct Mounted {
    controls: Rc<RefCell<Option<PortalControls>>>,
    /// Dropping it takes the view off the page (its type is the view's, hence `Any`).
    handle: RefCell<Option<Box<dyn std::any::Any>>>,
    owner: Owner,
}

fn mount_portal(root: web_sys::HtmlElement, checked: CheckedOptions, host: Host, bearer: BearerToken) -> Mounted {
    let controls: Rc<RefCell<Option<PortalControls>>> = Rc::default();
    let ready = controls.clone();
    let locale = checked.locale.unwrap_or_else(initial_locale);
    let (lang_root, api_origin) = (root.clone().into(), checked.api_origin);
    // Unmounting cleans this owner up explicitly: dropping the mount's handle alone does not
    // run the cleanups while anything (the router's global redirect hook does) holds its root.
    let owner = Owner::new();
    let handle = owner.with(|| {
        leptos::mount::mount_to(root, move || {
            view! {
                <Portal
                    host
                    locale
                    api_origin
                    bearer
                    lang_root
                    on_ready=Box::new(move |c: PortalControls| *ready.borrow_mut() = Some(c))
                />
            }
        })
    });
    Mounted { controls, handle: RefCell::new(Some(Box::new(handle))), owner }
}

/// The `control(command, value)` function behind the host's handle.
fn control(mounted: Mounted) -> Closure<dyn Fn(String, JsValue) -> Result<(), JsValue>> {
    Closure::new(move |command: String, value: JsValue| {
        let with_controls = |run: &dyn Fn(&PortalControls)| {
            if let Some(c) = mounted.controls.borrow().as_ref() {
                run(c);
            }
        };
        match command.as_str() {
            "unmount" => {
                mounted.controls.borrow_mut().take();
                // The view leaves the page, then every `on_cleanup` runs (router listeners,
                // polling, uploads).
                mounted.handle.borrow_mut().take();
                mounted.owner.cleanup();
                Ok(())
            }
            "setToken" => {
                let token = value
                    .as_string()
                    .filter(|t| !t.trim().is_empty())
                    .ok_or_else(|| error("setToken needs a token"))?;
                with_controls(&|c| c.hand_over_token(&token));
                Ok(())
            }
            "setLocale" => {
                let locale = value
                    .as_string()
                    .and_then(|l| Locale::parse(&l))
                    .ok_or_else(|| error("setLocale takes \"en\" or \"it\""))?;
                with_controls(&|c| c.i18n.set_locale(locale));
                Ok(())
            }
            other => Err(error(&format!("unknown command {other:?}"))),
        }
    })
}
