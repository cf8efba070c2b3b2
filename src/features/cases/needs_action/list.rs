//! The region's items with their forms: the part fetched on demand.

use crate::core::host::link;
use crate::core::i18n::{Key, t, use_i18n};
use crate::features::cases::action::{CaseActions, ConflictNotice, use_case_actions};
use crate::features::cases::information_requests::RequestGroup;
use crate::features::cases::resolution::{AnswerProposal, Forms as ResolutionForms, who as proposed_by};
use leptos::prelude::*;
use leptos_router::components::A;
use portal_contract::{CaseDetail, CaseId, NeedsAction, ProposedResolution, WaitingRequest};

/// Every item, information requests first, each with its action. A resolution answered too
/// late (someone acted first) is said by the page's own conflict notice when it has one
/// (`actions`), else by the region's, which stays while the item goes.
#[component]
pub fn NeedsActionList(
    needs: Memo<NeedsAction>,
    on_changed: Callback<CaseDetail>,
    on_stale: Callback<()>,
    linked: bool,
    actions: Option<CaseActions>,
) -> impl IntoView {
    let requests = Memo::new(move |_| needs.with(|n| n.information_requests.clone()));
    let resolutions = Memo::new(move |_| needs.with(|n| n.resolutions.clone()));
    let notice = actions.is_none();
    let actions = actions.unwrap_or_else(|| use_case_actions(on_changed, on_stale));
    view! {
        {notice.then(|| view! { <ConflictNotice actions /> })}
        <ul class="needs-action-list">
            <For each=move || requests.get() key=|w| w.request.id.clone() let:waiting>
                <li class="needs-item"><RequestItem waiting on_changed linked /></li>
            </For>
            <For each=move || resolutions.get() key=|p| p.case.id.clone() let:proposed>
                <li class="needs-item"><ResolutionItem proposed actions linked /></li>
            </For>
        </ul>
    }
}

/// "CASE-1042 Bounces from Gmail", linking to the case.
#[component]
fn CaseLink(id: CaseId, number: String, subject: String, #[prop(optional)] link_id: Option<String>) -> impl IntoView {
    view! {
        <p class="needs-case">
            <A href=link(format!("/cases/{id}")) attr:id=link_id>
                <span class="case-number">{number}</span>
                " "
                <span class="case-subject">{subject}</span>
            </A>
        </p>
    }
}

/// What support asks for, and the answer's files and text: behind "Answer" where the list
/// holds several cases' items, open on the case page.
#[component]
fn RequestItem(waiting: WaitingRequest, on_changed: Callback<CaseDetail>, linked: bool) -> impl IntoView {
    let WaitingRequest { request, case_number, case_subject } = waiting;
    let case =
        linked.then(|| view! { <CaseLink id=request.case_id.clone() number=case_number subject=case_subject /> });
    // The files already on the case are not known here; the API refuses a file past the limit.
    let files_on_case = Signal::stored(0_u32);
    view! {
        {case}
        <RequestGroup request answers=true files_on_case on_answered=on_changed place="needs-" folded=linked />
    }
}

/// A resolution Bird proposed: who proposed what, "Confirm resolution" and "Not resolved".
#[component]
fn ResolutionItem(proposed: ProposedResolution, actions: CaseActions, linked: bool) -> impl IntoView {
    let i18n = use_i18n();
    let ProposedResolution { case, resolution } = proposed;
    let forms = ResolutionForms::new(case.id.clone(), actions);
    let (title_id, link_id) =
        (format!("needs-resolution-{}-title", case.id), format!("needs-resolution-{}-case", case.id));
    let labelled_by = if linked { format!("{title_id} {link_id}") } else { title_id.clone() };
    let case_link = linked.then(|| {
        view! { <CaseLink id=case.id.clone() number=case.number.clone() subject=case.subject.clone() link_id=link_id /> }
    });
    // On the case page, the resolution panel says who proposed it.
    let who = linked.then(|| {
        let (person, at) = (resolution.proposed_by.clone(), resolution.proposed_at);
        view! { <p class="muted">{move || proposed_by(i18n, Key::ResolutionProposedBy, &person, at)}</p> }
    });
    view! {
        {case_link}
        <section class="info-request info-request-open" role="group" aria-labelledby=labelled_by>
            <h3 id=title_id>{t(Key::NeedsActionResolution)}</h3>
            {who}
            <blockquote class="resolution-summary">{resolution.summary}</blockquote>
            <AnswerProposal forms place=format!("needs-{}-", case.id) />
        </section>
    }
}
