use leptos::prelude::*;

/// A button that shows and hides the element with id `controls` (the disclosure pattern):
/// `aria-expanded` tells screen readers which, and the caller's CSS draws the element by `open`.
#[component]
pub fn DisclosureButton(
    open: RwSignal<bool>,
    controls: &'static str,
    class: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class=class
            aria-controls=controls
            aria-expanded=move || if open.get() { "true" } else { "false" }
            on:click=move |_| open.update(|o| *o = !*o)
        >
            {children()}
        </button>
    }
}
