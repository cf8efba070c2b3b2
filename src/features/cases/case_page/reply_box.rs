use crate::core::api::use_api;
use crate::core::i18n::{Key, t};
use crate::ui::draft::{use_draft, use_draft_field};
use crate::ui::form::{
    FormStatus, SendFailure, SubmitButton, SubmitForm, TextArea, UseSubmitOptions, checked, use_submit_with_options,
};
use leptos::prelude::*;
use portal_contract::{CaseId, EventKind, NewMessage, TimelineEvent};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct ReplyDraft {
    body: String,
}

/// The words of the box: a reply, or Bird's progress update.
struct Words {
    draft: &'static str,
    title: Key,
    label: Key,
    send: Key,
    sent: Key,
}

const REPLY: Words = Words {
    draft: "reply",
    title: Key::ReplyTitle,
    label: Key::ReplyLabel,
    send: Key::ReplySend,
    sent: Key::ReplySent,
};
const UPDATE: Words = Words {
    draft: "update",
    title: Key::UpdateTitle,
    label: Key::UpdateLabel,
    send: Key::UpdateSend,
    sent: Key::UpdateSent,
};

/// "Reply" and "Send reply", or "Progress update" and "Post update" (`kind`, a post the
/// person's role may make: `rules::may_post`). The draft is kept per case until it is sent.
/// A reply on a `resolved` case says that the case stays resolved.
#[component]
pub fn ReplyBox(
    case_id: CaseId,
    kind: EventKind,
    #[prop(into)] resolved: Signal<bool>,
    #[prop(into)] on_sent: Callback<TimelineEvent>,
) -> impl IntoView {
    let i18n = crate::core::i18n::use_i18n();
    let api = use_api();
    let update = kind == EventKind::ProgressUpdate;
    let words = if update { &UPDATE } else { &REPLY };
    let done = Memo::new(move |_| if resolved.get() && !update { Key::ReplySentResolved } else { words.sent });
    let draft_key = format!("bird-portal.draft.{}.{case_id}", words.draft);
    let draft = use_draft::<ReplyDraft>(draft_key.clone());
    let body = use_draft_field(draft, |d| &d.body, |d, v| d.body = v);
    let submit = use_submit_with_options(
        move || checked(i18n, NewMessage { body: body.get().trim().to_owned() }),
        move |message, key| {
            let (api, case_id) = (api.clone(), case_id.clone());
            async move { api.post_message(&case_id, &message, &key.unwrap_or_default(), update).await }
        },
        move |event| {
            body.set(String::new());
            on_sent.run(event);
        },
        UseSubmitOptions::default().key_in(format!("{draft_key}.key")),
    );

    view! {
        <section class="reply" aria-labelledby="reply-title">
            <h2 id="reply-title">{t(words.title)}</h2>
            <SendFailure submit />
            <SubmitForm submit>
                <TextArea id="reply-body" label=words.label field=submit.field("body", body) />
                <div class="form-actions">
                    <SubmitButton submit label=words.send primary=true />
                </div>
                {move || view! { <FormStatus submit sending=Key::ReplySending done=done.get() /> }}
            </SubmitForm>
        </section>
    }
}
