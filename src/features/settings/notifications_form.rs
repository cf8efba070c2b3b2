use super::kinds::{describe, kinds_for};
use crate::core::api::use_api;
use crate::core::i18n::{Key, t};
use crate::ui::form::{FormStatus, Refused, SelectField, SendFailure, SubmitButton, SubmitForm, use_submit};
use leptos::prelude::*;
use portal_contract::{Language, NotificationKind, NotificationSettings, Role};

/// One checkbox per kind of email that concerns `role`, the language of emails and "Save
/// settings". Kinds the role is not offered are sent back as they were loaded.
#[component]
pub fn NotificationsForm(settings: NotificationSettings, role: Role) -> impl IntoView {
    let api = use_api();
    let events = RwSignal::new(settings.events);
    let language = RwSignal::new(settings.language.as_str().to_owned());
    let submit = use_submit(
        move || -> Result<NotificationSettings, Refused> {
            Ok(NotificationSettings { language: Language::parse(&language.get()), events: events.get() })
        },
        move |settings, _| {
            let api = api.clone();
            async move { api.save_notification_settings(&settings).await }
        },
        |()| (),
    );
    let kinds = kinds_for(role);
    let legend = if role == Role::Tam { Key::SettingsKindsTam } else { Key::SettingsKindsCustomer };
    let languages =
        vec![(Language::En.as_str(), Key::SettingsLanguageEn), (Language::It.as_str(), Key::SettingsLanguageIt)];
    view! {
        <SubmitForm submit class="form settings-form">
            <fieldset class="notification-kinds">
                <legend>{t(legend)}</legend>
                {kinds.iter().map(|kind| view! { <KindCheckbox kind=*kind events /> }).collect_view()}
            </fieldset>
            <SelectField id="email-language" label=Key::SettingsLanguage field=submit.field("language", language) options=languages />
            <SendFailure submit />
            <div class="form-actions">
                <SubmitButton submit label=Key::SettingsSave primary=true />
            </div>
            <FormStatus submit sending=Key::SettingsSaving done=Key::SettingsSaved />
        </SubmitForm>
    }
}

/// A kind's checkbox, its label, and the line that says what it is.
#[component]
fn KindCheckbox(kind: NotificationKind, events: RwSignal<portal_contract::NotificationEvents>) -> impl IntoView {
    let (label, about) = describe(kind);
    let id = format!("notify-{}", kind.as_str());
    let about_id = format!("{id}-about");
    view! {
        <div class="check-field">
            <input
                type="checkbox"
                id=id.clone()
                aria-describedby=about_id.clone()
                prop:checked=move || events.with(|e| e.get(kind))
                on:change=move |ev| events.update(|e| e.set(kind, event_target_checked(&ev)))
            />
            <label for=id>{t(label)}</label>
            <p class="hint" id=about_id>{t(about)}</p>
        </div>
    }
}
