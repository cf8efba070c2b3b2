//! What one email says, already in its reader's language and not yet in any format: `text.rs`
//! writes it as plain text and `html.rs` as HTML, so both parts always say the same.

/// A link with words that say where it goes.
#[derive(Clone, Debug)]
pub struct Link {
    pub label: String,
    pub url: String,
}

/// A part of the body between the lead and the actions.
#[derive(Clone, Debug)]
pub enum Block {
    /// Labelled values, one a line ("Severity: High").
    Fields(Vec<(String, String)>),
    /// A person's own words (a message, a summary, a reason), under a label.
    Quote {
        label: String,
        text: String,
    },
    Paragraph(String),
}

#[derive(Clone, Debug)]
pub enum FooterLine {
    Text(String),
    Link(Link),
}

#[derive(Clone, Debug)]
pub struct Letter {
    /// The `lang` of the HTML part.
    pub lang: &'static str,
    pub subject: String,
    /// The "reply above this line" marker, on emails a reply to is read.
    pub marker: Option<&'static str>,
    pub greeting: String,
    pub lead: String,
    pub blocks: Vec<Block>,
    /// What the reader can do, most important first.
    pub actions: Vec<Link>,
    /// Said after the actions.
    pub notes: Vec<String>,
    pub footer: Vec<FooterLine>,
}
