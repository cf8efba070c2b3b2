//! The designated support address (`PortalConfig.support_address`): the terms let a customer
//! open and follow cases by the dashboard or by email, and an email with `CASE-n` in its
//! subject joins that case. Said on the new-case page and on every case page.

use crate::core::api::{ApiError, use_api, use_view_abort};
use crate::core::i18n::{Key, fill, use_i18n};
use leptos::prelude::*;
use portal_contract::PortalConfig;

pub type Config = LocalResource<Result<PortalConfig, ApiError>>;

/// The address, when the server gave one that reads as an address: it goes into a `mailto:`
/// link, so nothing else does.
fn usable(address: &str) -> Option<&str> {
    let address = address.trim();
    let (local, domain) = address.split_once('@')?;
    let plain = !address.contains(|c: char| c.is_whitespace() || matches!(c, '?' | '&' | '#' | '/' | ':' | '<' | '>'));
    (!local.is_empty() && domain.contains('.') && plain).then_some(address)
}

/// The sentence around the address: the text before and after `{address}`, other
/// placeholders filled in.
fn around_address(template: &str, args: &[(&str, &str)]) -> (String, String) {
    let (before, after) = template.split_once("{address}").unwrap_or((template, ""));
    (fill(before, args), fill(after, args))
}

/// "You can also write to support@… with CASE-1005 in the subject" on a case (`number`), or
/// how to open a case by email on the new-case page (no number). Nothing when the server
/// names no address. `config` is the page's own, when it loaded one already.
#[component]
pub fn SupportAddress(
    #[prop(optional, into)] number: MaybeProp<String>,
    #[prop(optional)] config: Option<Config>,
) -> impl IntoView {
    let i18n = use_i18n();
    let config = config.unwrap_or_else(|| {
        let (api, abort) = (use_api(), use_view_abort());
        LocalResource::new(move || {
            let api = api.clone();
            async move { api.config(abort.signal()).await }
        })
    });
    move || {
        let address = config.get().and_then(Result::ok).and_then(|c| usable(&c.support_address).map(str::to_owned))?;
        let number = number.get();
        let (key, subject) = match &number {
            Some(n) => (Key::SupportAddressCase, format!("?subject={n}")),
            None => (Key::SupportAddressNew, String::new()),
        };
        let (before, after) = around_address(i18n.t(key), &[("number", number.as_deref().unwrap_or_default())]);
        let href = format!("mailto:{address}{subject}");
        Some(view! { <p class="support-address">{before}<a href=href>{address}</a>{after}</p> })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_plain_address_is_linked() {
        assert_eq!(usable(" support@bird.example "), Some("support@bird.example"));
        assert_eq!(usable(""), None);
        assert_eq!(usable("support"), None);
        assert_eq!(usable("a@b.c?cc=x@evil.example"), None);
        assert_eq!(usable("javascript:alert(1)//@x.y"), None);
    }

    #[test]
    fn the_address_stands_inside_the_sentence_in_both_languages() {
        use crate::core::i18n::Locale;
        for locale in Locale::ALL {
            let (before, after) = around_address(locale.text(Key::SupportAddressCase), &[("number", "CASE-1005")]);
            assert!(!before.is_empty(), "{locale:?}");
            assert!(format!("{before}{after}").contains("CASE-1005"), "{locale:?}");
            assert!(!format!("{before}{after}").contains('{'), "{locale:?}");
        }
    }
}
