-- SIMs, phone numbers and orders, 05-numbers-sims.md. Timestamps are integer microseconds of
-- platform time; money integer ten-thousandths. Kept in lockstep with migrations/sqlite/0006_numbers.sql.

CREATE TABLE sims (
    iccid TEXT PRIMARY KEY CHECK (length(iccid) BETWEEN 18 AND 22),
    distributor_id TEXT NOT NULL REFERENCES distributors (id),
    -- Stock of one account, or of every account of the distributor when NULL.
    account_id TEXT,
    sim_type TEXT NOT NULL CHECK (sim_type IN ('pSIM', 'eSIM')),
    status TEXT NOT NULL CHECK (status IN ('Empty', 'Assigned', 'Active', 'Suspended', 'Retired')),
    -- Suspended by hand (update-status): stays barred when its number is activated.
    barred BIGINT NOT NULL DEFAULT 0 CHECK (barred IN (0, 1)),
    activation_code TEXT UNIQUE,
    -- SHA-256 (hex) of the QR URL token; the token itself is never stored.
    qr_token_hash TEXT UNIQUE,
    created_on BIGINT NOT NULL,
    updated_on BIGINT NOT NULL,
    UNIQUE (iccid, distributor_id),
    FOREIGN KEY (account_id, distributor_id) REFERENCES accounts (id, distributor_id),
    CHECK (sim_type = 'eSIM' OR (activation_code IS NULL AND qr_token_hash IS NULL))
);
CREATE INDEX sims_by_distributor ON sims (distributor_id, status);

-- One row per MSISDN per life on the platform.
CREATE TABLE phone_numbers (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL CHECK (length(number) BETWEEN 8 AND 16),
    distributor_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    subscriber_id TEXT,
    status TEXT NOT NULL
        CHECK (status IN ('Pending', 'Active', 'Parked', 'Cancelled', 'Released', 'PortedOut')),
    classification TEXT NOT NULL CHECK (classification IN ('MVNO', 'IoT')),
    message_type TEXT NOT NULL CHECK (message_type IN ('p2p', 'a2p')),
    product_type TEXT NOT NULL
        CHECK (product_type IN ('Sms-Only', 'Data-Only', 'Sms+Data', 'Sms+Data+Voice')),
    message_enabled BIGINT NOT NULL CHECK (message_enabled IN (0, 1)),
    data_enabled BIGINT NOT NULL CHECK (data_enabled IN (0, 1)),
    voice_enabled BIGINT NOT NULL CHECK (voice_enabled IN (0, 1)),
    message_route_id TEXT,
    voice_route_id TEXT,
    iccid TEXT,
    cnam TEXT CHECK (cnam IS NULL OR length(cnam) BETWEEN 1 AND 15),
    -- The order that created the row (provision, swap/replace, port-in).
    order_id TEXT NOT NULL,
    -- Inventory pool of a provisioned number: '+1' + area code + exchange, the line, the ZIP.
    -- NULL for a number that came from outside the inventory (port-in).
    pool_prefix TEXT CHECK (pool_prefix IS NULL OR length(pool_prefix) = 8),
    pool_line BIGINT CHECK (pool_line IS NULL OR pool_line BETWEEN 0 AND 9899),
    zip_code TEXT,
    activated_on BIGINT,
    cancelled_on BIGINT,
    reactivatable_until BIGINT,
    created_on BIGINT NOT NULL,
    updated_on BIGINT NOT NULL,
    UNIQUE (id, account_id),
    FOREIGN KEY (account_id, distributor_id) REFERENCES accounts (id, distributor_id)
        DEFERRABLE INITIALLY DEFERRED,
    -- No orphan or cross-account assignment: subscriber and routes are of the number's account.
    FOREIGN KEY (subscriber_id, account_id) REFERENCES subscribers (id, account_id)
        DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (message_route_id, account_id) REFERENCES message_routes (id, account_id)
        DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (voice_route_id, account_id) REFERENCES voice_routes (id, account_id)
        DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (iccid, distributor_id) REFERENCES sims (iccid, distributor_id),
    CHECK (classification = 'MVNO' OR (message_type = 'p2p' AND voice_enabled = 0)),
    CHECK (
        (product_type = 'Sms-Only' AND message_enabled = 1 AND data_enabled = 0 AND voice_enabled = 0)
        OR (product_type = 'Data-Only' AND message_enabled = 0 AND data_enabled = 1 AND voice_enabled = 0)
        OR (product_type = 'Sms+Data' AND message_enabled = 1 AND data_enabled = 1 AND voice_enabled = 0)
        OR (product_type = 'Sms+Data+Voice' AND message_enabled = 1 AND data_enabled = 1 AND voice_enabled = 1)
    ),
    CHECK (status <> 'Cancelled' OR reactivatable_until IS NOT NULL),
    CHECK (status NOT IN ('Released', 'PortedOut') OR iccid IS NULL),
    CHECK ((pool_prefix IS NULL) = (pool_line IS NULL)),
    CHECK (pool_prefix IS NULL OR zip_code IS NOT NULL)
);
-- At most one live row per MSISDN: two concurrent allocations never get the same number.
CREATE UNIQUE INDEX phone_numbers_live_unique ON phone_numbers (number)
    WHERE status IN ('Pending', 'Active', 'Parked', 'Cancelled');
