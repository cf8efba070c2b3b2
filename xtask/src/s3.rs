//! A real S3 server for the API tests: moto's server (`moto[server]`, every package pinned in
//! xtask/s3-server-requirements.txt) in its own virtualenv, on a free loopback port, with one
//! bucket made. Stopped when dropped, so a failed phase leaves no server behind.
//!
//! A phase that runs its tests with `S3Server::apply` has every test server keep its files in
//! that bucket (`PORTAL_TEST_OBJECT_STORE`, each server in a folder of its own; see
//! crates/portal-api/tests/api/common.rs).

use crate::http;
use crate::run::{Result, first_line};
use crate::tools::{cached_venv, install_venv};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// moto's version; the requirements file pins it and everything it pulls in.
pub const MOTO_VERSION: &str = "5.2.5";
const BUCKET: &str = "bird-portal-tests";
const REGION: &str = "us-east-1";
/// moto takes any credentials; these only have to be there (portal-api insists on them).
const ACCESS_KEY: &str = "bird-portal-tests";
const SECRET_KEY: &str = "bird-portal-tests-secret";

pub struct S3Server {
    child: Child,
    port: u16,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The virtualenv's `moto_server`, installed when missing or of another version.
fn ensure_moto() -> Result<PathBuf> {
    let venv = cached_venv(&format!("s3-server-{MOTO_VERSION}"))?;
    let python = venv.join("bin/python");
    let probe = "import importlib.metadata as m; print(m.version('moto'))";
    let installed = first_line(&python.to_string_lossy(), &["-c", probe]).is_some_and(|v| v == MOTO_VERSION);
    if !installed {
        install_venv(&venv, "s3-server-requirements.txt", "the S3 server")?;
    }
    Ok(venv.join("bin/moto_server"))
}

fn free_port() -> Result<u16> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("finding a free port: {e}"))
}

/// moto's S3 server on a free loopback port with the tests' bucket made, once it answers.
pub fn start() -> Result<S3Server> {
    let moto = ensure_moto()?;
    let port = free_port()?;
    let child = Command::new(&moto)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("starting {}: {e}", moto.display()))?;
    let mut server = S3Server { child, port };
    let addr = format!("127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        // Making the bucket is also the check that the server answers.
        match http::request_with(&addr, "PUT", &format!("/{BUCKET}"), None, &[], &[]) {
            Ok(answer) if answer.status == 200 => break,
            Ok(answer) => return Err(format!("the S3 server refused to make the bucket: {}", answer.status)),
            Err(_) if Instant::now() < deadline => {}
            Err(e) => return Err(format!("the S3 server on {addr} did not answer within 60 s: {e}")),
        }
        if let Ok(Some(exit)) = server.child.try_wait() {
            return Err(format!("the S3 server stopped as it started ({exit})"));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    println!("S3 server (moto {MOTO_VERSION}) on {addr}, bucket {BUCKET}");
    Ok(server)
}

impl S3Server {
    /// Where an object of the bucket is written by a plain HTTP PUT (moto takes it unsigned).
    pub fn object_url(&self, key: &str) -> String {
        format!("http://127.0.0.1:{}/{BUCKET}/{key}", self.port)
    }

    /// The `--object-store` URL of the bucket.
    pub fn object_store_url(&self) -> String {
        format!("s3://{BUCKET}?endpoint=http://127.0.0.1:{}&region={REGION}", self.port)
    }

    /// What a test command needs to keep its servers' files in the bucket.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("PORTAL_TEST_OBJECT_STORE", self.object_store_url()),
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY.to_owned()),
            ("AWS_SECRET_ACCESS_KEY", SECRET_KEY.to_owned()),
            ("AWS_REGION", REGION.to_owned()),
        ]
    }

    /// Sets `env` on `cmd`.
    pub fn apply<'c>(&self, cmd: &'c mut Command) -> &'c mut Command {
        cmd.envs(self.env())
    }
}

/// `cargo xtask with-s3 COMMAND…`: runs one command with a fresh S3 server and its `env`, e.g.
/// `cargo xtask with-s3 cargo test -p portal-api --test api tus`; the server stops after it.
pub fn with_s3(args: &[String]) -> Result<std::process::ExitCode> {
    let (program, rest) = args.split_first().ok_or("usage: cargo xtask with-s3 COMMAND [ARG…]")?;
    let server = start()?;
    let mut cmd = Command::new(program);
    server.apply(&mut cmd).args(rest);
    let status = cmd.status().map_err(|e| format!("cannot start {program}: {e}"))?;
    Ok(if status.success() { std::process::ExitCode::SUCCESS } else { std::process::ExitCode::FAILURE })
}
