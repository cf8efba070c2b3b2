use super::request_group::RequestGroup;
use crate::core::i18n::{Key, t};
use leptos::prelude::*;
use portal_contract::rules;
use portal_contract::{CaseDetail, InformationRequestStatus, Role};

/// "Information requested": every request on the case, open ones first, each a group answered
/// in place by whoever `rules::check_answer_request` lets answer it (the customer).
#[component]
pub fn InformationPanel(
    detail: RwSignal<Option<CaseDetail>>,
    role: Role,
    #[prop(into)] on_answered: Callback<CaseDetail>,
) -> impl IntoView {
    let requests =
        Memo::new(move |_| detail.with(|d| d.as_ref().map(|d| d.information_requests.clone()).unwrap_or_default()));
    let files_on_case = Signal::derive(move || detail.with(|d| d.as_ref().map_or(0, |d| d.attachments.len() as u32)));
    let answers = move |open: bool| {
        detail.with_untracked(|d| {
            d.as_ref().is_some_and(|d| rules::check_answer_request(role, d.case.status, open).is_ok())
        })
    };
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
                        answers=answers(request.status == InformationRequestStatus::Open)
                        request
                        files_on_case
                        on_answered
                    />
                </For>
            </section>
        </Show>
    }
}
