//! The words of a reply by email: what the person wrote above the history their mail client
//! quoted.
//!
//! Every notification carries a "reply above this line" marker, but people reply from clients
//! that quote in their own ways and add their own lines, so a reply is cut at the first of:
//! - a marker, in any of the notifications' languages ([`REPLY_MARKERS`]);
//! - the attribution line a client writes above the quote: Gmail's and Apple Mail's "On …,
//!   … wrote:" (Gmail wraps it over two lines when the address is long), in Italian
//!   "Il giorno … ha scritto:" or "Il …, alle ore …, … ha scritto:";
//! - Outlook's "-----Original Message-----" rule, its line of underscores, and its
//!   "From: / Sent: / To: / Subject:" block (Italian "Da: / Inviato: / A: / Oggetto:");
//! - the signature delimiter `-- ` (RFC 3676).
//!
//! Then `>`-quoted lines, blank lines and a client's sign-off ("Sent from my iPhone",
//! "Inviato da iPhone") are taken off the end. An HTML-only reply is cut at the element its
//! client puts the quote in (Gmail's `gmail_quote`, Outlook's `divRplyFwdMsg`, Apple Mail's
//! `blockquote`) and turned into lines of text before the same rules apply.

use mail_parser::decoders::html::html_to_text;

/// The markers notifications carry above the message they quote, one per language (a person may
/// change language between two emails), from the composer that writes them. A reply is what
/// stands above the first one.
pub use super::compose::REPLY_MARKERS;

/// How an attribution line begins and ends, in English and Italian ("On … wrote:",
/// "Il giorno … ha scritto:").
const ATTRIBUTION_OPENINGS: &[&str] = &["on ", "il "];
const ATTRIBUTION_ENDINGS: &[&str] = &["wrote:", "ha scritto:"];

/// The lines a client may wrap one attribution over.
const ATTRIBUTION_LINES: usize = 3;

/// Outlook's rule above a quoted message: `-----Original Message-----`.
const ORIGINAL_MESSAGE: &[&str] = &["original message", "messaggio originale"];

/// The fields of the header block Outlook writes above a quoted message, and how many lines
/// below `From:` the others may be.
const FROM_FIELDS: &[&str] = &["from:", "da:"];
const DATE_FIELDS: &[&str] = &["sent:", "date:", "inviato:", "data:"];
const SUBJECT_FIELDS: &[&str] = &["subject:", "oggetto:"];
const HEADER_BLOCK_LINES: usize = 5;

/// Outlook's separator: a line of underscores (32 of them, fewer when a client rewraps it).
const UNDERSCORE_RULE_MIN: usize = 20;

/// What mobile and desktop clients add below a reply by default.
const SIGN_OFFS: &[&str] = &[
    "sent from my ",
    "sent from outlook",
    "sent from mail for windows",
    "sent from yahoo mail",
    "get outlook for ",
    "inviato da iphone",
    "inviato da ipad",
    "inviato dal mio ",
    "inviato da outlook",
    "scarica outlook per ",
];

/// A sign-off is a short line; a longer one starting the same way is the person's own words.
const SIGN_OFF_MAX: usize = 60;

/// Where clients put the quoted message in an HTML reply: an element whose tag or attributes
/// hold one of these (lower case). The reply is what comes before that element.
const QUOTE_CONTAINERS: &[&str] = &[
    "<blockquote",
    "gmail_quote",
    "divrplyfwdmsg",
    "appendonsend",
    "mail-editor-reference-message-container",
    "moz-cite-prefix",
    "yahoo_quoted",
];

