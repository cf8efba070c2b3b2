use super::filters;
use crate::core::i18n::{Key, t, use_i18n};
use crate::features::cases::labels;
use crate::ui::DisclosureButton;
use crate::ui::form::{FormField, SelectField};
use leptos::prelude::*;
use portal_contract::{AccountId, CaseKind, CaseListQuery, CaseSort, CaseStatus, Severity};

/// The list's filters as they stand in the URL, and how to change them: every change is a
/// new URL (replacing the current entry), so a list can be shared and survives a reload.
#[derive(Clone, Copy)]
pub struct Filters {
    pub query: Memo<CaseListQuery>,
    pub account_id: Memo<AccountId>,
    go: Callback<CaseListQuery>,
}

impl Filters {
    pub fn new(query: Memo<CaseListQuery>, account_id: Memo<AccountId>, go: Callback<CaseListQuery>) -> Self {
        Filters { query, account_id, go }
    }

    pub fn change(&self, change: impl FnOnce(&mut CaseListQuery)) {
        let mut query = self.query.get_untracked();
        change(&mut query);
        self.go.run(query);
    }

    /// A select of the bar: filter `key`, its choices after the one for "any".
    fn select(
        self,
        key: &'static str,
        any: Key,
        choices: Vec<(&'static str, Key)>,
    ) -> (FormField, Vec<(&'static str, Key)>) {
        let value = Signal::derive(move || self.query.with(|q| filters::get(q, key)));
        let set = Callback::new(move |value: String| self.change(|q| filters::set(q, key, &value)));
        (FormField::unchecked(value, set), std::iter::once(("", any)).chain(choices).collect())
    }
}

/// The search field and the selects; Enter (or Apply) hands the text to the server, which
/// also searches descriptions. Typing filters at once (see `instant`).
#[component]
pub fn FilterBar(filters: Filters, search_text: RwSignal<String>, on_search_focus: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let (status, statuses) = filters.select(
        "status",
        Key::CasesAny,
        CaseStatus::ALL.iter().map(|s| (s.as_str(), labels::status(*s))).collect(),
    );
    let (kind, kinds) =
        filters.select("kind", Key::CasesAny, CaseKind::ALL.iter().map(|k| (k.as_str(), labels::kind(*k))).collect());
    let (severity, severities) = filters.select(
        "severity",
        Key::CasesAny,
        Severity::ALL.iter().map(|s| (s.as_str(), labels::severity(*s))).collect(),
    );
    let orders = CaseSort::ALL.iter().filter(|s| **s != CaseSort::UpdatedDesc).map(|s| (s.as_str(), labels::sort(*s)));
    let (sort, orders) = filters.select("sort", Key::SortUpdatedDesc, orders.collect());
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = search_text.get_untracked();
        filters.change(|q| filters::set(q, "q", &text));
    };
    let clear = move |_| {
        search_text.set(String::new());
        filters.change(|q| *q = CaseListQuery::default());
    };
    // On a narrow screen the bar folds behind "Filters" (CSS shows the button there only), so
    // the cases are on the first screen.
    let open = RwSignal::new(false);
    view! {
        <DisclosureButton open controls="case-filters" class="filters-toggle">
            {t(Key::CasesFilters)}
        </DisclosureButton>
        <form
            id="case-filters"
            class="filters"
            class:filters-open=move || open.get()
            role="search"
            aria-label=move || i18n.t(Key::CasesFilters)
            on:submit=search
        >
            <div class="field field-search">
                <label for="filter-q">{t(Key::CasesSearch)}</label>
                <input
                    id="filter-q"
                    type="search"
                    aria-describedby="filter-q-hint"
                    prop:value=move || search_text.get()
                    on:focus=move |_| on_search_focus.run(())
                    on:input=move |ev| search_text.set(event_target_value(&ev))
                />
                <p id="filter-q-hint" class="hint">{t(Key::CasesSearchHint)}</p>
            </div>
            <SelectField id="filter-status" label=Key::LabelStatus field=status options=statuses />
            <SelectField id="filter-kind" label=Key::LabelKind field=kind options=kinds />
            <SelectField id="filter-severity" label=Key::LabelSeverity field=severity options=severities />
            <SelectField id="filter-sort" label=Key::CasesSort field=sort options=orders />
            <div class="filter-actions">
                <button type="submit">{t(Key::CasesApply)}</button>
                <button type="button" class="button-quiet" on:click=clear>{t(Key::CasesClearFilters)}</button>
            </div>
        </form>
    }
}
