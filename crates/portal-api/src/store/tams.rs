use crate::availability::{availability, upcoming, upcoming_hours};
use crate::error::ApiResult;
use crate::sql::{Connection, OptionalExtension, params};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use portal_contract::{HoursInterval, HoursOverride, Tam, TamExclusion, TamService, TamSummary, WeeklyHours};

/// What the Premium Email terms say the TAM provides, and what Premium does not include.
const SERVICES: [TamService; 2] = [TamService::MigrationPlanning, TamService::Tier1Mediation];
const EXCLUSIONS: [TamExclusion; 5] = [
    TamExclusion::TemplateWork,
    TamExclusion::InternalProjectManagement,
    TamExclusion::DeliverabilityStrategy,
    TamExclusion::Tier2Mediation,
    TamExclusion::InboxPlacementGuarantee,
];

/// The TAM assigned to an account, with availability computed at `now`.
pub fn of_account(conn: &Connection, account_id: &str, now: DateTime<Utc>) -> ApiResult<Option<Tam>> {
    let row = conn
        .query_row(
            "SELECT t.id, u.name, u.email, t.phone, t.photo_url, t.time_zone, t.weekly_hours, t.overrides \
             FROM accounts a JOIN tams t ON t.id = a.tam_id JOIN users u ON u.id = t.user_id WHERE a.id = ?1",
            params![account_id],
            |r| {
                Ok((
                    r.get::<_, String>("id")?,
                    r.get::<_, String>("name")?,
                    r.get::<_, String>("email")?,
                    r.get::<_, String>("phone")?,
                    r.get::<_, Option<String>>("photo_url")?,
                    r.get::<_, String>("time_zone")?,
                    r.get::<_, String>("weekly_hours")?,
                    r.get::<_, String>("overrides")?,
                ))
            },
        )
        .optional()?;
    let Some((id, name, email, phone, photo_url, time_zone, weekly, overrides)) = row else { return Ok(None) };
    // Hours that no longer decode (hand-edited data) read as none rather than failing the page.
    let weekly: Vec<WeeklyHours> = serde_json::from_str(&weekly).unwrap_or_default();
    let overrides: Vec<HoursOverride> = serde_json::from_str(&overrides).unwrap_or_default();
    let zone: Tz = time_zone.parse().unwrap_or(Tz::UTC);
    let a = availability(zone, &weekly, &overrides, now);
    let upcoming_hours = upcoming_hours(zone, &weekly, &overrides, now, 7)
        .into_iter()
        .map(|(start, end)| HoursInterval { start, end })
        .collect();
    Ok(Some(Tam {
        summary: TamSummary {
            id: id.into(),
            name,
            email,
            phone,
            photo_url,
            time_zone,
            available_now: a.available_now,
            available_until: a.available_until,
            next_available_at: a.next_available_at,
        },
        business_hours: weekly,
        upcoming_hours,
        overrides: upcoming(zone, &overrides, now),
        services: SERVICES.to_vec(),
        exclusions: EXCLUSIONS.to_vec(),
    }))
}

/// Replaces a TAM's zone and hours (Bird's side changes them; the portal shows them on the
/// next load). Answers whether the TAM exists.
pub fn set_hours(conn: &Connection, tam_id: &str, hours: &portal_contract::TamHours) -> ApiResult<bool> {
    let weekly =
        serde_json::to_string(&hours.business_hours).map_err(|e| crate::error::ApiError::Internal(e.to_string()))?;
    let overrides =
        serde_json::to_string(&hours.overrides).map_err(|e| crate::error::ApiError::Internal(e.to_string()))?;
    let changed = conn.execute(
        "UPDATE tams SET time_zone = ?2, weekly_hours = ?3, overrides = ?4 WHERE id = ?1",
        params![tam_id, hours.time_zone, weekly, overrides],
    )?;
    Ok(changed == 1)
}

/// Problems with a set of hours: an unknown zone, an empty span, a weekday or date given twice.
pub fn hours_problems(hours: &portal_contract::TamHours) -> Vec<portal_contract::FieldError> {
    let mut out = Vec::new();
    let mut add = |param: &str, message: &str| {
        out.push(portal_contract::FieldError {
            param: param.to_owned(),
            message: message.to_owned(),
            code: Some("invalid".to_owned()),
        })
    };
    if hours.time_zone.parse::<Tz>().is_err() {
        add("time_zone", "is not an IANA time zone name");
    }
    let spans = hours.business_hours.iter().flat_map(|w| &w.spans).chain(hours.overrides.iter().flat_map(|o| &o.spans));
    if spans.clone().any(|s| s.start == s.end) {
        add("business_hours", "a span must not start and end at the same time");
    }
    let mut days: Vec<_> = hours.business_hours.iter().map(|w| w.weekday).collect();
    days.sort_by_key(|d| d.as_str());
    if days.windows(2).any(|w| w[0] == w[1]) || days.contains(&portal_contract::Weekday::Unknown) {
        add("business_hours", "each weekday appears once");
    }
    let mut dates: Vec<_> = hours.overrides.iter().map(|o| o.date).collect();
    dates.sort();
    if dates.windows(2).any(|w| w[0] == w[1]) {
        add("overrides", "each date appears once");
    }
    out
}
