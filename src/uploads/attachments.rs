use crate::api::use_api;
use crate::i18n::use_i18n;
use crate::ui::size::file_size;
use crate::ui::time::DateTimeText;
use leptos::prelude::*;
use portal_contract::Attachment;

/// Files on a case, each a download link named by its file name (as text), with its size,
/// who uploaded it and when.
#[component]
pub fn AttachmentList(attachments: Vec<Attachment>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    view! {
        <ul class="attachments">
            {attachments
                .into_iter()
                .map(|a| {
                    let size = a.size;
                    view! {
                        <li>
                            <a href=api.attachment_url(&a.id) download="">{a.file_name}</a>
                            " · "
                            {move || file_size(size, i18n.locale())}
                            " · "
                            {a.uploaded_by.name}
                            " · "
                            <DateTimeText at=a.uploaded_at />
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
