//! The upload part of `cargo xtask bench`: a 1 GiB file through the tus endpoint (in the
//! chunks the server advertises to the portal) beside a plain `curl` upload of the same file
//! to the same server in one request, alternating, medians of three each; and the server's
//! peak memory after a small upload and after the large ones, which must not grow with size.

use super::server::{start_server, start_server_with_env};
use crate::http::request;
use crate::run::Result;
use crate::tools::cmd;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const ADDR: &str = "127.0.0.1:18182";
const LARGE: u64 = 1 << 30;
const SMALL: u64 = 64 << 20;
const ROUNDS: usize = 3;

/// The upload through the object store (`--object-store`, moto): tus in the advertised chunks,
/// each PATCH a part object, assembled at the end, beside `curl` putting the same file straight
/// into the same bucket.
pub struct S3UploadReport {
    pub size: u64,
    pub chunk: u64,
    pub tus_mib_s: f64,
    pub curl_mib_s: f64,
}

/// Smaller than `LARGE`: the S3 server (moto) keeps every object in its memory.
const S3_SIZE: u64 = 256 << 20;

pub struct UploadReport {
    pub size: u64,
    pub chunk: u64,
    pub tus_mib_s: f64,
    pub curl_mib_s: f64,
    pub peak_after_small_kib: u64,
    pub peak_after_large_kib: u64,
}

/// The bench's data directory (with its 1 GiB file), removed however the bench ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn peak_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

/// A file of `size` bytes that does not compress (xorshift), written once per bench.
fn make_file(path: &Path, size: u64) -> Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path).map_err(|e| e.to_string())?);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut block = vec![0u8; 1 << 20];
    let mut left = size;
    while left > 0 {
        for word in block.chunks_mut(8) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            word.copy_from_slice(&x.to_le_bytes()[..word.len()]);
        }
        let n = left.min(block.len() as u64) as usize;
        out.write_all(&block[..n]).map_err(|e| e.to_string())?;
        left -= n as u64;
    }
    out.flush().map_err(|e| e.to_string())
}

fn base64(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// Sends one raw request (head plus `len` bytes of `file` from `start`); answers status and headers.
fn raw(head: &str, file: Option<(&mut File, u64, u64)>) -> Result<(u16, String)> {
    let mut stream = TcpStream::connect(ADDR).map_err(|e| e.to_string())?;
    stream.write_all(head.as_bytes()).map_err(|e| e.to_string())?;
    if let Some((file, start, len)) = file {
        file.seek(SeekFrom::Start(start)).map_err(|e| e.to_string())?;
        std::io::copy(&mut file.take(len), &mut stream).map_err(|e| e.to_string())?;
    }
    let mut answer = String::new();
    stream.read_to_string(&mut answer).map_err(|e| e.to_string())?;
    let status = answer.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or("no status")?;
    Ok((status, answer))
}

fn header(answer: &str, name: &str) -> Option<String> {
    answer.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
    })
}

fn create(cookie: &str, case_id: &str, size: u64) -> Result<String> {
    let meta = format!(
        "filename {},filetype {},case_id {}",
        base64("bench.log"),
        base64("application/octet-stream"),
        base64(case_id)
    );
    let head = format!(
        "POST /api/v1/uploads HTTP/1.1\r\nHost: {ADDR}\r\nConnection: close\r\nCookie: {cookie}\r\n\
         X-Requested-With: bench\r\nTus-Resumable: 1.0.0\r\nUpload-Length: {size}\r\nUpload-Metadata: {meta}\r\n\r\n"
    );
    let (status, answer) = raw(&head, None)?;
    if status != 201 {
        return Err(format!("creating an upload answered {status}"));
    }
    header(&answer, "location").ok_or_else(|| "no Location".into())
}

/// The tus path: chunk after chunk, each a PATCH at the acknowledged offset.
fn tus_upload(cookie: &str, case_id: &str, path: &Path, size: u64, chunk: u64) -> Result<Duration> {
    let started = Instant::now();
    let location = create(cookie, case_id, size)?;
    let mut file = File::open(path).map_err(|e| e.to_string())?;
    let mut offset = 0;
    while offset < size {
        let len = chunk.min(size - offset);
        let head = format!(
            "PATCH {location} HTTP/1.1\r\nHost: {ADDR}\r\nConnection: close\r\nCookie: {cookie}\r\n\
             X-Requested-With: bench\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: {offset}\r\n\
             Content-Type: application/offset+octet-stream\r\nContent-Length: {len}\r\n\r\n"
        );
        let (status, answer) = raw(&head, Some((&mut file, offset, len)))?;
        if status != 204 {
            return Err(format!("PATCH at {offset} answered {status}"));
        }
        offset = header(&answer, "upload-offset").and_then(|v| v.parse().ok()).ok_or("no Upload-Offset")?;
    }
    Ok(started.elapsed())
}

