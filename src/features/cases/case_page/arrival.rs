//! What a link into a case asks the page to bring forward, as the emails link: `?answer=<id>`
//! opens that information request's answer form in "Needs your action" with the focus in it;
//! `?resolution=confirm` or `?resolution=decline` brings the person to that button. Nothing
//! is ever done without the person's own click.

use crate::core::i18n::{Key, t};
use crate::ui::sleep;
use leptos::html::Article;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use portal_contract::{InformationRequestId, NeedsAction};
use wasm_bindgen::JsCast;

/// How long the page looks for the item it was sent to: the region's items come from a chunk
/// that may still be on its way (`ATTEMPTS` × `EVERY_MS`).
const ATTEMPTS: u32 = 50;
const EVERY_MS: u32 = 100;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arrival {
    Answer(InformationRequestId),
    ConfirmResolution,
    DeclineResolution,
}

impl Arrival {
    /// The arrival a query asks for. An id with anything but letters, digits, `_` and `-` is
    /// no id of ours, and goes no further than here (it becomes part of a selector).
    pub fn from_query(answer: Option<&str>, resolution: Option<&str>) -> Option<Arrival> {
        let plain =
            |id: &&str| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if let Some(id) = answer.filter(plain) {
            return Some(Arrival::Answer(id.into()));
        }
        match resolution {
            Some("confirm") => Some(Arrival::ConfirmResolution),
            Some("decline") => Some(Arrival::DeclineResolution),
            _ => None,
        }
    }

    /// Whether what the link is for still waits on the person.
    pub fn waits(&self, needs: &NeedsAction) -> bool {
        match self {
            Arrival::Answer(id) => needs.information_requests.iter().any(|w| &w.request.id == id),
            Arrival::ConfirmResolution | Arrival::DeclineResolution => !needs.resolutions.is_empty(),
        }
    }

    /// Where the focus goes, inside "Needs your action".
    fn target(&self) -> String {
        match self {
            Arrival::Answer(id) => format!(".needs-action #needs-answer-{id}"),
            Arrival::ConfirmResolution => ".needs-action .resolution-confirm button[type=submit]".to_owned(),
            Arrival::DeclineResolution => ".needs-action .reason-action button[type=submit]".to_owned(),
        }
    }

    /// What the page says when the link's item no longer waits.
    fn done(&self) -> Key {
        match self {
            Arrival::Answer(_) => Key::CaseArrivalAnswered,
            Arrival::ConfirmResolution | Arrival::DeclineResolution => Key::CaseArrivalResolutionDone,
        }
    }
}

/// Brings the item of the link forward once the case is there, or says it no longer waits.
/// Judged once per link: the case's later refreshes (the person answered) neither pull the
/// focus back nor call the link done.
#[component]
pub fn ArrivalFocus(#[prop(into)] needs: Signal<NeedsAction>, page: NodeRef<Article>) -> impl IntoView {
    let query = use_query_map();
    let arrival = Memo::new(move |_| {
        query.with(|q| Arrival::from_query(q.get("answer").as_deref(), q.get("resolution").as_deref()))
    });
    let judged = StoredValue::new(None::<Arrival>);
    let done = RwSignal::new(None::<Key>);
    Effect::new(move |_| {
        let Some(arrival) = arrival.get() else {
            done.set(None);
            return;
        };
        if judged.with_value(|j| j.as_ref() == Some(&arrival)) {
            return;
        }
        judged.set_value(Some(arrival.clone()));
        if needs.with(|n| arrival.waits(n)) {
            done.set(None);
            spawn_local(focus_when_drawn(page, arrival.target()));
        } else {
            done.set(Some(arrival.done()));
        }
    });
    move || done.get().map(|key| view! { <p class="notice notice-info" role="status">{t(key)}</p> })
}

/// Focuses the first element of the page that matches `selector`, as soon as it is drawn.
async fn focus_when_drawn(page: NodeRef<Article>, selector: String) {
    for _ in 0..ATTEMPTS {
        // The page is gone (the person went elsewhere): nothing to bring forward any more.
        let Some(page) = page.try_get_untracked() else { return };
        let found = page.and_then(|p| p.query_selector(&selector).ok().flatten());
        if let Some(element) = found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            focus_visibly(&element);
            return;
        }
        sleep(EVERY_MS).await;
    }
}

/// Focuses `element` with its focus ring shown: the person arrived by a link, not by the
/// keyboard, and the browser would otherwise draw no ring, leaving them to guess what is
/// focused. A browser without the `focusVisible` option ignores it and focuses as usual.
fn focus_visibly(element: &web_sys::HtmlElement) {
    let options = web_sys::FocusOptions::new();
    options.set_focus_visible(true);
    let _ = element.focus_with_options(&options);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_asks_for_an_answer_or_a_resolution_and_nothing_else() {
        assert_eq!(Arrival::from_query(Some("ir_Ab-9"), None), Some(Arrival::Answer("ir_Ab-9".into())));
        assert_eq!(Arrival::from_query(None, Some("confirm")), Some(Arrival::ConfirmResolution));
        assert_eq!(Arrival::from_query(None, Some("decline")), Some(Arrival::DeclineResolution));
        assert_eq!(Arrival::from_query(None, Some("accept")), None);
        assert_eq!(Arrival::from_query(Some("x\"],a[href"), None), None, "never part of a selector");
        assert_eq!(Arrival::from_query(Some(""), None), None);
        assert_eq!(Arrival::from_query(None, None), None);
    }

    #[test]
    fn the_focus_goes_inside_needs_your_action() {
        assert_eq!(Arrival::Answer("ir_1".into()).target(), ".needs-action #needs-answer-ir_1");
        assert!(Arrival::ConfirmResolution.target().starts_with(".needs-action "));
        assert!(Arrival::DeclineResolution.target().starts_with(".needs-action "));
    }
}
