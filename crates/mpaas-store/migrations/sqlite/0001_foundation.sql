-- Foundation: platform keys and clock, tenancy, subscribers, events outbox, idempotency, rate limits.
-- Timestamps are integer microseconds since the Unix epoch (platform time unless noted).
-- Kept in lockstep with migrations/postgres/0001_foundation.sql.

CREATE TABLE platform (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    aggregator_id TEXT NOT NULL,
    aggregator_name TEXT NOT NULL,
    signing_key TEXT NOT NULL,
    pepper TEXT NOT NULL,
    master_key TEXT NOT NULL,
    signing_key_rotated_on INTEGER NOT NULL,
    created_on INTEGER NOT NULL
);

CREATE TABLE platform_clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    offset_micros INTEGER NOT NULL DEFAULT 0,
    frozen INTEGER NOT NULL DEFAULT 0 CHECK (frozen IN (0, 1)),
    frozen_at INTEGER,
    CHECK (frozen = 0 OR frozen_at IS NOT NULL)
);

CREATE TABLE distributors (
    id TEXT PRIMARY KEY,
    id_lower TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    secret_hash TEXT NOT NULL CHECK (length(secret_hash) = 64),
    secret_version INTEGER NOT NULL DEFAULT 1 CHECK (secret_version >= 1),
    rate_limit_per_minute INTEGER CHECK (rate_limit_per_minute BETWEEN 0 AND 1000000),
    billing_address TEXT NOT NULL,
    mailing_address TEXT NOT NULL,
    created_on INTEGER NOT NULL,
    updated_on INTEGER NOT NULL,
    CHECK (id_lower = lower(id))
);

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    distributor_id TEXT NOT NULL REFERENCES distributors (id),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    admin_email TEXT NOT NULL CHECK (length(admin_email) BETWEEN 3 AND 254),
    billing_address TEXT NOT NULL,
    mailing_address TEXT NOT NULL,
    created_on INTEGER NOT NULL,
    updated_on INTEGER NOT NULL,
    UNIQUE (id, distributor_id)
);
CREATE INDEX accounts_by_distributor ON accounts (distributor_id, id);

CREATE TABLE subscribers (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    distributor_id TEXT NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    email_lower TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('Subscriber', 'Manager', 'Account Admin')),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_on INTEGER NOT NULL,
    updated_on INTEGER NOT NULL,
    deleted_on INTEGER,
    UNIQUE (id, account_id),
    FOREIGN KEY (account_id, distributor_id) REFERENCES accounts (id, distributor_id)
        DEFERRABLE INITIALLY DEFERRED
);
-- Email is unique platform-wide among non-deleted subscribers, compared lower-cased.
CREATE UNIQUE INDEX subscribers_email_unique ON subscribers (email_lower) WHERE deleted_on IS NULL;
CREATE INDEX subscribers_by_account ON subscribers (account_id, id);
CREATE INDEX subscribers_by_distributor ON subscribers (distributor_id, id);

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    distributor_id TEXT NOT NULL,
    account_id TEXT,
    type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    occurred_on INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX events_by_distributor ON events (distributor_id, id);

-- Idempotency keys: created_on is platform time (24 h expiry), locked_at wall time (60 s lease).
CREATE TABLE idempotency_keys (
    principal TEXT NOT NULL,
    path TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('InFlight', 'Done')),
    response_status INTEGER,
    response_body TEXT,
    created_on INTEGER NOT NULL,
    locked_at INTEGER NOT NULL,
    PRIMARY KEY (principal, path, idem_key),
    CHECK (state = 'InFlight' OR (response_status IS NOT NULL AND response_body IS NOT NULL))
);

-- Fixed 60-second rate-limit windows on the wall clock (seconds since the epoch).
CREATE TABLE rate_limit_windows (
    distributor_id TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    request_count INTEGER NOT NULL,
    PRIMARY KEY (distributor_id, window_start)
);
