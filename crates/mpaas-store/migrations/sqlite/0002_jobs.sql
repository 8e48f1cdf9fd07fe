-- Durable jobs in the main database (10-platform.md §4). run_at is platform time, lease_until
-- wall time, both integer microseconds. Kept in lockstep with migrations/postgres/0002_jobs.sql.

CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    run_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('Queued', 'Running', 'Succeeded', 'Dead')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts INTEGER NOT NULL DEFAULT 10 CHECK (max_attempts >= 1),
    lease_until INTEGER,
    last_error TEXT,
    dedupe_key TEXT,
    created_on INTEGER NOT NULL,
    updated_on INTEGER NOT NULL,
    finished_on INTEGER,
    CHECK (status <> 'Running' OR lease_until IS NOT NULL)
);
-- A dedupe key is unique among queued jobs, so a running job can queue its own successor.
CREATE UNIQUE INDEX jobs_dedupe_queued ON jobs (dedupe_key) WHERE status = 'Queued';
CREATE INDEX jobs_due ON jobs (status, run_at, id);
