use crate::api::{use_api, use_view_abort};
use crate::embed::link;
use crate::i18n::{Key, t};
use crate::ui::loaded;
use crate::ui::time::DateTimeText;
use leptos::prelude::*;
use leptos_router::components::A;
use portal_contract::AccountId;

/// "Waiting for you": every open information request across the account's cases, oldest
/// first, each linking to its case.
#[component]
pub fn WaitingRequests(#[prop(into)] account_id: Signal<AccountId>) -> impl IntoView {
    let api = use_api();
    let abort = use_view_abort();
    let waiting = LocalResource::new(move || {
        let (api, id) = (api.clone(), account_id.get());
        async move { api.waiting_requests(&id, abort.signal()).await }
    });
    view! {
        <section aria-labelledby="waiting-title">
            <h2 id="waiting-title">{t(Key::AccountWaitingTitle)}</h2>
            {loaded(waiting, |page| {
                if page.data.is_empty() {
                    return view! { <p class="empty">{t(Key::AccountWaitingEmpty)}</p> }.into_any();
                }
                view! {
                    <ul class="waiting-requests">
                        {page.data.into_iter().map(|w| view! {
                            <li>
                                <A href=link(format!("/cases/{}", w.request.case_id))>
                                    {format!("{} · {}", w.case_number, w.case_subject)}
                                </A>
                                <p><strong>{w.request.title}</strong></p>
                                <p class="muted"><DateTimeText at=w.request.created_at /></p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}
