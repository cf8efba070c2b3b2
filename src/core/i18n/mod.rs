//! English and Italian, from `locales/*.json` (see `build.rs`).
//!
//! Architecture Invariant: every word a person reads comes from a `Key`; components never
//! carry literal text. The locale is one signal in context, so switching language re-renders
//! text in place without reloading anything.

mod fill;
#[cfg(test)]
mod literal_check;
mod plural;

use crate::core::storage;
use leptos::prelude::*;

pub use fill::fill;
pub use plural::{Plural, PluralCategory};

include!(concat!(env!("OUT_DIR"), "/i18n_keys.rs"));

const STORAGE_KEY: &str = "bird-portal.locale";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Locale {
    #[default]
    En,
    It,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::It];

    /// The BCP 47 tag, for `<html lang>` and the browser's Intl formatting.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::It => "it",
        }
    }

    /// The language's own name, as shown in the language switch.
    pub fn endonym(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::It => "Italiano",
        }
    }

    /// `it`, `it-IT`, `IT` → Italian; anything else that starts with `en` → English.
    pub fn parse(value: &str) -> Option<Locale> {
        let primary = value.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Locale::En),
            "it" => Some(Locale::It),
            _ => None,
        }
    }

    pub fn text(self, key: Key) -> &'static str {
        match self {
            Locale::En => key.en(),
            Locale::It => key.it(),
        }
    }
}

/// The person's language: the one they chose before, else the browser's, else English.
pub fn initial_locale() -> Locale {
    storage::get(STORAGE_KEY)
        .and_then(|saved| Locale::parse(&saved))
        .or_else(|| web_sys::window().and_then(|w| w.navigator().language()).and_then(|l| Locale::parse(&l)))
        .unwrap_or_default()
}

#[derive(Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
}

impl I18n {
    pub fn locale(&self) -> Locale {
        self.locale.get()
    }

    /// The text of `key` in the current language; re-runs when the language changes.
    pub fn t(&self, key: Key) -> &'static str {
        self.locale.get().text(key)
    }

    /// The text of `key` with its `{placeholders}` filled in.
    pub fn f(&self, key: Key, args: &[(&str, &str)]) -> String {
        fill(self.t(key), args)
    }

    /// The form of the counted text `forms` that agrees with `n`, its placeholders filled in
    /// (the count among them, formatted by the caller).
    pub fn plural(&self, forms: Plural, n: u64, args: &[(&str, &str)]) -> String {
        fill(self.locale.get().plural(forms, n), args)
    }

    /// Switches language, remembers it for next time, and tells assistive technology.
    pub fn set_locale(&self, locale: Locale) {
        self.locale.set(locale);
        storage::set(STORAGE_KEY, locale.tag());
    }
}

pub fn provide_i18n(initial: Locale) -> I18n {
    provide_i18n_for(initial, web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()))
}

/// As `provide_i18n`, with `lang` kept on `root`: a mounted portal's own element, never the
/// host page's `<html>`.
pub fn provide_i18n_for(initial: Locale, root: Option<web_sys::Element>) -> I18n {
    let i18n = I18n { locale: RwSignal::new(initial) };
    let root = send_wrapper::SendWrapper::new(root);
    Effect::new(move |_| {
        let tag = i18n.locale.get().tag();
        if let Some(root) = root.as_ref() {
            let _ = root.set_attribute("lang", tag);
        }
    });
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// A reactive text for a view: `{t(Key::SignIn)}`.
pub fn t(key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || i18n.t(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_text_in_both_languages() {
        for key in Key::ALL {
            assert!(!key.en().trim().is_empty(), "{} is empty in English", key.name());
            assert!(!key.it().trim().is_empty(), "{} is empty in Italian", key.name());
        }
    }

    #[test]
    fn italian_is_not_left_in_english() {
        // Names and a few words are the same in both languages; whole sentences are not.
        let untranslated: Vec<_> = Key::ALL
            .iter()
            .filter(|k| k.en() == k.it() && k.en().split_whitespace().count() > 3)
            .map(|k| k.name())
            .collect();
        assert!(untranslated.is_empty(), "untranslated: {untranslated:?}");
    }

    #[test]
    fn locale_tags_parse_loosely() {
        assert_eq!(Locale::parse("it-IT"), Some(Locale::It));
        assert_eq!(Locale::parse("EN_gb"), Some(Locale::En));
        assert_eq!(Locale::parse("de"), None);
        assert_eq!(Locale::parse(""), None);
    }
}
