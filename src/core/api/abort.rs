use leptos::prelude::*;
use send_wrapper::SendWrapper;
use web_sys::{AbortController, AbortSignal};

/// Ties requests to the view that started them: when the view goes away, they are aborted,
/// so a slow answer can never land in a page the person has left.
#[derive(Clone, Copy)]
pub struct ViewAbort {
    controller: StoredValue<Option<SendWrapper<AbortController>>, LocalStorage>,
}

impl ViewAbort {
    pub fn signal(&self) -> Option<AbortSignal> {
        self.controller.with_value(|c| c.as_ref().map(|c| c.signal()))
    }
}

/// Call once in a component; pass `.signal()` to every request the component makes.
pub fn use_view_abort() -> ViewAbort {
    let controller = AbortController::new().ok().map(SendWrapper::new);
    let on_drop = controller.clone();
    on_cleanup(move || {
        if let Some(c) = on_drop {
            c.abort();
        }
    });
    ViewAbort { controller: StoredValue::new_local(controller) }
}
