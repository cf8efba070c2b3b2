use crate::core::host::link;
use crate::core::i18n::{Key, t};
use crate::core::session::use_session;
use crate::features::tam::TamCard;
use leptos::prelude::*;
use leptos_router::components::A;
use portal_contract::{AccountId, Role, Tam};

/// The account's TAM beside its cases, in the words of whoever reads it: the customer's "Your
/// Technical Account Manager"; Bird's side sees the account's TAM; the TAM, their own page.
#[component]
pub fn TamAside(account_id: AccountId, tam: Option<Tam>) -> impl IntoView {
    let session = use_session();
    let role = session.role().unwrap_or(Role::Unknown);
    let viewer = session.info().map(|info| info.user.email).unwrap_or_default();
    match tam {
        Some(tam) if role == Role::Tam && tam.summary.email.eq_ignore_ascii_case(&viewer) => view! {
            <section class="card tam-card" aria-labelledby="tam-card-title">
                <h2 id="tam-card-title">{t(Key::TamCardYou)}</h2>
                <p>
                    <A href=link(format!("/accounts/{account_id}/tam"))>{t(Key::TamCardYourHours)}</A>
                </p>
            </section>
        }
        .into_any(),
        Some(tam) => {
            let title = if role.is_bird() { Key::TamCardTitleBird } else { Key::TamCardTitle };
            view! { <TamCard account_id tam title /> }.into_any()
        }
        None => view! {
            <section class="card tam-card" aria-labelledby="tam-card-title">
                <h2 id="tam-card-title">{t(if role.is_bird() { Key::TamCardTitleBird } else { Key::TamCardTitle })}</h2>
                <p class="empty">{t(Key::TamNone)}</p>
            </section>
        }
        .into_any(),
    }
}
