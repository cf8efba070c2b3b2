-- The whole schema as SQLite reaches it after its migrations 001–007, for PostgreSQL. Columns
-- keep SQLite's storage classes (BIGINT, TEXT), so the store's queries and values are the same
-- on both; timestamps are RFC 3339 UTC text with microseconds and a Z, so text order is time
-- order. Emails compare without case, as SQLite's COLLATE NOCASE does.
CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         CITEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('customer', 'tam', 'agent', 'system')),
    password_hash TEXT NOT NULL
);
-- '!' is no password hash, so no password signs in as the system.
INSERT INTO users (id, email, name, role, password_hash)
    VALUES ('usr_system', 'system@bird.invalid', 'Bird', 'system', '!');

CREATE TABLE tams (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(id),
    phone          TEXT NOT NULL,
    photo_url      TEXT,
    time_zone      TEXT NOT NULL,
    weekly_hours   TEXT NOT NULL, -- JSON: [WeeklyHours]
    overrides      TEXT NOT NULL  -- JSON: [HoursOverride]
);

CREATE TABLE accounts (
    id     TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    plan   TEXT NOT NULL,
    tam_id TEXT REFERENCES tams(id)
);

CREATE TABLE memberships (
    user_id    TEXT NOT NULL REFERENCES users(id),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    role       TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'member')),
    joined_at  TEXT NOT NULL DEFAULT '2026-01-01T00:00:00.000000Z',
    PRIMARY KEY (user_id, account_id)
);
CREATE INDEX memberships_by_account ON memberships (account_id, role);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    kind        TEXT NOT NULL CHECK (kind IN ('cookie', 'bearer')),
    expires_at  TEXT NOT NULL,
    parent_hash TEXT REFERENCES sessions(token_hash) ON DELETE CASCADE
);
CREATE INDEX sessions_by_parent ON sessions (parent_hash);

CREATE TABLE cases (
    id                         TEXT PRIMARY KEY,
    number                     BIGINT NOT NULL UNIQUE,
    account_id                 TEXT NOT NULL REFERENCES accounts(id),
    kind                       TEXT NOT NULL,
    topic                      TEXT,
    severity                   TEXT NOT NULL,
    severity_rank              BIGINT NOT NULL,
    subject                    TEXT NOT NULL,
    description                TEXT NOT NULL,
    channel                    TEXT NOT NULL,
    requester_id               TEXT NOT NULL REFERENCES users(id),
    agent_id                   TEXT REFERENCES users(id),
    status                     TEXT NOT NULL,
    created_at                 TEXT NOT NULL,
    updated_at                 TEXT NOT NULL,
    first_response_at          TEXT,
    escalated_at               TEXT,
    resolution_summary         TEXT,
    resolution_proposed_by     TEXT REFERENCES users(id),
    resolution_proposed_at     TEXT,
    resolution_confirmed_by    TEXT REFERENCES users(id),
    resolution_confirmed_at    TEXT,
    escalation_acknowledged_at TEXT,
    escalation_acknowledged_by TEXT REFERENCES users(id),
    follow_up_of               TEXT REFERENCES cases(id)
);
CREATE INDEX cases_by_updated ON cases (account_id, updated_at DESC, id DESC);
CREATE INDEX cases_by_created ON cases (account_id, created_at DESC, id DESC);
CREATE INDEX cases_by_severity ON cases (account_id, severity_rank, updated_at DESC, id DESC);

CREATE TABLE information_requests (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases(id),
    title          TEXT NOT NULL,
    description    TEXT NOT NULL,
    files_expected BIGINT NOT NULL,
    status         TEXT NOT NULL,
    raised_by      TEXT NOT NULL REFERENCES users(id),
    created_at     TEXT NOT NULL,
    answer_text    TEXT,
    answered_by    TEXT REFERENCES users(id),
    answered_at    TEXT
);
CREATE INDEX information_requests_by_case ON information_requests (case_id, status);