-- A SIM is bound to at most one number.
CREATE UNIQUE INDEX phone_numbers_sim_unique ON phone_numbers (iccid) WHERE iccid IS NOT NULL;
CREATE INDEX phone_numbers_by_number ON phone_numbers (number);
CREATE INDEX phone_numbers_by_pool ON phone_numbers (pool_prefix, pool_line);
CREATE INDEX phone_numbers_by_distributor ON phone_numbers (distributor_id, id);
CREATE INDEX phone_numbers_by_account ON phone_numbers (account_id, id);
CREATE INDEX phone_numbers_by_subscriber ON phone_numbers (subscriber_id);
CREATE INDEX phone_numbers_by_message_route ON phone_numbers (message_route_id);
CREATE INDEX phone_numbers_by_voice_route ON phone_numbers (voice_route_id);

-- Allocation state of each inventory pool touched so far: every line below next_line is
-- taken, and taken counts the pool's numbers held by a row other than Released. Both are
-- maintained in the transaction that allocates or releases a number.
CREATE TABLE inventory_pools (
    prefix TEXT PRIMARY KEY CHECK (length(prefix) = 8),
    next_line BIGINT NOT NULL CHECK (next_line BETWEEN 0 AND 9900),
    taken BIGINT NOT NULL CHECK (taken BETWEEN 0 AND 9900)
);

-- Orders of every type; the status vocabulary depends on the type (05 §2.3, 06).
CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    distributor_id TEXT NOT NULL REFERENCES distributors (id),
    account_id TEXT,
    order_type TEXT NOT NULL
        CHECK (order_type IN ('Provision', 'StatusChange', 'Update', 'PortIn', 'PortOut')),
    status TEXT NOT NULL,
    status_message TEXT NOT NULL DEFAULT '',
    change_type TEXT,
    -- Business date YYYY-MM-DD of a status change.
    effective_date TEXT,
    -- What a deferred run needs (request values), as JSON.
    details TEXT NOT NULL DEFAULT '{}',
    created_on BIGINT NOT NULL,
    updated_on BIGINT NOT NULL
);
CREATE INDEX orders_by_distributor ON orders (distributor_id, id);

CREATE TABLE order_items (
    order_id TEXT NOT NULL REFERENCES orders (id),
    position BIGINT NOT NULL,
    number TEXT NOT NULL,
    status TEXT NOT NULL,
    phone_number_id TEXT,
    new_number TEXT,
    iccid TEXT,
    fee BIGINT NOT NULL DEFAULT 0 CHECK (fee >= 0),
    message TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (order_id, position)
);
CREATE INDEX order_items_by_number ON order_items (number);
-- One scheduled status change per number at a time.
CREATE UNIQUE INDEX order_items_one_scheduled ON order_items (number) WHERE status = 'Scheduled';

CREATE TABLE order_history (
    order_id TEXT NOT NULL REFERENCES orders (id),
    seq BIGINT NOT NULL,
    status TEXT NOT NULL,
    at BIGINT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (order_id, seq)
);

-- Platform counters (availability RequestId, eSIM ICCID sequence).
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
