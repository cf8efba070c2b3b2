//! The pages outside the first load, fetched when first shown.
//!
//! The first load carries the shell and sign-in: what a person needs to sign in. With the
//! `split` feature (the release build) every page behind sign-in, and
//! the two ways into an embedding host (`embed::mount`, `embed::frame`), is a split point: its
//! code, and the code only it reaches, is cut into its own wasm chunk after the build
//! (`xtask/src/split.rs`). Once a person has signed in and the browser is idle, the chunks are
//! fetched in the background, so moving to another page seldom waits; when it
//! does, the page says it is loading, and a chunk that cannot be fetched is a failure with a
//! way forward, never a panic.
//!
//! Architecture Invariant: a page reached through `OnDemand` is not named anywhere in the
//! first load's code except here; naming it elsewhere would pull its code back into the main
//! module and the split would silently stop paying.

use crate::core::api::ApiError;
use crate::features::accounts::{AccountPage, AccountsPage};
use crate::features::cases::{CaseListPage, CasePage, NewCasePage};
use crate::features::colleagues::{ColleaguesPage, InvitationPage};
use crate::features::passwords::{ForgotPasswordPage, ResetPasswordPage};
use crate::features::settings::SettingsPage;
use crate::features::tam::TamPage;
use crate::ui::{ErrorView, Loading, when_idle};
use futures::FutureExt as _;
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

type Loaded = Result<AnyView, SplitLoaderError>;

/// Defines `async fn $name(…) -> Result<T, E>`; with the `split` feature its body lives in the
/// wasm chunk `$chunk` and a failed fetch of the chunk is an `Err` (`E: From<SplitLoaderError>`).
macro_rules! split_fn {
    ($chunk:ident, fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty $body:block) => {
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($chunk, fallible, wasm_split_path = ::leptos::wasm_split)]
        fn $name($($arg: $ty),*) -> $ret $body

        #[cfg(not(feature = "split"))]
        async fn $name($($arg: $ty),*) -> $ret $body
    };
}
pub(crate) use split_fn;

/// One page's split point: `$load` draws the page once its chunk is there, `$preload` only
/// fetches it.
macro_rules! split_point {
    ($chunk:ident, $load:ident, $preload:ident, $page:ident) => {
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($chunk, fallible, preload($preload), wasm_split_path = ::leptos::wasm_split)]
        fn $load() -> Loaded {
            Ok(view! { <$page /> }.into_any())
        }

        #[cfg(not(feature = "split"))]
        async fn $load() -> Loaded {
            Ok(view! { <$page /> }.into_any())
        }

        #[cfg(not(feature = "split"))]
        async fn $preload() -> Result<(), SplitLoaderError> {
            Ok(())
        }
    };
}

/// The split points, the `Page` enum and its `load` and `preload`, from one list.
macro_rules! pages {
    ($($page:ident => $chunk:ident, $load:ident, $preload:ident, $component:ident;)*) => {
        $(split_point!($chunk, $load, $preload, $component);)*

        /// A page whose code may not be loaded yet.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(usize)]
        pub enum Page {
            $($page),*
        }

        impl Page {
            /// Every page, in the order of the list.
            pub const ALL: &[Page] = &[$(Page::$page),*];

            async fn load(self) -> Loaded {
                match self {
                    $(Page::$page => $load().await),*
                }
            }

            async fn preload(self) -> Result<(), SplitLoaderError> {
                match self {
                    $(Page::$page => $preload().await),*
                }
            }
        }
    };
}

// In the order a person is likely to want them, which is the order they are fetched in the
// background. The account page comes first: it is where signing in lands, and the sign-in page
// fetches it while the person types (`prefetch`).
pages! {
    Account => account_page, load_account_page, preload_account_page, AccountPage;
    Case => case_page, load_case_page, preload_case_page, CasePage;
    CaseList => case_list_page, load_case_list_page, preload_case_list_page, CaseListPage;
    NewCase => new_case_page, load_new_case_page, preload_new_case_page, NewCasePage;
    Tam => tam_page, load_tam_page, preload_tam_page, TamPage;
    Accounts => accounts_page, load_accounts_page, preload_accounts_page, AccountsPage;
    Settings => settings_page, load_settings_page, preload_settings_page, SettingsPage;
    ForgotPassword => forgot_password_page, load_forgot_password_page, preload_forgot_password_page, ForgotPasswordPage;
    ResetPassword => reset_password_page, load_reset_password_page, preload_reset_password_page, ResetPasswordPage;
    Colleagues => colleagues_page, load_colleagues_page, preload_colleagues_page, ColleaguesPage;
    Invitation => invitation_page, load_invitation_page, preload_invitation_page, InvitationPage;
}

