use crate::core::i18n::{Key, t, use_i18n};
use leptos::prelude::*;
use portal_contract::CaseListQuery;

/// Which page of which filters is shown: the cursors of the pages before it and its own.
/// Kept with its query, so new filters start at page 1 with one fetch, not two.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Paging {
    pub query: CaseListQuery,
    pub earlier: Vec<Option<String>>,
    pub cursor: Option<String>,
}

impl Paging {
    /// The pages before the one shown and the cursor of the one shown, for `query`.
    pub fn position(&self, query: &CaseListQuery) -> (Vec<Option<String>>, Option<String>) {
        if self.query == *query { (self.earlier.clone(), self.cursor.clone()) } else { (Vec::new(), None) }
    }

    fn back(&self, query: CaseListQuery) -> Paging {
        let (mut earlier, _) = self.position(&query);
        let cursor = earlier.pop().flatten();
        Paging { query, earlier, cursor }
    }

    fn forward(&self, query: CaseListQuery, next: String) -> Paging {
        let (mut earlier, cursor) = self.position(&query);
        earlier.push(cursor);
        Paging { query, earlier, cursor: Some(next) }
    }
}

/// "Previous page", the page number, "Next page".
#[component]
pub fn Pager(paging: RwSignal<Paging>, query: Memo<CaseListQuery>, next: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let earlier = paging.with_untracked(|p| p.position(&query.get_untracked()).0.len());
    let number = earlier + 1;
    view! {
        <nav class="pagination" aria-label=move || i18n.t(Key::CasesPagination)>
            {(earlier > 0).then(|| view! {
                <button type="button" on:click=move |_| paging.update(|p| *p = p.back(query.get_untracked()))>
                    {t(Key::CasesPreviousPage)}
                </button>
            })}
            <span>{move || i18n.f(Key::CasesPage, &[("n", &number.to_string())])}</span>
            {next.map(|next| view! {
                <button type="button" on:click=move |_| paging.update(|p| *p = p.forward(query.get_untracked(), next.clone()))>
                    {t(Key::CasesNextPage)}
                </button>
            })}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_goes_forward_and_back_and_new_filters_start_at_page_one() {
        let all = CaseListQuery::default();
        let second = Paging::default().forward(all.clone(), "c2".into());
        assert_eq!(second.position(&all), (vec![None], Some("c2".into())));
        let third = second.forward(all.clone(), "c3".into());
        assert_eq!(third.position(&all), (vec![None, Some("c2".into())], Some("c3".into())));
        assert_eq!(third.back(all.clone()).position(&all), (vec![None], Some("c2".into())));
        let resolved = CaseListQuery { status: Some("resolved".into()), ..Default::default() };
        assert_eq!(third.position(&resolved), (Vec::new(), None));
    }
}
