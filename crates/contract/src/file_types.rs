//! Which files a case takes: an allow-list of extensions, each stored and served as exactly one
//! media type, and the first bytes a file of that type must start with where its format has a
//! signature. The portal checks a file with these before sending a byte; the API checks again.
//!
//! Architecture Invariant: the type a client declares (tus `filetype`, the browser's
//! `File.type`) decides nothing. What is stored and served is the media type of the extension,
//! without parameters, and only extensions on this list are accepted at all: no HTML, SVG,
//! scripts or executables, whatever they are declared as.

use crate::limits::FILE_NAME_MAX;

/// The first bytes a format starts with: one of `alternatives`, each a list of
/// `(offset, bytes)` parts that must all be there.
#[derive(Debug, PartialEq, Eq)]
pub struct Signature {
    /// The format in words, for messages: "a PNG image".
    pub format: &'static str,
    alternatives: &'static [&'static [(usize, &'static [u8])]],
}

/// What the first bytes of a file say about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentCheck {
    Matches,
    Mismatch,
    /// Not decided yet: this many first bytes are needed.
    NeedMore(usize),
}

impl Signature {
    fn end(parts: &[(usize, &[u8])]) -> usize {
        parts.iter().map(|(offset, bytes)| offset + bytes.len()).max().unwrap_or(0)
    }

    /// How many first bytes decide whether a file has this signature.
    pub fn needed(&self) -> usize {
        self.alternatives.iter().map(|parts| Self::end(parts)).max().unwrap_or(0)
    }

    /// The fewest bytes a file with this signature can have.
    pub fn shortest(&self) -> usize {
        self.alternatives.iter().map(|parts| Self::end(parts)).min().unwrap_or(0)
    }

