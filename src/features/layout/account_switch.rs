use super::use_current_account;
use crate::core::host::link;
use crate::core::i18n::{Key, use_i18n};
use crate::core::session::use_session;
use crate::ui::DisclosureButton;
use leptos::html::Div;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use portal_contract::{AccountId, SessionAccount};

/// What the switcher's button reads: the account on screen, or a prompt when no page has
/// named one yet (the list of accounts).
pub fn switcher_label(accounts: &[SessionAccount], current: Option<&AccountId>) -> Option<String> {
    current.and_then(|id| accounts.iter().find(|a| &a.id == id)).map(|a| a.name.clone())
}

/// For a person who sees two accounts or more: which one is on screen, and links to the
/// others' pages. A disclosure of links rather than a select, so moving through the choices
/// with the keyboard never leaves the page; Escape folds it and gives focus back.
#[component]
pub fn AccountSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let current = use_current_account();
    let accounts = Memo::new(move |_| session.accounts());
    let open = RwSignal::new(false);
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        open.set(false);
    });
    let root = NodeRef::<Div>::new();
    let fold = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            open.set(false);
            let button = root.get_untracked().and_then(|r| r.query_selector("button").ok().flatten());
            if let Some(button) = button.and_then(|b| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(b).ok()) {
                let _ = button.focus();
            }
        }
    };
    // Focus leaving the switcher (a click elsewhere, Tab past its last link) folds it.
    let left = move |ev: leptos::ev::FocusEvent| {
        let to = ev.related_target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Node>(t).ok());
        let inside = root.get_untracked().is_some_and(|r| to.is_some_and(|to| r.contains(Some(&to))));
        if !inside {
            open.set(false);
        }
    };
    let label = move || {
        current
            .0
            .with(|id| accounts.with(|a| switcher_label(a, id.as_ref())))
            .unwrap_or_else(|| i18n.t(Key::NavAccountChoose).to_owned())
    };
    move || {
        (accounts.with(Vec::len) > 1).then(|| view! {
            <nav class="account-switch" aria-label=move || i18n.t(Key::NavAccountSwitch)>
                <div node_ref=root on:keydown=fold on:focusout=left>
                    <DisclosureButton open controls="account-switch-list" class="account-switch-button">
                        <span class="account-switch-current">{label}</span>
                        <span class="account-switch-caret" aria-hidden="true"></span>
                    </DisclosureButton>
                    <ul id="account-switch-list" class="account-switch-list" hidden=move || !open.get()>
                        <For each=move || accounts.get() key=|a| a.id.clone() let:account>
                            {
                                // The router follows a plain link as it does `A`; `A` would mark only the
                                // account page itself as current, not the account's other pages.
                                let id = account.id.clone();
                                let here = move || current.0.with(|c| c.as_ref() == Some(&id)).then_some("true");
                                view! {
                                    <li>
                                        <a href=link(format!("/accounts/{}", account.id)) aria-current=here>{account.name.clone()}</a>
                                    </li>
                                }
                            }
                        </For>
                    </ul>
                </div>
            </nav>
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_button_names_the_account_on_screen() {
        let accounts = vec![
            SessionAccount { id: "acc_acme".into(), name: "Acme Mail".into(), role: None },
            SessionAccount { id: "acc_globex".into(), name: "Globex Retail".into(), role: None },
        ];
        assert_eq!(switcher_label(&accounts, Some(&"acc_globex".into())).as_deref(), Some("Globex Retail"));
        assert_eq!(switcher_label(&accounts, None), None);
        assert_eq!(switcher_label(&accounts, Some(&"acc_other".into())), None);
    }
}
