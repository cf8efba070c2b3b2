-- Colleagues (#20): a role per person and account, invitations that bring a colleague in,
-- and the colleagues who follow a case beside its requester.

-- Until now every customer account had one person: each becomes its account's admin.
ALTER TABLE memberships ADD COLUMN role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'member'));
ALTER TABLE memberships ADD COLUMN joined_at TEXT NOT NULL DEFAULT '2026-01-01T00:00:00.000000Z';
UPDATE memberships SET role = 'admin';
CREATE INDEX memberships_by_account ON memberships (account_id, role);

CREATE TABLE invitations (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    email       TEXT NOT NULL COLLATE NOCASE,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    -- SHA-256 of the emailed token: the token itself is only in the email (and in the
    -- notification row until the relay accepts it).
    token_hash  TEXT NOT NULL UNIQUE,
    invited_by  TEXT NOT NULL REFERENCES users(id),
    -- The language of the email (and of a new person's notifications when they accept).
    language    TEXT NOT NULL DEFAULT 'en',
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    -- Set once: an accepted, revoked or replaced invitation never works again.
    accepted_at TEXT,
    accepted_by TEXT REFERENCES users(id),
    revoked_at  TEXT
);
CREATE INDEX invitations_by_account ON invitations (account_id, email);
-- How many invitations an address got lately (the limit per address).
CREATE INDEX invitations_by_email ON invitations (email, created_at);

CREATE TABLE case_participants (
    case_id  TEXT NOT NULL REFERENCES cases(id),
    user_id  TEXT NOT NULL REFERENCES users(id),
    added_by TEXT NOT NULL REFERENCES users(id),
    added_at TEXT NOT NULL,
    PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_participants_by_user ON case_participants (user_id, case_id);

-- For participant_added / participant_removed: the colleague concerned.
ALTER TABLE events ADD COLUMN participant_id TEXT REFERENCES users(id);
