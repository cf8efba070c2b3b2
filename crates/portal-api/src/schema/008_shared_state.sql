-- Beyond one machine (#21): what one process kept in memory, kept where every instance on the
-- database sees it.

-- Sign-in throttling and the password reset budget: each counted event under its key (an
-- account and an address, an address, an account, the address a reset asks about...).
CREATE TABLE throttle_events (
    key TEXT NOT NULL,
    at  TEXT NOT NULL
);
CREATE INDEX throttle_events_by_key ON throttle_events (key, at);
CREATE INDEX throttle_events_by_age ON throttle_events (at);

-- Who is writing to an upload: one PATCH at a time on any instance. A holder that dies stops
-- renewing, and its lease runs out.
CREATE TABLE upload_leases (
    upload_id  TEXT PRIMARY KEY REFERENCES uploads(id) ON DELETE CASCADE,
    holder     TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- The instance whose sender took a notification, until when: the others' senders leave it.
ALTER TABLE notifications ADD COLUMN claimed_until TEXT;
