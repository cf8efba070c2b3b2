//! A host's theme on the portal's root element: the colour scheme as an attribute, the rest as
//! the documented custom properties (which a frame cannot inherit from the host's CSS).

use super::Theme;

/// The custom properties a host may set, and the option that sets each.
pub const PROPERTIES: [&str; 3] = ["--bird-portal-brand", "--bird-portal-font", "--bird-portal-radius"];

pub fn apply(root: &web_sys::HtmlElement, theme: &Theme) {
    match theme.scheme.as_deref() {
        Some(scheme @ ("light" | "dark")) => {
            let _ = root.set_attribute("data-theme", scheme);
        }
        _ => {
            let _ = root.remove_attribute("data-theme");
        }
    }
    let style = root.style();
    for (property, value) in PROPERTIES.iter().zip([&theme.brand, &theme.font, &theme.radius]) {
        match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            // Through the CSSOM, so a value is one property's value and nothing more.
            Some(value) => {
                let _ = style.set_property(property, value);
            }
            None => {
                let _ = style.remove_property(property);
            }
        }
    }
}
