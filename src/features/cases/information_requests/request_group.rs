use crate::core::api::{ApiError, use_api};
use crate::core::host::{HostEvent, use_host};
use crate::core::i18n::{Key, t, use_i18n};
use crate::features::uploads::{AttachmentList, FilePicker, Phase, Target, UploadList, use_upload_queue};
use crate::ui::draft::{SendKey, use_draft};
use crate::ui::time::DateTimeText;
use crate::ui::{SendFailure, TextField, problem_text, server_problem_text};
use leptos::html::Textarea;
use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_contract::{CaseDetail, InformationRequest, InformationRequestStatus, NewInformationAnswer, Validate};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct AnswerDraft {
    text: String,
    send_key: SendKey,
}

/// One request: what is needed, and either its answer or the form to answer it (files and
/// text). The group is named by the request's title.
#[component]
pub fn RequestGroup(
    request: InformationRequest,
    /// Whether this person answers requests (the customer).
    answers: bool,
    /// Files already on the case, for the files-per-case limit.
    #[prop(into)]
    files_on_case: Signal<u32>,
    #[prop(into)] on_answered: Callback<CaseDetail>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = request.status == InformationRequestStatus::Open;
    let title_id = format!("request-{}-title", request.id);
    let status = move || {
        i18n.t(match request.status {
            InformationRequestStatus::Open => Key::RequestOpen,
            InformationRequestStatus::Answered => Key::RequestAnswered,
            InformationRequestStatus::Withdrawn => Key::RequestWithdrawn,
            InformationRequestStatus::Unknown => Key::StatusUnknown,
        })
    };
    let files_expected = request.files_expected;
    let form = (open && answers).then(|| {
        view! { <AnswerForm request=request.clone() files_on_case on_answered /> }
    });
    let answer = request.answer.clone().map(|answer| {
        view! {
            <div class="request-answer">
                <p class="muted">
                    {move || i18n.f(Key::RequestAnsweredBy, &[("name", &answer.answered_by.name)])}
                    " · "
                    <DateTimeText at=answer.answered_at />
                </p>
                {answer.text.map(|text| view! { <p class="event-body">{text}</p> })}
                {(!answer.attachments.is_empty()).then(|| view! { <AttachmentList attachments=answer.attachments /> })}
            </div>
        }
    });
    let labelled_by = title_id.clone();
    view! {
        <section class="info-request" class:info-request-open=open role="group" aria-labelledby=labelled_by>
            <h3 id=title_id>{request.title.clone()}</h3>
            <p class="muted">
                <span class="badge">{status}</span>
                " · "
                {move || i18n.f(Key::RequestAskedBy, &[("name", &request.raised_by.name)])}
                " · "
                <DateTimeText at=request.created_at />
            </p>
            <p class="event-body">{request.description.clone()}</p>
            {files_expected.then(|| view! { <p class="hint">{t(Key::RequestFilesExpected)}</p> })}
            {answer}
            {form}
        </section>
    }
}

/// Files and text for one open request, and "Send answer". Files go up as soon as they are
/// picked; the answer waits until they are all in.
#[component]
fn AnswerForm(
    request: InformationRequest,
    files_on_case: Signal<u32>,
    on_answered: Callback<CaseDetail>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let host = StoredValue::new(use_host());
    let queue = use_upload_queue();
    let target = Target { case_id: request.case_id.clone(), request_id: Some(request.id.clone()) };
    let draft = use_draft::<AnswerDraft>(format!("bird-portal.draft.answer.{}", request.id));
    let text = RwSignal::new(draft.with_untracked(|d| d.text.clone()));
    Effect::new(move |_| {
        let value = text.get();
        draft.update(|d| d.text = value);
    });
    let problem = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let textarea = NodeRef::<Textarea>::new();
    let uploads = {
        let (queue, target) = (queue.clone(), target.clone());
        Signal::derive(move || queue.for_target(&target))
    };
    let on_files = {
        let (queue, target) = (queue.clone(), target.clone());
        Callback::new(move |files| queue.add(files, target.clone(), files_on_case.get_untracked()))
    };

    let send = {
        let (queue, target, request) = (queue.clone(), target.clone(), request.clone());
        move || {
            failure.set(None);
            let files = uploads.get_untracked();
            let unfinished = files.iter().filter(|u| u.phase.with_untracked(Phase::is_pending)).count();
            if unfinished > 0 {
                problem.set(Some(i18n.f(Key::RequestWaitForFiles, &[("count", &unfinished.to_string())])));
                return;
            }
            let attachment_ids = files
                .iter()
                .filter_map(|u| match u.phase.get_untracked() {
                    Phase::Done(a) => Some(a.id),
                    _ => None,
                })
                .collect::<Vec<_>>();
            let value = text.get_untracked();
            let answer = NewInformationAnswer {
                text: (!value.trim().is_empty()).then(|| value.trim().to_owned()),
                attachment_ids,
            };
            if let Some((_, p)) = answer.problems().first() {
                problem.set(Some(problem_text(i18n, *p)));
                if let Some(el) = textarea.get_untracked() {
                    let _ = el.focus();
                }
                return;
            }
            problem.set(None);
            let content = serde_json::to_string(&answer).unwrap_or_default();
            let mut key = String::new();
            draft.update(|d| key = d.send_key.for_content(&content));
            let (api, queue, target, request) = (api.clone(), queue.clone(), target.clone(), request.clone());
            let host = host.get_value();
            pending.set(true);
            spawn_local(async move {
                match api.answer_request(&request.case_id, &request.id, &answer, &key).await {
                    Ok(detail) => {
                        host.emit(HostEvent::InformationRequestAnswered {
                            case_id: request.case_id.clone(),
                            request_id: request.id.clone(),
                        });
                        host.emit(HostEvent::CaseUpdated {
                            case_id: detail.case.id.clone(),
                            status: detail.case.status,
                        });
                        draft.set(AnswerDraft::default());
                        queue.clear_done(&target);
                        on_answered.run(detail);
                    }
                    Err(error) => {
                        problem.set(error.field("text").map(|f| server_problem_text(i18n, f)));
                        failure.set(Some(error));
                    }
                }
                pending.set(false);
            });
        }
    };
    let retry = send.clone();
    let picker_label = {
        let title = request.title.clone();
        Signal::derive(move || i18n.f(Key::RequestUploadFor, &[("title", &title)]))
    };

    view! {
        <form
            class="form answer-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                if !pending.get_untracked() {
                    send();
                }
            }
        >
            <FilePicker id=format!("files-{}", request.id) label=picker_label on_files />
            <UploadList uploads />
            <TextField
                id=format!("answer-{}", request.id)
                label=Key::RequestAnswer
                value=text
                error=problem
                multiline=true
                textarea_ref=textarea
            />
            <SendFailure failure on_retry=Callback::new(move |_| retry()) />
            <div class="form-actions">
                <button type="submit" class="button-primary" aria-disabled=move || pending.get().then_some("true")>
                    {t(Key::RequestSendAnswer)}
                </button>
            </div>
            <p class="form-status" role="status">{move || pending.get().then(|| i18n.t(Key::ActionSending))}</p>
        </form>
    }
}
