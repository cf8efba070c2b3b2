-- The email loop: notifications written in the transaction of the event that causes them (a
-- transactional outbox), what each person wants by email, password resets, and the server's
-- signing key.

CREATE TABLE notifications (
    id              TEXT PRIMARY KEY,
    -- Fixed when written, so a retry after a crash is the same message to the receiver.
    message_id      TEXT NOT NULL UNIQUE,
    -- Lower-case hex, the part of the reply address that names this notification.
    reply_key       TEXT NOT NULL UNIQUE,
    recipient_id    TEXT NOT NULL REFERENCES users(id),
    -- A NotificationKind, or `password_reset`.
    kind            TEXT NOT NULL,
    case_id         TEXT REFERENCES cases(id),
    event_id        TEXT REFERENCES events(id),
    -- The link's token of a password reset until the email is accepted; NULL after, so the
    -- database keeps only its hash (in password_resets).
    secret          TEXT,
    -- The request that caused it, so a delivery failure is logged with it.
    request_id      TEXT,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    last_error_at   TEXT,
    sent_at         TEXT,
    failed_at       TEXT
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX notifications_thread ON notifications (case_id, recipient_id, created_at);

CREATE TABLE notification_settings (
    user_id  TEXT PRIMARY KEY REFERENCES users(id),
    language TEXT NOT NULL,
    -- JSON: NotificationEvents
    events   TEXT NOT NULL
);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX password_resets_by_user ON password_resets (user_id, created_at);

CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
