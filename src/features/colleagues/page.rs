use super::controls::Viewer;
use super::invitations::OpenInvitations;
use super::invite_form::InviteForm;
use super::people::{ListedAccount, People};
use crate::core::api::{use_api, use_view_abort};
use crate::core::i18n::{Key, t, use_i18n};
use crate::core::session::use_session;
use crate::features::layout::{ForRouteAccount, use_route_account};
use crate::ui::loaded;
use leptos::prelude::*;
use portal_contract::Role;

/// `/accounts/:account_id/members`: the account's people, their role and since when; for its
/// admins, inviting colleagues, the invitations still open, changing roles and removing
/// colleagues; for each customer, leaving the account.
#[component]
pub fn ColleaguesPage() -> impl IntoView {
    view! {
        <ForRouteAccount>
            <Colleagues />
        </ForRouteAccount>
    }
}

#[component]
fn Colleagues() -> impl IntoView {
    let i18n = use_i18n();
    let (api, abort, session) = (use_api(), use_view_abort(), use_session());
    let account_id = use_route_account().get_untracked();
    let viewer = session.info().map(|info| Viewer::new(info.user.id, info.user.role, &info.accounts, &account_id));
    let viewer = viewer.unwrap_or(Viewer { id: "".into(), role: Role::Unknown, account_role: None });
    let data = {
        let account_id = account_id.clone();
        LocalResource::new(move || {
            let (api, id) = (api.clone(), account_id.clone());
            async move {
                let (account, members) =
                    futures::join!(api.account(&id, abort.signal()), api.members(&id, abort.signal()));
                Ok((account?, members?))
            }
        })
    };
    let reload = Callback::new(move |()| data.refetch());
    // What the last change did, said where it stays when the list is drawn again.
    let said = RwSignal::new(None::<String>);
    let manages = viewer.manages();
    // The form stands outside what the list's answer draws: asking for the list again after an
    // invitation must not take away the words that say it was sent.
    let invite = {
        let account_id = account_id.clone();
        manages.then(|| view! { <InviteForm account_id on_invited=reload /> })
    };
    view! {
        <section class="page colleagues-page" aria-labelledby="colleagues-title">
            <h1 id="colleagues-title">{t(Key::ColleaguesTitle)}</h1>
            <p class="page-status" role="status">{move || said.get()}</p>
            {loaded(data, move |(account, members)| {
                let name = account.name.clone();
                let intro = move || i18n.f(Key::ColleaguesIntro, &[("account", &name)]);
                let listed = ListedAccount { id: account.id.clone(), name: account.name.clone() };
                view! {
                    <p class="lead">{intro}</p>
                    <People members=members.data viewer=viewer.clone() account=listed reload said />
                }
            })}
            {invite}
            // Under the form, once the list is there; the list says why when it is not.
            {move || {
                let (account, members) = data.get().and_then(Result::ok).filter(|_| manages)?;
                Some(view! { <OpenInvitations account_id=account.id invitations=members.invitations on_revoked=reload /> })
            }}
        </section>
    }
}
