//! The browser's local storage, where it exists. Every call is fallible and silent: private
//! windows, full quotas and embedded frames without storage must never break a page.

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn get(key: &str) -> Option<String> {
    local()?.get_item(key).ok()?
}

/// Returns whether the value was stored, so a caller can tell the person if a draft isn't kept.
pub fn set(key: &str, value: &str) -> bool {
    local().is_some_and(|s| s.set_item(key, value).is_ok())
}

pub fn remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
}
