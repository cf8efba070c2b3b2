use crate::core::api::{ApiError, use_api};
use crate::core::host::{HostEvent, use_host};
use crate::core::i18n::{I18n, Key, t, use_i18n};
use crate::features::uploads::{AttachmentList, FilePicker, Phase, Target, Upload, UploadList, use_upload_queue};
use crate::ui::draft::{use_draft, use_draft_field};
use crate::ui::form::{
    FormStatus, Refused, SendFailure, SubmitButton, SubmitForm, TextArea, UseSubmitOptions, checked,
    use_submit_with_options,
};
use crate::ui::time::DateTimeText;
use futures::future::LocalBoxFuture;
use leptos::prelude::*;
use portal_contract::{CaseDetail, InformationRequest, InformationRequestStatus, NewInformationAnswer};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct AnswerDraft {
    text: String,
}

/// One request: what is needed, and either its answer or the form to answer it (files and
/// text). The group is named by the request's title.
#[component]
pub fn RequestGroup(
    request: InformationRequest,
    /// Whether this person may answer this request now.
    answers: bool,
    /// Files already on the case, for the files-per-case limit.
    #[prop(into)]
    files_on_case: Signal<u32>,
    #[prop(into)] on_answered: Callback<CaseDetail>,
    /// Prefix of the group's element ids, for a page that lists the request twice.
    #[prop(optional)]
    place: &'static str,
    /// The form stays behind an "Answer" button until the person asks for it: where requests
    /// are listed among other things to do, each takes one line until it is answered.
    #[prop(optional)]
    folded: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = request.status == InformationRequestStatus::Open;
    let title_id = format!("{place}request-{}-title", request.id);
    let status = move || {
        i18n.t(match request.status {
            InformationRequestStatus::Open => Key::RequestOpen,
            InformationRequestStatus::Answered => Key::RequestAnswered,
            InformationRequestStatus::Withdrawn => Key::RequestWithdrawn,
            InformationRequestStatus::Unknown => Key::StatusUnknown,
        })
    };
    let files_expected = request.files_expected;
    let form = answers.then(|| {
        let form = {
            let request = request.clone();
            move || view! { <AnswerForm request=request.clone() files_on_case on_answered place /> }
        };
        if !folded {
            return form().into_any();
        }
        let unfolded = RwSignal::new(false);
        let form_id = format!("{place}answer-form-{}", request.id);
        view! {
            <button
                type="button"
                aria-controls=form_id.clone()
                aria-expanded=move || unfolded.get().to_string()
                on:click=move |_| unfolded.update(|u| *u = !*u)
            >
                {t(Key::RequestAnswerOpen)}
            </button>
            <div id=form_id.clone()>
                <Show when=move || unfolded.get()>{form.clone()}</Show>
            </div>
        }
        .into_any()
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
    place: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let queue = use_upload_queue();
    let target = Target { case_id: request.case_id.clone(), request_id: Some(request.id.clone()) };
    let draft_key = format!("bird-portal.draft.answer.{}", request.id);
    let draft = use_draft::<AnswerDraft>(draft_key.clone());
    let text = use_draft_field(draft, |d| &d.text, |d, v| d.text = v);
    let uploads = {
        let (queue, target) = (queue.clone(), target.clone());
        Signal::derive(move || queue.for_target(&target))
    };
    let on_files = {
        let (queue, target) = (queue.clone(), target.clone());
        Callback::new(move |files| queue.add(files, target.clone(), files_on_case.get_untracked()))
    };
    let submit = use_submit_with_options(
        move || answer_of(i18n, &uploads.get(), &text.get()),
        send_answer(request.clone()),
        move |detail: CaseDetail| {
            text.set(String::new());
            queue.clear_done(&target);
            on_answered.run(detail);
        },
        UseSubmitOptions::default().key_in(format!("{draft_key}.key")),
    );
    let picker_label = {
        let title = request.title.clone();
        Signal::derive(move || i18n.f(Key::RequestUploadFor, &[("title", &title)]))
    };

    view! {
        <SubmitForm submit class="form answer-form">
            <FilePicker id=format!("{place}files-{}", request.id) label=picker_label on_files />
            <UploadList uploads />
            <TextArea id=format!("{place}answer-{}", request.id) label=Key::RequestAnswer field=submit.field("text", text) />
            <SendFailure submit />
            <div class="form-actions">
                <SubmitButton submit label=Key::RequestSendAnswer primary=true />
            </div>
            <FormStatus submit sending=Key::ActionSending />
        </SubmitForm>
    }
}

/// The answer the form holds: its text and the files that are in. While a file is still on
/// its way, the text field says to wait for it.
fn answer_of(i18n: I18n, uploads: &[Upload], text: &str) -> Result<NewInformationAnswer, Refused> {
    let unfinished = uploads.iter().filter(|u| u.phase.with(Phase::is_pending)).count();
    if unfinished > 0 {
        return Err(vec![("text", i18n.f(Key::RequestWaitForFiles, &[("count", &unfinished.to_string())]))]);
    }
    let attachment_ids = uploads
        .iter()
        .filter_map(|u| match u.phase.get() {
            Phase::Done(a) => Some(a.id),
            _ => None,
        })
        .collect();
    let text = text.trim();
    checked(i18n, NewInformationAnswer { text: (!text.is_empty()).then(|| text.to_owned()), attachment_ids })
}

/// Sends an answer to `request`; the host hears that it was answered and that the case moved.
fn send_answer(
    request: InformationRequest,
) -> impl Fn(NewInformationAnswer, Option<String>) -> LocalBoxFuture<'static, Result<CaseDetail, ApiError>> {
    let api = use_api();
    let host = use_host();
    move |answer, key| {
        let (api, host, request) = (api.clone(), host.clone(), request.clone());
        Box::pin(async move {
            let detail = api.answer_request(&request.case_id, &request.id, &answer, &key.unwrap_or_default()).await?;
            host.emit(HostEvent::InformationRequestAnswered {
                case_id: request.case_id.clone(),
                request_id: request.id,
            });
            host.emit(HostEvent::CaseUpdated { case_id: detail.case.id.clone(), status: detail.case.status });
            Ok(detail)
        })
    }
}
