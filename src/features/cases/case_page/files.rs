use crate::core::i18n::{Key, t, use_i18n};
use crate::features::uploads::{AttachmentList, FilePicker, Phase, Target, UploadList, use_upload_queue};
use leptos::prelude::*;
use portal_contract::rules;
use portal_contract::{CaseDetail, CaseStatus, Role};

/// "Files": every finished file of the case, the files still uploading to it (from the new
/// case form or picked here), and a picker to add more while `rules::may_attach` allows.
#[component]
pub fn CaseFiles(detail: RwSignal<Option<CaseDetail>>, role: Role) -> impl IntoView {
    let i18n = use_i18n();
    let queue = use_upload_queue();
    let Some(case_id) = detail.with_untracked(|d| d.as_ref().map(|d| d.case.id.clone())) else { return ().into_any() };
    let target = Target { case_id, request_id: None };
    let attachments =
        Memo::new(move |_| detail.with(|d| d.as_ref().map(|d| d.attachments.clone()).unwrap_or_default()));
    let status = Memo::new(move |_| detail.with(|d| d.as_ref().map_or(CaseStatus::Unknown, |d| d.case.status)));
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
    let on_files = Callback::new(move |files| queue.add(files, target.clone(), attachments.with(|a| a.len() as u32)));
    let label = Signal::derive(move || i18n.t(Key::AttachmentsAdd).to_owned());
    let picker = move || {
        let may_attach = rules::may_attach(role, status.get()).is_ok();
        may_attach.then(|| view! { <FilePicker id="case-files" label on_files /> })
    };
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
