//! What the receiving system's `Authentication-Results` header (RFC 8601) says about the
//! `From:` domain.
//!
//! Only the topmost header is read: each receiving system prepends its own, so the topmost is the
//! one added nearest to the relay, and any header a sender wrote into the message sits below
//! it. A forged `dmarc=pass` further down is therefore never believed.

/// One `method=result` clause with its `ptype.property=value` pairs, all lower-case.
#[derive(Debug, PartialEq, Eq)]
struct Clause {
    method: String,
    result: String,
    properties: Vec<(String, String)>,
}

impl Clause {
    fn property(&self, name: &str) -> Option<&str> {
        self.properties.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    fn passes(&self, method: &str) -> bool {
        self.method == method && self.result == "pass"
    }

    /// The domain that signed, from `header.d`, or from the domain part of `header.i`.
    fn signing_domain(&self) -> Option<&str> {
        self.property("header.d").or_else(|| self.property("header.i").and_then(|i| i.rsplit('@').next()))
    }
}

/// True when the header shows `dmarc=pass` for this From domain, or a `dkim=pass` whose signing
/// domain is aligned with it. `dmarc=pass` alone is enough because DMARC already required an
/// aligned SPF or DKIM pass; a `header.from` naming another domain is not about this message.
pub fn vouches_for(header: &str, from_domain: &str) -> bool {
    let clauses = clauses(header);
    let dmarc = clauses
        .iter()
        .any(|c| c.passes("dmarc") && c.property("header.from").is_none_or(|d| same_domain(d, from_domain)));
    dmarc || clauses.iter().any(|c| c.passes("dkim") && c.signing_domain().is_some_and(|d| aligned(d, from_domain)))
}

/// Relaxed alignment kept simple: the signer and the From domain are the same domain, or one is
/// a subdomain of the other (`acme.example` signing for `eu.acme.example`, or
/// `mail.acme.example` for `acme.example`). Without a public-suffix list sibling subdomains
/// (`mail.acme.example` for `eu.acme.example`) are not recognised as one organisation and are
/// refused, which errs on the safe side; a one-label signer (`example`) never aligns.
fn aligned(signer: &str, from_domain: &str) -> bool {
    let (signer, from) = (normal(signer), normal(from_domain));
    let (shorter, longer) = if signer.len() <= from.len() { (&signer, &from) } else { (&from, &signer) };
    shorter.contains('.') && (shorter == longer || longer.ends_with(&format!(".{shorter}")))
}

fn same_domain(a: &str, b: &str) -> bool {
    normal(a) == normal(b)
}

fn normal(domain: &str) -> String {
    domain.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// The result clauses of one header value; the authserv-id before the first `;` is skipped,
/// and `none` (nothing was checked) gives no clause.
fn clauses(header: &str) -> Vec<Clause> {
    let text = without_comments(header);
    split_outside_quotes(&text, ';').iter().skip(1).filter_map(|part| clause(part)).collect()
}

fn clause(part: &str) -> Option<Clause> {
    let pairs = pairs(&tokens(part));
    let ((method, result), properties) = pairs.split_first()?;
    // `dkim/1=pass`: a method may carry a version.
    let method = method.split('/').next().unwrap_or_default().to_owned();
    Some(Clause { method, result: result.clone(), properties: properties.to_vec() })
}

/// `key = value` triples of tokens as pairs; a token not followed by `=` (a version number) is
/// skipped. Keys are lower-cased, as are values, which here are results and domains.
fn pairs(tokens: &[String]) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        match (tokens.get(at + 1).map(String::as_str), tokens.get(at + 2)) {
            (Some("="), Some(value)) if tokens[at] != "=" => {
                pairs.push((tokens[at].to_ascii_lowercase(), value.to_ascii_lowercase()));
                at += 3;
            }
            _ => at += 1,
        }
    }
    pairs
}

/// Words, `=` on its own, and quoted strings (unquoted).
fn tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars();
    let flush = |current: &mut String, tokens: &mut Vec<String>| {
        if !current.is_empty() {
            tokens.push(std::mem::take(current));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                flush(&mut current, &mut tokens);
                let mut quoted = String::new();
                while let Some(q) = chars.next() {
                    match q {
                        '\\' => quoted.extend(chars.next()),
                        '"' => break,
                        _ => quoted.push(q),
                    }
                }
                tokens.push(quoted);
            }
            '=' => {
                flush(&mut current, &mut tokens);
                tokens.push("=".into());
            }
            c if c.is_whitespace() => flush(&mut current, &mut tokens),
            c => current.push(c),
        }
    }
    flush(&mut current, &mut tokens);
    tokens
}