CREATE TABLE events (
    id                     TEXT PRIMARY KEY,
    case_id                TEXT NOT NULL REFERENCES cases(id),
    seq                    BIGINT NOT NULL,
    kind                   TEXT NOT NULL,
    author_id              TEXT NOT NULL REFERENCES users(id),
    body                   TEXT,
    status                 TEXT,
    created_at             TEXT NOT NULL,
    information_request_id TEXT REFERENCES information_requests(id),
    attachment_ids         TEXT,
    participant_id         TEXT REFERENCES users(id),
    UNIQUE (case_id, seq)
);

CREATE TABLE idempotency_keys (
    user_id     TEXT NOT NULL,
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status_code BIGINT,          -- NULL while the first request is still running
    body        TEXT,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE TABLE satisfaction (
    case_id  TEXT PRIMARY KEY REFERENCES cases(id),
    user_id  TEXT NOT NULL REFERENCES users(id),
    rating   BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment  TEXT,
    rated_at TEXT NOT NULL
);

CREATE TABLE attachments (
    id                     TEXT PRIMARY KEY,
    case_id                TEXT NOT NULL REFERENCES cases(id),
    information_request_id TEXT REFERENCES information_requests(id),
    file_name              TEXT NOT NULL,
    media_type             TEXT NOT NULL,
    size                   BIGINT NOT NULL,
    sha256                 TEXT NOT NULL,
    uploaded_by            TEXT NOT NULL REFERENCES users(id),
    uploaded_at            TEXT NOT NULL,
    held_for_request       TEXT REFERENCES information_requests(id)
);
CREATE INDEX attachments_by_case ON attachments (case_id, uploaded_at);

CREATE TABLE uploads (
    id                     TEXT PRIMARY KEY,
    case_id                TEXT NOT NULL REFERENCES cases(id),
    information_request_id TEXT REFERENCES information_requests(id),
    user_id                TEXT NOT NULL REFERENCES users(id),
    file_name              TEXT NOT NULL,
    media_type             TEXT NOT NULL,
    length                 BIGINT NOT NULL,
    "offset"               BIGINT NOT NULL DEFAULT 0,
    created_at             TEXT NOT NULL,
    expires_at             TEXT NOT NULL,
    attachment_id          TEXT REFERENCES attachments(id)
);
CREATE INDEX uploads_by_case ON uploads (case_id);
CREATE INDEX uploads_by_expiry ON uploads (expires_at) WHERE attachment_id IS NULL;

CREATE TABLE notifications (
    id              TEXT PRIMARY KEY,
    message_id      TEXT NOT NULL UNIQUE,
    reply_key       TEXT NOT NULL UNIQUE,
    recipient_id    TEXT NOT NULL REFERENCES users(id),
    kind            TEXT NOT NULL,
    case_id         TEXT REFERENCES cases(id),
    event_id        TEXT REFERENCES events(id),
    secret          TEXT,
    request_id      TEXT,
    created_at      TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
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
    events   TEXT NOT NULL -- JSON: NotificationEvents
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

CREATE TABLE invitations (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    email       CITEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    token_hash  TEXT NOT NULL UNIQUE,
    invited_by  TEXT NOT NULL REFERENCES users(id),
    language    TEXT NOT NULL DEFAULT 'en',
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    accepted_at TEXT,
    accepted_by TEXT REFERENCES users(id),
    revoked_at  TEXT
);
CREATE INDEX invitations_by_account ON invitations (account_id, email);
CREATE INDEX invitations_by_email ON invitations (email, created_at);

CREATE TABLE case_participants (
    case_id  TEXT NOT NULL REFERENCES cases(id),
    user_id  TEXT NOT NULL REFERENCES users(id),
    added_by TEXT NOT NULL REFERENCES users(id),
    added_at TEXT NOT NULL,
    PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_participants_by_user ON case_participants (user_id, case_id);
