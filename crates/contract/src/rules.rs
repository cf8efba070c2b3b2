//! Who may do what to a case in which status: the one place these rules live. The API
//! enforces them; the portal offers only what they allow. Each answers `Ok` or why not: the
//! role may never do it (the API's 403), or not in this state of the case (409).

use crate::case::{CaseDetail, CaseStatus, EventKind};
use crate::session::{AccountRole, Role};
use chrono::{DateTime, Utc};

wire_enum!(
    /// Something a person can do to a case that changes where it stands.
    CaseAction {
        ProposeResolution => "propose_resolution",
        ConfirmResolution => "confirm_resolution",
        DeclineResolution => "decline_resolution",
        Reopen => "reopen",
        Rate => "rate",
        Escalate => "escalate",
        AcknowledgeEscalation => "acknowledge_escalation",
    }
);

/// The two parties of the terms: the customer and Bird (its agents and TAMs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Customer,
    Bird,
}

impl Side {
    pub fn of(role: Role) -> Option<Side> {
        match role {
            Role::Customer => Some(Side::Customer),
            Role::Agent | Role::Tam => Some(Side::Bird),
            Role::System | Role::Unknown => None,
        }
    }
}

/// Why an action is refused: the role may never do it (403), or not now (409).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    NotYourRole,
    NotNow,
}

/// What the rules need to know about a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaseState {
    pub status: CaseStatus,
    /// Who proposed the pending resolution, while one is pending.
    pub proposed_by: Option<Side>,
    pub escalated: bool,
    /// The TAM has acknowledged the escalation.
    pub acknowledged: bool,
    pub rated: bool,
    /// Whether "now" is still inside the reopen window of a resolved case.
    pub reopen_window_open: bool,
}

impl CaseDetail {
    /// What the transition rules need to know, at `now`.
    pub fn rule_state(&self, now: DateTime<Utc>) -> CaseState {
        CaseState {
            status: self.case.status,
            proposed_by: self
                .resolution
                .as_ref()
                .filter(|r| r.confirmed_at.is_none())
                .and_then(|r| Side::of(r.proposed_by.role)),
            escalated: self.case.escalated_at.is_some(),
            acknowledged: self.case.escalation_acknowledged_at.is_some(),
            rated: self.satisfaction.is_some(),
            reopen_window_open: self.reopen_until.is_some_and(|until| now < until),
        }
    }
}

fn is_open_for_work(status: CaseStatus) -> bool {
    matches!(status, CaseStatus::New | CaseStatus::InProgress | CaseStatus::WaitingOnCustomer)
}

/// Whether `role` may do `action` to a case in `state`.
pub fn check(action: CaseAction, role: Role, state: CaseState) -> Result<(), Refusal> {
    use CaseAction::*;
    let side = Side::of(role).ok_or(Refusal::NotYourRole)?;
    let role_ok = match action {
        // The terms: the customer and the assigned support agent agree; the TAM is the
        // escalation point, not a party to the agreement.
        ProposeResolution | ConfirmResolution | DeclineResolution => matches!(role, Role::Customer | Role::Agent),
        Reopen | Rate | Escalate => role == Role::Customer,
        AcknowledgeEscalation => role == Role::Tam,
        Unknown => false,
    };
    if !role_ok {
        return Err(Refusal::NotYourRole);
    }
    let now_ok = match action {
        ProposeResolution => is_open_for_work(state.status),
        // Neither side closes a case alone: only the other side answers a proposal.
        ConfirmResolution | DeclineResolution => {
            if state.status != CaseStatus::ResolutionProposed {
                false
            } else if state.proposed_by == Some(side) {
                return Err(Refusal::NotYourRole);
            } else {
                true
            }
        }
        Reopen => state.status == CaseStatus::Resolved && state.reopen_window_open,
        Rate => state.status == CaseStatus::Resolved && !state.rated,
        Escalate => state.status.is_open() && !state.escalated,
        AcknowledgeEscalation => state.escalated && !state.acknowledged && state.status.is_open(),
        Unknown => false,
    };
    if now_ok { Ok(()) } else { Err(Refusal::NotNow) }
}

/// Every action `role` may take now, in the order a page offers them.
pub fn allowed(role: Role, state: CaseState) -> Vec<CaseAction> {
    CaseAction::ALL.iter().copied().filter(|a| check(*a, role, state).is_ok()).collect()
}

/// Whether `role` may ask the customer for information on a case in `status`: support agents,
/// while the case is being worked on.
pub fn check_raise_request(role: Role, status: CaseStatus) -> Result<(), Refusal> {
    if role != Role::Agent {
        Err(Refusal::NotYourRole)
    } else if is_open_for_work(status) {
        Ok(())
    } else {
        Err(Refusal::NotNow)
    }
}

