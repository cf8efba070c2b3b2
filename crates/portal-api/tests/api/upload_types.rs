//! Which files an upload may be, over real HTTP: an allow-list of extensions each served as one
//! media type, names normalised before they are judged, and first bytes that must match the
//! type the name claims.

use crate::common;

use common::{ADA, Server, TUS, ada_case, create};
use reqwest::{Client, StatusCode};
use serde_json::Value;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

async fn patch(client: &Client, url: &str, offset: usize, bytes: &[u8]) -> reqwest::Response {
    client
        .patch(url)
        .header(TUS.0, TUS.1)
        .header("Upload-Offset", offset.to_string())
        .header("Content-Type", "application/offset+octet-stream")
        .body(bytes.to_vec())
        .send()
        .await
        .expect("PATCH")
}

/// Uploads `bytes` as `name` declared `declared` in one chunk; answers the finished attachment.
async fn uploaded(server: &Server, client: &Client, case_id: &str, name: &str, declared: &str, bytes: &[u8]) -> Value {
    let res = create(server, client, case_id, name, declared, bytes.len()).await;
    assert_eq!(res.status(), StatusCode::CREATED, "{name}: {}", res.text().await.unwrap_or_default());
    let url = server.url(res.headers()["location"].to_str().expect("location"));
    if !bytes.is_empty() {
        let res = patch(client, &url, 0, bytes).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{name}: {}", res.text().await.unwrap_or_default());
    }
    common::get_json(client, url).await.1["attachment"].clone()
}

async fn served_type(server: &Server, client: &Client, attachment: &Value) -> String {
    let id = attachment["id"].as_str().expect("attachment id");
    let res = client.get(server.url(&format!("/api/v1/attachments/{id}"))).send().await.expect("download");
    assert_eq!(res.status(), StatusCode::OK);
    res.headers()["content-type"].to_str().expect("ascii").to_owned()
}

#[tokio::test]
async fn a_log_chromium_declares_text_x_log_is_accepted_and_served_as_text_plain() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    let attachment = uploaded(&server, &ada, &case_id, "bounce.log", "text/x-log", b"550 5.1.1 user unknown\n").await;
    assert_eq!(attachment["file_name"], "bounce.log");
    assert_eq!(attachment["media_type"], "text/plain");
    assert_eq!(served_type(&server, &ada, &attachment).await, "text/plain");
}

#[tokio::test]
async fn the_declared_type_is_never_stored_or_served_the_extension_decides() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    let gif = uploaded(&server, &ada, &case_id, "shot.gif", "image/gif;x=<script>", b"GIF89a\x01\0\x01\0").await;
    assert_eq!(gif["media_type"], "image/gif");
    assert_eq!(served_type(&server, &ada, &gif).await, "image/gif", "no parameter survives");
    let eml = uploaded(&server, &ada, &case_id, "headers.eml", "text/html", b"Received: from mx\r\n").await;
    assert_eq!(served_type(&server, &ada, &eml).await, "message/rfc822");
    let har = uploaded(&server, &ada, &case_id, "session.HAR", "", b"{\"log\":{}}").await;
    assert_eq!(served_type(&server, &ada, &har).await, "application/json");
}

#[tokio::test]
async fn pages_scripts_and_executables_are_refused_whatever_they_are_declared_as() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    for name in
        ["run.exe.", "page.html.", "x.hta", "x.svgz", "x.xht", "x.shtml", "x.php", "evil\u{202E}gnp.exe", "notes"]
    {
        for declared in ["application/octet-stream", "text/plain", ""] {
            let res = create(&server, &ada, &case_id, name, declared, 10).await;
            assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{name:?} declared {declared:?}");
            let body: Value = res.json().await.expect("json");
            common::assert_error_shape(&body, "media_type_not_allowed");
            assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains(".log")), "{body}");
        }
    }
    assert_eq!(server.uploads_with_bytes().await, 0, "nothing was created for a refused file");
}

#[tokio::test]
async fn names_are_kept_without_trailing_dots_and_format_characters() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    for (raw, kept) in
        [("bounce.log. . ", "bounce.log"), ("\u{202E}gol.txt", "gol.txt"), ("a\u{200B}b\u{FEFF}.csv", "ab.csv")]
    {
        let attachment = uploaded(&server, &ada, &case_id, raw, "text/plain", b"ok").await;
        assert_eq!(attachment["file_name"], kept, "{raw:?}");
    }
}

