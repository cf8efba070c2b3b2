use crate::ids::TamId;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

wire_enum!(
    Weekday {
        Mon => "mon",
        Tue => "tue",
        Wed => "wed",
        Thu => "thu",
        Fri => "fri",
        Sat => "sat",
        Sun => "sun",
    }
);

wire_enum!(
    /// What the TAM provides under the Premium Email terms.
    TamService {
        MigrationPlanning => "migration_planning",
        Tier1Mediation => "tier1_mediation",
    }
);

wire_enum!(
    /// What Premium Email explicitly does not include.
    TamExclusion {
        TemplateWork => "template_work",
        InternalProjectManagement => "internal_project_management",
        DeliverabilityStrategy => "deliverability_strategy",
        Tier2Mediation => "tier2_mediation",
        InboxPlacementGuarantee => "inbox_placement_guarantee",
    }
);

/// A span of local time in the TAM's zone. `end` before `start` runs past midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeSpan {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "09:00"))]
    pub start: NaiveTime,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "17:30"))]
    pub end: NaiveTime,
}

/// Regular hours on one day of the week, in the TAM's time zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeeklyHours {
    pub weekday: Weekday,
    pub spans: Vec<TimeSpan>,
}

/// Bird changed the hours of one date: no spans means closed that day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoursOverride {
    pub date: NaiveDate,
    pub spans: Vec<TimeSpan>,
    #[serde(default)]
    pub note: Option<String>,
}

/// The TAM as shown on the account page: who, how to reach them, reachable now or when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TamSummary {
    pub id: TamId,
    pub name: String,
    pub email: String,
    pub phone: String,
    #[serde(default)]
    pub photo_url: Option<String>,
    /// IANA name, e.g. `Europe/Rome`.
    pub time_zone: String,
    pub available_now: bool,
    /// While available: when the current hours end.
    #[serde(default)]
    pub available_until: Option<DateTime<Utc>>,
    /// While not available: when hours next begin (none when no hours are scheduled).
    #[serde(default)]
    pub next_available_at: Option<DateTime<Utc>>,
}

/// A stretch of business hours as instants, so any viewer can see it in their own zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoursInterval {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// `PUT /tams/{tam_id}/hours` (Bird's side): the TAM's zone, weekly hours and dated changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TamHours {
    pub time_zone: String,
    pub business_hours: Vec<WeeklyHours>,
    pub overrides: Vec<HoursOverride>,
}

/// `GET /accounts/{account_id}/tam`: the TAM in full.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tam {
    #[serde(flatten)]
    pub summary: TamSummary,
    pub business_hours: Vec<WeeklyHours>,
    /// Dated changes of hours from today on, soonest first.
    pub overrides: Vec<HoursOverride>,
    /// The hours of the coming seven days, overrides applied, as instants.
    #[serde(default)]
    pub upcoming_hours: Vec<HoursInterval>,
    pub services: Vec<TamService>,
    pub exclusions: Vec<TamExclusion>,
}
