//! `/accounts/:account_id/cases/new`: open a case. What the person types is a draft in
//! browser storage until the case is open; files chosen here go up from the case page. With
//! `?follow_up_of=<case_id>` (from a resolved case) the new case follows that one up.

mod draft;
mod follow_up;
mod parts;

use super::labels;
use super::support_address::SupportAddress;
use crate::core::api::{use_api, use_view_abort};
use crate::core::host::{HostEvent, use_host};
use crate::core::i18n::{Key, t, use_i18n};
use crate::features::layout::{AccountEyebrow, use_route_account};
use crate::features::uploads::{Target, use_upload_queue};
use crate::ui::draft::{forget_draft, use_draft};
use crate::ui::form::{
    FormStatus, SelectField, SendFailure, SubmitButton, SubmitForm, TextArea, TextField, UseSubmitOptions,
    UseSubmitReturn, checked, use_submit_with_options,
};
use draft::{CaseDraft, CaseFields};
use follow_up::FollowUpNotice;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use parts::{AttachmentChooser, Config, SeverityHelp, TopicNotice};
use portal_contract::{AccountId, Case, CaseId, CaseKind, NewCase, Severity, Topic};
use send_wrapper::SendWrapper;

/// The route: the form of the account in the address, drawn afresh (with that account's
/// draft) when the account or the case it follows up changes.
#[component]
pub fn NewCasePage() -> impl IntoView {
    let account_id = use_route_account();
    let query = use_query_map();
    let follow_up_of =
        Memo::new(move |_| query.with(|q| q.get("follow_up_of")).filter(|id| !id.is_empty()).map(CaseId));
    move || view! { <NewCaseForm account_id=account_id.get() follow_up_of=follow_up_of.get() /> }
}

#[component]
fn NewCaseForm(account_id: AccountId, follow_up_of: Option<CaseId>) -> impl IntoView {
    let draft_key = format!("bird-portal.draft.new-case.{account_id}");
    let draft = use_draft::<CaseDraft>(draft_key.clone());
    let restored = draft.with_untracked(|d| !d.is_blank());
    let fields = CaseFields::of(draft);
    let attachments = RwSignal::new(Vec::<SendWrapper<web_sys::File>>::new());
    let config: Config = {
        let (api, abort) = (use_api(), use_view_abort());
        LocalResource::new(move || {
            let api = api.clone();
            async move { api.config(abort.signal()).await }
        })
    };
    let shown_account = Some(account_id.clone());
    let submit = use_open_case(account_id, draft_key, fields, attachments, follow_up_of.clone());

    view! {
        <section class="page page-form" aria-labelledby="new-case-title">
            <AccountEyebrow account_id=Signal::stored(shown_account) />
            <h1 id="new-case-title">{t(Key::NewcaseTitle)}</h1>
            <p class="lead">{t(Key::NewcaseIntro)}</p>
            <SupportAddress config />
            {follow_up_of.map(|original| view! { <FollowUpNotice original /> })}
            {restored.then(|| view! { <p class="notice notice-info" role="status">{t(Key::FormDraftRestored)}</p> })}
            <SendFailure submit />
            <SubmitForm submit>
                <SelectField id="case-kind" label=Key::LabelKind field=submit.field("kind", fields.kind) options=kinds() />
                <SelectField
                    id="case-severity"
                    label=Key::LabelSeverity
                    field=submit.field("severity", fields.severity)
                    options=severities()
                    described_by="case-severity-help"
                />
                <SeverityHelp severity=fields.severity config />
                <TextField id="case-subject" label=Key::LabelSubject field=submit.field("subject", fields.subject) required=true />
                <TextArea
                    id="case-description"
                    label=Key::CaseDescription
                    field=submit.field("description", fields.description)
                    hint=Key::NewcaseDescriptionHint
                    required=true
                />
                <SelectField id="case-topic" label=Key::NewcaseTopic field=submit.field("topic", fields.topic) options=topics() />
                <TopicNotice topic=fields.topic />
                <AttachmentChooser attachments config />
                <div class="form-actions">
                    <SubmitButton submit label=Key::NewcaseSubmit primary=true />
                    <button
                        type="button"
                        class="button-quiet"
                        on:click=move |_| {
                            fields.discard();
                            submit.reset();
                        }
                    >
                        {t(Key::NewcaseDiscard)}
                    </button>
                </div>
                <FormStatus submit sending=Key::NewcaseSubmitting />
            </SubmitForm>
        </section>
    }
}

fn kinds() -> Vec<(&'static str, Key)> {
    CaseKind::ALL.iter().map(|k| (k.as_str(), labels::kind(*k))).collect()
}

fn severities() -> Vec<(&'static str, Key)> {
    Severity::ALL.iter().map(|s| (s.as_str(), labels::severity(*s))).collect()
}

fn topics() -> Vec<(&'static str, Key)> {
    std::iter::once(("", Key::NewcaseTopicNone))
        .chain(Topic::ALL.iter().map(|t| (t.as_str(), labels::topic(*t))))
        .collect()
}

/// Opens the case (the same idempotency key for the same content, so a retry after a lost
/// answer opens exactly one), then goes to it; its files go up from there.
fn use_open_case(
    account_id: AccountId,
    draft_key: String,
    fields: CaseFields,
    attachments: RwSignal<Vec<SendWrapper<web_sys::File>>>,
    follow_up_of: Option<CaseId>,
) -> UseSubmitReturn {
    let i18n = use_i18n();
    let (api, host, queue, navigate) = (use_api(), use_host(), use_upload_queue(), use_navigate());
    let key_in = format!("{draft_key}.key");
    let opened = move |created: Case| {
        host.emit(HostEvent::CaseCreated { case_id: created.id.clone(), account_id: created.account_id.clone() });
        fields.discard();
        forget_draft(&draft_key);
        let files = attachments.get_untracked();
        if !files.is_empty() {
            queue.add(files, Target { case_id: created.id.clone(), request_id: None }, 0);
        }
        attachments.set(Vec::new());
        navigate(&format!("/cases/{}", created.id), Default::default());
    };
    use_submit_with_options(
        move || checked(i18n, NewCase { follow_up_of: follow_up_of.clone(), ..fields.new_case() }),
        move |case, key| {
            let (api, account_id) = (api.clone(), account_id.clone());
            async move { api.create_case(&account_id, &case, &key.unwrap_or_default()).await }
        },
        opened,
        UseSubmitOptions::default().key_in(key_in),
    )
}
