use crate::core::api::{ApiError, use_api};
use crate::core::i18n::{Key, t, use_i18n};
use crate::ui::draft::{SendKey, use_draft};
use crate::ui::{SendFailure, TextField, problem_text, server_problem_text};
use leptos::html::Textarea;
use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_contract::{CaseId, NewMessage, TimelineEvent, Validate};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct ReplyDraft {
    body: String,
    send_key: SendKey,
}

/// The words of the box: a customer's reply, or a TAM's progress update.
struct Words {
    title: Key,
    label: Key,
    send: Key,
    sent: Key,
}

const REPLY: Words =
    Words { title: Key::ReplyTitle, label: Key::ReplyLabel, send: Key::ReplySend, sent: Key::ReplySent };
const UPDATE: Words =
    Words { title: Key::UpdateTitle, label: Key::UpdateLabel, send: Key::UpdateSend, sent: Key::UpdateSent };

/// "Reply" and "Send reply" for the customer; "Progress update" and "Post update" for the
/// account's TAM. The draft is kept per case until it is sent.
#[component]
pub fn ReplyBox(
    case_id: CaseId,
    #[prop(into)] on_sent: Callback<TimelineEvent>,
    /// Post a progress update (Bird's side) instead of a reply.
    #[prop(optional)]
    update: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let words = if update { &UPDATE } else { &REPLY };
    let draft =
        use_draft::<ReplyDraft>(format!("bird-portal.draft.{}.{case_id}", if update { "update" } else { "reply" }));
    let body = RwSignal::new(draft.with_untracked(|d| d.body.clone()));
    Effect::new(move |_| {
        let text = body.get();
        draft.update(|d| d.body = text);
    });
    let problem = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let textarea = NodeRef::<Textarea>::new();

    let send = move || {
        let message = NewMessage { body: body.get_untracked().trim().to_owned() };
        sent.set(false);
        failure.set(None);
        if let Some((_, p)) = message.problems().first() {
            problem.set(Some(problem_text(i18n, *p)));
            if let Some(el) = textarea.get_untracked() {
                let _ = el.focus();
            }
            return;
        }
        problem.set(None);
        let mut key = String::new();
        draft.update(|d| key = d.send_key.for_content(&message.body));
        let (api, case_id) = (api.clone(), case_id.clone());
        pending.set(true);
        spawn_local(async move {
            match api.post_message(&case_id, &message, &key, update).await {
                Ok(event) => {
                    body.set(String::new());
                    draft.set(ReplyDraft::default());
                    sent.set(true);
                    on_sent.run(event);
                }
                Err(error) => {
                    problem.set(error.field("body").map(|f| server_problem_text(i18n, f)));
                    failure.set(Some(error));
                }
            }
            pending.set(false);
        });
    };
    let retry = send.clone();

    view! {
        <section class="reply" aria-labelledby="reply-title">
            <h2 id="reply-title">{t(words.title)}</h2>
            <SendFailure failure on_retry=Callback::new(move |_| retry()) />
            <form
                class="form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    if !pending.get_untracked() {
                        send();
                    }
                }
            >
                <TextField id="reply-body" label=words.label value=body error=problem multiline=true textarea_ref=textarea />
                <div class="form-actions">
                    <button type="submit" class="button-primary" aria-disabled=move || pending.get().then_some("true")>
                        {t(words.send)}
                    </button>
                </div>
                <p class="form-status" role="status">
                    {move || {
                        if pending.get() {
                            Some(i18n.t(Key::ReplySending))
                        } else {
                            sent.get().then(|| i18n.t(words.sent))
                        }
                    }}
                </p>
            </form>
        </section>
    }
}
