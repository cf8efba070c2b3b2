//! The contract's modules import each other without a circle: a type two modules share lives
//! below both (`person` under `case`, `upload` and `information_request`; `rules` above
//! `case`), so each module can be read, and changed, from the bottom up.

use std::collections::BTreeMap;
use std::path::Path;

/// Each module of `src/` and the modules of this crate its code names (`crate::x::…`).
fn imports() -> BTreeMap<String, Vec<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph = BTreeMap::new();
    for entry in std::fs::read_dir(&src).expect("src/ can be listed").flatten() {
        let path = entry.path();
        let Some(module) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else { continue };
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a source file can be read");
        let mut named: Vec<String> = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .flat_map(|line| line.split("crate::").skip(1))
            .filter_map(|rest| rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next())
            .filter(|name| !name.is_empty() && *name != module)
            .map(str::to_owned)
            .collect();
        named.sort();
        named.dedup();
        graph.insert(module, named);
    }
    graph
}

/// A circle in `graph`, as the modules along it, if there is one.
fn circle(graph: &BTreeMap<String, Vec<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, Vec<String>>,
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
        for next in graph.get(node).into_iter().flatten() {
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
fn no_module_imports_in_a_circle() {
    let graph = imports();
    assert!(graph.contains_key("rules") && graph.contains_key("case"), "the sources were found");
    if let Some(found) = circle(&graph) {
        panic!("the contract's modules import in a circle: {}", found.join(" → "));
    }
}

#[test]
fn the_check_finds_a_circle() {
    let graph: BTreeMap<String, Vec<String>> = [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"]), ("d", vec![])]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
        .collect();
    assert_eq!(circle(&graph), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
}
