//! `use_submit`: what every form does when it is sent, in one place. Nothing goes out while
//! a field is refused, and focus moves to the first refused field; one request at a time; a
//! failure stays on screen with its request id and a retry; a retry of the same content sends
//! the same idempotency key, so it is recorded once. Named after leptos-use's hooks.

use super::problems::{FormField, Refused, server_problem_text};
use crate::core::api::ApiError;
use crate::core::i18n::{I18n, use_i18n};
use crate::core::storage;
use crate::ui::draft::SendKey;
use futures::future::LocalBoxFuture;
use leptos::html::Form;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;
use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// What `use_submit_with_options` takes besides the check, the send and the answer.
#[derive(Default)]
pub struct UseSubmitOptions {
    keys: Option<Rc<dyn Keys>>,
    on_failure: Option<Callback<ApiError>>,
    shown_by_caller: Option<fn(&ApiError) -> bool>,
}

impl UseSubmitOptions {
    /// Sends an idempotency key, kept in browser storage under `storage_key` (beside the
    /// draft) so that a retry after a reload still sends the same one.
    pub fn key_in(mut self, storage_key: String) -> Self {
        self.keys = Some(Rc::new(KeyStore::new(storage_key)));
        self
    }

    /// Runs after a failure is shown, for what the form does besides (a refused password is
    /// emptied; a case action that came too late reloads the case).
    pub fn on_failure(mut self, run: impl Fn(ApiError) + Send + Sync + 'static) -> Self {
        self.on_failure = Some(Callback::new(run));
        self
    }

    /// Failures that `mine` picks are shown by the caller (from `on_failure`), not by the
    /// form: a case action that came too late is reported where it stays on screen after the
    /// case reloads, since the form that sent it may not be offered any more.
    pub fn shown_by_caller(mut self, mine: fn(&ApiError) -> bool) -> Self {
        self.shown_by_caller = Some(mine);
        self
    }
}

/// A submitting form: its state, and `submit` to send it. Copy, so views hold it freely.
#[derive(Clone, Copy)]
pub struct UseSubmitReturn {
    /// A request is on its way; a submit meanwhile is ignored.
    pub pending: Signal<bool>,
    /// Why the last send failed, request id included; cleared by the next submit.
    pub failure: Signal<Option<ApiError>>,
    /// The last send succeeded (for "Your reply was sent."); cleared by the next submit.
    pub sent: Signal<bool>,
    /// Checks the form and sends it; also the retry, which sends the same key for the same
    /// content.
    pub submit: Callback<()>,
    /// The `<form>`, where focus goes to the first refused field.
    pub node: NodeRef<Form>,
    problems: Problems,
    failed: RwSignal<Option<ApiError>>,
}

impl UseSubmitReturn {
    /// The form's field `name` (its name in the request body), holding `value`.
    pub fn field(&self, name: &'static str, value: RwSignal<String>) -> FormField {
        let problems = self.problems;
        FormField {
            value: value.into(),
            set: Callback::new(move |text: String| {
                problems.edited(name);
                value.set(text);
            }),
            error: problems.error(name),
        }
    }

    /// Forgets what the last submit found and why it failed: the person emptied the form.
    pub fn reset(&self) {
        self.problems.marks.set(Marks::default());
        self.failed.set(None);
    }

    /// The problem of field `name`, for a field drawn by the form itself (a radio group).
    pub fn error(&self, name: &'static str) -> Signal<Option<String>> {
        self.problems.error(name)
    }
}

/// Which fields show a problem. A submit marks the fields the check refuses; a marked field's
/// words follow its value as the person types and go as soon as the check accepts it. What
/// the server refused stays until the person changes that field.
#[derive(Clone, Copy)]
struct Problems {
    now: Memo<Refused>,
    marks: RwSignal<Marks>,
}

#[derive(Default)]
struct Marks {
    /// The fields the check refused at the last submit.
    refused: Vec<&'static str>,
    /// What the server said, field by field.
    server: Vec<(String, String)>,
}

