-- A bearer token minted from a cookie session names that session and ends with it: signing
-- out (or the session expiring) deletes every token it handed out.
ALTER TABLE sessions ADD COLUMN parent_hash TEXT REFERENCES sessions(token_hash) ON DELETE CASCADE;
CREATE INDEX sessions_by_parent ON sessions(parent_hash);
