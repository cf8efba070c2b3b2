//! A mutation fuzzer over the decoding of API answers, run for a fixed number of iterations in
//! every test run: valid answers of each type have bytes flipped, inserted, deleted, duplicated
//! and spliced between documents, and every result is fed to every decoder. It is not
//! coverage-guided (cargo-fuzz needs a nightly compiler this machine does not have); it is
//! deterministic, so a failure names its iteration and reproduces.

mod answers;

use answers::each_answer;
use portal_contract::*;
use serde::de::DeserializeOwned;

const ITERATIONS: u32 = 30_000;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

const SEEDS: &[&str] = &[
    r#"{"user":{"id":"usr_ada","name":"Ada","email":"ada@acme.example","role":"customer"},"accounts":[{"id":"acc_acme","name":"Acme Mail"}]}"#,
    r#"{"data":[{"id":"case_1","number":"CASE-1","account_id":"acc_acme","kind":"problem","topic":null,"severity":"high","subject":"s","description":"d","channel":"portal","requester":{"id":"u","name":"A","role":"customer"},"agent":null,"status":"new","created_at":"2026-11-20T09:00:00Z","updated_at":"2026-11-20T09:00:00Z","first_response_at":null,"escalated_at":null}],"next_cursor":"abc"}"#,
    r#"{"id":"case_1","number":"CASE-1","account_id":"acc_acme","kind":"problem","severity":"high","subject":"s","description":"d","channel":"email","requester":{"id":"u","name":"A","role":"customer"},"status":"waiting_on_customer","created_at":"2026-11-20T09:00:00Z","updated_at":"2026-11-20T09:00:00Z","timeline":[{"id":"e","kind":"attachment_added","author":{"id":"u","name":"A","role":"agent"},"created_at":"2026-11-20T09:00:00Z","attachments":[{"id":"att","case_id":"case_1","file_name":"a.log","media_type":"text/plain","size":3,"sha256":"ab","uploaded_by":{"id":"u","name":"A","role":"customer"},"uploaded_at":"2026-11-20T09:00:00Z"}]}],"information_requests":[{"id":"ir","case_id":"case_1","title":"t","description":"d","files_expected":true,"status":"open","raised_by":{"id":"u","name":"A","role":"agent"},"created_at":"2026-11-20T09:00:00Z"}]}"#,
    r#"{"id":"acc_acme","name":"Acme","plan":"Premium","tam":{"id":"tam_tess","name":"Tess","email":"t@b","phone":"+39","time_zone":"Europe/Rome","available_now":true,"next_available_at":null},"counts":{"open":1,"new":1,"in_progress":0,"waiting_on_customer":0,"resolution_proposed":0,"resolved":0,"escalated":0,"open_information_requests":0}}"#,
    r#"{"error":{"type":"invalid_request","code":"validation_failed","message":"m","request_id":"req_1","details":[{"param":"subject","message":"must not be empty","code":"required"}]}}"#,
    r#"{"severities":[{"severity":"critical","first_response_minutes":60}],"reopen_window_days":14,"uploads":{"max_size":10,"media_types":["text/plain"],"files_per_case":3},"upload_chunk_size":1024}"#,
    r#"{"offset":3,"length":3,"attachment":null}"#,
    r#"{"data":[{"id":"case_1","number":"CASE-1","kind":"problem","severity":"high","subject":"s","channel":"portal","status":"new","agent":"Alex","created_at":"2026-11-20T09:00:00Z","updated_at":"2026-11-20T09:00:00Z","escalated":false}],"complete":true}"#,
];

fn decode_all(bytes: &[u8]) {
    fn one<T: DeserializeOwned>(bytes: &[u8]) {
        let _ = serde_json::from_slice::<T>(bytes);
    }
    each_answer!(one, bytes);
}

fn mutate(rng: &mut Rng, input: &mut Vec<u8>) {
    const INTERESTING: &[&[u8]] =
        &[b"null", b"\"unknown_value\"", b"-1", b"1e999", b"[]", b"{}", b"\"\\u0000\"", b"18446744073709551616"];
    for _ in 0..=rng.below(4) {
        let at = rng.below(input.len() + 1);
        match rng.below(6) {
            0 if !input.is_empty() => {
                let i = at.min(input.len() - 1);
                input[i] ^= 1 << rng.below(8);
            }
            1 => input.insert(at, rng.next() as u8),
            2 if at < input.len() => {
                let end = (at + 1 + rng.below(16)).min(input.len());
                input.drain(at..end);
            }
            3 => {
                let token = INTERESTING[rng.below(INTERESTING.len())];
                input.splice(at..at, token.iter().copied());
            }
            4 if at < input.len() => {
                let end = (at + 1 + rng.below(64)).min(input.len());
                let copy: Vec<u8> = input[at..end].to_vec();
                input.splice(at..at, copy);
            }
            _ => {
                let other = SEEDS[rng.below(SEEDS.len())].as_bytes();
                let from = rng.below(other.len());
                input.truncate(at);
                input.extend_from_slice(&other[from..]);
            }
        }
    }
}

#[test]
fn mutated_answers_never_panic_a_decoder() {
    let mut rng = Rng(0x5EED_B1AD_0000_0001);
    for iteration in 0..ITERATIONS {
        let mut input = SEEDS[iteration as usize % SEEDS.len()].as_bytes().to_vec();
        mutate(&mut rng, &mut input);
        let outcome = std::panic::catch_unwind(|| decode_all(&input));
        assert!(outcome.is_ok(), "iteration {iteration} panicked on {:?}", String::from_utf8_lossy(&input));
    }
}

#[test]
fn every_seed_is_a_valid_answer() {
    assert!(serde_json::from_str::<SessionInfo>(SEEDS[0]).is_ok());
    assert!(serde_json::from_str::<Page<Case>>(SEEDS[1]).is_ok());
    assert!(serde_json::from_str::<CaseDetail>(SEEDS[2]).is_ok());
    assert!(serde_json::from_str::<AccountOverview>(SEEDS[3]).is_ok());
    assert!(serde_json::from_str::<ErrorBody>(SEEDS[4]).is_ok());
    assert!(serde_json::from_str::<PortalConfig>(SEEDS[5]).is_ok());
    assert!(serde_json::from_str::<UploadState>(SEEDS[6]).is_ok());
    assert!(serde_json::from_str::<CaseIndex>(SEEDS[7]).is_ok());
}
