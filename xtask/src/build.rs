//! The release build of the portal, shared by `serve`, the Playwright tests and the bench.

use crate::root;
use crate::run::{Result, status};
use crate::split;
use crate::tools::cmd;
use base64::Engine as _;
use sha2::{Digest, Sha256, Sha384};
use std::path::Path;
use std::process::ExitCode;

pub fn portal() -> Result<ExitCode> {
    status(cmd("trunk").args(["build", "--release", "--offline", "--skip-version-check", "--features", "split"]))?;
    let dist = root().join("dist");
    split::split(&dist)?;
    externalise_boot_script(&dist)?;
    precompress(&dist)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes `name.br` beside every text and wasm asset, which the API serves to browsers that
/// accept brotli: a first visit downloads the wasm at about a third of its size, and no
/// request pays for compressing it.
fn precompress(dir: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            precompress(&path)?;
            continue;
        }
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "wasm" | "js" | "css" | "html" | "svg"));
        if !compressible {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        let mut out = Vec::with_capacity(bytes.len() / 3);
        let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
        brotli::BrotliCompress(&mut bytes.as_slice(), &mut out, &params)
            .map_err(|e| format!("compressing {}: {e}", path.display()))?;
        let mut target = path.clone().into_os_string();
        target.push(".br");
        std::fs::write(&target, out).map_err(|e| format!("writing {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Trunk writes the wasm loader as an inline `<script type=module>`. The API's
/// Content-Security-Policy allows no inline script, so the loader moves to its own hashed
/// file, referenced with subresource integrity like every other asset.
fn externalise_boot_script(dist: &Path) -> Result<()> {
    let index_path = dist.join("index.html");
    let html = std::fs::read_to_string(&index_path).map_err(|e| format!("reading {}: {e}", index_path.display()))?;
    let open = "<script type=module>";
    let Some(start) = html.find(open) else {
        return Ok(());
    };
    let body_start = start + open.len();
    let end = html[body_start..]
        .find("</script>")
        .map(|i| body_start + i)
        .ok_or("unterminated inline script in dist/index.html")?;
    let script = &html[body_start..end];
    let name_hash = hex16(&Sha256::digest(script.as_bytes()));
    let file = format!("boot-{name_hash}.js");
    std::fs::write(dist.join(&file), script).map_err(|e| format!("writing {file}: {e}"))?;
    let tag = format!("<script type=module src=/{file} integrity={} crossorigin></script>", sri(script.as_bytes()));
    let rewritten = format!("{}{tag}{}", &html[..start], &html[end + "</script>".len()..]);
    std::fs::write(&index_path, rewritten).map_err(|e| format!("writing {}: {e}", index_path.display()))
}

/// A subresource-integrity value: `sha384-` and the digest in base64.
pub fn sri(bytes: &[u8]) -> String {
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes)))
}

pub fn hex16(digest: &[u8]) -> String {
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}
