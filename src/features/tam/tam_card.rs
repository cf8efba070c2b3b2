use super::REFRESH_AVAILABILITY;
use super::contact::TamContact;
use super::hours::WeeklyHoursList;
use crate::core::api::{use_api, use_view_abort};
use crate::core::host::link;
use crate::core::i18n::{Key, t};
use crate::ui::poll::use_visible_poll;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use portal_contract::{AccountId, Tam};

/// The account's TAM at a glance: name, reachable now or when, email, phone, hours. The page
/// hands over the TAM it loaded with the rest of its data, so the card appears with the page.
#[component]
pub fn TamCard(
    account_id: AccountId,
    tam: Tam,
    /// The heading: the customer's "Your Technical Account Manager" unless Bird's side reads it.
    #[prop(default = Key::TamCardTitle)]
    title: Key,
) -> impl IntoView {
    let api = use_api();
    let abort = use_view_abort();
    let current = RwSignal::new(tam);
    // Availability changes as time passes: ask again while the page is visible. A failed
    // refresh keeps what is on screen.
    let id = account_id.clone();
    use_visible_poll(REFRESH_AVAILABILITY, move || {
        let (api, id) = (api.clone(), id.clone());
        spawn_local(async move {
            if let Ok(fresh) = api.tam(&id, abort.signal()).await {
                current.set(fresh);
            }
        });
    });
    view! {
        <section class="card tam-card" aria-labelledby="tam-card-title">
            <h2 id="tam-card-title">{t(title)}</h2>
            {move || {
                let tam = current.get();
                let zone = tam.summary.time_zone.clone();
                view! {
                    <TamContact tam=tam.summary />
                    <h3>{t(Key::TamHours)}</h3>
                    <WeeklyHoursList hours=tam.business_hours time_zone=zone />
                }
            }}
            <p>
                <A href=link(format!("/accounts/{account_id}/tam"))>{t(Key::TamPageLink)}</A>
            </p>
        </section>
    }
}
