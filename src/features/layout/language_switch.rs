use crate::core::i18n::{Locale, t, use_i18n};
use leptos::prelude::*;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="language-switch">
            <label for="language">{t(crate::core::i18n::Key::NavLanguage)}</label>
            <select
                id="language"
                on:change=move |ev| {
                    if let Some(locale) = Locale::parse(&event_target_value(&ev)) {
                        i18n.set_locale(locale);
                    }
                }
            >
                {Locale::ALL
                    .iter()
                    .map(|locale| {
                        let locale = *locale;
                        view! {
                            <option value=locale.tag() lang=locale.tag() selected=move || i18n.locale() == locale>
                                {locale.endonym()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
