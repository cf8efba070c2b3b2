use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }
    };
}

id_type!(
    /// A customer account on Premium Email (`acc_…`).
    AccountId
);
id_type!(
    /// A Support Case's opaque id (`case_…`); people see its `number` instead.
    CaseId
);
id_type!(
    /// A user of any role (`usr_…`).
    UserId
);
id_type!(
    /// A Technical Account Manager (`tam_…`).
    TamId
);
id_type!(
    /// One event of a case's timeline (`evt_…`).
    EventId
);
id_type!(
    /// A question a support agent asked on a case (`ir_…`).
    InformationRequestId
);
id_type!(
    /// A finished file on a case (`att_…`).
    AttachmentId
);
id_type!(
    /// A resumable upload in progress (`upl_…`); it becomes an attachment when complete.
    UploadId
);
id_type!(
    /// An invitation to join a customer account (`inv_…`); its token travels only by email.
    InvitationId
);