#[tokio::test]
async fn config_advertises_the_extensions_the_media_types_flag_leaves() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let (_, config) = common::get_json(&ada, server.url("/api/v1/config")).await;
    let extensions: Vec<&str> =
        config["uploads"]["extensions"].as_array().expect("extensions").iter().filter_map(Value::as_str).collect();
    for accepted in
        [".log", ".txt", ".csv", ".eml", ".msg", ".har", ".json", ".xml", ".pdf", ".zip", ".gz", ".png", ".jpg"]
    {
        assert!(extensions.contains(&accepted), "{accepted} in {extensions:?}");
    }
    assert!(!extensions.iter().any(|e| [".html", ".svg", ".js", ".exe"].contains(e)), "{extensions:?}");

    let narrowed = common::start_with(|c| c.uploads.media_types = vec!["text/plain".into(), "image/*".into()]).await;
    let ada = narrowed.signed_in(ADA).await;
    let (_, config) = common::get_json(&ada, narrowed.url("/api/v1/config")).await;
    let extensions: Vec<&str> =
        config["uploads"]["extensions"].as_array().expect("extensions").iter().filter_map(Value::as_str).collect();
    assert!(extensions.contains(&".log") && extensions.contains(&".png") && extensions.contains(&".webp"));
    assert!(!extensions.contains(&".pdf") && !extensions.contains(&".eml"), "{extensions:?}");
    assert!(!config["uploads"]["media_types"].to_string().contains("application/pdf"), "{config}");
    let case_id = ada_case(&narrowed, &ada).await;
    let res = create(&narrowed, &ada, &case_id, "report.pdf", "application/pdf", 10).await;
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "on the list, but not on this server's");
}

#[tokio::test]
async fn a_png_that_is_not_a_png_is_refused_and_its_bytes_deleted() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    let page = b"<html><script>alert(document.cookie)</script></html>";
    let res = create(&server, &ada, &case_id, "screenshot.png", "image/png", page.len()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let url = server.url(res.headers()["location"].to_str().expect("location"));
    let res = patch(&ada, &url, 0, page).await;
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let body: Value = res.json().await.expect("json");
    common::assert_error_shape(&body, "file_content_mismatch");
    assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("not a PNG image")), "{body}");
    assert_eq!(server.uploads_with_bytes().await, 0, "the upload's bytes are deleted");
    let res = ada.head(&url).header(TUS.0, TUS.1).send().await.expect("HEAD");
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "the upload is ended");
    let (_, detail) = common::get_json(&ada, server.url(&format!("/api/v1/cases/{case_id}"))).await;
    assert!(!detail["attachments"].to_string().contains("screenshot.png"), "{}", detail["attachments"]);
}

#[tokio::test]
async fn first_bytes_split_across_chunks_are_judged_once_enough_have_arrived() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;

    let res = create(&server, &ada, &case_id, "good.png", "image/png", PNG.len()).await;
    let url = server.url(res.headers()["location"].to_str().expect("location"));
    assert_eq!(patch(&ada, &url, 0, &PNG[..3]).await.status(), StatusCode::NO_CONTENT, "3 bytes decide nothing");
    assert_eq!(patch(&ada, &url, 3, &PNG[3..]).await.status(), StatusCode::NO_CONTENT);
    let (_, state) = common::get_json(&ada, url).await;
    assert_eq!(state["attachment"]["media_type"], "image/png");

    let fake = b"\x89PNG\r\nXXXXXXXXXXXXX";
    let res = create(&server, &ada, &case_id, "fake.png", "image/png", fake.len()).await;
    let url = server.url(res.headers()["location"].to_str().expect("location"));
    assert_eq!(patch(&ada, &url, 0, &fake[..4]).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(server.uploads_with_bytes().await, 1);
    let res = patch(&ada, &url, 4, &fake[4..]).await;
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    common::assert_error_shape(&res.json().await.expect("json"), "file_content_mismatch");
    assert_eq!(server.uploads_with_bytes().await, 0, "the first chunk's bytes went too");
}

#[tokio::test]
async fn a_file_too_short_for_its_type_is_refused_when_it_is_created() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    for (name, length) in [("report.pdf", 3), ("empty.png", 0), ("tiny.webp", 11)] {
        let res = create(&server, &ada, &case_id, name, "", length).await;
        assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{name}");
        common::assert_error_shape(&res.json().await.expect("json"), "file_content_mismatch");
    }
    assert_eq!(server.uploads_with_bytes().await, 0);
}

#[tokio::test]
async fn every_format_with_a_signature_is_accepted_when_its_bytes_match() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    for (name, bytes, served) in [
        ("a.png", PNG, "image/png"),
        ("a.jpg", &b"\xFF\xD8\xFF\xE0\0\x10JFIF"[..], "image/jpeg"),
        ("a.gif", b"GIF87a\x01\0", "image/gif"),
        ("a.webp", b"RIFF\x24\0\0\0WEBPVP8 ", "image/webp"),
        ("a.pdf", b"%PDF-1.7\n", "application/pdf"),
        ("a.zip", b"PK\x03\x04\x14\0", "application/zip"),
        ("empty.zip", b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", "application/zip"),
        ("logs.tar.gz", b"\x1F\x8B\x08\0", "application/gzip"),
        ("logs.tgz", b"\x1F\x8B\x08\0", "application/gzip"),
        ("smtp.pcap", b"\xD4\xC3\xB2\xA1\x02\0\x04\0", "application/vnd.tcpdump.pcap"),
        ("mail.msg", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0", "application/vnd.ms-outlook"),
    ] {
        let attachment = uploaded(&server, &ada, &case_id, name, "application/octet-stream", bytes).await;
        assert_eq!(served_type(&server, &ada, &attachment).await, served, "{name}");
    }
}
