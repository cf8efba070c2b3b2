use super::labels;
use crate::core::api::{ApiError, use_api, use_view_abort};
use crate::core::host::{HostEvent, use_host};
use crate::core::i18n::{Key, t, use_i18n};
use crate::features::layout::use_current_account;
use crate::features::uploads::{Target, files_of_input, limits, refusal_text, use_upload_queue};
use crate::ui::draft::{SendKey, use_draft};
use crate::ui::size::file_size;
use crate::ui::time::duration;
use crate::ui::{SendFailure, TextField, problem_text, server_problem_text};
use leptos::html::{Input, Textarea};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use portal_contract::media_type_for;
use portal_contract::{AccountId, CaseKind, NewCase, Severity, Topic, Validate};
use send_wrapper::SendWrapper;
use serde::{Deserialize, Serialize};

/// What the person has typed so far, with its idempotency key, so a retry after a reload still
/// opens exactly one case.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct CaseDraft {
    kind: String,
    severity: String,
    subject: String,
    description: String,
    topic: String,
    send_key: SendKey,
}

impl CaseDraft {
    /// A new form: the most common type and severity chosen, nothing typed.
    fn fresh() -> CaseDraft {
        CaseDraft {
            kind: CaseKind::Problem.as_str().to_owned(),
            severity: Severity::Normal.as_str().to_owned(),
            ..CaseDraft::default()
        }
    }

    fn merged_with_fresh(self) -> CaseDraft {
        let fresh = CaseDraft::fresh();
        CaseDraft {
            kind: if self.kind.is_empty() { fresh.kind } else { self.kind },
            severity: if self.severity.is_empty() { fresh.severity } else { self.severity },
            ..self
        }
    }

    /// Nothing the person wrote is in it (type and severity alone are not a draft).
    fn is_blank(&self) -> bool {
        self.subject.is_empty() && self.description.is_empty() && self.topic.is_empty()
    }

    fn to_new_case(&self) -> NewCase {
        NewCase {
            kind: CaseKind::parse(&self.kind),
            severity: Severity::parse(&self.severity),
            subject: self.subject.trim().to_owned(),
            description: self.description.trim().to_owned(),
            topic: (!self.topic.is_empty()).then(|| Topic::parse(&self.topic)),
        }
    }
}

/// Field-by-field problems: the page's own checks, or what the server said.
type Problems = Vec<(String, String)>;

