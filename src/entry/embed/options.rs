//! What a host hands the portal when it mounts it (or posts to its frame), checked before
//! anything is shown: a wrong option is named in the error the host receives.

use crate::core::i18n::Locale;
use serde::Deserialize;

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EmbedOptions {
    /// Origin of the API (`https://support.bird.example`); empty: the page's own origin.
    #[serde(default)]
    pub api_base: String,
    /// A bearer token from `POST /api/v1/tokens`.
    #[serde(default)]
    pub token: String,
    /// Instead of (or besides) `token`: where the portal `POST`s, with the host's cookies, for
    /// a `{token, expires_at}` whenever it needs one.
    pub token_url: Option<String>,
    pub locale: Option<String>,
    #[serde(default)]
    pub theme: Theme,
    /// The account to open on (`acc_…`); default: the person's own, or their list.
    pub account: Option<String>,
    /// The path of the host page the portal's routes live under (mounted only).
    pub base_path: Option<String>,
    /// The portal page to start on (`/cases/case_1`); default: the account.
    pub path: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Theme {
    /// `light`, `dark`, or `auto` (follow the person's system).
    pub scheme: Option<String>,
    /// Values for the documented custom properties; a frame cannot inherit the host's CSS.
    pub brand: Option<String>,
    pub font: Option<String>,
    pub radius: Option<String>,
}

/// The options, checked; `Err` names every wrong field.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedOptions {
    pub api_origin: String,
    pub token: String,
    pub token_url: Option<String>,
    pub locale: Option<Locale>,
    pub theme: Theme,
    pub start_path: Option<String>,
    pub base_path: String,
}

fn is_portal_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains(['\\', '#'])
        && !path.chars().any(char::is_control)
}

impl EmbedOptions {
    pub fn from_json(text: &str) -> Result<EmbedOptions, Vec<String>> {
        serde_json::from_str(text).map_err(|e| vec![format!("the options are not valid: {e}")])
    }

    /// `mounted`: whether a base path is needed (a frame's routes live under `/embed`).
    pub fn check(self, mounted: bool) -> Result<CheckedOptions, Vec<String>> {
        let mut problems = Vec::new();
        let api_origin = api_origin(&self.api_base, &mut problems);
        let (token, token_url) = token(&self.token, self.token_url.as_deref(), &mut problems);
        let locale = locale(self.locale.as_deref(), &mut problems);
        if let Some(scheme) = self.theme.scheme.as_deref().filter(|s| !matches!(*s, "light" | "dark" | "auto")) {
            problems.push(format!("theme.scheme must be \"light\", \"dark\" or \"auto\", not {scheme:?}"));
        }
        let base_path = base_path(mounted, self.base_path.as_deref(), &mut problems);
        let start_path = start_path(self.path.as_deref(), self.account.as_deref(), &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(CheckedOptions { api_origin, token, token_url, locale, theme: self.theme, start_path, base_path })
    }
}

fn api_origin(api_base: &str, problems: &mut Vec<String>) -> String {
    let origin = api_base.trim().trim_end_matches('/').to_owned();
    let web = origin.starts_with("https://") || origin.starts_with("http://");
    if !origin.is_empty() && (!web || origin.contains(['?', '#', ' '])) {
        problems
            .push(format!("apiBase must be an http(s) origin such as https://support.bird.example, not {origin:?}"));
    }
    origin
}

/// The token and where to fetch the next one: at least one of them.
fn token(token: &str, token_url: Option<&str>, problems: &mut Vec<String>) -> (String, Option<String>) {
    let token = token.trim().to_owned();
    let token_url = token_url.map(str::trim).filter(|u| !u.is_empty()).map(str::to_owned);
    if let Some(url) =
        token_url.as_deref().filter(|u| !(is_portal_path(u) || u.starts_with("https://") || u.starts_with("http://")))
    {
        problems.push(format!("tokenUrl must be a path or an http(s) URL, not {url:?}"));
    }
    if token.is_empty() && token_url.is_none() {
        problems
            .push("token is required (a bearer token from POST /api/v1/tokens), or tokenUrl to fetch one".to_owned());
    } else if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        problems.push("token must not contain spaces or control characters".to_owned());
    }
    (token, token_url)
}

