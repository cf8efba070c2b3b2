//! Counting what the test runners report, for the one closing `N passed, N failed, N skipped`
//! line: cargo/libtest (native and wasm), Playwright's JSON report, a JUnit XML report
//! (schemathesis) and node's TAP output (the generated client).

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
    /// Ignored, skipped or to-do: reported, never silently dropped.
    pub skipped: u64,
}

impl Tally {
    /// Whether the runner ran anything at all: a layer that ran nothing proves nothing.
    pub fn ran_any(&self) -> bool {
        self.passed + self.failed > 0
    }
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
    }
}

fn number_before(text: &str, word: &str) -> Option<u64> {
    let at = text.find(word)?;
    text[..at].split_whitespace().last()?.parse().ok()
}

/// Sums every `test result: ok. 5 passed; 0 failed; 1 ignored; …` line of cargo test (native
/// or wasm), one per test binary.
pub fn cargo(output: &str) -> Tally {
    output.lines().filter_map(|l| l.trim().strip_prefix("test result: ")).fold(Tally::default(), |mut t, rest| {
        t.passed += number_before(rest, " passed").unwrap_or(0);
        t.failed += number_before(rest, " failed").unwrap_or(0);
        t.skipped += number_before(rest, " ignored").unwrap_or(0);
        t
    })
}

/// Reads Playwright's JSON report: `stats.expected` passed, `unexpected` + `flaky` failed.
pub fn playwright(report: &str) -> Option<Tally> {
    let json: serde_json::Value = serde_json::from_str(report).ok()?;
    let stats = json.get("stats")?;
    let n = |k: &str| stats.get(k).and_then(serde_json::Value::as_u64).unwrap_or(0);
    Some(Tally { passed: n("expected"), failed: n("unexpected") + n("flaky"), skipped: n("skipped") })
}

/// The value of `name="…"` in an XML start tag.
fn attribute(tag: &str, name: &str) -> Option<u64> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[start..].split('"').next()?.parse().ok()
}

/// Reads the totals of a JUnit XML report (`<testsuites tests=… failures=… errors=… skipped=…>`):
/// schemathesis writes one test case per API operation.
pub fn junit(report: &str) -> Option<Tally> {
    let start = report.find("<testsuites")?;
    let tag = &report[start..start + report[start..].find('>')?];
    let n = |name: &str| attribute(tag, name).unwrap_or(0);
    let failed = n("failures") + n("errors");
    let skipped = n("skipped");
    let passed = attribute(tag, "tests")?.checked_sub(failed + skipped)?;
    Some(Tally { passed, failed, skipped })
}

/// Reads the closing counts of `node --test` (TAP): `# pass`, `# fail`, `# cancelled`,
/// `# skipped`, `# todo`.
pub fn node_tap(output: &str) -> Option<Tally> {
    let count = |key: &str| {
        output.lines().rev().find_map(|l| l.trim().strip_prefix("# ")?.strip_prefix(key)?.trim().parse::<u64>().ok())
    };
    Some(Tally {
        passed: count("pass ")?,
        failed: count("fail ")? + count("cancelled ").unwrap_or(0),
        skipped: count("skipped ").unwrap_or(0) + count("todo ").unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test --no-fail-fast --tests` on a crate with an ignored unit test, an integration
    /// test binary with a pass, a failure and an ignored test, and one with no tests.
    const CARGO: &str = include_str!("../fixtures/cargo-test-no-fail-fast.txt");
    /// schemathesis's JUnit report of the document before it was made exact: 11 operations, 6 failing.
    const JUNIT: &str = include_str!("../fixtures/schemathesis-junit.xml");
    /// `node --test` with one pass, one failure, one skip and one to-do.
    const TAP: &str = include_str!("../fixtures/node-test-tap.txt");

    #[test]
    fn sums_every_binary_of_cargo_test_with_ignored_as_skipped() {
        assert_eq!(cargo(CARGO), Tally { passed: 2, failed: 1, skipped: 2 });
        assert_eq!(cargo("no tests here"), Tally::default());
        assert!(!cargo("running 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored; 0 measured").ran_any());
    }

    #[test]
    fn a_layer_of_ignored_tests_only_ran_nothing() {
        let all_ignored = "test result: ok. 0 passed; 0 failed; 4 ignored; 0 measured; 0 filtered out";
        assert_eq!(cargo(all_ignored), Tally { passed: 0, failed: 0, skipped: 4 });
        assert!(!cargo(all_ignored).ran_any());
    }

    #[test]
    fn reads_playwright_stats() {
        let report = r#"{"stats":{"expected":7,"unexpected":1,"flaky":1,"skipped":2}}"#;
        assert_eq!(playwright(report), Some(Tally { passed: 7, failed: 2, skipped: 2 }));
        assert_eq!(playwright("{"), None);
    }

    #[test]
    fn reads_junit_totals() {
        assert_eq!(junit(JUNIT), Some(Tally { passed: 5, failed: 6, skipped: 0 }));
        let counted = r#"<testsuites errors="1" failures="2" skipped="3" tests="34" time="22.4">"#;
        assert_eq!(junit(counted), Some(Tally { passed: 28, failed: 3, skipped: 3 }));
        assert_eq!(junit("<testsuites>"), None);
        assert_eq!(junit("not xml"), None);
    }

    #[test]
    fn reads_node_test_counts() {
        assert_eq!(node_tap(TAP), Some(Tally { passed: 1, failed: 1, skipped: 2 }));
        assert_eq!(node_tap("TAP version 13\n"), None);
    }
}
