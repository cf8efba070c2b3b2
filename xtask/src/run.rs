//! Running commands: echoed first, so a log shows exactly what ran.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;

pub type Result<T> = std::result::Result<T, String>;

pub fn describe(cmd: &Command) -> String {
    let mut text = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Runs to completion with output passed through; an error unless it exits 0.
pub fn status(cmd: &mut Command) -> Result<()> {
    println!("$ {}", describe(cmd));
    let status = cmd.status().map_err(|e| format!("cannot start `{}`: {e}", describe(cmd)))?;
    if status.success() { Ok(()) } else { Err(format!("`{}` failed ({status})", describe(cmd))) }
}

/// The first line a command prints, or None when it cannot run.
pub fn first_line(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).stderr(Stdio::null()).output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).lines().next().map(|l| l.trim().to_owned())
}

/// Runs with output passed through line by line and also captured, for reading summaries.
/// Returns whether it succeeded and everything it printed.
pub fn tee(cmd: &mut Command) -> Result<(bool, String)> {
    println!("$ {}", describe(cmd));
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start `{}`: {e}", describe(cmd)))?;
    let (tx, rx) = mpsc::channel::<(bool, String)>();
    let pipe = |stream: Box<dyn Read + Send>, is_err: bool, tx: mpsc::Sender<(bool, String)>| {
        thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(std::result::Result::ok) {
                let _ = tx.send((is_err, line));
            }
        })
    };
    let mut readers = Vec::new();
    if let Some(out) = child.stdout.take() {
        readers.push(pipe(Box::new(out), false, tx.clone()));
    }
    if let Some(err) = child.stderr.take() {
        readers.push(pipe(Box::new(err), true, tx.clone()));
    }
    drop(tx);
    let mut captured = String::new();
    for (is_err, line) in rx {
        if is_err {
            eprintln!("{line}")
        } else {
            println!("{line}")
        }
        captured.push_str(&line);
        captured.push('\n');
    }
    for reader in readers {
        let _ = reader.join();
    }
    let status = child.wait().map_err(|e| format!("waiting for `{}`: {e}", describe(cmd)))?;
    Ok((status.success(), captured))
}

pub fn in_dir(program: &str, dir: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(dir);
    cmd
}
