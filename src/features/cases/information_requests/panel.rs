use super::request_group::RequestGroup;
use crate::core::i18n::{Key, t};
use leptos::prelude::*;
use portal_contract::rules;
use portal_contract::{CaseDetail, InformationRequest, InformationRequestStatus, Role};

/// "Information requested": the requests on the case, open ones first. An open request the
/// person may answer (`rules::check_answer_request`) is answered in "Needs your action" above
/// the timeline, so it is listed here only once answered.
#[component]
pub fn InformationPanel(
    detail: RwSignal<Option<CaseDetail>>,
    role: Role,
    #[prop(into)] on_answered: Callback<CaseDetail>,
) -> impl IntoView {
    let requests = Memo::new(move |_| {
        detail.with(|d| {
            let Some(d) = d else { return Vec::new() };
            let answered_above = rules::check_answer_request(role, d.case.status, true).is_ok();
            let listed = |r: &&InformationRequest| !(answered_above && r.status == InformationRequestStatus::Open);
            d.information_requests.iter().filter(listed).cloned().collect()
        })
    });
    let files_on_case = Signal::derive(move || detail.with(|d| d.as_ref().map_or(0, |d| d.attachments.len() as u32)));
    view! {
        <Show when=move || requests.with(|r| !r.is_empty())>
            <section class="information-requests" aria-labelledby="information-title">
                <h2 id="information-title">{t(Key::RequestsTitle)}</h2>
                <For
                    each=move || requests.get()
                    key=|r| (r.id.clone(), r.status)
                    let:request
                >
                    <RequestGroup
                        answers=false
                        request
                        files_on_case
                        on_answered
                    />
                </For>
            </section>
        </Show>
    }
}
