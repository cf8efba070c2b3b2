//! Who is signed in: the session state in context, and the paths that depend on it (home,
//! the way back after signing in). The sign-in page and the guard are the `sign_in` feature.

mod paths;
mod state;

pub use paths::{here, home_path, login_href, safe_next};
pub use state::{Session, SessionStatus, provide_session, provide_session_with, use_session};
