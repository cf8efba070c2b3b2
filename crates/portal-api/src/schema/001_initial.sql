-- Timestamps are RFC 3339 UTC text with microseconds and a Z, so text order is time order.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('customer', 'tam', 'agent')),
    password_hash TEXT NOT NULL
);

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
    PRIMARY KEY (user_id, account_id)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    kind       TEXT NOT NULL CHECK (kind IN ('cookie', 'bearer')),
    expires_at TEXT NOT NULL
);

CREATE TABLE cases (
    id                TEXT PRIMARY KEY,
    number            INTEGER NOT NULL UNIQUE,
    account_id        TEXT NOT NULL REFERENCES accounts(id),
    kind              TEXT NOT NULL,
    topic             TEXT,
    severity          TEXT NOT NULL,
    severity_rank     INTEGER NOT NULL,
    subject           TEXT NOT NULL,
    description       TEXT NOT NULL,
    channel           TEXT NOT NULL,
    requester_id      TEXT NOT NULL REFERENCES users(id),
    agent_id          TEXT REFERENCES users(id),
    status            TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    first_response_at TEXT,
    escalated_at      TEXT
);
CREATE INDEX cases_by_updated ON cases (account_id, updated_at DESC, id DESC);
CREATE INDEX cases_by_created ON cases (account_id, created_at DESC, id DESC);
CREATE INDEX cases_by_severity ON cases (account_id, severity_rank, updated_at DESC, id DESC);

CREATE TABLE events (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases(id),
    seq        INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    author_id  TEXT NOT NULL REFERENCES users(id),
    body       TEXT,
    status     TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (case_id, seq)
);

CREATE TABLE idempotency_keys (
    user_id     TEXT NOT NULL,
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status_code INTEGER,          -- NULL while the first request is still running
    body        TEXT,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);