/// The baseline: `curl` sending the whole file in one request to an upload of the same server.
fn curl_upload(cookie: &str, case_id: &str, path: &Path, size: u64) -> Result<Duration> {
    let started = Instant::now();
    let location = create(cookie, case_id, size)?;
    let out = cmd("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PATCH", "-T"])
        .arg(path)
        .args(["-H", "Tus-Resumable: 1.0.0", "-H", "Upload-Offset: 0", "-H", "Expect:"])
        .args(["-H", "Content-Type: application/offset+octet-stream", "-H", "X-Requested-With: bench"])
        .args(["-H", &format!("Cookie: {cookie}")])
        .arg(format!("http://{ADDR}{location}"))
        .output()
        .map_err(|e| format!("curl: {e}"))?;
    let code = String::from_utf8_lossy(&out.stdout).to_string();
    if code != "204" {
        return Err(format!("curl upload answered {code}"));
    }
    Ok(started.elapsed())
}

/// Ada's session cookie, an open case of hers, and the chunk size the server advertises.
fn session() -> Result<(String, String, u64)> {
    let login = r#"{"email":"ada@acme.example","password":"portal-demo"}"#;
    let answer = request(ADDR, "POST", "/api/v1/session", None, Some(login))?;
    let cookie = answer.header("set-cookie").and_then(|c| c.split(';').next()).ok_or("no session cookie")?.to_owned();
    let cases =
        request(ADDR, "GET", "/api/v1/accounts/acc_acme/cases?status=in_progress&limit=1", Some(&cookie), None)?;
    let case_id = serde_json::from_str::<serde_json::Value>(&cases.body)
        .ok()
        .and_then(|v| v["data"][0]["id"].as_str().map(str::to_owned))
        .ok_or("no open case")?;
    let config = request(ADDR, "GET", "/api/v1/config", Some(&cookie), None)?;
    let chunk = serde_json::from_str::<serde_json::Value>(&config.body)
        .ok()
        .and_then(|v| v["upload_chunk_size"].as_u64())
        .ok_or("no upload_chunk_size")?;
    Ok((cookie, case_id, chunk))
}

/// The baseline through the object store: `curl` putting the file into the bucket in one request.
fn curl_put(url: &str, path: &Path) -> Result<Duration> {
    let started = Instant::now();
    let out = cmd("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", "-T"])
        .arg(path)
        .args(["-H", "Expect:", url])
        .output()
        .map_err(|e| format!("curl: {e}"))?;
    let code = String::from_utf8_lossy(&out.stdout).to_string();
    if code != "200" {
        return Err(format!("curl PUT to the bucket answered {code}"));
    }
    Ok(started.elapsed())
}

pub fn upload_bench_s3() -> Result<S3UploadReport> {
    let data = std::env::temp_dir().join(format!("bird-bench-upload-s3-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
    let _scratch = Scratch(data.clone());
    let s3 = crate::s3::start()?;
    let bucket = s3.object_store_url().replacen('?', "/bench-upload?", 1);
    let args = ["--demo", "--object-store", &bucket];
    let server = start_server_with_env(ADDR, &data.join("server"), &args, &s3.env())?;
    let (cookie, case_id, chunk) = session()?;
    let file = data.join("s3.bin");
    make_file(&file, S3_SIZE)?;
    let mib = S3_SIZE as f64 / (1 << 20) as f64;
    let (mut tus, mut curl) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        curl.push(mib / curl_put(&s3.object_url(&format!("bench-curl/{round}")), &file)?.as_secs_f64());
        tus.push(mib / tus_upload(&cookie, &case_id, &file, S3_SIZE, chunk)?.as_secs_f64());
    }
    drop(server);
    Ok(S3UploadReport { size: S3_SIZE, chunk, tus_mib_s: median(tus), curl_mib_s: median(curl) })
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

pub fn upload_bench() -> Result<UploadReport> {
    let data = std::env::temp_dir().join(format!("bird-bench-upload-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
    let _scratch = Scratch(data.clone());
    let max = (2 * LARGE).to_string();
    let server = start_server(ADDR, &data.join("server"), &["--demo", "--upload-max-bytes", &max])?;
    let pid = server.0.id();
    let (cookie, case_id, chunk) = session()?;
    let attachments = data.join("server").join("attachments");
    let clear = || {
        // The bytes of finished runs are not needed; keep the disk from filling up.
        if let Ok(entries) = std::fs::read_dir(&attachments) {
            for entry in entries.flatten() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    };

    let small = data.join("small.bin");
    make_file(&small, SMALL)?;
    tus_upload(&cookie, &case_id, &small, SMALL, chunk)?;
    let peak_after_small_kib = peak_kib(pid);
    clear();

    let large = data.join("large.bin");
    make_file(&large, LARGE)?;
    let (mut tus, mut curl) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        curl.push(LARGE as f64 / (1 << 20) as f64 / curl_upload(&cookie, &case_id, &large, LARGE)?.as_secs_f64());
        clear();
        tus.push(LARGE as f64 / (1 << 20) as f64 / tus_upload(&cookie, &case_id, &large, LARGE, chunk)?.as_secs_f64());
        clear();
    }
    let peak_after_large_kib = peak_kib(pid);
    drop(server);
    Ok(UploadReport {
        size: LARGE,
        chunk,
        tus_mib_s: median(tus),
        curl_mib_s: median(curl),
        peak_after_small_kib,
        peak_after_large_kib,
    })
}
