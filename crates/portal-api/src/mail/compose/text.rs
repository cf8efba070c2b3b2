//! The `text/plain` part: reads on its own, in any mail client, with every link written out.

use super::letter::{Block, FooterLine, Letter};

/// Line ends as the person typed them, one kind: `\n` (lettre writes CRLF on the wire).
fn lines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

pub fn render(letter: &Letter) -> String {
    let mut out = String::new();
    if let Some(marker) = letter.marker {
        out.push_str(marker);
        out.push_str("\n\n");
    }
    for paragraph in [&letter.greeting, &letter.lead] {
        out.push_str(&lines(paragraph));
        out.push_str("\n\n");
    }
    for block in &letter.blocks {
        match block {
            Block::Fields(fields) => {
                for (label, value) in fields {
                    out.push_str(&format!("{label}: {}\n", lines(value)));
                }
            }
            Block::Quote { label, text } => out.push_str(&format!("{label}:\n\n{}\n", lines(text).trim_end())),
            Block::Paragraph(text) => out.push_str(&format!("{}\n", lines(text))),
        }
        out.push('\n');
    }
    for action in &letter.actions {
        out.push_str(&format!("{}: {}\n", action.label, action.url));
    }
    if !letter.actions.is_empty() {
        out.push('\n');
    }
    for note in &letter.notes {
        out.push_str(&format!("{}\n\n", lines(note)));
    }
    // "-- " is the signature separator: mail clients grey out what follows and leave it out of a reply.
    out.push_str("-- \n");
    for line in &letter.footer {
        match line {
            FooterLine::Text(text) => out.push_str(&format!("{}\n", lines(text))),
            FooterLine::Link(link) => out.push_str(&format!("{}: {}\n", link.label, link.url)),
        }
    }
    out
}
