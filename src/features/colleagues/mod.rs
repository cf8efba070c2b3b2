//! The people of a customer account (#20): the colleagues page (who they are, their role,
//! inviting, removing, leaving) and the page an emailed invitation opens.

mod controls;
mod invitation_page;
mod invitations;
mod invite_form;
mod page;
mod people;

pub use controls::{MemberControls, Viewer, controls_for};
pub use invitation_page::{AcceptInvitation, InvitationPage};
pub use page::ColleaguesPage;
pub use people::{ListedAccount, People};

use crate::core::i18n::Key;
use portal_contract::AccountRole;

/// "Admin" or "Member".
pub fn role_label(role: AccountRole) -> Key {
    match role {
        AccountRole::Admin => Key::AccountRoleAdmin,
        AccountRole::Member => Key::AccountRoleMember,
        AccountRole::Unknown => Key::AccountRoleUnknown,
    }
}
