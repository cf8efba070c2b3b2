//! A throwaway PostgreSQL 15 for the tests and the bench: Debian's server binaries (installed
//! when missing, a few MB from Debian's registry), a cluster in a temporary directory on a free
//! loopback port, stopped and deleted when dropped. Nothing of the machine's own PostgreSQL (if
//! any) is touched.

use crate::run::{Result, describe, status};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = "/usr/lib/postgresql/15/bin";
/// PostgreSQL refuses to run as root; Debian's package creates this user.
const SERVER_USER: &str = "postgres";

/// A running cluster; stopped (immediately: its data is thrown away) and deleted when dropped.
pub struct Postgres {
    dir: PathBuf,
    as_user: Option<&'static str>,
    pub port: u16,
}

fn bin(name: &str) -> PathBuf {
    Path::new(BIN).join(name)
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Debian's `postgresql-15` when its server binaries are missing. When the package is new to
/// the machine its install also creates (and tries to start) a default cluster, which these
/// tests never use.
pub fn ensure_postgres() -> Result<()> {
    if ["initdb", "pg_ctl", "postgres"].iter().all(|b| bin(b).exists()) {
        return Ok(());
    }
    let apt = |args: &[&str]| {
        let mut c = if is_root() {
            Command::new("apt-get")
        } else if Command::new("sudo").arg("-n").arg("true").status().is_ok_and(|s| s.success()) {
            let mut c = Command::new("sudo");
            c.arg("apt-get");
            c
        } else {
            return Err("PostgreSQL 15 is missing: run `apt-get install -y postgresql-15` as root".to_owned());
        };
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        status(&mut c)
    };
    apt(&["update"])?;
    apt(&["install", "-y", "--no-install-recommends", "postgresql-15"])
}

/// A free loopback port (the OS's choice; released just before the server binds it).
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("finding a free port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

impl Postgres {
    /// Installs PostgreSQL 15 if needed, creates a cluster in a fresh temporary directory and
    /// starts it; returns once it accepts connections.
    pub fn start() -> Result<Postgres> {
        ensure_postgres()?;
        let as_user = is_root().then_some(SERVER_USER);
        let dir = std::env::temp_dir().join(format!("bird-postgres-{}-{}", std::process::id(), free_port()?));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        // Dropped from here on: a failed start still removes the directory.
        let mut pg = Postgres { dir, as_user, port: 0 };
        if let Some(user) = as_user {
            status(Command::new("chown").arg(format!("{user}:")).arg(&pg.dir))?;
        }
        let data = pg.data();
        // Trust on loopback: a throwaway cluster for tests, reachable only from this machine.
        status(pg.command("initdb").arg("-D").arg(&data).args([
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ]))?;
        pg.port = free_port()?;
        // Durability is not what these tests measure: fsync off saves most of a write's time.
        // Each test server keeps a pool, and two run at once; connections are cheap to allow.
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=400",
            pg.port,
            pg.dir.display()
        );
        let started = status(
            pg.command("pg_ctl")
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(pg.log())
                .args(["-w", "-t", "60", "-o", &options, "start"]),
        );
        if let Err(why) = started {
            return Err(format!("{why}\n{}", pg.log_tail()));
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", pg.port)).is_err() {
            if Instant::now() > deadline {
                return Err(format!("PostgreSQL did not accept connections within 30 s\n{}", pg.log_tail()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        println!("PostgreSQL 15 on 127.0.0.1:{} (cluster in {})", pg.port, pg.dir.display());
        Ok(pg)
    }

    /// The superuser's URL: the tests create a database per server through it.
    pub fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// A new, empty database; answers its URL.
    pub fn create_database(&self, name: &str) -> Result<String> {
        let port = self.port.to_string();
        status(Command::new(bin("createdb")).args(["-h", "127.0.0.1", "-p", &port, "-U", "postgres", name]))?;
        Ok(format!("postgres://postgres@127.0.0.1:{port}/{name}"))
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn log(&self) -> PathBuf {
        self.dir.join("server.log")
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.log()).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// One of the server binaries, run as the cluster's owner.
    fn command(&self, program: &str) -> Command {
        match self.as_user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(bin(program));
                c
            }
            None => Command::new(bin(program)),
        }
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if self.data().join("postmaster.pid").exists() {
            let mut stop = self.command("pg_ctl");
            stop.arg("-D").arg(self.data()).args(["-m", "immediate", "-w", "stop"]);
            if let Err(why) = stop.output().map_err(|e| e.to_string()).and_then(|o| {
                if o.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&o.stderr).into_owned()) }
            }) {
                eprintln!("`{}` failed: {why}", describe(&stop));
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
