//! Simulated customers at once, each listing cases, reading one and replying, and uploading.

use super::percentile;
use crate::http::{request, request_with};
use crate::run::Result;
use std::time::{Duration, Instant};

/// Many simulated customers at once, each reading the list, a case, and replying.
pub struct Load {
    pub clients: usize,
    pub seconds: u64,
    pub requests: usize,
    pub errors: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

impl Load {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.seconds.max(1) as f64
    }

    pub fn summary(&self) -> String {
        format!(
            "{} clients for {} s: {} requests ({:.0} req/s), {} errors, p50 {:.1} ms, p99 {:.1} ms",
            self.clients,
            self.seconds,
            self.requests,
            self.per_second(),
            self.errors,
            self.p50_ms,
            self.p99_ms
        )
    }
}

const LOAD_CLIENTS: usize = 8;
const LOAD_SECONDS: u64 = 10;

/// One small tus upload; the time of each of its two requests.
fn upload(addr: &str, cookie: &str, case: &str) -> Result<[f64; 2]> {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let body = vec![b'x'; 64 * 1024];
    let meta = format!("filename {},filetype {},case_id {}", b64("load.log"), b64("text/plain"), b64(case));
    let length = body.len().to_string();
    let created = request_with(
        addr,
        "POST",
        "/api/v1/uploads",
        Some(cookie),
        &[("Tus-Resumable", "1.0.0"), ("Upload-Length", &length), ("Upload-Metadata", &meta)],
        &[],
    )?;
    let location = created
        .header("location")
        .filter(|_| created.status == 201)
        .ok_or_else(|| format!("upload creation answered {}", created.status))?
        .to_owned();
    let patched = request_with(
        addr,
        "PATCH",
        &location,
        Some(cookie),
        &[("Tus-Resumable", "1.0.0"), ("Upload-Offset", "0"), ("Content-Type", "application/offset+octet-stream")],
        &body,
    )?;
    if patched.status != 204 {
        return Err(format!("upload PATCH answered {}", patched.status));
    }
    Ok([created.elapsed.as_secs_f64() * 1000.0, patched.elapsed.as_secs_f64() * 1000.0])
}

/// The load on the API at `addr` (one server, or a proxy in front of several).
pub fn load(addr: &str, cookie: &str, case_ids: &[String]) -> Load {
    let deadline = Instant::now() + Duration::from_secs(LOAD_SECONDS);
    let handles: Vec<_> = (0..LOAD_CLIENTS)
        .map(|n| {
            let (addr, cookie) = (addr.to_owned(), cookie.to_owned());
            let cases = case_ids.to_vec();
            std::thread::spawn(move || {
                let (mut ms, mut errors, mut reasons, mut i) = (Vec::new(), 0usize, Vec::<String>::new(), n);
                while Instant::now() < deadline {
                    i += 1;
                    let case = &cases[i % cases.len()];
                    let reply = format!(r#"{{"body":"load reply {n}-{i}"}}"#);
                    let steps = [
                        ("GET", "/api/v1/accounts/acc_umbrella/cases?limit=25".to_owned(), None),
                        ("GET", format!("/api/v1/cases/{case}"), None),
                        ("POST", format!("/api/v1/cases/{case}/messages"), Some(reply)),
                    ];
                    for (method, path, body) in steps {
                        match request(&addr, method, &path, Some(&cookie), body.as_deref()) {
                            Ok(a) if a.status < 300 => ms.push(a.elapsed.as_secs_f64() * 1000.0),
                            Ok(a) => {
                                errors += 1;
                                reasons.push(format!("{method} answered {}", a.status));
                            }
                            Err(why) => {
                                errors += 1;
                                reasons.push(why);
                            }
                        }
                    }
                    // Every fifth round the customer also uploads a 64 KiB log (create + one chunk),
                    // spread over all the cases: `case` itself would be every tenth case only, and
                    // a fast run then meets the files-per-case limit (422), which is not load.
                    if i % 5 == 0 {
                        match upload(&addr, &cookie, &cases[(i / 5) % cases.len()]) {
                            Ok(times) => ms.extend(times),
                            Err(why) => {
                                errors += 1;
                                reasons.push(why);
                            }
                        }
                    }
                }
                (ms, errors, reasons)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    let mut reasons = std::collections::BTreeMap::<String, usize>::new();
    for h in handles {
        if let Ok((ms, e, why)) = h.join() {
            all.extend(ms);
            errors += e;
            for r in why {
                *reasons.entry(r).or_default() += 1;
            }
        }
    }
    // A figure with errors must say which, or the next person starts where this one did.
    for (why, n) in &reasons {
        eprintln!("load error ×{n}: {why}");
    }
    all.sort_by(f64::total_cmp);
    Load {
        clients: LOAD_CLIENTS,
        seconds: LOAD_SECONDS,
        requests: all.len() + errors,
        errors,
        p50_ms: percentile(&all, 0.5),
        p99_ms: percentile(&all, 0.99),
    }
}