/// Whether `role` may answer a request that is `open` on a case in `status`: the customer,
/// once, while the case is not resolved.
pub fn check_answer_request(role: Role, status: CaseStatus, request_open: bool) -> Result<(), Refusal> {
    if role != Role::Customer {
        Err(Refusal::NotYourRole)
    } else if request_open && status.is_open() {
        Ok(())
    } else {
        Err(Refusal::NotNow)
    }
}

/// Whether `role` may open a case on an account it belongs to: the customer's people; Bird's
/// side works on cases customers open (or that arrive by email).
pub fn may_open_case(role: Role) -> Result<(), Refusal> {
    if role == Role::Customer { Ok(()) } else { Err(Refusal::NotYourRole) }
}

/// Whether `role` may post `kind` on a case's timeline: a message from either side, a progress
/// update from Bird's side (agents and the TAM) only. Any status takes them: following up on a
/// resolved case is not reopening it, which stays the customer's own decision. Every other
/// kind of event is the record of an action, never posted as such.
pub fn may_post(role: Role, kind: EventKind) -> Result<(), Refusal> {
    let side = Side::of(role).ok_or(Refusal::NotYourRole)?;
    match kind {
        EventKind::Message => Ok(()),
        EventKind::ProgressUpdate if side == Side::Bird => Ok(()),
        _ => Err(Refusal::NotYourRole),
    }
}

/// Whether `role` may add files to a case in `status`: anyone who may see the case (the
/// customer, its TAM, an agent), while it is not resolved; a resolved case is reopened first.
pub fn may_attach(role: Role, status: CaseStatus) -> Result<(), Refusal> {
    Side::of(role).ok_or(Refusal::NotYourRole)?;
    if status.is_open() { Ok(()) } else { Err(Refusal::NotNow) }
}

/// Whether `role` may change a TAM's business hours: Bird's support agents, who plan them.
pub fn may_set_tam_hours(role: Role) -> Result<(), Refusal> {
    if role == Role::Agent { Ok(()) } else { Err(Refusal::NotYourRole) }
}

/// Whether `role` may read the state of the notification queue (`GET /outbox`): Bird's
/// support agents, who answer for the emails the portal sends.
pub fn may_read_outbox(role: Role) -> Result<(), Refusal> {
    if role == Role::Agent { Ok(()) } else { Err(Refusal::NotYourRole) }
}

/// Where a case goes after its information requests changed: waiting on the customer while any
/// is open, back to Bird when the last one is answered. Other statuses are left alone.
pub fn status_for_requests(current: CaseStatus, open_requests: usize) -> CaseStatus {
    match current {
        CaseStatus::New | CaseStatus::InProgress if open_requests > 0 => CaseStatus::WaitingOnCustomer,
        CaseStatus::WaitingOnCustomer if open_requests == 0 => CaseStatus::InProgress,
        other => other,
    }
}

/// Where the case goes when the action succeeds.
pub fn next_status(action: CaseAction, current: CaseStatus) -> CaseStatus {
    match action {
        CaseAction::ProposeResolution => CaseStatus::ResolutionProposed,
        CaseAction::ConfirmResolution => CaseStatus::Resolved,
        CaseAction::DeclineResolution | CaseAction::Reopen => CaseStatus::InProgress,
        CaseAction::Rate | CaseAction::Escalate | CaseAction::AcknowledgeEscalation | CaseAction::Unknown => current,
    }
}

/// Whether a person may invite colleagues to an account and change their roles: its admins.
/// `account_role` is the caller's role on that account (none for Bird's side).
pub fn may_manage_members(role: Role, account_role: Option<AccountRole>) -> Result<(), Refusal> {
    if role == Role::Customer && account_role == Some(AccountRole::Admin) { Ok(()) } else { Err(Refusal::NotYourRole) }
}

/// Whether a person may take someone off an account: its admins anybody, every member themself
/// (leaving).
pub fn may_remove_member(role: Role, account_role: Option<AccountRole>, removing_self: bool) -> Result<(), Refusal> {
    if role == Role::Customer && account_role.is_some() && removing_self {
        Ok(())
    } else {
        may_manage_members(role, account_role)
    }
}

/// Whether a person whose role is `current` may become `next` (`None`: leave the account) when
/// the account has `admins` admins: an account always keeps one.
pub fn check_admin_kept(current: AccountRole, next: Option<AccountRole>, admins: usize) -> Result<(), Refusal> {
    if current == AccountRole::Admin && next != Some(AccountRole::Admin) && admins <= 1 {
        Err(Refusal::NotNow)
    } else {
        Ok(())
    }
}

