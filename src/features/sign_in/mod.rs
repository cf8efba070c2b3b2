//! Signing in: the sign-in page, and the guard around every page that needs a session.

mod guard;
mod login_page;

pub use guard::RequireSession;
pub use login_page::LoginPage;
