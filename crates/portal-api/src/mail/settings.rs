//! Which emails each person wants, and in which language: what `/me/notification-settings`
//! reads and writes, and what the outbox asks before it writes a notification.

use crate::error::{ApiError, ApiResult};
use crate::sql::{Connection, OptionalExtension, params};
use portal_contract::{Language, NotificationEvents, NotificationKind, NotificationSettings};

/// A person who never chose gets every notification, in English.
pub fn default_settings() -> NotificationSettings {
    NotificationSettings { language: Language::En, events: NotificationEvents::ALL_ON }
}

pub fn get(conn: &Connection, user_id: &str) -> ApiResult<NotificationSettings> {
    let row: Option<(String, String)> = conn
        .query_row("SELECT language, events FROM notification_settings WHERE user_id = ?1", params![user_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let Some((language, events)) = row else { return Ok(default_settings()) };
    let language = match Language::parse(&language) {
        Language::Unknown => Language::En,
        known => known,
    };
    // Only this server writes the column; a row it cannot read means every kind, as by default.
    let events = serde_json::from_str(&events).unwrap_or(NotificationEvents::ALL_ON);
    Ok(NotificationSettings { language, events })
}

pub fn put(conn: &Connection, user_id: &str, settings: &NotificationSettings) -> ApiResult<()> {
    if settings.language == Language::Unknown {
        return Err(ApiError::field("language", "invalid_choice", "is not one of the allowed values"));
    }
    let events = serde_json::to_string(&settings.events).map_err(|e| ApiError::Internal(e.to_string()))?;
    conn.execute(
        "INSERT INTO notification_settings (user_id, language, events) VALUES (?1, ?2, ?3) \
         ON CONFLICT (user_id) DO UPDATE SET language = excluded.language, events = excluded.events",
        params![user_id, settings.language.as_str(), events],
    )?;
    Ok(())
}

/// Whether `user_id` wants `kind` by email.
pub fn wants(conn: &Connection, user_id: &str, kind: NotificationKind) -> ApiResult<bool> {
    Ok(get(conn, user_id)?.events.get(kind))
}

/// Turns one kind off for one person (the one-click unsubscribe).
pub fn turn_off(conn: &Connection, user_id: &str, kind: NotificationKind) -> ApiResult<()> {
    let mut settings = get(conn, user_id)?;
    settings.events.set(kind, false);
    put(conn, user_id, &settings)
}
