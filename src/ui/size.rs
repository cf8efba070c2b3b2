//! File sizes, counts and percentages in the person's language ("1.5 MB", "1,5 MB", "10.000",
//! "40%"), by Intl.

use super::time::intl;
use crate::core::i18n::{Key, Locale, Plural, fill};
use js_sys::{Function, Reflect};
use wasm_bindgen::JsValue;

/// The unit a size is best read in (decimal, as Intl's units are) and the value in it.
pub fn size_parts(bytes: u64) -> (f64, &'static str) {
    let b = bytes as f64;
    match bytes {
        0..1_000 => (b, "byte"),
        1_000..1_000_000 => (b / 1e3, "kilobyte"),
        1_000_000..1_000_000_000 => (b / 1e6, "megabyte"),
        _ => (b / 1e9, "gigabyte"),
    }
}

fn number(value: f64, locale: Locale, pairs: &[(&str, &str)]) -> Option<String> {
    let formatter = intl("NumberFormat", locale, pairs)?;
    let format: Function = Reflect::get(&formatter, &"format".into()).ok()?.into();
    format.call1(&formatter, &JsValue::from_f64(value)).ok()?.as_string()
}

/// Whole bytes are counted words ("1 byte", "103 bytes"; "103 byte" is Italian); larger
/// sizes carry a unit symbol, which has no plural.
const BYTES: Plural = Plural { one: Key::SizeBytesOne, other: Key::SizeBytesOther };

/// "103 bytes" / "103 byte", "1.5 MB" / "1,5 MB".
pub fn file_size(bytes: u64, locale: Locale) -> String {
    let (value, unit) = size_parts(bytes);
    if unit == "byte" {
        let n = number(value, locale, &[]).unwrap_or_else(|| bytes.to_string());
        return bytes_text(bytes, &n, locale);
    }
    number(value, locale, &[("style", "unit"), ("unit", unit), ("maximumFractionDigits", "1")])
        .unwrap_or_else(|| format!("{bytes} B"))
}

fn bytes_text(bytes: u64, formatted: &str, locale: Locale) -> String {
    fill(locale.plural(BYTES, bytes), &[("n", formatted)])
}

/// "1.5 MB/s".
pub fn speed(bytes_per_second: f64, locale: Locale) -> String {
    let (value, unit) = size_parts(bytes_per_second.max(0.0) as u64);
    let unit = format!("{unit}-per-second");
    number(value, locale, &[("style", "unit"), ("unit", &unit), ("maximumFractionDigits", "1")])
        .unwrap_or_else(|| format!("{} B/s", bytes_per_second as u64))
}

/// "10,000" / "10.000".
pub fn count(n: usize, locale: Locale) -> String {
    number(n as f64, locale, &[]).unwrap_or_else(|| n.to_string())
}

/// "40%" / "40 %".
pub fn percent(fraction: f64, locale: Locale) -> String {
    number(fraction.clamp(0.0, 1.0), locale, &[("style", "percent"), ("maximumFractionDigits", "0")])
        .unwrap_or_else(|| format!("{}%", (fraction * 100.0) as u32))
}

#[cfg(test)]
mod tests {
    use super::{Locale, bytes_text, size_parts};

    #[test]
    fn bytes_are_counted_in_each_language() {
        assert_eq!(bytes_text(1, "1", Locale::En), "1 byte");
        assert_eq!(bytes_text(103, "103", Locale::En), "103 bytes");
        assert_eq!(bytes_text(0, "0", Locale::En), "0 bytes");
        assert_eq!(bytes_text(1, "1", Locale::It), "1 byte");
        assert_eq!(bytes_text(103, "103", Locale::It), "103 byte");
    }

    #[test]
    fn sizes_pick_a_readable_unit() {
        assert_eq!(size_parts(999), (999.0, "byte"));
        assert_eq!(size_parts(1_500), (1.5, "kilobyte"));
        assert_eq!(size_parts(2_500_000), (2.5, "megabyte"));
        assert_eq!(size_parts(1_073_741_824).1, "gigabyte");
    }
}
