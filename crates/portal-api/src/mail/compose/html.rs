//! The `text/html` part: simple, accessible markup with inline styles only (mail clients drop
//! style sheets), no images, no script. Every string is escaped, ours and people's alike, so no
//! value can become markup whatever it holds.

use super::letter::{Block, FooterLine, Letter, Link};

/// `text` as HTML text or attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escaped, with the person's line breaks kept as `<br>` (some clients ignore `pre-wrap`).
fn paragraphs(text: &str) -> String {
    escape(text.replace("\r\n", "\n").trim_end()).replace('\n', "<br>\n")
}

const BODY: &str = "margin:0;padding:0;background-color:#ffffff;";
const PAGE: &str = "max-width:640px;margin:0 auto;padding:24px;font-family:Helvetica,Arial,sans-serif;\
    font-size:16px;line-height:1.5;color:#1f2328;";
const P: &str = "margin:0 0 16px;";
const MARKER: &str = "margin:0 0 24px;font-size:12px;color:#59636e;";
const TABLE: &str = "border-collapse:collapse;margin:0 0 16px;";
const TH: &str = "text-align:left;vertical-align:top;padding:2px 16px 2px 0;font-weight:600;";
const TD: &str = "vertical-align:top;padding:2px 0;";
const LABEL: &str = "margin:0 0 4px;font-weight:600;";
const QUOTE: &str = "margin:0 0 16px;padding:8px 16px;border-left:4px solid #d1d9e0;background-color:#f6f8fa;";
const BUTTON: &str = "display:inline-block;margin:0 8px 8px 0;padding:10px 16px;background-color:#0b5cad;\
    color:#ffffff;text-decoration:underline;border-radius:6px;font-weight:600;";
const RULE: &str = "border:0;border-top:1px solid #d1d9e0;margin:32px 0 16px;";
const SMALL: &str = "margin:0 0 8px;font-size:13px;color:#59636e;";
const SMALL_LINK: &str = "color:#0b5cad;";

fn link(link: &Link, style: &str) -> String {
    format!("<a href=\"{}\" style=\"{style}\">{}</a>", escape(&link.url), escape(&link.label))
}

fn block(block: &Block) -> String {
    match block {
        Block::Fields(fields) => {
            let rows: String = fields
                .iter()
                .map(|(label, value)| {
                    format!(
                        "<tr><th scope=\"row\" style=\"{TH}\">{}</th><td style=\"{TD}\">{}</td></tr>\n",
                        escape(label),
                        paragraphs(value)
                    )
                })
                .collect();
            format!("<table style=\"{TABLE}\">\n{rows}</table>\n")
        }
        Block::Quote { label, text } => format!(
            "<p style=\"{LABEL}\">{}</p>\n<blockquote style=\"{QUOTE}\">{}</blockquote>\n",
            escape(label),
            paragraphs(text)
        ),
        Block::Paragraph(text) => format!("<p style=\"{P}\">{}</p>\n", paragraphs(text)),
    }
}

pub fn render(letter: &Letter) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n</head>\n\
         <body style=\"{BODY}\">\n<div style=\"{PAGE}\">\n",
        letter.lang,
        escape(&letter.subject)
    );
    if let Some(marker) = letter.marker {
        out.push_str(&format!("<p style=\"{MARKER}\">{}</p>\n", escape(marker)));
    }
    for paragraph in [&letter.greeting, &letter.lead] {
        out.push_str(&format!("<p style=\"{P}\">{}</p>\n", paragraphs(paragraph)));
    }
    out.extend(letter.blocks.iter().map(block));
    if !letter.actions.is_empty() {
        let links: Vec<String> = letter.actions.iter().map(|a| link(a, BUTTON)).collect();
        out.push_str(&format!("<p style=\"{P}\">{}</p>\n", links.join("\n")));
    }
    for note in &letter.notes {
        out.push_str(&format!("<p style=\"{P}\">{}</p>\n", paragraphs(note)));
    }
    out.push_str(&format!("<hr style=\"{RULE}\">\n"));
    for line in &letter.footer {
        let inner = match line {
            FooterLine::Text(text) => paragraphs(text),
            FooterLine::Link(l) => link(l, SMALL_LINK),
        };
        out.push_str(&format!("<p style=\"{SMALL}\">{inner}</p>\n"));
    }
    out.push_str("</div>\n</body>\n</html>\n");
    out
}