impl Page {
    /// The page a person is likely to open from this one, fetched as soon as this one is
    /// drawn and the browser is idle: a case from the list, the new case once it is sent.
    fn next(self) -> Option<Page> {
        match self {
            Page::CaseList | Page::NewCase => Some(Page::Case),
            _ => None,
        }
    }

    /// Whether a signed-in person may want the page: the pages of a forgotten password and of
    /// an emailed invitation are for the signed out, and are not fetched in the background
    /// after signing in.
    fn behind_sign_in(self) -> bool {
        !matches!(self, Page::ForgotPassword | Page::ResetPassword | Page::Invitation)
    }
}

/// Fetches every page's chunk once the page the person signed in to has had time to draw and
/// the browser is idle: the background fetch must not compete with it.
///
/// The wait belongs to the calling owner: a portal unmounted before it ends (a host's
/// dashboard switching views) leaves no timer or idle callback behind in the host's page.
pub fn preload_soon() {
    let wanted = || Page::ALL.iter().copied().filter(|page| page.behind_sign_in());
    if wanted().all(is_loaded) {
        return;
    }
    // The timer runs outside the reactive tree; the idle wait it starts is the owner's again.
    let owner = Owner::current().map(|owner| owner.downgrade());
    let timer = set_timeout_with_handle(
        move || {
            if let Some(owner) = owner.and_then(|owner| owner.upgrade()) {
                owner.with(|| fetch_when_idle(wanted()));
            }
        },
        PRELOAD_AFTER,
    );
    on_cleanup(move || {
        if let Ok(timer) = timer {
            timer.clear();
        }
    });
}

/// Fetches `page`'s chunk once the browser is idle, unless it is there: the page a person is
/// about to see next (the account page while they sign in).
pub fn prefetch(page: Page) {
    if !is_loaded(page) {
        fetch_when_idle([page]);
    }
}

/// Fetches `pages`' chunks one after the other once the browser is idle. A failure is left for
/// the page itself to report if the person goes there.
fn fetch_when_idle(pages: impl IntoIterator<Item = Page> + Clone + 'static) {
    when_idle(move || {
        let pages = pages.clone();
        leptos::task::spawn_local(async move {
            for page in pages {
                let _ = fetch(page).await;
            }
        })
    });
}

const PRELOAD_AFTER: std::time::Duration = std::time::Duration::from_millis(1500);

thread_local! {
    static LOADED: std::cell::Cell<[bool; Page::ALL.len()]> = const { std::cell::Cell::new([false; Page::ALL.len()]) };
}

fn is_loaded(page: Page) -> bool {
    !cfg!(feature = "split") || LOADED.get()[page as usize]
}

/// Fetches `page`'s chunk unless it is there; the loader shares one fetch between callers.
async fn fetch(page: Page) -> Result<(), SplitLoaderError> {
    page.preload().await?;
    LOADED.with(|loaded| {
        let mut now = loaded.get();
        now[page as usize] = true;
        loaded.set(now);
    });
    Ok(())
}

/// Draws `page`, fetching its code first if it is not loaded: "Loading…" meanwhile, and the
/// shared error view with "Try again" if the fetch fails.
///
/// The page is drawn in this component's render closure, not in a `Suspend`: a view built
/// inside a future outlives the owner of its signals when the route changes under it (a
/// session that ends mid-submit), and its render effects would read disposed signals.
#[component]
pub fn OnDemand(page: Page) -> impl IntoView {
    let attempt = RwSignal::new(0_u32);
    let fetched = LocalResource::new(move || {
        attempt.track();
        fetch(page)
    });
    move || {
        // `fetch` marks the page loaded, so the resource is read (and tracked) only until then.
        if !is_loaded(page) {
            match fetched.get() {
                None => return view! { <Loading /> }.into_any(),
                Some(Err(_)) => return failed(attempt),
                Some(Ok(())) => {}
            }
        }
        // Loaded, the split function's future is ready when first polled: the page's code
        // runs here, synchronously, owned like any child.
        match page.load().now_or_never() {
            Some(Ok(view)) => {
                if let Some(next) = page.next().filter(|&next| !is_loaded(next)) {
                    fetch_when_idle([next]);
                }
                view
            }
            _ => failed(attempt),
        }
    }
}

fn failed(attempt: RwSignal<u32>) -> AnyView {
    let retry = Callback::new(move |_| attempt.update(|n| *n += 1));
    view! {
        <section class="page">
            <ErrorView error=ApiError::PageCode on_retry=retry />
        </section>
    }
    .into_any()
}
