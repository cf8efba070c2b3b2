use super::limits::Refusal;
use super::queue::{Phase, Upload, use_upload_queue};
use crate::core::i18n::{I18n, Key, Plural, t, use_i18n};
use crate::ui::size::{count, file_size, percent, speed};
use leptos::prelude::*;

pub fn refusal_text(i18n: I18n, refusal: &Refusal) -> String {
    let locale = i18n.locale();
    match refusal {
        Refusal::TooLarge { max } => i18n.f(Key::UploadTooLarge, &[("max", &file_size(*max, locale))]),
        Refusal::TypeNotAccepted { accepted } => i18n.f(Key::UploadTypeNotAccepted, &[("accepted", accepted)]),
        Refusal::TooManyFiles { max } => {
            let forms = Plural { one: Key::UploadTooManyFilesOne, other: Key::UploadTooManyFilesOther };
            i18n.plural(forms, u64::from(*max), &[("max", &count(*max as usize, locale))])
        }
        Refusal::ContentMismatch { extension } => i18n.f(Key::UploadContentMismatch, &[("extension", extension)]),
        Refusal::OverQuota { quota } => i18n.f(Key::UploadOverQuota, &[("quota", &file_size(*quota, locale))]),
        Refusal::CaseClosed => i18n.t(Key::UploadCaseClosed).to_owned(),
    }
}

/// What is happening to a file, in words (also announced: the status is a live region).
fn status_text(i18n: I18n, upload: &Upload, phase: &Phase) -> String {
    let locale = i18n.locale();
    let progress = || {
        let sent = upload.sent.get();
        let fraction = if upload.size == 0 { 1.0 } else { sent as f64 / upload.size as f64 };
        i18n.f(
            Key::UploadProgress,
            &[
                ("sent", &file_size(sent, locale)),
                ("total", &file_size(upload.size, locale)),
                ("percent", &percent(fraction, locale)),
            ],
        )
    };
    match phase {
        Phase::Waiting => i18n.t(Key::UploadWaiting).to_owned(),
        Phase::Uploading => {
            let rate = upload.speed.get();
            if rate > 0.0 { format!("{} · {}", progress(), speed(rate, locale)) } else { progress() }
        }
        Phase::Paused => i18n.f(Key::UploadPaused, &[("progress", &progress())]),
        Phase::Retrying { attempt } => i18n.f(Key::UploadRetrying, &[("attempt", &attempt.to_string())]),
        Phase::Failed(error) => i18n.f(Key::UploadFailed, &[("reason", i18n.t(error.message()))]),
        Phase::Refused(refusal) => refusal_text(i18n, refusal),
        Phase::Done(_) => i18n.f(Key::UploadDone, &[("size", &file_size(upload.size, locale))]),
    }
}

/// The files being sent somewhere: each with a progress bar (bytes and percent), what is
/// happening, and Pause / Resume / Retry / Remove.
#[component]
pub fn UploadList(#[prop(into)] uploads: Signal<Vec<Upload>>) -> impl IntoView {
    let i18n = use_i18n();
    let queue = use_upload_queue();
    view! {
        <ul class="uploads">
            <For each=move || uploads.get() key=|u| u.key let:upload>
                {
                    let queue = queue.clone();
                    let key = upload.key;
                    let name = upload.file_name.clone();
                    let phase = upload.phase.clone();
                    let sent = upload.sent.clone();
                    let size = upload.size;
                    let value = Signal::derive(move || sent.get().saturating_mul(100).checked_div(size).map_or(100, |v| v as u32));
                    let shows_bar = {
                        let phase = phase.clone();
                        move || phase.with(|p| matches!(p, Phase::Uploading | Phase::Paused | Phase::Retrying { .. } | Phase::Waiting))
                    };
                    let status = {
                        let (upload, phase) = (upload.clone(), phase.clone());
                        move || status_text(i18n, &upload, &phase.get())
                    };
                    let bar_label = {
                        let name = name.clone();
                        move || i18n.f(Key::UploadProgressLabel, &[("name", &name)])
                    };
                    let buttons = {
                        let phase = phase.clone();
                        move || {
                            let (pause, resume, remove) = (queue.clone(), queue.clone(), queue.clone());
                            let main = match phase.get() {
                                Phase::Waiting | Phase::Uploading | Phase::Retrying { .. } => Some(view! {
                                    <button type="button" on:click=move |_| pause.pause(key)>{t(Key::UploadPause)}</button>
                                }.into_any()),
                                Phase::Paused => Some(view! {
                                    <button type="button" on:click=move |_| resume.resume(key)>{t(Key::UploadResume)}</button>
                                }.into_any()),
                                Phase::Failed(_) => Some(view! {
                                    <button type="button" on:click=move |_| resume.resume(key)>{t(Key::UploadRetry)}</button>
                                }.into_any()),
                                Phase::Refused(_) | Phase::Done(_) => None,
                            };
                            view! {
                                {main}
                                <button type="button" class="button-quiet" on:click=move |_| remove.remove(key)>{t(Key::UploadRemove)}</button>
                            }
                        }
                    };
                    let failed = {
                        let phase = phase.clone();
                        move || phase.with(|p| matches!(p, Phase::Failed(_) | Phase::Refused(_)))
                    };
                    view! {
                        <li class="upload" class:upload-failed=failed role="group" aria-label=name.clone()>
                            <span class="upload-name">{name.clone()}</span>
                            <Show when=shows_bar.clone()>
                                <progress
                                    max="100"
                                    value=value
                                    aria-valuemin="0"
                                    aria-valuemax="100"
                                    aria-valuenow=value
                                    aria-label=bar_label.clone()
                                ></progress>
                            </Show>
                            <p class="upload-status" role="status">{status.clone()}</p>
                            <div class="upload-actions">{buttons.clone()}</div>
                        </li>
                    }
                }
            </For>
        </ul>
    }
}
