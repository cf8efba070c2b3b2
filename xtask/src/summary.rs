//! Counting what the test runners report, for the one closing `N passed, N failed` line.

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

fn number_before(text: &str, word: &str) -> Option<u64> {
    let at = text.find(word)?;
    text[..at].split_whitespace().last()?.parse().ok()
}

/// Sums every `test result: ok. 5 passed; 0 failed; …` line of cargo test (native or wasm).
pub fn cargo(output: &str) -> Tally {
    output.lines().filter_map(|l| l.trim().strip_prefix("test result: ")).fold(Tally::default(), |mut t, rest| {
        t.passed += number_before(rest, " passed").unwrap_or(0);
        t.failed += number_before(rest, " failed").unwrap_or(0);
        t
    })
}

/// Reads Playwright's JSON report: `stats.expected` passed, `unexpected` + `flaky` failed.
pub fn playwright(report: &str) -> Option<Tally> {
    let json: serde_json::Value = serde_json::from_str(report).ok()?;
    let stats = json.get("stats")?;
    let n = |k: &str| stats.get(k).and_then(serde_json::Value::as_u64).unwrap_or(0);
    Some(Tally { passed: n("expected"), failed: n("unexpected") + n("flaky") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_every_cargo_result_line() {
        let out = "running 2 tests\ntest result: ok. 2 passed; 0 failed; 0 ignored\n\
                   test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured\n";
        assert_eq!(cargo(out), Tally { passed: 5, failed: 1 });
        assert_eq!(cargo("no tests here"), Tally::default());
    }

    #[test]
    fn reads_playwright_stats() {
        let report = r#"{"stats":{"expected":7,"unexpected":1,"flaky":1,"skipped":2}}"#;
        assert_eq!(playwright(report), Some(Tally { passed: 7, failed: 2 }));
        assert_eq!(playwright("{"), None);
    }
}
