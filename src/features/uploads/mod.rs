//! Uploads: the resumable (tus) queue, the file picker with its drop zone, the progress list
//! and the list of finished attachments.

mod attachments;
pub mod limits;
mod list;
mod picker;
mod queue;
pub mod tus;

pub use attachments::AttachmentList;
pub use list::{UploadList, refusal_text};
pub use picker::FilePicker;
pub use queue::{Phase, Target, Upload, UploadQueue, files_of_input, provide_upload_queue, use_upload_queue};
