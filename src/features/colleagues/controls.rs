//! Which controls the colleagues page offers whom, asked of `portal_contract::rules`: the same
//! functions the API's handlers ask, so the page never offers what the API would refuse.

use portal_contract::{AccountRole, Member, Role, SessionAccount, UserId, rules};

/// The person looking at the page, as far as the account's people are concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Viewer {
    pub id: UserId,
    pub role: Role,
    /// Their role on this account; none for Bird's side.
    pub account_role: Option<AccountRole>,
}

impl Viewer {
    /// `accounts` are the session's; the account's entry there says the viewer's role on it.
    pub fn new(id: UserId, role: Role, accounts: &[SessionAccount], account: &portal_contract::AccountId) -> Self {
        let account_role = accounts.iter().find(|a| &a.id == account).and_then(|a| a.role);
        Viewer { id, role, account_role }
    }

    /// Invites colleagues, withdraws invitations, changes roles and removes colleagues.
    pub fn manages(&self) -> bool {
        rules::may_manage_members(self.role, self.account_role).is_ok()
    }
}

/// What the viewer may do to one person of the list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemberControls {
    /// Take a colleague off the account.
    pub remove: bool,
    /// Make a member an admin, or an admin a member.
    pub change_role: bool,
    /// The viewer's own row: leave the account.
    pub leave: bool,
}

pub fn controls_for(viewer: &Viewer, member: &Member) -> MemberControls {
    let myself = member.id == viewer.id;
    MemberControls {
        remove: !myself && rules::may_remove_member(viewer.role, viewer.account_role, false).is_ok(),
        change_role: !myself && viewer.manages(),
        leave: myself && rules::may_remove_member(viewer.role, viewer.account_role, true).is_ok(),
    }
}

/// Whether `member` may take role `next` (`None`: leave or be removed) and the account still
/// keep an admin.
pub fn keeps_an_admin(members: &[Member], member: &Member, next: Option<AccountRole>) -> bool {
    let admins = members.iter().filter(|m| m.role == AccountRole::Admin).count();
    rules::check_admin_kept(member.role, next, admins).is_ok()
}

/// The role a change of role gives: the other one.
pub fn other_role(role: AccountRole) -> AccountRole {
    match role {
        AccountRole::Admin => AccountRole::Member,
        _ => AccountRole::Admin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn member(id: &str, role: AccountRole) -> Member {
        Member {
            id: id.into(),
            name: id.into(),
            email: format!("{id}@acme.example"),
            role,
            joined_at: DateTime::default(),
        }
    }

    fn viewer(id: &str, role: Role, account_role: Option<AccountRole>) -> Viewer {
        Viewer { id: id.into(), role, account_role }
    }

    const NONE: MemberControls = MemberControls { remove: false, change_role: false, leave: false };

    #[test]
    fn an_admin_manages_others_and_may_leave() {
        let ada = viewer("ada", Role::Customer, Some(AccountRole::Admin));
        assert!(ada.manages());
        let others = MemberControls { remove: true, change_role: true, leave: false };
        assert_eq!(controls_for(&ada, &member("grace", AccountRole::Member)), others);
        assert_eq!(controls_for(&ada, &member("ada", AccountRole::Admin)), MemberControls { leave: true, ..NONE });
    }

    #[test]
    fn a_member_only_leaves() {
        let grace = viewer("grace", Role::Customer, Some(AccountRole::Member));
        assert!(!grace.manages());
        assert_eq!(controls_for(&grace, &member("ada", AccountRole::Admin)), NONE);
        assert_eq!(controls_for(&grace, &member("grace", AccountRole::Member)), MemberControls { leave: true, ..NONE });
    }

    #[test]
    fn bird_side_sees_the_list_without_controls() {
        for role in [Role::Tam, Role::Agent] {
            let bird = viewer("tess", role, None);
            assert!(!bird.manages(), "{role:?}");
            assert_eq!(controls_for(&bird, &member("ada", AccountRole::Admin)), NONE, "{role:?}");
            assert_eq!(controls_for(&bird, &member("tess", AccountRole::Member)), NONE, "{role:?}");
        }
    }

    #[test]
    fn the_viewers_role_comes_from_the_sessions_account() {
        let accounts = vec![
            SessionAccount { id: "acc_acme".into(), name: "Acme".into(), role: Some(AccountRole::Admin) },
            SessionAccount { id: "acc_globex".into(), name: "Globex".into(), role: Some(AccountRole::Member) },
        ];
        let on = |account: &str| Viewer::new("ada".into(), Role::Customer, &accounts, &account.into()).account_role;
        assert_eq!(on("acc_acme"), Some(AccountRole::Admin));
        assert_eq!(on("acc_globex"), Some(AccountRole::Member));
        assert_eq!(on("acc_initech"), None);
    }

    #[test]
    fn the_last_admin_stays_an_admin() {
        let (ada, grace) = (member("ada", AccountRole::Admin), member("grace", AccountRole::Member));
        let one_admin = [ada.clone(), grace.clone()];
        assert!(!keeps_an_admin(&one_admin, &ada, None), "may not leave");
        assert!(!keeps_an_admin(&one_admin, &ada, Some(AccountRole::Member)), "may not step down");
        assert!(keeps_an_admin(&one_admin, &grace, None), "a member leaves freely");
        let two_admins = [ada.clone(), member("grace", AccountRole::Admin)];
        assert!(keeps_an_admin(&two_admins, &ada, None));
        assert_eq!(other_role(AccountRole::Admin), AccountRole::Member);
        assert_eq!(other_role(AccountRole::Member), AccountRole::Admin);
    }
}
