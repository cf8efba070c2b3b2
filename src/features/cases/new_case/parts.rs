//! The parts of the new-case form around its plain fields.

use crate::core::api::ApiError;
use crate::core::i18n::{Key, t, use_i18n};
use crate::features::uploads::{files_of_input, limits, refusal_text};
use crate::ui::size::file_size;
use crate::ui::time::duration;
use leptos::prelude::*;
use portal_contract::{PortalConfig, Severity, Topic, UploadLimits};
use send_wrapper::SendWrapper;

pub type Config = LocalResource<Result<PortalConfig, ApiError>>;

/// What the chosen severity means and, from the service's configuration, how soon the first
/// response comes. Announced politely, since it changes with the choice.
#[component]
pub fn SeverityHelp(severity: RwSignal<String>, config: Config) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        let severity = Severity::parse(&severity.get());
        let meaning = match severity {
            Severity::Critical => i18n.t(Key::SeverityHelpCritical),
            Severity::High => i18n.t(Key::SeverityHelpHigh),
            Severity::Normal => i18n.t(Key::SeverityHelpNormal),
            Severity::Low => i18n.t(Key::SeverityHelpLow),
            Severity::Unknown => "",
        };
        let target = config
            .get()
            .and_then(Result::ok)
            .and_then(|c| c.severities.iter().find(|p| p.severity == severity).map(|p| p.first_response_minutes));
        match target {
            Some(minutes) => {
                let time = duration(minutes, i18n.locale());
                format!("{meaning} {}", i18n.f(Key::NewcaseFirstResponse, &[("time", &time)]))
            }
            None => meaning.to_owned(),
        }
    };
    view! { <p class="hint" id="case-severity-help" aria-live="polite">{text}</p> }
}

/// What the Premium terms cover for the chosen topic.
#[component]
pub fn TopicNotice(topic: RwSignal<String>) -> impl IntoView {
    move || match Topic::parse(&topic.get()) {
        Topic::MailboxProviderMediation => view! {
            <div class="notice notice-info">
                <p>{t(Key::MediationCovered)}</p>
                <p>{t(Key::MediationNotCovered)}</p>
            </div>
        }
        .into_any(),
        Topic::MigrationPlanning => {
            view! { <div class="notice notice-info"><p>{t(Key::MigrationCovered)}</p></div> }.into_any()
        }
        _ => ().into_any(),
    }
}

/// "Attachments": files chosen now, sent from the case page once the case exists. Each shows
/// its size and, before a byte is sent, a limit it breaks; each can be removed.
#[component]
pub fn AttachmentChooser(attachments: RwSignal<Vec<SendWrapper<web_sys::File>>>, config: Config) -> impl IntoView {
    view! {
        <div class="field">
            <label for="case-attachments">{t(Key::NewcaseAttachments)}</label>
            <p class="hint" id="case-attachments-hint">{t(Key::NewcaseAttachmentsHint)}</p>
            <input
                type="file"
                id="case-attachments"
                multiple
                accept=limits::accept_attribute()
                aria-describedby="case-attachments-hint"
                on:change=move |ev| {
                    let picked = files_of_input(&ev);
                    attachments.update(|files| files.extend(picked));
                }
            />
            <ul class="chosen-files">
                {move || {
                    let limits = config.get().and_then(Result::ok).map(|c| c.uploads);
                    let files = attachments.get().into_iter().enumerate();
                    files.map(|(index, file)| view! { <ChosenFile file index limits=limits.clone() attachments /> }).collect_view()
                }}
            </ul>
        </div>
    }
}

/// One chosen file: its name, size, the limit it breaks if any, and "Remove".
#[component]
fn ChosenFile(
    file: SendWrapper<web_sys::File>,
    index: usize,
    limits: Option<UploadLimits>,
    attachments: RwSignal<Vec<SendWrapper<web_sys::File>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let size = file.size().max(0.0) as u64;
    let refusal =
        limits.and_then(|l| limits::check(&l, &file.name(), size, index as u32).err()).map(|r| refusal_text(i18n, &r));
    let refused = refusal.is_some();
    let remove = move |_| {
        attachments.update(|files| {
            if index < files.len() {
                files.remove(index);
            }
        })
    };
    view! {
        <li class:upload-failed=refused>
            <span class="upload-name">{file.name()}</span>
            " · "
            {file_size(size, i18n.locale())}
            {refusal.map(|text| view! { <p class="field-error">{text}</p> })}
            <button type="button" class="button-quiet" on:click=remove>{t(Key::UploadRemove)}</button>
        </li>
    }
}
