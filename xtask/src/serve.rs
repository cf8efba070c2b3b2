//! `cargo xtask serve`: the whole product on one port, with demo data.

use crate::run::{Result, status};
use crate::tools::{cmd, ensure_build_tools};
use crate::{build, root};
use std::process::ExitCode;

pub fn serve(args: &[String]) -> Result<ExitCode> {
    let addr = match args {
        [] => "127.0.0.1:8080".to_owned(),
        [flag, addr] if flag == "--addr" => addr.clone(),
        _ => return Err("usage: cargo xtask serve [--addr HOST:PORT]".into()),
    };
    ensure_build_tools()?;
    build::portal()?;
    status(cmd("cargo").args(["build", "--release", "-p", "portal-api"]))?;
    let data = root().join("data");
    let dist = root().join("dist");
    // portal-api prints the URL and the demo credentials itself once it listens.
    status(
        cmd(&root().join("target/release/portal-api").to_string_lossy())
            .arg("--addr")
            .arg(&addr)
            .arg("--data-dir")
            .arg(&data)
            .arg("--static-dir")
            .arg(&dist)
            .arg("--demo"),
    )?;
    Ok(ExitCode::SUCCESS)
}
