use crate::core::api::{use_api, use_view_abort};
use crate::core::host::link;
use crate::core::i18n::{Key, use_i18n};
use leptos::prelude::*;
use leptos_router::components::A;
use portal_contract::CaseId;

/// "Follow-up of CASE-1005", linking to the case the new one follows up, once its number is
/// known. Nothing when it cannot be loaded: the case is still sent as its follow-up, and the
/// API says so if that is not allowed.
#[component]
pub fn FollowUpNotice(original: CaseId) -> impl IntoView {
    let i18n = use_i18n();
    let (api, abort) = (use_api(), use_view_abort());
    let href = link(format!("/cases/{original}"));
    let number = LocalResource::new(move || {
        let (api, id) = (api.clone(), original.clone());
        async move { api.case(&id, abort.signal()).await.ok().map(|d| d.case.number) }
    });
    move || {
        number.get().flatten().map(|number| {
            view! {
                <p class="notice notice-info follow-up">
                    <A href=href.clone()>{move || i18n.f(Key::CaseFollowUpOf, &[("number", &number)])}</A>
                </p>
            }
        })
    }
}
