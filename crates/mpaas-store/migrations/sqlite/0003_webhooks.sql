-- Webhook endpoints and the delivery engine (10-platform.md §2, §3). Timestamps are integer
-- microseconds of platform time. Kept in lockstep with migrations/postgres/0003_webhooks.sql.

CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    distributor_id TEXT NOT NULL REFERENCES distributors (id),
    account_id TEXT,
    url TEXT NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
    -- JSON array of 1 to 50 types or patterns.
    event_types TEXT NOT NULL,
    description TEXT CHECK (description IS NULL OR length(description) <= 256),
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    -- Signing secrets sealed with the master key (nonce and ciphertext, base64), never in clear.
    secret TEXT NOT NULL,
    previous_secret TEXT,
    previous_secret_expires_on INTEGER,
    created_on INTEGER NOT NULL,
    updated_on INTEGER NOT NULL,
    deleted_on INTEGER,
    CHECK ((previous_secret IS NULL) = (previous_secret_expires_on IS NULL)),
    FOREIGN KEY (account_id, distributor_id) REFERENCES accounts (id, distributor_id)
);
CREATE INDEX webhooks_by_distributor ON webhooks (distributor_id, id);

-- One row per (target, event). Targets are webhook endpoints (WHK-) and, later, route URLs
-- (MRID-, CRID-). A replay starts a new series on the same row.
CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    distributor_id TEXT NOT NULL,
    target_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('Event', 'InboundMessage', 'MessageReceipt', 'VoiceCallback')),
    url TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('Pending', 'Succeeded', 'DeadLettered', 'Cancelled')),
    series INTEGER NOT NULL DEFAULT 1 CHECK (series >= 1),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    series_attempts INTEGER NOT NULL DEFAULT 0 CHECK (series_attempts BETWEEN 0 AND attempts),
    next_attempt_on INTEGER,
    created_on INTEGER NOT NULL,
    updated_on INTEGER NOT NULL,
    UNIQUE (target_id, event_id),
    CHECK (state = 'Pending' OR next_attempt_on IS NULL)
);
CREATE INDEX deliveries_by_distributor ON deliveries (distributor_id, id);
CREATE INDEX deliveries_by_event ON deliveries (event_id);

CREATE TABLE delivery_attempts (
    delivery_id TEXT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL CHECK (attempt >= 1),
    attempted_on INTEGER NOT NULL,
    response_status INTEGER CHECK (response_status IS NULL OR response_status BETWEEN 100 AND 999),
    error TEXT,
    duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
    -- The first 1 KiB of the response body.
    response_body TEXT CHECK (response_body IS NULL OR length(response_body) <= 1024),
    PRIMARY KEY (delivery_id, attempt)
);
