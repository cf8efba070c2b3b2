//! A test that fails on words written into a component instead of the translation files: any
//! string literal with a letter in it that stands as a text node inside `view!`.

use std::path::Path;

/// The text-node literals of one source file that contain a letter, with their line numbers.
pub fn literal_text_nodes(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut search = 0;
    while let Some(start) = source[search..].find("view! {").map(|i| search + i) {
        let body_start = start + "view! {".len();
        let mut depth = 1;
        let mut end = body_start;
        let mut chars = source[body_start..].char_indices().peekable();
        let mut last_significant = '{';
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    let mut literal = String::new();
                    let mut escaped = false;
                    for (_, d) in chars.by_ref() {
                        if escaped {
                            escaped = false;
                        } else if d == '\\' {
                            escaped = true;
                        } else if d == '"' {
                            break;
                        }
                        literal.push(d);
                    }
                    // After `>`, `}` or another text: a text node. After `=`, `(` or `,`: an
                    // attribute value or an argument, which are not words a person reads.
                    if matches!(last_significant, '>' | '}' | '"') && literal.chars().any(char::is_alphabetic) {
                        let line = source[..body_start + i].lines().count();
                        found.push((line, literal));
                    }
                    last_significant = '"';
                }
                '{' => {
                    depth += 1;
                    last_significant = c;
                }
                '}' => {
                    depth -= 1;
                    last_significant = c;
                    if depth == 0 {
                        end = body_start + i;
                        break;
                    }
                }
                c if c.is_whitespace() => {}
                c => last_significant = c,
            }
        }
        search = end.max(body_start);
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("i18n/literal_check.rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_component_carries_its_own_words() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    assert!(files.len() > 20, "the sources were found");
    let mut problems = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for (line, literal) in literal_text_nodes(&text) {
            problems.push(format!("{}:{line}: {literal:?}", file.display()));
        }
    }
    assert!(problems.is_empty(), "text not from the translation files:\n{}", problems.join("\n"));
}

#[test]
fn the_check_finds_words_and_ignores_attributes_and_punctuation() {
    let source =
        r#"view! { <p class="muted">"Hello there" {x} " · " <a href="/x">{t(Key::A)}</a> {format!("{} ok", 1)}</p> }"#;
    let found: Vec<String> = literal_text_nodes(source).into_iter().map(|(_, l)| l).collect();
    assert_eq!(found, vec!["Hello there".to_owned()]);
}
