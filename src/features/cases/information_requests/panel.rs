use super::request_group::RequestGroup;
use crate::core::i18n::{Key, t};
use leptos::prelude::*;
use portal_contract::{CaseDetail, Role};

/// "Information requested": every request on the case, open ones first, each a group the
/// customer answers in place.
#[component]
pub fn InformationPanel(
    detail: RwSignal<Option<CaseDetail>>,
    role: Role,
    #[prop(into)] on_answered: Callback<CaseDetail>,
) -> impl IntoView {
    let requests =
        Memo::new(move |_| detail.with(|d| d.as_ref().map(|d| d.information_requests.clone()).unwrap_or_default()));
    let files_on_case = Signal::derive(move || detail.with(|d| d.as_ref().map_or(0, |d| d.attachments.len() as u32)));
    let answers =
        role == Role::Customer && detail.with_untracked(|d| d.as_ref().is_some_and(|d| d.case.status.is_open()));
    view! {
        <Show when=move || requests.with(|r| !r.is_empty())>
            <section class="information-requests" aria-labelledby="information-title">
                <h2 id="information-title">{t(Key::RequestsTitle)}</h2>
                <For
                    each=move || requests.get()
                    key=|r| (r.id.clone(), r.status)
                    let:request
                >
                    <RequestGroup request answers files_on_case on_answered />
                </For>
            </section>
        </Show>
    }
}
