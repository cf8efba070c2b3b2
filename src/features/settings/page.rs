use super::NotificationsForm;
use super::kinds::kinds_for;
use crate::core::api::{use_api, use_view_abort};
use crate::core::i18n::{Key, t};
use crate::core::session::use_session;
use crate::features::passwords::ChangePasswordForm;
use crate::ui::loaded;
use leptos::prelude::*;
use portal_contract::Role;

/// `/settings/notifications`: the person's notification settings, then "Change password".
/// Embedded with a host's token, the host owns signing in, and the password form is left out.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let api = use_api();
    let abort = use_view_abort();
    let role = use_session().role().unwrap_or(Role::Unknown);
    let changes_password = api.has_cookie_session();
    let notifications = if kinds_for(role).is_empty() {
        view! { <p>{t(Key::SettingsNone)}</p> }.into_any()
    } else {
        let settings = LocalResource::new(move || {
            let api = api.clone();
            async move { api.notification_settings(abort.signal()).await }
        });
        loaded(settings, move |settings| view! { <NotificationsForm settings role /> }).into_any()
    };
    view! {
        <section class="page page-medium settings-page" aria-labelledby="settings-title">
            <h1 id="settings-title">{t(Key::SettingsTitle)}</h1>
            <p class="lead">{t(Key::SettingsIntro)}</p>
            {notifications}
            {changes_password.then(|| view! { <ChangePasswordForm /> })}
        </section>
    }
}
