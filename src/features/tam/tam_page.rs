use super::REFRESH_AVAILABILITY;
use super::contact::TamContact;
use super::hours::{WeeklyHoursList, spans_text};
use crate::core::api::{use_api, use_view_abort};
use crate::core::i18n::{Key, t, use_i18n};
use crate::features::layout::{AccountEyebrow, ForRouteAccount, use_route_account};
use crate::ui::loaded;
use crate::ui::poll::use_visible_poll;
use crate::ui::time::{day, day_and_time, time_of_day};
use leptos::prelude::*;
use portal_contract::{TamExclusion, TamService};

fn service(value: TamService) -> Key {
    match value {
        TamService::MigrationPlanning => Key::ServiceMigrationPlanning,
        TamService::Tier1Mediation => Key::ServiceTier1Mediation,
        TamService::Unknown => Key::ServiceUnknown,
    }
}

fn exclusion(value: TamExclusion) -> Key {
    match value {
        TamExclusion::TemplateWork => Key::ExclusionTemplateWork,
        TamExclusion::InternalProjectManagement => Key::ExclusionInternalProjectManagement,
        TamExclusion::DeliverabilityStrategy => Key::ExclusionDeliverabilityStrategy,
        TamExclusion::Tier2Mediation => Key::ExclusionTier2Mediation,
        TamExclusion::InboxPlacementGuarantee => Key::ExclusionInboxPlacementGuarantee,
        TamExclusion::Unknown => Key::ExclusionUnknown,
    }
}

/// `/accounts/:account_id/tam`: the TAM in full — contact, hours and their changes, and what
/// the TAM does and does not do under the Premium Email terms.
#[component]
pub fn TamPage() -> impl IntoView {
    view! {
        <ForRouteAccount>
            <TamOfAccount />
        </ForRouteAccount>
    }
}

#[component]
fn TamOfAccount() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let abort = use_view_abort();
    let account_id = use_route_account();
    let tam = LocalResource::new(move || {
        let (api, id) = (api.clone(), account_id.get());
        async move { api.tam(&id, abort.signal()).await }
    });
    // Availability changes as time passes: ask again while the page is visible.
    use_visible_poll(REFRESH_AVAILABILITY, move || tam.refetch());
    view! {
        <section class="page tam-page" aria-labelledby="tam-title">
            <AccountEyebrow account_id=Signal::derive(move || Some(account_id.get())) />
            <h1 id="tam-title">{t(Key::NavTam)}</h1>
            {loaded(tam, move |tam| {
                let zone = tam.summary.time_zone.clone();
                let overrides = tam.overrides.clone();
                let upcoming = tam.upcoming_hours.clone();
                view! {
                    <div class="card">
                        <h2 class="visually-hidden">{t(Key::TamCardTitle)}</h2>
                        <TamContact tam=tam.summary />
                    </div>
                    <section aria-labelledby="hours-title">
                        <h2 id="hours-title">{t(Key::TamHours)}</h2>
                        <WeeklyHoursList hours=tam.business_hours time_zone=zone />
                        <h3>{t(Key::TamYourTime)}</h3>
                        <ul class="hours">
                            {upcoming
                                .into_iter()
                                .map(|h| view! {
                                    <li>
                                        <time datetime=h.start.to_rfc3339()>{move || day_and_time(h.start, i18n.locale())}</time>
                                        "–"
                                        <time datetime=h.end.to_rfc3339()>{move || time_of_day(h.end, i18n.locale())}</time>
                                    </li>
                                })
                                .collect_view()}
                        </ul>
                        {(!overrides.is_empty()).then(|| view! {
                            <h3>{t(Key::TamUpcomingChanges)}</h3>
                            <ul class="hours">
                                {overrides
                                    .into_iter()
                                    .map(|o| {
                                        let (date, spans) = (o.date, o.spans.clone());
                                        view! {
                                            <li>
                                                <time class="hours-days" datetime=date.to_string()>{move || day(date, i18n.locale())}</time>
                                                " "
                                                <span>{move || spans_text(i18n, &spans)}</span>
                                                {o.note.map(|note| view! { " · " <span class="muted">{note}</span> })}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        })}
                    </section>
                    <section aria-labelledby="services-title">
                        <h2 id="services-title">{t(Key::TamServicesTitle)}</h2>
                        <ul>{tam.services.into_iter().map(|s| view! { <li>{t(service(s))}</li> }).collect_view()}</ul>
                    </section>
                    <section aria-labelledby="exclusions-title">
                        <h2 id="exclusions-title">{t(Key::TamExclusionsTitle)}</h2>
                        <ul>{tam.exclusions.into_iter().map(|e| view! { <li>{t(exclusion(e))}</li> }).collect_view()}</ul>
                    </section>
                }
            })}
        </section>
    }
}
