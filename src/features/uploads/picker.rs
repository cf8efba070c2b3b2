use super::queue::files_of;
use crate::core::i18n::{Key, t};
use leptos::prelude::*;
use send_wrapper::SendWrapper;

/// A file input that takes several files, inside a zone that also takes dropped files. The
/// input keeps its own label, so it is reached and named like any other field.
#[component]
pub fn FilePicker(
    #[prop(into)] id: String,
    /// The input's accessible name, e.g. "Upload files for: Bounce logs".
    #[prop(into)]
    label: Signal<String>,
    #[prop(into)] on_files: Callback<Vec<SendWrapper<web_sys::File>>>,
) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let hint_id = format!("{id}-hint");
    view! {
        <div
            class="drop-zone"
            class:dragging=move || dragging.get()
            on:dragover=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                dragging.set(false);
                let files = files_of(ev.data_transfer().and_then(|d| d.files()));
                if !files.is_empty() {
                    on_files.run(files);
                }
            }
        >
            <label for=id.clone()>{move || label.get()}</label>
            <p class="hint" id=hint_id.clone()>{t(Key::UploadDropHint)}</p>
            <input
                type="file"
                id=id
                multiple
                accept=super::limits::accept_attribute()
                aria-describedby=hint_id
                on:change=move |ev| {
                    let files = super::queue::files_of_input(&ev);
                    if !files.is_empty() {
                        on_files.run(files);
                    }
                }
            />
        </div>
    }
}