/// Elements that start a new line when an HTML reply is read as text (`<br>` and `</p>`
/// already do).
const BLOCK_ELEMENTS: &[&str] =
    &["div", "hr", "blockquote", "table", "tr", "ul", "ol", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6"];

/// The words of a plain-text reply above the quoted history, trimmed; empty when there are
/// none.
pub fn above_quote(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let before_marker = REPLY_MARKERS.iter().filter_map(|m| text.find(m)).min().map_or(text.as_str(), |at| &text[..at]);
    let lines: Vec<&str> = before_marker.lines().collect();
    let end = (0..lines.len()).find(|&at| starts_quote(&lines, at)).unwrap_or(lines.len());
    let mut kept = lines[..end].to_vec();
    while let Some(last) = kept.last() {
        let trimmed = last.trim();
        if trimmed.is_empty() || trimmed.starts_with('>') || is_sign_off(trimmed) {
            kept.pop();
        } else {
            break;
        }
    }
    tidy(&kept)
}

/// The words of an HTML-only reply above the quoted history, as text.
pub fn html_above_quote(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let quote = QUOTE_CONTAINERS
        .iter()
        .filter_map(|needle| lower.find(needle))
        .min()
        .map(|at| lower[..=at].rfind('<').unwrap_or(at));
    let reply = &html[..quote.unwrap_or(html.len())];
    above_quote(&html_to_text(&with_line_breaks(reply)))
}

/// Whether the quoted history (or a signature) starts at line `at`.
fn starts_quote(lines: &[&str], at: usize) -> bool {
    let line = lines[at].trim();
    let signature = lines[at] == "-- " || line == "--";
    let rule = line.len() >= UNDERSCORE_RULE_MIN && line.chars().all(|c| c == '_');
    let original =
        line.starts_with("-----") && ORIGINAL_MESSAGE.contains(&line.trim_matches('-').trim().to_lowercase().as_str());
    signature || rule || original || is_attribution(&lines[at..]) || is_header_block(&lines[at..])
}

/// "On Mon, 2 Dec 2026 at 10:00, Bird <…> wrote:" starting the first line, possibly wrapped
/// over the next; it always names a date, so it has a digit.
fn is_attribution(lines: &[&str]) -> bool {
    let Some(first) = lines.first() else { return false };
    if !starts_with_any(first.trim(), ATTRIBUTION_OPENINGS) {
        return false;
    }
    let mut joined = String::new();
    for line in lines.iter().take(ATTRIBUTION_LINES).map(|l| l.trim()).take_while(|l| !l.is_empty()) {
        joined.push_str(line);
        let lower = joined.to_lowercase();
        if ATTRIBUTION_ENDINGS.iter().any(|e| lower.ends_with(e)) {
            return joined.chars().any(|c| c.is_ascii_digit());
        }
        joined.push(' ');
    }
    false
}

/// "From: …" followed closely by "Sent: …" and "Subject: …" (bold in Outlook's plain text as
/// `*From:*`).
fn is_header_block(lines: &[&str]) -> bool {
    let field = |line: &&str, names: &[&str]| starts_with_any(line.trim().trim_start_matches('*'), names);
    let Some((first, rest)) = lines.split_first() else { return false };
    let near = &rest[..rest.len().min(HEADER_BLOCK_LINES)];
    field(first, FROM_FIELDS)
        && near.iter().any(|l| field(l, DATE_FIELDS))
        && near.iter().any(|l| field(l, SUBJECT_FIELDS))
}

fn is_sign_off(line: &str) -> bool {
    line.chars().count() <= SIGN_OFF_MAX && starts_with_any(line, SIGN_OFFS)
}

fn starts_with_any(line: &str, lower_prefixes: &[&str]) -> bool {
    let lower = line.to_lowercase();
    lower_prefixes.iter().any(|p| lower.starts_with(p))
}

/// The lines with their trailing spaces off and at most one blank line in a row, trimmed.
fn tidy(lines: &[&str]) -> String {
    let mut out: Vec<&str> = Vec::with_capacity(lines.len());
    for line in lines.iter().map(|l| l.trim_end()) {
        if !(line.is_empty() && out.last().is_some_and(|l| l.is_empty())) {
            out.push(line);
        }
    }
    out.join("\n").trim().to_owned()
}

/// The HTML with a `<br>` before each block element, so that what a browser shows on its own
/// line is a line of the text too.
fn with_line_breaks(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut copied = 0;
    for (at, _) in lower.match_indices('<') {
        let name: String = lower[at + 1..].chars().take_while(char::is_ascii_alphanumeric).collect();
        if BLOCK_ELEMENTS.contains(&name.as_str()) {
            out.push_str(&html[copied..at]);
            out.push_str("<br>");
            copied = at;
        }
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests;
