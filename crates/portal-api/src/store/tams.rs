use crate::availability::{availability, upcoming};
use crate::error::ApiResult;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use portal_contract::{HoursOverride, Tam, TamExclusion, TamService, TamSummary, WeeklyHours};
use rusqlite::{Connection, OptionalExtension, params};

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
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
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
        overrides: upcoming(zone, &overrides, now),
        services: SERVICES.to_vec(),
        exclusions: EXCLUSIONS.to_vec(),
    }))
}
