use crate::core::i18n::{Key, t, use_i18n};
use crate::ui::time::{long_date_time, time_of_day};
use leptos::prelude::*;
use portal_contract::TamSummary;

/// `tel:` wants digits and a leading plus only.
pub fn tel_href(phone: &str) -> String {
    let digits: String = phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    format!("tel:{digits}")
}

/// Up to two initials, for when there is no photo.
pub fn initials(name: &str) -> String {
    name.split_whitespace().filter_map(|w| w.chars().next()).take(2).flat_map(char::to_uppercase).collect()
}

/// Only photos served over HTTPS or by the portal's own origin are shown.
fn safe_photo(url: Option<String>) -> Option<String> {
    url.filter(|u| u.starts_with("https://") || (u.starts_with('/') && !u.starts_with("//")))
}

/// "Copy email address": puts the text on the clipboard and says whether it worked.
#[component]
fn CopyButton(text: String, label: Key) -> impl IntoView {
    let i18n = use_i18n();
    let said = RwSignal::new(None::<Key>);
    let copy = move |_| {
        let text = text.clone();
        let promise = web_sys::window().map(|w| w.navigator().clipboard().write_text(&text));
        leptos::task::spawn_local(async move {
            let done = match promise {
                Some(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
                None => false,
            };
            said.set(Some(if done { Key::TamCopied } else { Key::TamCopyFailed }));
        });
    };
    view! {
        <button type="button" class="button-quiet copy" on:click=copy>{move || i18n.t(label)}</button>
        <span class="copy-status" role="status">{move || said.get().map(|k| i18n.t(k))}</span>
    }
}

/// Who the TAM is, whether they are reachable now, and how to reach them.
#[component]
pub fn TamContact(tam: TamSummary) -> impl IntoView {
    let i18n = use_i18n();
    let photo = safe_photo(tam.photo_url.clone());
    let avatar = match photo {
        Some(src) => view! { <img class="avatar" src=src alt="" width="56" height="56" /> }.into_any(),
        None => view! { <span class="avatar" aria-hidden="true">{initials(&tam.name)}</span> }.into_any(),
    };
    let availability = move || {
        let locale = i18n.locale();
        if tam.available_now {
            let until =
                tam.available_until.map(|at| i18n.f(Key::TamAvailableUntil, &[("time", &time_of_day(at, locale))]));
            view! {
                <p class="availability availability-now">
                    <span class="dot" aria-hidden="true"></span>
                    {i18n.t(Key::TamAvailableNow)}
                    {until.map(|u| format!(" {u}"))}
                </p>
            }
            .into_any()
        } else {
            match tam.next_available_at {
                Some(at) => view! {
                    <p class="availability availability-later">
                        <span class="dot" aria-hidden="true"></span>
                        {i18n.t(Key::TamNextAvailable)}
                        " "
                        <time datetime=at.to_rfc3339()>{long_date_time(at, locale)}</time>
                    </p>
                }
                .into_any(),
                None => view! { <p class="availability">{i18n.t(Key::TamNoHours)}</p> }.into_any(),
            }
        }
    };
    let mailto = format!("mailto:{}", tam.email);
    let tel = tel_href(&tam.phone);
    view! {
        <div class="tam-identity">
            {avatar}
            <div>
                <p class="tam-name">{tam.name.clone()}</p>
                <p class="muted">{t(Key::TamRole)}</p>
            </div>
        </div>
        {availability}
        <dl class="tam-contact">
            <div>
                <dt>{t(Key::TamEmail)}</dt>
                <dd>
                    <a href=mailto>{tam.email.clone()}</a>
                    <CopyButton text=tam.email.clone() label=Key::TamCopyEmail />
                </dd>
            </div>
            <div>
                <dt>{t(Key::TamPhone)}</dt>
                <dd>
                    <a href=tel>{tam.phone.clone()}</a>
                    <CopyButton text=tam.phone.clone() label=Key::TamCopyPhone />
                </dd>
            </div>
        </dl>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_links_keep_only_dialable_characters() {
        assert_eq!(tel_href("+39 02 1234 5678"), "tel:+390212345678");
        assert_eq!(tel_href("javascript:alert(1)"), "tel:1");
    }

    #[test]
    fn initials_are_short_and_upper_case() {
        assert_eq!(initials("Tess Rinaldi"), "TR");
        assert_eq!(initials("ada"), "A");
        assert_eq!(initials("  "), "");
    }

    #[test]
    fn only_safe_photo_urls_are_used() {
        assert_eq!(safe_photo(Some("https://cdn.example/t.jpg".into())).as_deref(), Some("https://cdn.example/t.jpg"));
        assert_eq!(safe_photo(Some("javascript:alert(1)".into())), None);
        assert_eq!(safe_photo(Some("//evil.example/x".into())), None);
    }
}
