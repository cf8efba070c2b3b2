/// Runs `work` once the browser is idle, unless the current owner is cleaned up first (the page
/// was left, or the host unmounted the portal): nothing the view asked for outlives it.
pub fn when_idle(work: impl Fn() + 'static) {
    let handle = leptos::prelude::request_idle_callback_with_handle(work);
    leptos::prelude::on_cleanup(move || {
        if let Ok(handle) = handle {
            handle.cancel();
        }
    });
}
