//! The built portal's assets: raw, gzip and the brotli the server sends, and which of them the
//! first load fetches.

use crate::root;
use crate::run::Result;
use std::io::Write;
use std::path::Path;

pub struct Asset {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: Option<u64>,
    /// Fetched to show the first page: `index.html` and what it names. The rest are the
    /// chunks of the pages outside the first load.
    pub first_load: bool,
}

fn gzip_len(bytes: &[u8]) -> u64 {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = encoder.write_all(bytes);
    encoder.finish().map(|v| v.len() as u64).unwrap_or(0)
}

/// The size of the `.br` file the build wrote beside the asset (what the API serves).
fn brotli_len(path: &Path) -> Option<u64> {
    let mut br = path.as_os_str().to_owned();
    br.push(".br");
    std::fs::metadata(br).ok().map(|m| m.len())
}

pub fn assets() -> Result<Vec<Asset>> {
    let dist = root().join("dist");
    let index =
        std::fs::read_to_string(dist.join("index.html")).map_err(|e| format!("reading dist/index.html: {e}"))?;
    let mut out = Vec::new();
    let entries = std::fs::read_dir(&dist).map_err(|e| format!("reading dist/: {e}"))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        // embed.js is what a host page loads, not part of the portal's own first load.
        if !path.is_file() || name.ends_with(".br") || name.ends_with(".svg") || name == "embed.js" {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
        let first_load = name == "index.html" || index.contains(&format!("/{name}"));
        out.push(Asset {
            raw: bytes.len() as u64,
            gzip: gzip_len(&bytes),
            brotli: brotli_len(&path),
            name,
            first_load,
        });
    }
    out.sort_by_key(|a| std::cmp::Reverse(a.raw));
    Ok(out)
}

pub fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}