/// Whether `role` may add colleagues to a case of an account it belongs to, or take them off:
/// the customer's people. Bird's side sees participants but does not choose them.
pub fn may_change_participants(role: Role) -> Result<(), Refusal> {
    if role == Role::Customer { Ok(()) } else { Err(Refusal::NotYourRole) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseAction::*;

    fn state(status: CaseStatus) -> CaseState {
        CaseState {
            status,
            proposed_by: None,
            escalated: false,
            acknowledged: false,
            rated: false,
            reopen_window_open: true,
        }
    }

    /// Every (status, role, action) with who proposed, and the expected answer.
    #[test]
    fn the_whole_table() {
        use CaseStatus::*;
        let roles = [Role::Customer, Role::Agent, Role::Tam];
        for status in CaseStatus::ALL.iter().copied() {
            for proposer in [None, Some(Side::Customer), Some(Side::Bird)] {
                for role in roles {
                    for action in CaseAction::ALL.iter().copied() {
                        let s = CaseState { proposed_by: proposer, ..state(status) };
                        let got = check(action, role, s);
                        let party = matches!(role, Role::Customer | Role::Agent);
                        let expected = match action {
                            ProposeResolution if !party => Err(Refusal::NotYourRole),
                            ProposeResolution if matches!(status, New | InProgress | WaitingOnCustomer) => Ok(()),
                            ProposeResolution => Err(Refusal::NotNow),
                            ConfirmResolution | DeclineResolution if !party => Err(Refusal::NotYourRole),
                            ConfirmResolution | DeclineResolution if status != ResolutionProposed => {
                                Err(Refusal::NotNow)
                            }
                            ConfirmResolution | DeclineResolution if proposer == Side::of(role) => {
                                Err(Refusal::NotYourRole)
                            }
                            ConfirmResolution | DeclineResolution => Ok(()),
                            Reopen | Rate | Escalate if role != Role::Customer => Err(Refusal::NotYourRole),
                            Reopen | Rate if status == Resolved => Ok(()),
                            Reopen | Rate => Err(Refusal::NotNow),
                            Escalate if status != Resolved => Ok(()),
                            Escalate => Err(Refusal::NotNow),
                            // Nothing in this table is escalated.
                            AcknowledgeEscalation if role != Role::Tam => Err(Refusal::NotYourRole),
                            AcknowledgeEscalation => Err(Refusal::NotNow),
                            CaseAction::Unknown => Err(Refusal::NotYourRole),
                        };
                        assert_eq!(got, expected, "{action:?} by {role:?} on {status:?} proposed by {proposer:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_window_rating_and_escalation_are_once() {
        let resolved = state(CaseStatus::Resolved);
        assert_eq!(
            check(Reopen, Role::Customer, CaseState { reopen_window_open: false, ..resolved }),
            Err(Refusal::NotNow)
        );
        assert_eq!(check(Rate, Role::Customer, CaseState { rated: true, ..resolved }), Err(Refusal::NotNow));
        let open = state(CaseStatus::InProgress);
        assert_eq!(check(Escalate, Role::Customer, CaseState { escalated: true, ..open }), Err(Refusal::NotNow));
    }

    #[test]
    fn information_requests_move_the_case_between_the_sides() {
        use CaseStatus::*;
        assert_eq!(check_raise_request(Role::Agent, InProgress), Ok(()));
        assert_eq!(check_raise_request(Role::Tam, InProgress), Err(Refusal::NotYourRole));
        assert_eq!(check_raise_request(Role::Agent, Resolved), Err(Refusal::NotNow));
        assert_eq!(check_raise_request(Role::Agent, ResolutionProposed), Err(Refusal::NotNow));
        assert_eq!(check_answer_request(Role::Customer, WaitingOnCustomer, true), Ok(()));
        assert_eq!(check_answer_request(Role::Customer, WaitingOnCustomer, false), Err(Refusal::NotNow));
        assert_eq!(check_answer_request(Role::Agent, WaitingOnCustomer, true), Err(Refusal::NotYourRole));
        assert_eq!(status_for_requests(New, 1), WaitingOnCustomer);
        assert_eq!(status_for_requests(InProgress, 2), WaitingOnCustomer);
        assert_eq!(status_for_requests(WaitingOnCustomer, 1), WaitingOnCustomer);
        assert_eq!(status_for_requests(WaitingOnCustomer, 0), InProgress);
        assert_eq!(status_for_requests(ResolutionProposed, 0), ResolutionProposed);
    }

    #[test]
    fn who_opens_posts_and_attaches() {
        use EventKind::{Message, ProgressUpdate, StatusChanged};
        assert_eq!(may_open_case(Role::Customer), Ok(()));
        for role in [Role::Tam, Role::Agent, Role::Unknown] {
            assert_eq!(may_open_case(role), Err(Refusal::NotYourRole), "{role:?}");
        }
        for role in [Role::Customer, Role::Tam, Role::Agent] {
            assert_eq!(may_post(role, Message), Ok(()), "{role:?}");
            assert_eq!(may_post(role, StatusChanged), Err(Refusal::NotYourRole), "{role:?}");
        }
        assert_eq!(may_post(Role::Customer, ProgressUpdate), Err(Refusal::NotYourRole));
        assert_eq!(may_post(Role::Tam, ProgressUpdate), Ok(()));
        assert_eq!(may_post(Role::Agent, ProgressUpdate), Ok(()));
        assert_eq!(may_post(Role::Unknown, Message), Err(Refusal::NotYourRole));
        for status in CaseStatus::ALL.iter().copied() {
            for role in [Role::Customer, Role::Tam, Role::Agent] {
                let expected = if status == CaseStatus::Resolved { Err(Refusal::NotNow) } else { Ok(()) };
                assert_eq!(may_attach(role, status), expected, "{role:?} on {status:?}");
            }
            assert_eq!(may_attach(Role::Unknown, status), Err(Refusal::NotYourRole));
        }
    }

    #[test]
    fn the_tam_acknowledges_an_open_escalation_and_agents_plan_hours() {
        let escalated = CaseState { escalated: true, ..state(CaseStatus::InProgress) };
        let ack = |role, state| check(AcknowledgeEscalation, role, state);
        assert_eq!(ack(Role::Tam, escalated), Ok(()));
        assert_eq!(ack(Role::Customer, escalated), Err(Refusal::NotYourRole));
        assert_eq!(ack(Role::Agent, escalated), Err(Refusal::NotYourRole));
        assert_eq!(ack(Role::Tam, state(CaseStatus::InProgress)), Err(Refusal::NotNow));
        let resolved = CaseState { escalated: true, ..state(CaseStatus::Resolved) };
        assert_eq!(ack(Role::Tam, resolved), Err(Refusal::NotNow));
        assert_eq!(ack(Role::Tam, CaseState { acknowledged: true, ..escalated }), Err(Refusal::NotNow));
        assert_eq!(may_set_tam_hours(Role::Agent), Ok(()));
        assert_eq!(may_set_tam_hours(Role::Tam), Err(Refusal::NotYourRole));
        assert_eq!(may_set_tam_hours(Role::Customer), Err(Refusal::NotYourRole));
    }

    #[test]
    fn only_agents_read_the_outbox() {
        assert_eq!(may_read_outbox(Role::Agent), Ok(()));
        for role in [Role::Tam, Role::Customer, Role::System, Role::Unknown] {
            assert_eq!(may_read_outbox(role), Err(Refusal::NotYourRole), "{role:?}");
        }
    }

    #[test]
    fn the_customer_is_offered_what_bird_proposed() {
        let proposed = CaseState { proposed_by: Some(Side::Bird), ..state(CaseStatus::ResolutionProposed) };
        assert_eq!(allowed(Role::Customer, proposed), vec![ConfirmResolution, DeclineResolution, Escalate]);
        assert_eq!(allowed(Role::Agent, proposed), Vec::<CaseAction>::new());
        assert_eq!(next_status(DeclineResolution, CaseStatus::ResolutionProposed), CaseStatus::InProgress);
    }

    #[test]
    fn admins_manage_colleagues_and_an_account_keeps_one() {
        use AccountRole::{Admin, Member};
        assert_eq!(may_manage_members(Role::Customer, Some(Admin)), Ok(()));
        assert_eq!(may_manage_members(Role::Customer, Some(Member)), Err(Refusal::NotYourRole));
        assert_eq!(may_manage_members(Role::Customer, None), Err(Refusal::NotYourRole));
        for role in [Role::Tam, Role::Agent, Role::System, Role::Unknown] {
            assert_eq!(may_manage_members(role, Some(Admin)), Err(Refusal::NotYourRole), "{role:?}");
        }
        assert_eq!(may_remove_member(Role::Customer, Some(Member), true), Ok(()));
        assert_eq!(may_remove_member(Role::Customer, Some(Member), false), Err(Refusal::NotYourRole));
        assert_eq!(may_remove_member(Role::Customer, None, true), Err(Refusal::NotYourRole));
        assert_eq!(may_remove_member(Role::Tam, None, true), Err(Refusal::NotYourRole));
        assert_eq!(check_admin_kept(Admin, None, 1), Err(Refusal::NotNow));
        assert_eq!(check_admin_kept(Admin, Some(Member), 1), Err(Refusal::NotNow));
        assert_eq!(check_admin_kept(Admin, Some(Admin), 1), Ok(()));
        assert_eq!(check_admin_kept(Admin, None, 2), Ok(()));
        assert_eq!(check_admin_kept(Member, None, 1), Ok(()));
        assert_eq!(may_change_participants(Role::Customer), Ok(()));
        for role in [Role::Tam, Role::Agent, Role::System, Role::Unknown] {
            assert_eq!(may_change_participants(role), Err(Refusal::NotYourRole), "{role:?}");
        }
    }
}
