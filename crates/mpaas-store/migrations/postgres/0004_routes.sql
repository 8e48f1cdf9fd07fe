-- Message routes (MRID) and voice routes (CRID), 03-routes.md. Timestamps are integer
-- microseconds of platform time. Kept in lockstep with migrations/sqlite/0004_routes.sql.
-- Credentials are stored only sealed (AES-256-GCM under the master key, the route id and the
-- field name bound as associated data); a deleted route keeps no secret.

CREATE TABLE message_routes (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    distributor_id TEXT NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    message_url TEXT NOT NULL CHECK (length(message_url) BETWEEN 1 AND 2048),
    message_url_method TEXT NOT NULL CHECK (message_url_method IN ('GET', 'POST')),
    enabled BIGINT NOT NULL CHECK (enabled IN (0, 1)),
    message_auth_type TEXT NOT NULL CHECK (message_auth_type IN ('None', 'Basic', 'Bearer')),
    message_username TEXT CHECK (message_username IS NULL OR length(message_username) BETWEEN 1 AND 256),
    message_password_sealed TEXT,
    callback_url TEXT CHECK (callback_url IS NULL OR length(callback_url) BETWEEN 1 AND 2048),
    callback_url_method TEXT NOT NULL CHECK (callback_url_method IN ('GET', 'POST')),
    callback_auth_type TEXT NOT NULL CHECK (callback_auth_type IN ('None', 'Basic', 'Bearer')),
    callback_username TEXT CHECK (callback_username IS NULL OR length(callback_username) BETWEEN 1 AND 256),
    callback_password_sealed TEXT,
    inbound_bypass BIGINT NOT NULL CHECK (inbound_bypass IN (0, 1)),
    outbound_bypass BIGINT NOT NULL CHECK (outbound_bypass IN (0, 1)),
    intelligent_route_enabled BIGINT NOT NULL CHECK (intelligent_route_enabled IN (0, 1)),
    created_on BIGINT NOT NULL,
    updated_on BIGINT NOT NULL,
    deleted_on BIGINT,
    UNIQUE (id, account_id),
    FOREIGN KEY (account_id, distributor_id) REFERENCES accounts (id, distributor_id)
        DEFERRABLE INITIALLY DEFERRED,
    -- Credentials follow the auth type: None keeps none, Basic needs both, Bearer only the token.
    CHECK (message_auth_type <> 'None' OR (message_username IS NULL AND message_password_sealed IS NULL)),
    CHECK (message_auth_type <> 'Basic' OR (message_username IS NOT NULL AND message_password_sealed IS NOT NULL)),
    CHECK (message_auth_type <> 'Bearer' OR (message_username IS NULL AND message_password_sealed IS NOT NULL)),
    CHECK (callback_auth_type <> 'None' OR (callback_username IS NULL AND callback_password_sealed IS NULL)),
    CHECK (callback_auth_type <> 'Basic' OR (callback_username IS NOT NULL AND callback_password_sealed IS NOT NULL)),
    CHECK (callback_auth_type <> 'Bearer' OR (callback_username IS NULL AND callback_password_sealed IS NOT NULL)),
    CHECK (deleted_on IS NULL OR (message_password_sealed IS NULL AND callback_password_sealed IS NULL))
);
CREATE INDEX message_routes_by_account ON message_routes (account_id, id);

