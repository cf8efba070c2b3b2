-- What needs whom (#18): Bird's own records, escalation acknowledgement, follow-up cases, the
-- first response only an agent gives, and files held for an answer until it is sent.

-- Bird's system is the author of the status changes that follow from what someone did. SQLite
-- cannot change a CHECK, so the table is rebuilt (foreign keys are off while migrating).
CREATE TABLE users_new (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('customer', 'tam', 'agent', 'system')),
    password_hash TEXT NOT NULL
);
INSERT INTO users_new (id, email, name, role, password_hash) SELECT id, email, name, role, password_hash FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
-- '!' is no password hash, so no password signs in as the system.
INSERT INTO users (id, email, name, role, password_hash)
    VALUES ('usr_system', 'system@bird.invalid', 'Bird', 'system', '!');

-- Status changes were credited to whoever caused them, the customer included.
UPDATE events SET author_id = 'usr_system' WHERE kind = 'status_changed';

ALTER TABLE cases ADD COLUMN escalation_acknowledged_at TEXT;
ALTER TABLE cases ADD COLUMN escalation_acknowledged_by TEXT REFERENCES users(id);
ALTER TABLE cases ADD COLUMN follow_up_of TEXT REFERENCES cases(id);

-- A TAM's update filled the first response; only a support agent's answer is one.
UPDATE cases SET first_response_at = (
    SELECT MIN(e.created_at) FROM events e JOIN users u ON u.id = e.author_id
    WHERE e.case_id = cases.id AND u.role = 'agent'
      AND e.kind IN ('message', 'progress_update', 'information_request_raised')
);

-- A file uploaded for an information request is held for the answer: not listed on the case
-- and with no event of its own until the answer that names it is sent (then it is the
-- answer's, `information_request_id`). Files picked before this were listed at once: those not
-- in a sent answer are held again, and their `attachment_added` events (the answer's event
-- names the sent ones) are dropped.
ALTER TABLE attachments ADD COLUMN held_for_request TEXT REFERENCES information_requests(id);
UPDATE attachments SET held_for_request = (
    SELECT u.information_request_id FROM uploads u WHERE u.attachment_id = attachments.id
) WHERE information_request_id IS NULL;
DELETE FROM events WHERE kind = 'attachment_added' AND information_request_id IS NOT NULL;
