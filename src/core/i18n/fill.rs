/// Replaces each `{name}` in `template` by its value; unknown placeholders stay as they are,
/// so a missing argument shows up in review instead of vanishing.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn fills_named_placeholders() {
        assert_eq!(fill("Hello {name}, {n} cases", &[("name", "Ada"), ("n", "3")]), "Hello Ada, 3 cases");
    }

    #[test]
    fn values_are_not_re_expanded() {
        assert_eq!(fill("{a}", &[("a", "{b}"), ("b", "x")]), "{b}");
    }

    #[test]
    fn unknown_and_unclosed_placeholders_survive() {
        assert_eq!(fill("{x} and {y", &[]), "{x} and {y");
    }
}
