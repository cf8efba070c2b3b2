use portal_contract::{Role, SessionInfo};

/// Where `/` leads: a customer with one account goes straight to it; everyone else (a TAM's
/// book of accounts, a customer of several) to the list.
pub fn home_path(info: &SessionInfo) -> String {
    match (info.user.role, info.accounts.as_slice()) {
        (Role::Customer, [only]) => format!("/accounts/{}", only.id),
        _ => "/accounts".to_owned(),
    }
}

/// The page to return to after signing in, only if it is a path of this app: never another
/// origin (`//evil.example`, `/\evil`), never the sign-in page itself.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next?.trim();
    let rejected = !next.starts_with('/')
        || next.starts_with("//")
        || next.starts_with("/\\")
        || next.chars().any(char::is_control)
        || next == "/login"
        || next.starts_with("/login?");
    (!rejected).then(|| next.to_owned())
}

/// Path and query of the page on screen; the router gives the query without its `?`.
pub fn here(pathname: &str, search: &str) -> String {
    match search.trim_start_matches('?') {
        "" => pathname.to_owned(),
        query => format!("{pathname}?{query}"),
    }
}

/// The sign-in page, set to come back to `here` afterwards.
pub fn login_href(here: &str) -> String {
    match safe_next(Some(here)) {
        Some(next) if next != "/" => format!("/login?next={}", encode(&next)),
        _ => "/login".to_owned(),
    }
}

fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_contract::{SessionAccount, SessionUser};

    fn info(role: Role, accounts: &[&str]) -> SessionInfo {
        SessionInfo {
            user: SessionUser { id: "usr_1".into(), name: "N".into(), email: "n@x.example".into(), role },
            accounts: accounts
                .iter()
                .map(|a| SessionAccount { id: (*a).into(), name: a.to_string(), role: None })
                .collect(),
        }
    }

    #[test]
    fn home_depends_on_role_and_number_of_accounts() {
        assert_eq!(home_path(&info(Role::Customer, &["acc_acme"])), "/accounts/acc_acme");
        assert_eq!(home_path(&info(Role::Customer, &["a", "b"])), "/accounts");
        assert_eq!(home_path(&info(Role::Tam, &["acc_acme"])), "/accounts");
        assert_eq!(home_path(&info(Role::Customer, &[])), "/accounts");
    }

    #[test]
    fn next_stays_inside_the_app() {
        assert_eq!(safe_next(Some("/cases/case_1?x=1")), Some("/cases/case_1?x=1".into()));
        assert_eq!(safe_next(Some("//evil.example/")), None);
        assert_eq!(safe_next(Some("/\\evil.example")), None);
        assert_eq!(safe_next(Some("https://evil.example")), None);
        assert_eq!(safe_next(Some("javascript:alert(1)")), None);
        assert_eq!(safe_next(Some("/login?next=/x")), None);
        assert_eq!(safe_next(None), None);
    }

    #[test]
    fn here_joins_path_and_query() {
        assert_eq!(here("/accounts/a/cases", "status=new"), "/accounts/a/cases?status=new");
        assert_eq!(here("/accounts/a/cases", "?status=new"), "/accounts/a/cases?status=new");
        assert_eq!(here("/accounts", ""), "/accounts");
    }

    #[test]
    fn login_href_encodes_the_way_back() {
        assert_eq!(
            login_href("/accounts/acc_acme/cases?status=new"),
            "/login?next=/accounts/acc_acme/cases%3Fstatus%3Dnew"
        );
        assert_eq!(login_href("/"), "/login");
        assert_eq!(login_href("//evil"), "/login");
    }
}
