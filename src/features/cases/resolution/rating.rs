use crate::core::api::use_api;
use crate::core::i18n::{Key, t, use_i18n};
use crate::features::cases::action::CaseActions;
use crate::ui::form::{SendFailure, SubmitButton, SubmitForm, TextArea, checked};
use leptos::prelude::*;
use portal_contract::{CaseId, NewRating, Satisfaction};

/// "How was the support on this case?" 1–5 with an optional comment, once.
#[component]
pub fn RatingForm(case_id: CaseId, actions: CaseActions) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let rating = RwSignal::new(0u8);
    let comment = RwSignal::new(String::new());
    let submit = actions.submit(
        move || {
            let comment = comment.get().trim().to_owned();
            checked(i18n, NewRating { rating: rating.get(), comment: (!comment.is_empty()).then_some(comment) })
        },
        move |body| {
            let (api, id) = (api.clone(), case_id.clone());
            async move { api.rate(&id, &body).await }
        },
    );
    let problem = submit.error("rating");
    view! {
        <SubmitForm submit class="rating form">
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
                <p id="rating-error" class="field-error">{problem}</p>
            </fieldset>
            <TextArea id="rating-comment" label=Key::RatingComment field=submit.field("comment", comment) rows=3 />
            <SubmitButton submit label=Key::RatingSend />
            <SendFailure submit />
        </SubmitForm>
    }
}

/// The rating the customer gave, with their comment.
#[component]
pub fn GivenRating(given: Satisfaction) -> impl IntoView {
    let i18n = use_i18n();
    let text = i18n.f(Key::RatingGiven, &[("n", &given.rating.to_string())]);
    view! { <p class="rating-given"><strong>{text}</strong> {given.comment.map(|c| format!(" · {c}"))}</p> }
}
