//! Drafts: what a person is typing, kept in browser storage as they type, so a reload, a
//! failed send or an expired session loses nothing. A successful send clears it.

use crate::core::storage;
use leptos::prelude::*;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// A signal backed by browser storage under `key`. A stored value that no longer decodes (an
/// older shape) is ignored rather than breaking the form.
pub fn use_draft<T>(key: String) -> RwSignal<T>
where
    T: Serialize + DeserializeOwned + Default + Clone + PartialEq + Send + Sync + 'static,
{
    let initial: T = storage::get(&key).and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default();
    let draft = RwSignal::new(initial);
    Effect::new(move |previous: Option<()>| {
        let value = draft.get();
        // The first run only subscribes; writing the value just read back would be wasted work.
        if previous.is_some() {
            if value == T::default() {
                storage::remove(&key);
            } else if let Ok(text) = serde_json::to_string(&value) {
                storage::set(&key, &text);
            }
        }
    });
    draft
}

/// The idempotency key of a draft: the same key is sent on every retry of the same content,
/// so a double click or a retry after a timeout makes exactly one record; edited content gets
/// a new key, since it is a different request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SendKey {
    key: String,
    sent_as: String,
}

impl SendKey {
    pub fn for_content(&mut self, content: &str) -> String {
        if self.key.is_empty() || self.sent_as != content {
            self.key = new_idempotency_key();
            self.sent_as = content.to_owned();
        }
        self.key.clone()
    }
}

pub fn new_idempotency_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        // Whole numbers: formatting the float itself would add Rust's float printing to the wasm.
        .unwrap_or_else(|| format!("k-{}-{}", js_sys::Date::now() as u64, js_sys::Math::random().to_bits()))
}

/// One text of a draft as a signal of its own, for a field: written back into the draft (and
/// so into storage) as the person types.
pub fn use_draft_field<T>(draft: RwSignal<T>, get: fn(&T) -> &String, set: fn(&mut T, String)) -> RwSignal<String>
where
    T: Send + Sync + 'static,
{
    let field = RwSignal::new(draft.with_untracked(|d| get(d).clone()));
    Effect::new(move |_| {
        let value = field.get();
        if draft.with_untracked(|d| *get(d) != value) {
            draft.update(|d| set(d, value));
        }
    });
    field
}

/// Removes a sent draft from storage at once: the page may go (a new case opens its own) before
/// the effects that follow its emptied fields have run.
pub fn forget_draft(key: &str) {
    storage::remove(key);
}
