-- Subscriptions: a package tied to a subscriber's number, 04-catalog-subscriptions.md.
-- Timestamps are integer microseconds of platform time. Kept in lockstep with migrations/sqlite/0007_subscriptions.sql.

CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY,
    distributor_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    subscriber_id TEXT NOT NULL,
    number_id TEXT NOT NULL REFERENCES phone_numbers (id),
    iccid TEXT REFERENCES sims (iccid),
    package_id TEXT NOT NULL,
    subscription_type TEXT NOT NULL CHECK (subscription_type IN ('Mvno', 'Iot')),
    active BIGINT NOT NULL CHECK (active IN (0, 1)),
    started_on BIGINT NOT NULL,
    ended_on BIGINT,
    end_reason TEXT
        CHECK (end_reason IS NULL OR end_reason IN ('Cancelled', 'NumberCancelled', 'NumberPortedOut')),
    FOREIGN KEY (account_id, distributor_id) REFERENCES accounts (id, distributor_id)
        DEFERRABLE INITIALLY DEFERRED,
    -- The subscription follows its subscriber's account (a transfer moves both together).
    FOREIGN KEY (subscriber_id, account_id) REFERENCES subscribers (id, account_id)
        DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (package_id, distributor_id) REFERENCES packages (id, distributor_id),
    CHECK ((active = 1 AND ended_on IS NULL AND end_reason IS NULL)
        OR (active = 0 AND ended_on IS NOT NULL AND end_reason IS NOT NULL))
);
-- At most one active subscription per number; any number of ended ones.
CREATE UNIQUE INDEX subscriptions_one_active_per_number ON subscriptions (number_id) WHERE active = 1;
CREATE INDEX subscriptions_by_distributor ON subscriptions (distributor_id, id);
CREATE INDEX subscriptions_by_account ON subscriptions (account_id, id);
CREATE INDEX subscriptions_by_subscriber ON subscriptions (subscriber_id, id);
CREATE INDEX subscriptions_by_package ON subscriptions (package_id, id);