fn locale(tag: Option<&str>, problems: &mut Vec<String>) -> Option<Locale> {
    let tag = tag.map(str::trim).filter(|l| !l.is_empty())?;
    let locale = Locale::parse(tag);
    if locale.is_none() {
        problems.push(format!("locale must be \"en\" or \"it\", not {tag:?}"));
    }
    locale
}

/// The path the portal's routes live under: the host's, mounted; `/embed`, framed.
fn base_path(mounted: bool, base_path: Option<&str>, problems: &mut Vec<String>) -> String {
    let base_path = base_path.map(|b| b.trim().trim_end_matches('/').to_owned());
    match (mounted, base_path) {
        (false, _) => "/embed".to_owned(),
        (true, Some(base)) if base.is_empty() || is_portal_path(&base) && !base.contains('?') => base,
        (true, Some(base)) => {
            problems.push(format!("basePath must be a path such as /support, not {base:?}"));
            String::new()
        }
        (true, None) => {
            problems.push(
                "basePath is required: the path of your page the portal's pages live under, such as /support"
                    .to_owned(),
            );
            String::new()
        }
    }
}

/// The page to start on: `path`, else the page of `account`, else the portal's home.
fn start_path(path: Option<&str>, account: Option<&str>, problems: &mut Vec<String>) -> Option<String> {
    let mut start = match path.map(str::trim).filter(|p| !p.is_empty()) {
        Some(path) if is_portal_path(path) => Some(path.to_owned()),
        Some(path) => {
            problems.push(format!("path must be a portal path such as /cases/case_1, not {path:?}"));
            None
        }
        None => None,
    };
    match account.map(str::trim).filter(|a| !a.is_empty()) {
        Some(account) if account.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') => {
            start.get_or_insert_with(|| format!("/accounts/{account}"));
        }
        Some(account) => problems.push(format!("account must be an account id such as acc_acme, not {account:?}")),
        None => {}
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(json: &str) -> EmbedOptions {
        EmbedOptions::from_json(json).unwrap_or_default()
    }

    #[test]
    fn a_complete_configuration_is_accepted() {
        let checked = options(
            r##"{"apiBase": "https://support.bird.example/", "token": "tok", "locale": "it",
                "theme": {"scheme": "dark", "brand": "#b00"}, "account": "acc_acme", "basePath": "/support/"}"##,
        )
        .check(true);
        let Ok(checked) = checked else { panic!("{checked:?}") };
        assert_eq!(checked.api_origin, "https://support.bird.example");
        assert_eq!(checked.locale, Some(Locale::It));
        assert_eq!(checked.base_path, "/support");
        assert_eq!(checked.start_path.as_deref(), Some("/accounts/acc_acme"));
        assert_eq!(checked.theme.brand.as_deref(), Some("#b00"));
    }

    #[test]
    fn every_wrong_field_is_named() {
        let problems = options(
            r#"{"apiBase": "ftp://x", "token": "", "locale": "de", "theme": {"scheme": "pink"},
                "account": "../acc", "basePath": "//evil.example", "path": "https://evil.example"}"#,
        )
        .check(true)
        .err()
        .unwrap_or_default();
        for field in ["apiBase", "token ", "locale", "theme.scheme", "account", "basePath", "path"] {
            assert!(problems.iter().any(|p| p.starts_with(field)), "{field} not named in {problems:?}");
        }
    }

    #[test]
    fn a_frame_needs_no_base_path_and_a_mount_does() {
        assert_eq!(options(r#"{"token": "t"}"#).check(false).map(|c| c.base_path), Ok("/embed".to_owned()));
        let by_url = options(r#"{"tokenUrl": "/api/v1/tokens", "basePath": "/support"}"#).check(true);
        assert_eq!(by_url.map(|c| c.token_url), Ok(Some("/api/v1/tokens".to_owned())));
        assert!(options(r#"{"tokenUrl": "javascript:alert(1)", "basePath": "/s"}"#).check(true).is_err());
        assert!(options(r#"{"token": "t"}"#).check(true).is_err());
        assert!(EmbedOptions::from_json("[1]").is_err());
    }
}