CREATE TABLE voice_routes (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    distributor_id TEXT NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    route_type TEXT NOT NULL CHECK (route_type IN ('Trunk', 'URL', 'Forward')),
    voice_url TEXT CHECK (voice_url IS NULL OR length(voice_url) BETWEEN 1 AND 2048),
    voice_url_method TEXT NOT NULL CHECK (voice_url_method IN ('GET', 'POST')),
    voice_auth_type TEXT NOT NULL CHECK (voice_auth_type IN ('None', 'Basic', 'Bearer')),
    voice_username TEXT CHECK (voice_username IS NULL OR length(voice_username) BETWEEN 1 AND 256),
    voice_password_sealed TEXT,
    callback_url TEXT CHECK (callback_url IS NULL OR length(callback_url) BETWEEN 1 AND 2048),
    callback_url_method TEXT NOT NULL CHECK (callback_url_method IN ('GET', 'POST')),
    trunk_ip1 TEXT,
    trunk_ip2 TEXT,
    trunk_port1 BIGINT CHECK (trunk_port1 IS NULL OR trunk_port1 BETWEEN 1 AND 65535),
    trunk_port2 BIGINT CHECK (trunk_port2 IS NULL OR trunk_port2 BETWEEN 1 AND 65535),
    trunk_transport1 TEXT CHECK (trunk_transport1 IS NULL OR trunk_transport1 IN ('UDP', 'TCP', 'TLS')),
    trunk_transport2 TEXT CHECK (trunk_transport2 IS NULL OR trunk_transport2 IN ('UDP', 'TCP', 'TLS')),
    trunk_uri1 TEXT CHECK (trunk_uri1 IS NULL OR length(trunk_uri1) BETWEEN 1 AND 255),
    trunk_uri2 TEXT CHECK (trunk_uri2 IS NULL OR length(trunk_uri2) BETWEEN 1 AND 255),
    trunk_enabled1 BIGINT NOT NULL CHECK (trunk_enabled1 IN (0, 1)),
    trunk_enabled2 BIGINT NOT NULL CHECK (trunk_enabled2 IN (0, 1)),
    trunk_priority1 BIGINT CHECK (trunk_priority1 IS NULL OR trunk_priority1 BETWEEN 0 AND 65535),
    trunk_priority2 BIGINT CHECK (trunk_priority2 IS NULL OR trunk_priority2 BETWEEN 0 AND 65535),
    trunk_weight1 BIGINT CHECK (trunk_weight1 IS NULL OR trunk_weight1 BETWEEN 0 AND 65535),
    trunk_weight2 BIGINT CHECK (trunk_weight2 IS NULL OR trunk_weight2 BETWEEN 0 AND 65535),
    header_manipulation TEXT CHECK (header_manipulation IS NULL OR length(header_manipulation) <= 64),
    enable_sip_refer BIGINT NOT NULL CHECK (enable_sip_refer IN (0, 1)),
    transfer_caller_id TEXT CHECK (transfer_caller_id IS NULL
        OR transfer_caller_id IN ('Transferee', 'Transferor', 'Transferee/Transferor')),
    symmetric_rtp BIGINT NOT NULL CHECK (symmetric_rtp IN (0, 1)),
    enable_trp_secure_trunk BIGINT NOT NULL CHECK (enable_trp_secure_trunk IN (0, 1)),
    enable_pstn_transfer BIGINT NOT NULL CHECK (enable_pstn_transfer IN (0, 1)),
    cnam_lookup BIGINT NOT NULL CHECK (cnam_lookup IN (0, 1)),
    -- JSON array of {"IpAddress"} objects, at most 50, duplicates collapsed.
    ip_whitelist TEXT NOT NULL,
    termination_uri_subdomain TEXT CHECK (termination_uri_subdomain IS NULL
        OR length(termination_uri_subdomain) BETWEEN 1 AND 63),
    enable_call_streaming BIGINT NOT NULL CHECK (enable_call_streaming IN (0, 1)),
    wss_uri TEXT,
    intelligent_route_enabled BIGINT NOT NULL CHECK (intelligent_route_enabled IN (0, 1)),
    enabled BIGINT NOT NULL CHECK (enabled IN (0, 1)),
    created_on BIGINT NOT NULL,
    updated_on BIGINT NOT NULL,
    deleted_on BIGINT,
    UNIQUE (id, account_id),
    FOREIGN KEY (account_id, distributor_id) REFERENCES accounts (id, distributor_id)
        DEFERRABLE INITIALLY DEFERRED,
    CHECK (voice_auth_type <> 'None' OR (voice_username IS NULL AND voice_password_sealed IS NULL)),
    CHECK (voice_auth_type <> 'Basic' OR (voice_username IS NOT NULL AND voice_password_sealed IS NOT NULL)),
    CHECK (voice_auth_type <> 'Bearer' OR (voice_username IS NULL AND voice_password_sealed IS NOT NULL)),
    CHECK (route_type <> 'Trunk' OR trunk_ip1 IS NOT NULL OR trunk_uri1 IS NOT NULL),
    CHECK (route_type = 'Trunk' OR voice_url IS NOT NULL),
    CHECK (enable_call_streaming = 0 OR wss_uri IS NOT NULL),
    CHECK (deleted_on IS NULL OR voice_password_sealed IS NULL)
);
CREATE INDEX voice_routes_by_account ON voice_routes (account_id, id);
-- A subdomain names one live route; deleting the route frees it.
CREATE UNIQUE INDEX voice_routes_subdomain_unique ON voice_routes (termination_uri_subdomain)
    WHERE deleted_on IS NULL AND termination_uri_subdomain IS NOT NULL;
