//! The layering, checked: every `crate::…` path in the sources points to the file's own layer
//! or one below (core → ui → features → entry, see `lib.rs`), and the modules (`core::api`,
//! `features::cases`, `entry::embed` …; the ui kit counts as one) import each other without a
//! circle. Reads the sources as `i18n/literal_check.rs` does.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const LAYERS: [&str; 4] = ["core", "ui", "features", "entry"];

/// The layer of a source file by its folder; the crate root (`lib.rs`, `main.rs`) is the top.
fn layer_of_file(relative: &str) -> usize {
    let first = relative.split('/').next().unwrap_or("");
    LAYERS.iter().position(|l| *l == first).unwrap_or(LAYERS.len() - 1)
}

/// The module a file belongs to: `core/api/client.rs` → `core::api`; the ui kit is one module.
fn module_of_file(relative: &str) -> String {
    let parts: Vec<&str> = relative.trim_end_matches(".rs").split('/').collect();
    match parts.as_slice() {
        ["ui", ..] => "ui".to_owned(),
        [layer, module, ..] if LAYERS.contains(layer) => format!("{layer}::{module}"),
        _ => "crate".to_owned(),
    }
}

/// Every `crate::…` path in the code of `source` (comments left out), with its line number.
fn crate_paths(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (index, line) in source.lines().enumerate() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        for rest in line.split("crate::").skip(1) {
            let path: String =
                rest.chars().take_while(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '{')).collect();
            found.push((index + 1, format!("crate::{}", path.trim_end_matches(':'))));
        }
    }
    found
}

/// The layer and the module a `crate::…` path points into; `None` for a path that names no
/// layer (`crate::{…}` groups are refused by the check, so every path names its layer).
fn target_of(path: &str) -> Option<(usize, String)> {
    let mut segments = path.trim_start_matches("crate::").split("::");
    let layer = segments.next()?;
    let rank = LAYERS.iter().position(|l| *l == layer)?;
    let module = match (layer, segments.next()) {
        ("ui", _) | (_, None) => layer.to_owned(),
        (_, Some(module)) => format!("{layer}::{module}"),
    };
    Some((rank, module))
}

struct Sources {
    /// Path relative to `src/`, and the text.
    files: Vec<(String, String)>,
}

impl Sources {
    fn read() -> Sources {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else { return };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut paths = Vec::new();
        walk(&src, &mut paths);
        let files = paths
            .into_iter()
            .filter(|p| !p.ends_with("layers.rs"))
            .filter_map(|p| {
                let relative = p.strip_prefix(&src).ok()?.to_string_lossy().replace('\\', "/");
                Some((relative, std::fs::read_to_string(&p).unwrap_or_default()))
            })
            .collect();
        Sources { files }
    }

    /// Every path that points to a layer above its file's, or names no layer.
    fn upward(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (file, text) in &self.files {
            let own = layer_of_file(file);
            for (line, path) in crate_paths(text) {
                match target_of(&path) {
                    Some((rank, _)) if rank <= own => {}
                    Some((rank, _)) => problems.push(format!(
                        "src/{file}:{line}: `{path}` points up from {} to {}",
                        LAYERS[own], LAYERS[rank]
                    )),
                    None => problems.push(format!("src/{file}:{line}: `{path}` names no layer")),
                }
            }
        }
        problems
    }

    /// Which module imports which, with one file that does it for each pair.
    fn imports(&self) -> BTreeMap<String, BTreeMap<String, String>> {
        let mut graph: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for (file, text) in &self.files {
            let from = module_of_file(file);
            for (line, path) in crate_paths(text) {
                if let Some((_, to)) = target_of(&path).filter(|(_, to)| *to != from) {
                    graph.entry(from.clone()).or_default().entry(to).or_insert_with(|| format!("src/{file}:{line}"));
                }
            }
        }
        graph
    }
}

/// A circle in `graph`, as the modules along it, if there is one.
fn circle(graph: &BTreeMap<String, BTreeMap<String, String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeMap<String, String>>,
        path: &mut Vec<String>,
        done: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut found = path[start..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.iter().any(|n| n == node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flat_map(BTreeMap::keys) {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.push(node.to_owned());
        None
    }
    let mut done = Vec::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_imports_from_a_layer_above() {
    let sources = Sources::read();
    assert!(sources.files.len() > 50, "the sources were found");
    let problems = sources.upward();
    assert!(problems.is_empty(), "imports from a layer above (see the table in lib.rs):\n{}", problems.join("\n"));
}

#[test]
fn no_two_modules_import_in_a_circle() {
    let graph = Sources::read().imports();
    assert!(graph.contains_key("features::cases"), "the imports were found");
    if let Some(found) = circle(&graph) {
        let by: Vec<String> =
            found.windows(2).map(|w| format!("{} → {}: {}", w[0], w[1], graph[&w[0]][&w[1]])).collect();
        panic!("modules import in a circle: {}\n{}", found.join(" → "), by.join("\n"));
    }
}

#[test]
fn the_checks_find_an_upward_import_a_group_and_a_circle() {
    let sources = Sources {
        files: vec![
            ("ui/error_view.rs".into(), "use crate::core::host::link;\nuse crate::features::cases::labels;\n".into()),
            ("core/api/client.rs".into(), "// crate::entry in a comment\nuse crate::{core::i18n::Key};\n".into()),
            ("features/cases/page.rs".into(), "use crate::features::tam::TamCard;\n".into()),
            ("features/tam/card.rs".into(), "let x = crate::features::cases::OPEN;\n".into()),
        ],
    };
    assert_eq!(
        sources.upward(),
        vec![
            "src/ui/error_view.rs:2: `crate::features::cases::labels` points up from ui to features".to_owned(),
            "src/core/api/client.rs:2: `crate::{core::i18n::Key` names no layer".to_owned(),
        ]
    );
    let graph = sources.imports();
    assert_eq!(circle(&graph), Some(vec!["features::cases".into(), "features::tam".into(), "features::cases".into()]));
    assert_eq!(module_of_file("core/storage.rs"), "core::storage");
    assert_eq!(module_of_file("ui/form/submit.rs"), "ui");
}
