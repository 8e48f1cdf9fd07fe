-- The sandbox network's view of each number and the line commands it received, 10-platform.md
-- §6 and §7.3. Keyed by phone number, as a network knows lines. Timestamps are integer
-- microseconds of platform time. Kept in lockstep with migrations/sqlite/0008_network.sql.

CREATE TABLE network_lines (
    number TEXT PRIMARY KEY CHECK (length(number) BETWEEN 8 AND 16),
    line_state TEXT NOT NULL CHECK (line_state IN ('Active', 'Suspended', 'Absent')),
    iccid TEXT,
    message_enabled BIGINT NOT NULL CHECK (message_enabled IN (0, 1)),
    voice_enabled BIGINT NOT NULL CHECK (voice_enabled IN (0, 1)),
    data_enabled BIGINT NOT NULL CHECK (data_enabled IN (0, 1)),
    cnam TEXT,
    -- Commands recorded so far: the sequence number of the last one.
    commands BIGINT NOT NULL CHECK (commands >= 0),
    updated_on BIGINT NOT NULL
);

CREATE TABLE network_commands (
    number TEXT NOT NULL REFERENCES network_lines (number),
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    operation TEXT NOT NULL,
    details TEXT NOT NULL,
    PRIMARY KEY (number, seq)
);
