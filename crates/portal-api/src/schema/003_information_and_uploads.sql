CREATE TABLE information_requests (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases(id),
    title          TEXT NOT NULL,
    description    TEXT NOT NULL,
    files_expected INTEGER NOT NULL,
    status         TEXT NOT NULL,
    raised_by      TEXT NOT NULL REFERENCES users(id),
    created_at     TEXT NOT NULL,
    answer_text    TEXT,
    answered_by    TEXT REFERENCES users(id),
    answered_at    TEXT
);
CREATE INDEX information_requests_by_case ON information_requests (case_id, status);

-- A finished file. Its bytes live in <data_dir>/attachments/<id>; the row is written in the
-- same transaction that moves the file there, so a listed attachment always has its bytes.
CREATE TABLE attachments (
    id                     TEXT PRIMARY KEY,
    case_id                TEXT NOT NULL REFERENCES cases(id),
    information_request_id TEXT REFERENCES information_requests(id),
    file_name              TEXT NOT NULL,
    media_type             TEXT NOT NULL,
    size                   INTEGER NOT NULL,
    sha256                 TEXT NOT NULL,
    uploaded_by            TEXT NOT NULL REFERENCES users(id),
    uploaded_at            TEXT NOT NULL
);
CREATE INDEX attachments_by_case ON attachments (case_id, uploaded_at);

-- A tus upload in progress: <data_dir>/uploads/<id>.part holds `offset` acknowledged bytes.
CREATE TABLE uploads (
    id                     TEXT PRIMARY KEY,
    case_id                TEXT NOT NULL REFERENCES cases(id),
    information_request_id TEXT REFERENCES information_requests(id),
    user_id                TEXT NOT NULL REFERENCES users(id),
    file_name              TEXT NOT NULL,
    media_type             TEXT NOT NULL,
    length                 INTEGER NOT NULL,
    offset                 INTEGER NOT NULL DEFAULT 0,
    created_at             TEXT NOT NULL,
    expires_at             TEXT NOT NULL,
    attachment_id          TEXT REFERENCES attachments(id)
);
CREATE INDEX uploads_by_case ON uploads (case_id);
CREATE INDEX uploads_by_expiry ON uploads (expires_at) WHERE attachment_id IS NULL;

-- Events about a request or files name them; the ids are resolved when the timeline is read.
ALTER TABLE events ADD COLUMN information_request_id TEXT REFERENCES information_requests(id);
ALTER TABLE events ADD COLUMN attachment_ids TEXT; -- space-separated attachment ids
