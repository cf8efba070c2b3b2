//! Turns `locales/en.json` and `locales/it.json` into a `Key` enum with one variant per string,
//! so a missing or misspelt key is a compile error and a key missing in either language fails
//! the build, naming it. With the `split` feature it also keeps the linker's relocations.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::{env, fs, path::Path};

const LOCALES: [&str; 2] = ["en", "it"];

fn load(locale: &str) -> BTreeMap<String, String> {
    let path = format!("locales/{locale}.json");
    println!("cargo:rerun-if-changed={path}");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not a flat JSON object of strings: {e}"))
}

fn variant(key: &str) -> String {
    key.split(['.', '_'])
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

fn placeholders(text: &str) -> Vec<&str> {
    let mut found: Vec<&str> =
        text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect();
    found.sort_unstable();
    found
}

fn main() {
    // The split build cuts the linked wasm apart (xtask/src/split.rs); it needs the linker's
    // relocations to know which function refers to which.
    if env::var_os("CARGO_FEATURE_SPLIT").is_some() {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
    let tables: Vec<_> = LOCALES.iter().map(|l| load(l)).collect();
    let (en, it) = (&tables[0], &tables[1]);
    let mut problems = Vec::new();
    for key in en.keys().filter(|k| !it.contains_key(*k)) {
        problems.push(format!("key `{key}` is in en.json but missing in it.json"));
    }
    for key in it.keys().filter(|k| !en.contains_key(*k)) {
        problems.push(format!("key `{key}` is in it.json but missing in en.json"));
    }
    for (key, text) in en {
        if let Some(other) = it.get(key) {
            if other.trim().is_empty() || text.trim().is_empty() {
                problems.push(format!("key `{key}` is empty in one language"));
            }
            if placeholders(text) != placeholders(other) {
                problems.push(format!("key `{key}` has different {{placeholders}} in en and it"));
            }
        }
    }
    assert!(problems.is_empty(), "translation files disagree:\n  {}", problems.join("\n  "));

    let mut out = String::from(
        "/// One translated string of the portal, generated from `locales/*.json`.\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]\npub enum Key {\n",
    );
    for key in en.keys() {
        let _ = writeln!(out, "    /// {key}\n    {},", variant(key));
    }
    out.push_str("}\n\nimpl Key {\n    pub const ALL: &'static [Key] = &[\n");
    for key in en.keys() {
        let _ = writeln!(out, "        Key::{},", variant(key));
    }
    out.push_str("    ];\n\n    /// The key's name in the translation files.\n    pub fn name(self) -> &'static str {\n        match self {\n");
    for key in en.keys() {
        let _ = writeln!(out, "            Key::{} => {key:?},", variant(key));
    }
    out.push_str("        }\n    }\n");
    for (locale, table) in LOCALES.iter().zip(&tables) {
        let _ = writeln!(out, "\n    pub fn {locale}(self) -> &'static str {{\n        match self {{");
        for (key, text) in table {
            let _ = writeln!(out, "            Key::{} => {text:?},", variant(key));
        }
        out.push_str("        }\n    }\n");
    }
    out.push_str("}\n");
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("i18n_keys.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}