impl Problems {
    fn error(self, name: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || {
            let (server, refused) = self.marks.with(|m| {
                let server = m.server.iter().find(|(f, _)| f == name).map(|(_, text)| text.clone());
                (server, m.refused.contains(&name))
            });
            server.or_else(|| {
                refused.then(|| self.now.with(|now| now.iter().find(|(f, _)| *f == name).map(|(_, t)| t.clone())))?
            })
        })
    }

    fn edited(self, name: &'static str) {
        if self.marks.with_untracked(|m| m.server.iter().any(|(f, _)| f == name)) {
            self.marks.update(|m| m.server.retain(|(f, _)| f != name));
        }
    }
}

/// Where a form's idempotency keys come from. Behind a trait object made by `key_in`, so the
/// first load (whose sign-in form sends no key) does not carry the code.
trait Keys {
    fn for_content(&self, content: &str) -> String;
    /// The content was recorded: the same words sent again later are a new request.
    fn forget(&self);
}

/// The idempotency key of the content being sent, in memory and in browser storage: a
/// retry, even after a reload, sends the same key; new content gets a new one.
struct KeyStore {
    storage_key: String,
    current: StoredValue<SendKey>,
}

impl KeyStore {
    fn new(storage_key: String) -> Self {
        let stored = storage::get(&storage_key).and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default();
        KeyStore { storage_key, current: StoredValue::new(stored) }
    }
}

impl Keys for KeyStore {
    fn for_content(&self, content: &str) -> String {
        let mut key = String::new();
        self.current.update_value(|k| key = k.for_content(content));
        if let Ok(text) = serde_json::to_string(&self.current.get_value()) {
            storage::set(&self.storage_key, &text);
        }
        key
    }

    fn forget(&self) {
        self.current.set_value(SendKey::default());
        storage::remove(&self.storage_key);
    }
}

/// A send under way; its answer is handed to the form once the submit's own state is settled.
type Attempt = LocalBoxFuture<'static, Result<Box<dyn FnOnce()>, ApiError>>;
/// Checks the form and, if it passes, starts sending it (with the key store, if keyed).
type Start = Box<dyn Fn(Option<&dyn Keys>) -> Result<Attempt, Refused>>;

/// `use_submit_with_options` with the default options: no idempotency key.
pub fn use_submit<B, A, F>(
    check: impl Fn() -> Result<B, Refused> + Send + Sync + 'static,
    send: impl Fn(B, Option<String>) -> F + 'static,
    on_sent: impl Fn(A) + 'static,
) -> UseSubmitReturn
where
    B: Serialize + 'static,
    A: 'static,
    F: Future<Output = Result<A, ApiError>> + 'static,
{
    use_submit_with_options(check, send, on_sent, UseSubmitOptions::default())
}

/// A form's submit: `check` reads the fields (tracked, so a refused field's words follow its
/// value) and builds the request body or refuses fields; `send` sends the body, with the
/// idempotency key when the options keep one; `on_sent` takes the answer.
pub fn use_submit_with_options<B, A, F>(
    check: impl Fn() -> Result<B, Refused> + Send + Sync + 'static,
    send: impl Fn(B, Option<String>) -> F + 'static,
    on_sent: impl Fn(A) + 'static,
    options: UseSubmitOptions,
) -> UseSubmitReturn
where
    B: Serialize + 'static,
    A: 'static,
    F: Future<Output = Result<A, ApiError>> + 'static,
{
    let check = Arc::new(check);
    let refused = {
        let check = check.clone();
        Memo::new(move |_| check().err().unwrap_or_default())
    };
    let on_sent = Rc::new(on_sent);
    let start: Start = Box::new(move |keys: Option<&dyn Keys>| {
        let body = untrack(|| check())?;
        let key = keys.map(|keys| keys.for_content(&serde_json::to_string(&body).unwrap_or_default()));
        let answer = send(body, key);
        let on_sent = on_sent.clone();
        Ok(Box::pin(async move {
            let answer = answer.await?;
            Ok(Box::new(move || on_sent(answer)) as Box<dyn FnOnce()>)
        }))
    });
    submitter(refused, start, options)
}

