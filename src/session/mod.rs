//! Who is signed in: the session state, the sign-in page, and the guard around every page
//! that needs a session.

mod guard;
mod login_page;
mod paths;
mod state;

pub use guard::RequireSession;
pub use login_page::LoginPage;
pub use paths::{here, home_path, login_href, safe_next};
pub use state::{Session, SessionStatus, provide_session, provide_session_with, use_session};