/// The header with its (possibly nested) comments replaced by a space; quoted strings keep
/// their parentheses.
fn without_comments(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let (mut depth, mut quoted, mut escaped) = (0usize, false, false);
    for c in header.chars() {
        if escaped {
            escaped = false;
            if depth == 0 {
                out.push(c);
            }
            continue;
        }
        match c {
            '\\' if quoted || depth > 0 => {
                escaped = true;
                if depth == 0 {
                    out.push(c);
                }
            }
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(' ');
                }
            }
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn split_outside_quotes(text: &str, separator: char) -> Vec<&str> {
    let (mut parts, mut start, mut quoted, mut escaped) = (Vec::new(), 0, false, false);
    for (at, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c == separator && !quoted => {
                parts.push(&text[start..at]);
                start = at + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    const GMAIL_STYLE: &str = "mx.bird.example;\r\n       dkim=pass header.i=@acme.example header.s=s1 header.b=Ab/C+d=;\r\n       spf=pass (bird.example: domain of ada@acme.example designates 192.0.2.1 as permitted sender) smtp.mailfrom=ada@acme.example;\r\n       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=acme.example";

    #[test]
    fn reads_the_clauses_of_a_real_looking_header() {
        let found = clauses(GMAIL_STYLE);
        let summary: Vec<(&str, &str)> = found.iter().map(|c| (c.method.as_str(), c.result.as_str())).collect();
        assert_eq!(summary, [("dkim", "pass"), ("spf", "pass"), ("dmarc", "pass")]);
        assert_eq!(found[0].signing_domain(), Some("acme.example"));
        assert_eq!(found[2].property("header.from"), Some("acme.example"));
        assert!(vouches_for(GMAIL_STYLE, "acme.example"));
    }

    #[test]
    fn comments_and_quoted_strings_do_not_make_results() {
        let header = "mx.bird.example; spf=fail (but dkim=pass header.d=acme.example; dmarc=pass) \
                      reason=\"dmarc=pass; (dkim=pass)\" smtp.mailfrom=acme.example";
        assert_eq!(clauses(header).len(), 1);
        assert!(!vouches_for(header, "acme.example"));
    }

    #[test]
    fn dmarc_must_pass_for_the_from_domain() {
        assert!(vouches_for("mx; dmarc=pass", "acme.example"));
        assert!(vouches_for("mx; dmarc = pass header.from=ACME.example", "acme.example"));
        assert!(!vouches_for("mx; dmarc=pass header.from=evil.example", "acme.example"));
        assert!(!vouches_for("mx; dmarc=fail header.from=acme.example", "acme.example"));
        assert!(!vouches_for("mx; dmarc=none", "acme.example"));
        assert!(!vouches_for("mx; none", "acme.example"));
        // The authserv-id is not a result, whatever it looks like.
        assert!(!vouches_for("dmarc=pass", "acme.example"));
    }

    #[test]
    fn a_dkim_pass_counts_when_its_domain_is_aligned() {
        assert!(vouches_for("mx; dkim=pass header.d=acme.example; dmarc=none", "acme.example"));
        assert!(vouches_for("mx; dkim/1=pass header.i=ada@mail.acme.example; dmarc=fail", "acme.example"));
        assert!(!vouches_for("mx; dkim=pass header.d=evil.example; dmarc=none", "acme.example"));
        assert!(!vouches_for("mx; dkim=fail header.d=acme.example", "acme.example"));
        assert!(!vouches_for("mx; dkim=pass", "acme.example"));
    }

    #[test]
    fn alignment_is_same_domain_or_parent_and_child() {
        assert!(aligned("acme.example", "ACME.example."));
        assert!(aligned("acme.example", "eu.acme.example"));
        assert!(aligned("mail.acme.example", "acme.example"));
        assert!(!aligned("mail.acme.example", "eu.acme.example"));
        assert!(!aligned("example", "acme.example"));
        assert!(!aligned("notacme.example", "acme.example"));
        assert!(!aligned("acme.example.evil.example", "acme.example"));
    }
}
