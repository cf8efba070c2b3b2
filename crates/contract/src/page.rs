use serde::{Deserialize, Serialize};

/// The default page size of every list.
pub const DEFAULT_LIMIT: u32 = 25;
/// The largest page a list answers.
pub const MAX_LIMIT: u32 = 100;

/// One page of a cursor-paginated list: `{"data": [...], "next_cursor": "…" | null}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub data: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
    /// How many items the whole list holds, on lists that count them (the case list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}
