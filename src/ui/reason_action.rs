use super::{TextField, problem_text};
use crate::core::i18n::{Key, t, use_i18n};
use leptos::html::Textarea;
use leptos::prelude::*;
use portal_contract::{Reason, Validate};

/// A button that first opens a required text field, then sends it: "Not resolved" asks
/// "What is still not working?", "Escalate to TAM" asks for the reason. The text lives in the
/// caller's signal, so it survives a refresh of the page around it.
#[component]
pub fn ReasonAction(
    id: &'static str,
    button: Key,
    field: Key,
    text: RwSignal<String>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] error: Signal<Option<String>>,
    on_submit: Callback<String>,
    #[prop(optional)] primary: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(!text.get_untracked().is_empty());
    let textarea = NodeRef::<Textarea>::new();
    let local = RwSignal::new(None::<String>);
    let shown = Signal::derive(move || local.get().or_else(|| error.get()));
    let focus = move || {
        request_animation_frame(move || {
            if let Some(el) = textarea.get_untracked() {
                let _ = el.focus();
            }
        })
    };
    view! {
        <form
            class="reason-action"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                if !open.get_untracked() {
                    open.set(true);
                    focus();
                    return;
                }
                let reason = Reason { reason: text.get_untracked().trim().to_owned() };
                if let Some((_, problem)) = reason.problems().first() {
                    local.set(Some(problem_text(i18n, *problem)));
                    focus();
                    return;
                }
                local.set(None);
                if !pending.get_untracked() {
                    on_submit.run(reason.reason);
                }
            }
        >
            <Show when=move || open.get()>
                <TextField id label=field value=text error=shown multiline=true textarea_ref=textarea required=true />
            </Show>
            <button type="submit" class:button-primary=primary aria-disabled=move || pending.get().then_some("true")>
                {t(button)}
            </button>
        </form>
    }
}
