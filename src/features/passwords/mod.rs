//! Passwords: asking for a reset link when one is forgotten (`/reset-password`), setting a new
//! one through the emailed link (`/reset-password/:token`), and changing it while signed in
//! (the settings page's form). The first two are reached signed out.

mod change;
mod forgot_page;
mod new_password;
mod reset_page;

pub use change::ChangePasswordForm;
pub use forgot_page::ForgotPasswordPage;
pub use new_password::NewPasswordField;
pub use reset_page::ResetPasswordPage;
