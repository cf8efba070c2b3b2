//! Cuts the release wasm into the first load and the chunks of the pages it does not need.
//!
//! Trunk builds the portal with the `split` feature (`src/on_demand.rs` marks each page outside
//! the first load as a split point) and keeps the linker's relocations. Trunk 0.21 has no step
//! between cargo and wasm-bindgen (trunk-rs/trunk#1022), where a split must happen, so this
//! runs after it, on the artifact cargo left in `target/`, and replaces what Trunk staged:
//!
//! 1. wasm-split reads the relocations, moves every function only a split point reaches into
//!    that point's chunk (code two points share into a shared chunk) and writes the loader
//!    module the main wasm imports them through;
//! 2. wasm-bindgen makes the main module's JS, keeping the function table exported, since the
//!    chunks call back into the main module through it;
//! 3. binaryen 132 optimises the main module and every chunk, as Trunk does (`-Oz`), and
//!    terser minifies the JS;
//! 4. chunks get content hashes in their names (the API caches hashed files for a year), and
//!    `index.html`'s integrity hashes follow the new files.
//!
//! Architecture Invariant: the main wasm keeps the name Trunk gave it, so the boot script and
//! the preload links Trunk wrote stay right; only their integrity values change.

use crate::build::{hex16, sri};
use crate::root;
use crate::run::{Result, status};
use crate::tools::cmd;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The crate's binary as cargo linked it, relocations kept, before wasm-bindgen.
fn linked_wasm() -> PathBuf {
    root().join("target/wasm32-unknown-unknown/wasm-release/bird-portal.wasm")
}

/// The stem Trunk gave the portal's JS and wasm: `bird-portal-<hash>`.
fn staged_stem(dist: &Path) -> Result<String> {
    let entries = std::fs::read_dir(dist).map_err(|e| format!("reading {}: {e}", dist.display()))?;
    entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .find_map(|name| name.strip_suffix("_bg.wasm").map(str::to_owned))
        .ok_or_else(|| format!("no *_bg.wasm in {}: did Trunk build?", dist.display()))
}

pub fn split(dist: &Path) -> Result<()> {
    let stem = staged_stem(dist)?;
    let input = read(&linked_wasm())?;
    let work = root().join("target/wasm-split");
    let _ = std::fs::remove_dir_all(&work);
    let bindgen_dir = work.join("bindgen");
    std::fs::create_dir_all(&bindgen_dir).map_err(|e| format!("creating {}: {e}", bindgen_dir.display()))?;

    let main_split = work.join("main.wasm");
    let main_js = format!("./{stem}.js");
    let loader_name = format!("{stem}-split.js");
    let link_name = format!("./{loader_name}");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = &work;
    options.main_out_path = &main_split;
    options.main_module = &main_js;
    options.link_name = &link_name;
    let split = wasm_split_cli_support::transform(options).map_err(|e| format!("wasm-split: {e:#}"))?;
    if split.split_modules.is_empty() {
        return Err("wasm-split found no split points: was the portal built with --features split?".into());
    }

    status(
        cmd("wasm-bindgen")
            .args(["--target=web", "--keep-lld-exports", "--no-typescript", "--out-name=bird-portal"])
            .arg("--out-dir")
            .arg(&bindgen_dir)
            .arg(&main_split),
    )?;
    let main_wasm = bindgen_dir.join("bird-portal_bg.wasm");
    optimise(&main_wasm)?;
    copy(&main_wasm, &dist.join(format!("{stem}_bg.wasm")))?;
    minify(&bindgen_dir.join("bird-portal.js"), &dist.join(format!("{stem}.js")))?;

    let mut loader = read_text(&work.join(&loader_name))?;
    for chunk in &split.split_modules {
        optimise(chunk)?;
        let bytes = read(chunk)?;
        let name = chunk.file_stem().and_then(|s| s.to_str()).ok_or("a chunk without a name")?;
        let hashed = format!("{name}-{}.wasm", hex16(&Sha256::digest(&bytes)));
        let reference = format!("\"./{name}.wasm\"");
        if !loader.contains(&reference) {
            return Err(format!("the split loader does not mention {reference}"));
        }
        loader = loader.replace(&reference, &format!("\"./{hashed}\""));
        write(&dist.join(&hashed), &bytes)?;
    }
    let loader_path = work.join(&loader_name);
    write(&loader_path, loader.as_bytes())?;
    minify(&loader_path, &dist.join(&loader_name))?;

    let index = dist.join("index.html");
    let mut html = read_text(&index)?;
    for file in [format!("{stem}.js"), format!("{stem}_bg.wasm")] {
        html = with_integrity(&html, &file, &read(&dist.join(&file))?)?;
    }
    // The main JS imports the loader at once; the browser fetches it beside the main JS.
    let loader_integrity = sri(&read(&dist.join(&loader_name))?);
    let preload = format!("<link crossorigin href=/{loader_name} integrity={loader_integrity} rel=modulepreload>");
    let head_end = html.find("</head>").ok_or("dist/index.html has no </head>")?;
    html.insert_str(head_end, &preload);
    write(&index, html.as_bytes())
}

/// Trunk's own minifier gives up on wasm-bindgen's `export default` and copies the JS as it
/// is; terser (npm, pinned in end2end/) does not.
fn minify(from: &Path, to: &Path) -> Result<()> {
    status(cmd("terser").arg(from).args(["--module", "--compress", "--mangle", "--output"]).arg(to))
}

fn optimise(wasm: &Path) -> Result<()> {
    status(cmd("wasm-opt").arg("-Oz").arg("--output").arg(wasm).arg(wasm))
}

/// Replaces the integrity value of the tag whose `href` is `/file`.
fn with_integrity(html: &str, file: &str, bytes: &[u8]) -> Result<String> {
    let href = format!("href=/{file} integrity=");
    let at = html.find(&href).ok_or_else(|| format!("dist/index.html has no tag for {file}"))? + href.len();
    let end = html[at..].find([' ', '>']).map(|i| at + i).ok_or("unterminated integrity attribute")?;
    Ok(format!("{}{}{}", &html[..at], sri(bytes), &html[end..]))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to).map(|_| ()).map_err(|e| format!("copying {} to {}: {e}", from.display(), to.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| format!("writing {}: {e}", path.display()))
}