/// `/accounts/:account_id/cases/new`.
#[component]
pub fn NewCasePage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let host = StoredValue::new(use_host());
    let abort = use_view_abort();
    let navigate = use_navigate();
    let params = use_params_map();
    let current = use_current_account();
    let account_id = AccountId(params.with_untracked(|p| p.get("account_id").unwrap_or_default()));
    current.set(account_id.clone());

    let draft = use_draft::<CaseDraft>(format!("bird-portal.draft.new-case.{account_id}"));
    let restored = draft.with_untracked(|d| !d.is_blank());
    draft.update(|d| *d = std::mem::take(d).merged_with_fresh());
    let field = |get: fn(&CaseDraft) -> &String, set: fn(&mut CaseDraft, String)| {
        let signal = RwSignal::new(draft.with_untracked(|d| get(d).clone()));
        Effect::new(move |_| {
            let value = signal.get();
            draft.update(|d| set(d, value));
        });
        signal
    };
    let subject = field(|d| &d.subject, |d, v| d.subject = v);
    let description = field(|d| &d.description, |d, v| d.description = v);

    let problems = RwSignal::new(Problems::new());
    let problem = move |name: &'static str| {
        Signal::derive(move || problems.with(|p| p.iter().find(|(f, _)| f == name).map(|(_, m)| m.clone())))
    };
    let failure = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let subject_ref = NodeRef::<Input>::new();
    let description_ref = NodeRef::<Textarea>::new();

    let queue = use_upload_queue();
    let attachments = RwSignal::new(Vec::<SendWrapper<web_sys::File>>::new());
    let config = {
        let api = api.clone();
        LocalResource::new(move || {
            let api = api.clone();
            async move { api.config(abort.signal()).await }
        })
    };
    let severity_help = move || {
        let severity = Severity::parse(&draft.with(|d| d.severity.clone()));
        let meaning = match severity {
            Severity::Critical => Some(Key::SeverityHelpCritical),
            Severity::High => Some(Key::SeverityHelpHigh),
            Severity::Normal => Some(Key::SeverityHelpNormal),
            Severity::Low => Some(Key::SeverityHelpLow),
            Severity::Unknown => None,
        };
        let target = config
            .get()
            .and_then(Result::ok)
            .and_then(|c| c.severities.iter().find(|p| p.severity == severity).map(|p| p.first_response_minutes));
        let meaning = meaning.map(|k| i18n.t(k).to_owned()).unwrap_or_default();
        match target {
            Some(minutes) => {
                format!(
                    "{meaning} {}",
                    i18n.f(Key::NewcaseFirstResponse, &[("time", &duration(minutes, i18n.locale()))])
                )
            }
            None => meaning,
        }
    };

    let focus_first = move |name: &str| match name {
        "subject" => {
            if let Some(el) = subject_ref.get_untracked() {
                let _ = el.focus();
            }
        }
        "description" => {
            if let Some(el) = description_ref.get_untracked() {
                let _ = el.focus();
            }
        }
        _ => {}
    };

    let submit = move || {
        let case = draft.with_untracked(CaseDraft::to_new_case);
        let found: Problems = case.problems().into_iter().map(|(f, p)| (f.to_owned(), problem_text(i18n, p))).collect();
        failure.set(None);
        if let Some((first, _)) = found.first() {
            focus_first(first);
            problems.set(found);
            return;
        }
        problems.set(Problems::new());
        let content = serde_json::to_string(&case).unwrap_or_default();
        let mut key = String::new();
        draft.update(|d| key = d.send_key.for_content(&content));
        let (api, account_id, navigate, queue) = (api.clone(), account_id.clone(), navigate.clone(), queue.clone());
        let host = host.get_value();
        pending.set(true);
        spawn_local(async move {
            match api.create_case(&account_id, &case, &key).await {
                Ok(created) => {
                    host.emit(HostEvent::CaseCreated {
                        case_id: created.id.clone(),
                        account_id: created.account_id.clone(),
                    });
                    draft.set(CaseDraft::fresh());
                    // The files go up from the case page, where their progress shows.
                    let files = attachments.get_untracked();
                    if !files.is_empty() {
                        queue.add(files, Target { case_id: created.id.clone(), request_id: None }, 0);
                    }
                    attachments.set(Vec::new());
                    navigate(&format!("/cases/{}", created.id), Default::default());
                }
                Err(error) => {
                    if let ApiError::Validation { fields, .. } = &error {
                        let server: Problems =
                            fields.iter().map(|f| (f.param.clone(), server_problem_text(i18n, f))).collect();
                        if let Some((first, _)) = server.first() {
                            focus_first(first);
                        }
                        problems.set(server);
                    }
                    failure.set(Some(error));
                }
            }
            pending.set(false);
        });
    };
    let retry = submit.clone();

    let select = move |id: &'static str,
                       label: Key,
                       options: Vec<(&'static str, Key)>,
                       get: fn(&CaseDraft) -> &String,
                       set: fn(&mut CaseDraft, String),
                       described: Option<&'static str>| {
        let error = problem(id);
        view! {
            <div class="field" class:field-invalid=move || error.get().is_some()>
                <label for=format!("case-{id}")>{move || i18n.t(label)}</label>
                <select
                    id=format!("case-{id}")
                    aria-describedby=described
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        draft.update(|d| set(d, value));
                    }
                >
                    {options
                        .into_iter()
                        .map(|(value, key)| view! {
                            <option value=value selected=move || draft.with(|d| get(d) == value)>{move || i18n.t(key)}</option>
                        })
                        .collect_view()}
                </select>
                {move || error.get().map(|text| view! { <p class="field-error">{text}</p> })}
            </div>
        }
    };

    view! {
        <section class="page page-form" aria-labelledby="new-case-title">
            <h1 id="new-case-title">{t(Key::NewcaseTitle)}</h1>
            <p class="lead">{t(Key::NewcaseIntro)}</p>
            {restored.then(|| view! { <p class="notice notice-info" role="status">{t(Key::FormDraftRestored)}</p> })}
            <SendFailure failure on_retry=Callback::new(move |_| retry()) />
            <form
                class="form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    if !pending.get_untracked() {
                        submit();
                    }
                }
            >
                {select(
                    "kind",
                    Key::LabelKind,
                    CaseKind::ALL.iter().map(|k| (k.as_str(), labels::kind(*k))).collect(),
                    |d| &d.kind,
                    |d, v| d.kind = v,
                    None,
                )}
                {select(
                    "severity",
                    Key::LabelSeverity,
                    Severity::ALL.iter().map(|s| (s.as_str(), labels::severity(*s))).collect(),
                    |d| &d.severity,
                    |d, v| d.severity = v,
                    Some("case-severity-help"),
                )}
                <p class="hint" id="case-severity-help" aria-live="polite">{severity_help}</p>
                <TextField
                    id="case-subject"
                    label=Key::LabelSubject
                    value=subject
                    error=problem("subject")
                    node_ref=subject_ref
                    required=true
                />
                <TextField
                    id="case-description"
                    label=Key::CaseDescription
                    value=description
                    error=problem("description")
                    hint=Key::NewcaseDescriptionHint
                    multiline=true
                    textarea_ref=description_ref
                    required=true
                />
                {select(
                    "topic",
                    Key::NewcaseTopic,
                    std::iter::once(("", Key::NewcaseTopicNone))
                        .chain(Topic::ALL.iter().map(|t| (t.as_str(), labels::topic(*t))))
                        .collect(),
                    |d| &d.topic,
                    |d, v| d.topic = v,
                    None,
                )}
                {move || match Topic::parse(&draft.with(|d| d.topic.clone())) {
                    Topic::MailboxProviderMediation => view! {
                        <div class="notice notice-info">
                            <p>{t(Key::MediationCovered)}</p>
                            <p>{t(Key::MediationNotCovered)}</p>
                        </div>
                    }.into_any(),
                    Topic::MigrationPlanning => view! {
                        <div class="notice notice-info"><p>{t(Key::MigrationCovered)}</p></div>
                    }.into_any(),
                    _ => ().into_any(),
                }}
                <div class="field">
                    <label for="case-attachments">{t(Key::NewcaseAttachments)}</label>
                    <p class="hint" id="case-attachments-hint">{t(Key::NewcaseAttachmentsHint)}</p>
                    <input
                        type="file"
                        id="case-attachments"
                        multiple
                        aria-describedby="case-attachments-hint"
                        on:change=move |ev| {
                            let picked = files_of_input(&ev);
                            attachments.update(|files| files.extend(picked));
                        }
                    />
                    <ul class="chosen-files">
                        {move || {
                            let limits = config.get().and_then(Result::ok).map(|c| c.uploads);
                            attachments
                                .get()
                                .into_iter()
                                .enumerate()
                                .map(|(index, file)| {
                                    let media_type = media_type_for(&file.name(), &file.type_());
                                    let size = file.size().max(0.0) as u64;
                                    let refusal = limits
                                        .as_ref()
                                        .and_then(|l| limits::check(l, &file.name(), &media_type, size, index as u32).err())
                                        .map(|r| refusal_text(i18n, &r));
                                    let refused = refusal.is_some();
                                    view! {
                                        <li class:upload-failed=refused>
                                            <span class="upload-name">{file.name()}</span>
                                            " · "
                                            {file_size(size, i18n.locale())}
                                            {refusal.map(|text| view! { <p class="field-error">{text}</p> })}
                                            <button
                                                type="button"
                                                class="button-quiet"
                                                on:click=move |_| attachments.update(|files| {
                                                    if index < files.len() {
                                                        files.remove(index);
                                                    }
                                                })
                                            >
                                                {t(Key::UploadRemove)}
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button-primary" aria-disabled=move || pending.get().then_some("true")>
                        {t(Key::NewcaseSubmit)}
                    </button>
                    <button
                        type="button"
                        class="button-quiet"
                        on:click=move |_| {
                            draft.set(CaseDraft::fresh());
                            subject.set(String::new());
                            description.set(String::new());
                            problems.set(Problems::new());
                        }
                    >
                        {t(Key::NewcaseDiscard)}
                    </button>
                </div>
                <p class="form-status" role="status">{move || pending.get().then(|| i18n.t(Key::NewcaseSubmitting))}</p>
            </form>
        </section>
    }
}
