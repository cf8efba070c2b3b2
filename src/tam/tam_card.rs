use super::REFRESH_AVAILABILITY;
use super::contact::TamContact;
use super::hours::WeeklyHoursList;
use crate::api::{use_api, use_view_abort};
use crate::embed::link;
use crate::i18n::{Key, t};
use crate::ui::loaded;
use crate::ui::poll::use_visible_poll;
use leptos::prelude::*;
use leptos_router::components::A;
use portal_contract::AccountId;

/// The account's TAM at a glance: name, reachable now or when, email, phone, hours.
#[component]
pub fn TamCard(account_id: AccountId) -> impl IntoView {
    let api = use_api();
    let abort = use_view_abort();
    let id = account_id.clone();
    let tam = LocalResource::new(move || {
        let (api, id) = (api.clone(), id.clone());
        async move { api.tam(&id, abort.signal()).await }
    });
    // Availability changes as time passes: ask again while the page is visible.
    use_visible_poll(REFRESH_AVAILABILITY, move || tam.refetch());
    view! {
        <section class="card tam-card" aria-labelledby="tam-card-title">
            <h2 id="tam-card-title">{t(Key::TamCardTitle)}</h2>
            {loaded(tam, move |tam| {
                let zone = tam.summary.time_zone.clone();
                view! {
                    <TamContact tam=tam.summary />
                    <h3>{t(Key::TamHours)}</h3>
                    <WeeklyHoursList hours=tam.business_hours time_zone=zone />
                }
            })}
            <p>
                <A href=link(format!("/accounts/{account_id}/tam"))>{t(Key::TamPageLink)}</A>
            </p>
        </section>
    }
}
