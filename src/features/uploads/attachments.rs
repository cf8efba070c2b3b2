use crate::core::api::{ApiClient, use_api};
use crate::core::i18n::{Key, use_i18n};
use crate::ui::size::file_size;
use crate::ui::time::DateTimeText;
use leptos::prelude::*;
use portal_contract::Attachment;
use wasm_bindgen::JsCast;

/// Saves a file fetched with the host's token: a link the browser followed would carry no
/// credentials. The object URL lives only for the click. `failed` names the file that could
/// not be fetched, for the message beside the list.
fn save_with_token(
    api: ApiClient,
    id: portal_contract::AttachmentId,
    file_name: String,
    failed: RwSignal<Option<String>>,
) {
    failed.set(None);
    leptos::task::spawn_local(async move {
        let Ok(blob) = api.attachment_blob(&id).await else {
            failed.set(Some(file_name));
            return;
        };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
        let anchor = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("a").ok())
            .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
        if let Some(anchor) = anchor {
            anchor.set_href(&url);
            anchor.set_download(&file_name);
            anchor.click();
        }
        let _ = web_sys::Url::revoke_object_url(&url);
    });
}

/// Files on a case, each a download link named by its file name (as text), with its size,
/// who uploaded it and when.
#[component]
pub fn AttachmentList(attachments: Vec<Attachment>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let failed = RwSignal::new(None::<String>);
    view! {
        {move || failed.get().map(|name| view! {
            <p class="notice notice-error" role="alert">
                {move || i18n.f(Key::AttachmentsDownloadFailed, &[("name", &name)])}
            </p>
        })}
        <ul class="attachments">
            {attachments
                .into_iter()
                .map(|a| {
                    let size = a.size;
                    let (api, id, name) = (api.clone(), a.id.clone(), a.file_name.clone());
                    view! {
                        <li>
                            <a
                                href=api.attachment_url(&a.id)
                                download=""
                                on:click=move |ev| {
                                    if !api.links_are_signed_in() {
                                        ev.prevent_default();
                                        save_with_token(api.clone(), id.clone(), name.clone(), failed);
                                    }
                                }
                            >
                                {a.file_name}
                            </a>
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
