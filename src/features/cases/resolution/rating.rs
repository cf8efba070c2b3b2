use crate::core::api::use_api;
use crate::core::i18n::{Key, t, use_i18n};
use crate::features::cases::action::CaseActionRunner;
use leptos::prelude::*;
use portal_contract::{CaseId, NewRating};

/// "How was the support on this case?" 1–5 with an optional comment, once.
#[component]
pub fn RatingForm(case_id: CaseId, runner: CaseActionRunner) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let rating = RwSignal::new(0u8);
    let comment = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    view! {
        <form
            class="rating form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                if rating.get_untracked() == 0 {
                    missing.set(true);
                    return;
                }
                missing.set(false);
                let body = NewRating {
                    rating: rating.get_untracked(),
                    comment: Some(comment.get_untracked().trim().to_owned()).filter(|c| !c.is_empty()),
                };
                let (api, id) = (api.clone(), case_id.clone());
                runner.run(None, async move { api.rate(&id, &body).await });
            }
        >
            <fieldset aria-describedby="rating-error">
                <legend>{t(Key::RatingLegend)}</legend>
                <div class="rating-choices">
                    {(1..=5u8)
                        .map(|n| {
                            view! {
                                <label class="rating-choice">
                                    <input type="radio" name="rating" value=n on:change=move |_| rating.set(n) />
                                    {move || i18n.f(Key::RatingValue, &[("n", &n.to_string())])}
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
                <p id="rating-error" class="field-error">{move || missing.get().then(|| i18n.t(Key::FieldInvalidChoice))}</p>
            </fieldset>
            <div class="field">
                <label for="rating-comment">{t(Key::RatingComment)}</label>
                <textarea id="rating-comment" rows="3" prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
            </div>
            <button type="submit" aria-disabled=move || runner.pending.get().then_some("true")>{t(Key::RatingSend)}</button>
        </form>
    }
}
