//! Installs what the build and the tests need, pinned, and skips what is already there.
//! Nothing downloads at build or run time after this: Trunk is told to stay offline and is
//! handed these binaries.

use crate::root;
use crate::run::{Result, first_line, in_dir, status};
use std::path::{Path, PathBuf};
use std::process::Command;

const TRUNK_VERSION: &str = "0.21.14";
/// The OpenAPI tester; every package it pulls in is pinned in xtask/schemathesis-requirements.txt.
pub const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// The SMTP server of the tests; its dependencies are pinned in xtask/smtp-catcher-requirements.txt.
pub const AIOSMTPD_VERSION: &str = "1.4.6";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/root/.cargo"))
        .join("bin")
}

/// Where cargo puts what it builds: `CARGO_TARGET_DIR` when set, else `target/`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"))
}

pub fn node_bin() -> PathBuf {
    root().join("end2end/node_modules/.bin")
}

/// PATH with the pinned tools first: binaryen 132's wasm-opt from npm, then cargo's binaries.
pub fn path_var() -> String {
    let rest = std::env::var("PATH").unwrap_or_default();
    format!("{}:{}:{rest}", node_bin().display(), cargo_bin().display())
}

/// A command that finds the pinned tools.
pub fn cmd(program: &str) -> Command {
    let mut c = in_dir(program, &root());
    c.env("PATH", path_var());
    c
}

/// The wasm-bindgen version Cargo.lock pins; the CLI must match it exactly.
fn locked_wasm_bindgen() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("reading Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(version) = lines.next().and_then(|l| l.trim().strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_owned());
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

fn has_version(program: &Path, expected: &str) -> bool {
    first_line(&program.to_string_lossy(), &["--version"])
        .is_some_and(|v| v.split_whitespace().nth(1) == Some(expected))
}

fn ensure_wasm_target() -> Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == WASM_TARGET))
        .unwrap_or(false);
    if installed {
        return Ok(());
    }
    status(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

fn ensure_trunk() -> Result<()> {
    if has_version(&cargo_bin().join("trunk"), TRUNK_VERSION) {
        return Ok(());
    }
    // 0.22 needs a newer rustc than this machine's; 0.21.14 is the newest that builds here.
    status(cmd("cargo").args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]))
}

fn ensure_wasm_bindgen() -> Result<()> {
    let version = locked_wasm_bindgen()?;
    let bin = cargo_bin();
    if has_version(&bin.join("wasm-bindgen"), &version) && bin.join("wasm-bindgen-test-runner").exists() {
        return Ok(());
    }
    // Not --locked: the CLI's own lockfile pins a webpki-roots the registry no longer serves.
    status(cmd("cargo").args(["install", "--force", "wasm-bindgen-cli", "--version", &version]))
}

/// `npm ci` in end2end/ when its node_modules are missing or older than the lockfile:
/// Playwright, axe-core, binaryen (wasm-opt) and the OpenAPI client generator come from there.
pub fn ensure_node_modules() -> Result<()> {
    let dir = root().join("end2end");
    let stamp = dir.join("node_modules/.package-lock.json");
    let lock = dir.join("package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = matches!((modified(&stamp), modified(&lock)), (Some(s), Some(l)) if s >= l);
    if fresh && node_bin().join("wasm-opt").exists() && node_bin().join("openapi-typescript").exists() {
        return Ok(());
    }
    status(in_dir("npm", &dir).args(["ci", "--no-audit", "--no-fund"]).env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))
}

pub fn ensure_build_tools() -> Result<()> {
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    ensure_node_modules()
}

/// Debian's Chromium and its driver (never a browser downloaded by a test tool).
pub fn ensure_browser() -> Result<()> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    status(Command::new("apt-get").arg("update"))?;
    status(
        Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// A virtualenv under the user's cache (outside the repository and `cargo clean`).
pub fn cached_venv(name: &str) -> Result<PathBuf> {
    let home = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .ok_or("neither XDG_CACHE_HOME nor HOME is set")?;
    Ok(home.join("bird-portal").join(name))
}

/// Creates `venv` afresh and installs the pinned `requirements` (a file of xtask/) into it.
pub fn install_venv(venv: &Path, requirements: &str, what: &str) -> Result<()> {
    status(Command::new("python3").arg("-m").arg("venv").arg("--clear").arg(venv))
        .map_err(|e| format!("{e}; {what} needs Python 3 with venv (Debian: python3-venv)"))?;
    status(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(root().join("xtask").join(requirements)),
    )
}

/// schemathesis in its own virtualenv, one per version; returns its `st` command. Needs
/// Python 3.11 with `venv`.
pub fn ensure_schemathesis() -> Result<PathBuf> {
    let venv = cached_venv(&format!("schemathesis-{SCHEMATHESIS_VERSION}"))?;
    let st = venv.join("bin/st");
    // `st --version` prints `st, version 4.32.5`.
    let installed = first_line(&st.to_string_lossy(), &["--version"])
        .is_some_and(|v| v.rsplit(' ').next() == Some(SCHEMATHESIS_VERSION));
    if !installed {
        install_venv(&venv, "schemathesis-requirements.txt", "schemathesis")?;
    }
    Ok(st)
}

/// The local SMTP server of the API tests and the bench: aiosmtpd in its own virtualenv, one per
/// version. Returns the virtualenv's `python` and the path of `xtask/smtp_catcher.py`.
pub fn ensure_smtp_catcher() -> Result<(PathBuf, PathBuf)> {
    let venv = cached_venv(&format!("smtp-catcher-{AIOSMTPD_VERSION}"))?;
    let python = venv.join("bin/python");
    let probe = "import aiosmtpd; print(aiosmtpd.__version__)";
    let installed = first_line(&python.to_string_lossy(), &["-c", probe]).is_some_and(|v| v == AIOSMTPD_VERSION);
    if !installed {
        install_venv(&venv, "smtp-catcher-requirements.txt", "the SMTP catcher")?;
    }
    Ok((python, root().join("xtask/smtp_catcher.py")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_requirements_pin_every_package_and_the_tools_version() {
        for (file, pin) in [
            ("schemathesis-requirements.txt", format!("schemathesis=={SCHEMATHESIS_VERSION}")),
            ("smtp-catcher-requirements.txt", format!("aiosmtpd=={AIOSMTPD_VERSION}")),
            ("s3-server-requirements.txt", format!("moto=={}", crate::s3::MOTO_VERSION)),
        ] {
            let text = std::fs::read_to_string(root().join("xtask").join(file)).expect("the requirements file");
            let pins: Vec<&str> = text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).collect();
            assert!(pins.iter().all(|l| l.contains("==")), "every package of {file} is pinned: {pins:?}");
            assert!(pins.contains(&pin.as_str()), "{file}: {pins:?}");
        }
    }
}
