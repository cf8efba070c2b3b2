//! One writer per upload at a time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

#[derive(Default)]
struct Slot {
    busy: bool,
}

#[derive(Default)]
pub struct Slots {
    slots: Mutex<HashMap<String, Slot>>,
}

impl Slots {
    /// The upload for this request alone, or `None` while another request holds it.
    pub fn acquire(self: &Arc<Self>, upload_id: &str) -> Option<SlotGuard> {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let slot = slots.entry(upload_id.to_owned()).or_default();
        if slot.busy {
            return None;
        }
        slot.busy = true;
        Some(SlotGuard { slots: self.clone(), upload_id: upload_id.to_owned() })
    }

    pub fn is_busy(&self, upload_id: &str) -> bool {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner).get(upload_id).is_some_and(|s| s.busy)
    }

    /// Forgets an upload that finished, was terminated or expired.
    pub fn forget(&self, upload_id: &str) {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner).remove(upload_id);
    }
}

/// Held while a request writes to an upload; released when dropped, whatever happened.
pub struct SlotGuard {
    slots: Arc<Slots>,
    upload_id: String,
}

impl Drop for SlotGuard {
    fn drop(&mut self) {
        let mut slots = self.slots.slots.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(slot) = slots.get_mut(&self.upload_id) {
            slot.busy = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_writer_at_a_time_and_released_on_drop() {
        let slots = Arc::new(Slots::default());
        let first = slots.acquire("upl_1");
        assert!(first.is_some());
        assert!(slots.acquire("upl_1").is_none());
        assert!(slots.acquire("upl_2").is_some());
        drop(first);
        assert!(slots.acquire("upl_1").is_some());
    }
}
