//! The region as the first load draws it, and the split point of its items.
//!
//! Architecture Invariant: `NeedsActionList` is reached only through `draw_list` below; calling
//! it from anywhere else in the first load's code would pull the forms back into the main
//! module.

use super::list::NeedsActionList;
use crate::core::api::ApiError;
use crate::core::i18n::{Key, t, use_i18n};
use crate::features::cases::action::CaseActions;
use crate::ui::{ErrorView, Loading};
use futures::FutureExt as _;
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use portal_contract::{CaseDetail, NeedsAction};

/// What the list is drawn with; boxed, as a split function's argument crosses into the chunk.
struct ListProps {
    needs: Memo<NeedsAction>,
    on_changed: Callback<CaseDetail>,
    on_stale: Callback<()>,
    linked: bool,
    actions: Option<CaseActions>,
}

fn list_view(props: ListProps) -> AnyView {
    let ListProps { needs, on_changed, on_stale, linked, actions } = props;
    view! { <NeedsActionList needs on_changed on_stale linked actions /> }.into_any()
}

#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(needs_action, fallible, preload(preload_list), wasm_split_path = ::leptos::wasm_split)]
fn draw_list(props: Box<ListProps>) -> Result<AnyView, SplitLoaderError> {
    Ok(list_view(*props))
}

#[cfg(not(feature = "split"))]
async fn draw_list(props: Box<ListProps>) -> Result<AnyView, SplitLoaderError> {
    Ok(list_view(*props))
}

#[cfg(not(feature = "split"))]
async fn preload_list() -> Result<(), SplitLoaderError> {
    Ok(())
}

thread_local! {
    static LOADED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn is_loaded() -> bool {
    !cfg!(feature = "split") || LOADED.get()
}

async fn fetch() -> Result<(), SplitLoaderError> {
    preload_list().await?;
    LOADED.set(true);
    Ok(())
}

/// Fetches the items' code; the account page waits for it with its data, so the region
/// appears with the page. A failure is the region's to show, with "Try again".
pub async fn fetch_code() {
    let _ = fetch().await;
}

/// "Needs your action", hidden while nothing waits. After an action the case the API answered
/// with goes to `on_changed` (the item leaves the list once nothing on it waits any more), and
/// a polite status says so, since the item the person was in is gone.
#[component]
pub fn NeedsActionRegion(
    #[prop(into)] needs: Signal<NeedsAction>,
    #[prop(into)] on_changed: Callback<CaseDetail>,
    /// Someone acted first: the page loads what waits again.
    #[prop(into)]
    on_stale: Callback<()>,
    /// Each item links to its case (the account page lists several cases).
    #[prop(optional)]
    linked: bool,
    /// The case page's actions, whose conflict notice the page shows.
    #[prop(optional)]
    actions: Option<CaseActions>,
) -> impl IntoView {
    let i18n = use_i18n();
    let needs = Memo::new(move |_| needs.get());
    let empty = Memo::new(move |_| needs.with(NeedsAction::is_empty));
    let done = RwSignal::new(None::<String>);
    let on_changed = Callback::new(move |detail: CaseDetail| {
        done.set(Some(i18n.f(Key::NeedsActionDone, &[("case", &detail.case.number)])));
        on_changed.run(detail);
    });
    let attempt = RwSignal::new(0_u32);
    let fetched = LocalResource::new(move || {
        attempt.track();
        fetch()
    });
    let retry = Callback::new(move |_| attempt.update(|n| *n += 1));
    let failed = move || view! { <ErrorView error=ApiError::PageCode on_retry=retry /> }.into_any();
    let list = move || {
        if !is_loaded() {
            match fetched.get() {
                None => return view! { <Loading /> }.into_any(),
                Some(Err(_)) => return failed(),
                Some(Ok(())) => {}
            }
        }
        // Loaded, the split function's future is ready when first polled: the list is drawn
        // here, owned like any child.
        let props = Box::new(ListProps { needs, on_changed, on_stale, linked, actions });
        match draw_list(props).now_or_never() {
            Some(Ok(view)) => view,
            _ => failed(),
        }
    };
    view! {
        <Show when=move || !empty.get()>
            <section class="needs-action" aria-labelledby="needs-action-title">
                <h2 id="needs-action-title">{t(Key::NeedsActionTitle)}</h2>
                {list}
            </section>
        </Show>
        <p class="visually-hidden" role="status" aria-live="polite">{move || done.get()}</p>
    }
}