/// The part of every submit that does not depend on the form's types.
fn submitter(now: Memo<Refused>, start: Start, options: UseSubmitOptions) -> UseSubmitReturn {
    let state = State {
        i18n: use_i18n(),
        pending: RwSignal::new(false),
        failure: RwSignal::new(None),
        sent: RwSignal::new(false),
        problems: Problems { now, marks: RwSignal::new(Marks::default()) },
        node: NodeRef::new(),
        sender: StoredValue::new_local(Sender { start, keys: options.keys }),
        on_failure: options.on_failure,
        shown_by_caller: options.shown_by_caller,
    };
    UseSubmitReturn {
        pending: state.pending.into(),
        failure: state.failure.into(),
        sent: state.sent.into(),
        submit: Callback::new(move |()| state.submit()),
        node: state.node,
        problems: state.problems,
        failed: state.failure,
    }
}

#[derive(Clone, Copy)]
struct State {
    i18n: I18n,
    pending: RwSignal<bool>,
    failure: RwSignal<Option<ApiError>>,
    sent: RwSignal<bool>,
    problems: Problems,
    node: NodeRef<Form>,
    sender: StoredValue<Sender, LocalStorage>,
    on_failure: Option<Callback<ApiError>>,
    shown_by_caller: Option<fn(&ApiError) -> bool>,
}

/// How this form starts a send, and where its keys come from.
struct Sender {
    start: Start,
    keys: Option<Rc<dyn Keys>>,
}

impl State {
    fn submit(self) {
        if self.pending.get_untracked() {
            return;
        }
        self.failure.set(None);
        self.sent.set(false);
        match self.sender.with_value(|sender| (sender.start)(sender.keys.as_deref())) {
            Ok(attempt) => {
                self.problems.marks.set(Marks::default());
                self.pending.set(true);
                spawn_local(self.settle(attempt));
            }
            Err(refused) => {
                let refused = refused.iter().map(|(field, _)| *field).collect();
                self.problems.marks.set(Marks { refused, server: Vec::new() });
                focus_first(self.node, "[aria-invalid=true]");
            }
        }
    }

    async fn settle(self, attempt: Attempt) {
        let result = attempt.await;
        // The form went while its request was out (the person left the page). Nothing is
        // shown, and the key stays with the draft: sending it again is recorded once.
        if self.pending.is_disposed() {
            return;
        }
        self.pending.set(false);
        match result {
            Ok(deliver) => {
                self.sender.with_value(|sender| sender.keys.as_ref().map(|keys| keys.forget()));
                self.sent.set(true);
                deliver();
            }
            Err(error) => {
                if let ApiError::Validation { fields, .. } = &error {
                    let words = fields.iter().map(|f| (f.param.clone(), server_problem_text(self.i18n, f))).collect();
                    self.problems.marks.set(Marks { refused: Vec::new(), server: words });
                    focus_first(self.node, "[aria-invalid=true]");
                }
                if !self.shown_by_caller.is_some_and(|mine| mine(&error)) {
                    self.failure.set(Some(error.clone()));
                }
                if let Some(on_failure) = self.on_failure {
                    on_failure.run(error);
                }
            }
        }
    }
}

/// Moves focus to the first element of the form that matches `selector`, once the page has
/// drawn what the last change of state shows (a refused field's mark, a field just opened).
pub fn focus_first(form: NodeRef<Form>, selector: &'static str) {
    request_animation_frame(move || {
        let found = form.get_untracked().and_then(|form| form.query_selector(selector).ok().flatten());
        if let Some(element) = found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = element.focus();
        }
    });
}