    /// Judges `head`, the first bytes of a file; `whole` says `head` is the entire file, so
    /// nothing more will come.
    pub fn check(&self, head: &[u8], whole: bool) -> ContentCheck {
        let matches = |parts: &&[(usize, &[u8])]| {
            parts.iter().all(|(offset, bytes)| head.get(*offset..offset + bytes.len()) == Some(*bytes))
        };
        if self.alternatives.iter().any(matches) {
            ContentCheck::Matches
        } else if whole || head.len() >= self.needed() {
            ContentCheck::Mismatch
        } else {
            ContentCheck::NeedMore(self.needed())
        }
    }
}

/// One accepted kind of file.
#[derive(Debug, PartialEq, Eq)]
pub struct FileType {
    /// Lower case, without the dot.
    pub extension: &'static str,
    /// The one media type files with this extension are stored and served as.
    pub media_type: &'static str,
    pub signature: Option<&'static Signature>,
}

const PNG: Signature = Signature { format: "a PNG image", alternatives: &[&[(0, b"\x89PNG\r\n\x1a\n")]] };
const JPEG: Signature = Signature { format: "a JPEG image", alternatives: &[&[(0, b"\xFF\xD8\xFF")]] };
const GIF: Signature = Signature { format: "a GIF image", alternatives: &[&[(0, b"GIF87a")], &[(0, b"GIF89a")]] };
const WEBP: Signature = Signature { format: "a WebP image", alternatives: &[&[(0, b"RIFF"), (8, b"WEBP")]] };
const PDF: Signature = Signature { format: "a PDF document", alternatives: &[&[(0, b"%PDF-")]] };
/// A local file header, or the end record that is all an empty archive has.
const ZIP: Signature =
    Signature { format: "a ZIP archive", alternatives: &[&[(0, b"PK\x03\x04")], &[(0, b"PK\x05\x06")]] };
const OOXML: Signature = Signature { format: "an Office document", alternatives: &[&[(0, b"PK\x03\x04")]] };
const GZIP: Signature = Signature { format: "a gzip archive", alternatives: &[&[(0, b"\x1F\x8B")]] };
/// Outlook's `.msg` is an OLE compound file.
const OLE: Signature =
    Signature { format: "an Outlook message", alternatives: &[&[(0, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")]] };
/// Microsecond and nanosecond captures, in either byte order.
const PCAP: Signature = Signature {
    format: "a packet capture (pcap)",
    alternatives: &[
        &[(0, b"\xD4\xC3\xB2\xA1")],
        &[(0, b"\xA1\xB2\xC3\xD4")],
        &[(0, b"\x4D\x3C\xB2\xA1")],
        &[(0, b"\xA1\xB2\x3C\x4D")],
    ],
};
const PCAPNG: Signature =
    Signature { format: "a packet capture (pcapng)", alternatives: &[&[(0, b"\x0A\x0D\x0D\x0A")]] };

const fn text(extension: &'static str, media_type: &'static str) -> FileType {
    FileType { extension, media_type, signature: None }
}

const fn signed(extension: &'static str, media_type: &'static str, signature: &'static Signature) -> FileType {
    FileType { extension, media_type, signature: Some(signature) }
}

/// What a mail-support case needs: logs and configuration, messages and mailboxes, exports,
/// documents, archives, screenshots and packet captures.
pub const FILE_TYPES: &[FileType] = &[
    text("log", "text/plain"),
    text("txt", "text/plain"),
    text("conf", "text/plain"),
    text("cfg", "text/plain"),
    text("ini", "text/plain"),
    text("md", "text/markdown"),
    text("csv", "text/csv"),
    text("eml", "message/rfc822"),
    text("mbox", "application/mbox"),
    signed("msg", "application/vnd.ms-outlook", &OLE),
    text("har", "application/json"),
    text("json", "application/json"),
    text("xml", "application/xml"),
    text("yaml", "application/yaml"),
    text("yml", "application/yaml"),
    signed("pdf", "application/pdf", &PDF),
    signed("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", &OOXML),
    signed("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &OOXML),
    signed("zip", "application/zip", &ZIP),
    signed("gz", "application/gzip", &GZIP),
    signed("tgz", "application/gzip", &GZIP),
    signed("png", "image/png", &PNG),
    signed("jpg", "image/jpeg", &JPEG),
    signed("jpeg", "image/jpeg", &JPEG),
    signed("gif", "image/gif", &GIF),
    signed("webp", "image/webp", &WEBP),
    signed("pcap", "application/vnd.tcpdump.pcap", &PCAP),
    signed("pcapng", "application/x-pcapng", &PCAPNG),
];

/// Unicode format characters (category Cf, Unicode 15): bidi overrides and isolates, zero-width
/// characters, the byte order mark and the like. They change how a name looks, never what it
/// is, so `evil\u{202E}gnp.exe` (shown as `evilexe.png`) is judged as `evilgnp.exe`.
fn is_format(c: char) -> bool {
    matches!(
        u32::from(c),
        0xAD | 0x600..=0x605
            | 0x61C
            | 0x6DD
            | 0x70F
            | 0x890..=0x891
            | 0x8E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    )
}

fn is_edge_junk(c: char) -> bool {
    c == '.' || c.is_whitespace()
}

/// The name a file is judged and kept by: its last path component, without control and format
/// characters or line separators, without leading and trailing dots and spaces (Windows drops
/// trailing ones when saving, so `run.exe.` would be saved as `run.exe`), and at most
/// `FILE_NAME_MAX` characters with the extension kept. May be empty.
pub fn normalise_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let kept: String =
        last.chars().filter(|c| !c.is_control() && !is_format(*c) && !matches!(c, '\u{2028}' | '\u{2029}')).collect();
    shorten(kept.trim_matches(is_edge_junk))
}

fn shorten(name: &str) -> String {
    if name.chars().count() <= FILE_NAME_MAX {
        return name.to_owned();
    }
    let extension = name.rsplit_once('.').map(|(_, e)| e).filter(|e| e.chars().count() < 16).unwrap_or("");
    let room = FILE_NAME_MAX - if extension.is_empty() { 0 } else { extension.chars().count() + 1 };
    let stem: String = name.chars().take(room).collect();
    let stem = stem.trim_end_matches(is_edge_junk);
    if extension.is_empty() { stem.to_owned() } else { format!("{stem}.{extension}") }
}

/// The extension of a name as it stands (normalise it first): after the last dot, lower case.
pub fn extension_of(file_name: &str) -> Option<String> {
    let (stem, extension) = file_name.rsplit_once('.')?;
    (!stem.is_empty() && !extension.is_empty()).then(|| extension.to_lowercase())
}

/// The accepted type of a file by its name (normalised here), if it is on the list at all.
pub fn file_type_of(file_name: &str) -> Option<&'static FileType> {
    let extension = extension_of(&normalise_file_name(file_name))?;
    FILE_TYPES.iter().find(|t| t.extension == extension)
}

/// The media type a stored file is served as: its extension's, or a plain download for a name
/// not on the list (kept from before the list existed).
pub fn served_media_type(file_name: &str) -> &'static str {
    file_type_of(file_name).map_or("application/octet-stream", |t| t.media_type)
}

/// Whether `media_type` is selected by `pattern`: the same type, `family/*`, or `*/*`.
pub fn media_type_matches(pattern: &str, media_type: &str) -> bool {
    let pattern = pattern.trim().to_ascii_lowercase();
    if pattern == "*/*" {
        return true;
    }
    match pattern.strip_suffix("/*") {
        Some(family) => media_type.split('/').next() == Some(family),
        None => pattern == media_type,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_trailing_dots_spaces_and_format_characters() {
        assert_eq!(normalise_file_name("run.exe."), "run.exe");
        assert_eq!(normalise_file_name("page.html. . "), "page.html");
        assert_eq!(normalise_file_name("evil\u{202E}gnp.exe"), "evilgnp.exe");
        assert_eq!(normalise_file_name("\u{FEFF}a\u{200B}b\u{2066}c\u{2069}.log\u{200F}"), "abc.log");
        assert_eq!(normalise_file_name("x\u{E0041}.log\u{AD}"), "x.log");
        assert_eq!(normalise_file_name("C:\\logs\\..\\bounce.log"), "bounce.log");
        assert_eq!(normalise_file_name("../.hidden.txt"), "hidden.txt");
        assert_eq!(normalise_file_name("a\u{0}b\r\n\u{2028}c.txt"), "abc.txt");
        assert_eq!(normalise_file_name(" . "), "");
        assert_eq!(normalise_file_name("<img src=x onerror=alert(1)>.log"), "<img src=x onerror=alert(1)>.log");
    }

    #[test]
    fn long_names_keep_their_extension() {
        let long = format!("{}.log", "x".repeat(400));
        let kept = normalise_file_name(&long);
        assert_eq!(kept.chars().count(), FILE_NAME_MAX);
        assert!(kept.ends_with("x.log"), "{kept}");
        assert_eq!(normalise_file_name(&"y".repeat(400)).chars().count(), FILE_NAME_MAX);
    }

    #[test]
    fn the_extension_decides_and_case_does_not_matter() {
        assert_eq!(file_type_of("bounce.log").map(|t| t.media_type), Some("text/plain"));
        assert_eq!(file_type_of("Capture.PNG").map(|t| t.media_type), Some("image/png"));
        assert_eq!(file_type_of("headers.eml").map(|t| t.media_type), Some("message/rfc822"));
        assert_eq!(file_type_of("trace.har").map(|t| t.media_type), Some("application/json"));
        assert_eq!(file_type_of("logs.tar.gz").map(|t| t.media_type), Some("application/gzip"));
        assert_eq!(file_type_of("bounce.log.").map(|t| t.extension), Some("log"));
    }

    #[test]
    fn pages_scripts_and_executables_are_not_on_the_list() {
        for name in [
            "run.exe.",
            "page.html.",
            "page.htm",
            "x.hta",
            "x.svg",
            "x.svgz",
            "x.xht",
            "x.xhtml",
            "x.shtml",
            "x.php",
            "x.js",
            "x.bat",
            "evil\u{202E}gnp.exe",
            "photo.png\u{200B}.exe",
            "README",
            ".log",
            "archive.",
        ] {
            assert_eq!(file_type_of(name), None, "{name:?}");
        }
    }

    #[test]
    fn every_extension_is_listed_once_in_lower_case_with_a_plain_media_type() {
        for (i, t) in FILE_TYPES.iter().enumerate() {
            assert_eq!(t.extension, t.extension.to_ascii_lowercase());
            assert!(!t.media_type.contains([';', ' ']) && t.media_type.contains('/'), "{}", t.media_type);
            assert!(FILE_TYPES[..i].iter().all(|o| o.extension != t.extension), "{} twice", t.extension);
        }
    }

    #[test]
    fn unknown_names_are_served_as_plain_downloads() {
        assert_eq!(served_media_type("old.bin"), "application/octet-stream");
        assert_eq!(served_media_type("page.html"), "application/octet-stream");
        assert_eq!(served_media_type("bounce.log"), "text/plain");
    }

    #[test]
    fn signatures_decide_on_the_first_bytes() {
        let png = file_type_of("a.png").and_then(|t| t.signature).expect("png has a signature");
        assert_eq!(png.check(b"\x89PNG\r\n\x1a\n rest", false), ContentCheck::Matches);
        assert_eq!(png.check(b"\x89PN", false), ContentCheck::NeedMore(8));
        assert_eq!(png.check(b"\x89PN", true), ContentCheck::Mismatch, "a whole file that short is no PNG");
        assert_eq!(png.check(b"<html><script>", false), ContentCheck::Mismatch);
        let gif = file_type_of("a.gif").and_then(|t| t.signature).expect("gif");
        assert_eq!(gif.check(b"GIF87a", true), ContentCheck::Matches);
        assert_eq!(gif.check(b"GIF89a;", false), ContentCheck::Matches);
        let zip = file_type_of("a.zip").and_then(|t| t.signature).expect("zip");
        assert_eq!(zip.check(b"PK\x05\x06\0\0", true), ContentCheck::Matches, "an empty archive");
        let webp = file_type_of("a.webp").and_then(|t| t.signature).expect("webp");
        assert_eq!(webp.check(b"RIFF\x10\0\0\0WEBPVP8 ", false), ContentCheck::Matches);
        assert_eq!(webp.check(b"RIFF\x10\0\0\0WAVEfmt ", false), ContentCheck::Mismatch);
        assert_eq!(webp.needed(), 12);
        let jpeg = file_type_of("a.JPEG").and_then(|t| t.signature).expect("jpeg");
        assert_eq!(jpeg.check(b"\xFF\xD8\xFF\xE0", false), ContentCheck::Matches);
        assert_eq!(file_type_of("a.log").and_then(|t| t.signature), None);
    }

    #[test]
    fn media_type_patterns_select_types_or_families() {
        assert!(media_type_matches("text/plain", "text/plain"));
        assert!(media_type_matches(" Image/* ", "image/png"));
        assert!(!media_type_matches("image/*", "imagex/png"));
        assert!(!media_type_matches("text/plain", "text/csv"));
        assert!(media_type_matches("*/*", "application/pdf"));
    }
}
