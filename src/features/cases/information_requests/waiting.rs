use crate::core::host::link;
use crate::core::i18n::{Key, t};
use crate::ui::time::DateTimeText;
use leptos::prelude::*;
use leptos_router::components::A;
use portal_contract::{Page, WaitingRequest};

/// "Waiting for you": every open information request across the account's cases, oldest
/// first, each linking to its case. The page loads them with the rest of its data, so the
/// page appears once, without parts pushing each other down.
#[component]
pub fn WaitingRequests(page: Page<WaitingRequest>) -> impl IntoView {
    view! {
        <section aria-labelledby="waiting-title">
            <h2 id="waiting-title">{t(Key::AccountWaitingTitle)}</h2>
            {if page.data.is_empty() {
                view! { <p class="empty">{t(Key::AccountWaitingEmpty)}</p> }.into_any()
            } else {
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
            }}
        </section>
    }
}
