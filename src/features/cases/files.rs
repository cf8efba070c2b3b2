use crate::core::i18n::{Key, t, use_i18n};
use crate::features::uploads::{AttachmentList, FilePicker, Phase, Target, UploadList, use_upload_queue};
use leptos::prelude::*;
use portal_contract::{CaseDetail, Role};

/// "Files": every finished file of the case, the files still uploading to it (from the new
/// case form or picked here), and, for the customer, a picker to add more.
#[component]
pub fn CaseFiles(detail: RwSignal<Option<CaseDetail>>, role: Role) -> impl IntoView {
    let i18n = use_i18n();
    let queue = use_upload_queue();
    let Some(case) = detail.with_untracked(|d| d.as_ref().map(|d| d.case.clone())) else { return ().into_any() };
    let target = Target { case_id: case.id.clone(), request_id: None };
    let attachments =
        Memo::new(move |_| detail.with(|d| d.as_ref().map(|d| d.attachments.clone()).unwrap_or_default()));
    let files_on_case = move || attachments.with(|a| a.len() as u32);
    let uploads = {
        let (queue, target) = (queue.clone(), target.clone());
        // A finished file moves to the list above once the case shows it.
        Signal::derive(move || {
            let listed = attachments.get();
            let mut uploads = queue.for_target(&target);
            uploads.retain(|u| u.phase.with(|p| !matches!(p, Phase::Done(a) if listed.iter().any(|l| l.id == a.id))));
            uploads
        })
    };
    let picker = (role == Role::Customer && case.status.is_open()).then(|| {
        let on_files = Callback::new(move |files| queue.add(files, target.clone(), files_on_case()));
        let label = Signal::derive(move || i18n.t(Key::AttachmentsAdd).to_owned());
        view! { <FilePicker id="case-files" label on_files /> }
    });
    view! {
        <section class="case-files" aria-labelledby="files-title">
            <h2 id="files-title">{t(Key::AttachmentsTitle)}</h2>
            {move || {
                let list = attachments.get();
                if list.is_empty() {
                    view! { <p class="empty">{t(Key::AttachmentsEmpty)}</p> }.into_any()
                } else {
                    view! { <AttachmentList attachments=list /> }.into_any()
                }
            }}
            <UploadList uploads />
            {picker}
        </section>
    }
    .into_any()
}
