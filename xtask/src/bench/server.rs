//! The release `portal-api` each bench runs against.

use crate::http::request;
use crate::root;
use crate::run::Result;
use crate::tools::cmd;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A release `portal-api` for the bench, killed when dropped.
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the release API on `addr` with a fresh data directory and `args`, and waits for it.
pub fn start_server(addr: &str, data: &Path, args: &[&str]) -> Result<Server> {
    start_server_with_env(addr, data, args, &[])
}

/// `start_server` with environment variables (an object store's credentials).
pub fn start_server_with_env(addr: &str, data: &Path, args: &[&str], env: &[(&'static str, String)]) -> Result<Server> {
    let _ = std::fs::remove_dir_all(data);
    let child = cmd(&root().join("target/release/portal-api").to_string_lossy())
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .args(["--addr", addr, "--data-dir"])
        .arg(data)
        .args(["--static-dir"])
        .arg(root().join("dist"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("starting portal-api: {e}"))?;
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if request(addr, "GET", "/api/v1/openapi.json", None, None).is_ok_and(|a| a.status == 200) {
            return Ok(server);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err("portal-api did not come up within 60 s".into())
}
