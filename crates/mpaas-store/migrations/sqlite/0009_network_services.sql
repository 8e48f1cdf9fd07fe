-- Network functions the sandbox can take down on their own while lines keep working (05 §2.7:
-- 503 `Number-swap is currently unavailable`). A service without a row is up. Timestamps are
-- integer microseconds of platform time. Kept in lockstep with
-- migrations/postgres/0009_network_services.sql.

CREATE TABLE network_services (
    service TEXT PRIMARY KEY CHECK (service IN ('NumberSwap')),
    up INTEGER NOT NULL CHECK (up IN (0, 1)),
    changed_on INTEGER NOT NULL
);
