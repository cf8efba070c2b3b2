-- The pending or agreed resolution lives on the case; declines and reopenings clear it (the
-- timeline keeps the history).
ALTER TABLE cases ADD COLUMN resolution_summary TEXT;
ALTER TABLE cases ADD COLUMN resolution_proposed_by TEXT REFERENCES users(id);
ALTER TABLE cases ADD COLUMN resolution_proposed_at TEXT;
ALTER TABLE cases ADD COLUMN resolution_confirmed_by TEXT REFERENCES users(id);
ALTER TABLE cases ADD COLUMN resolution_confirmed_at TEXT;

CREATE TABLE satisfaction (
    case_id  TEXT PRIMARY KEY REFERENCES cases(id),
    user_id  TEXT NOT NULL REFERENCES users(id),
    rating   INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment  TEXT,
    rated_at TEXT NOT NULL
);
