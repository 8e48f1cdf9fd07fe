//! Documentation of the voice route request bodies (read by `Fields`, not deserialised).

#![allow(dead_code)] // Documents the bodies; they are read by `Fields` to give the contract's messages.

use utoipa::ToSchema;

/// One whitelist entry.
#[derive(ToSchema)]
pub struct IpAddressRequest {
    /// IPv4/IPv6 address or CIDR block.
    #[serde(rename = "IpAddress")]
    ip_address: String,
}

/// Voice route properties other than the name and type. `VocieAuthenticationType` is accepted
/// for `VoiceAuthenticationType` and `Trunk1Priority`/`Trunk2Priority` for the vendor's
/// `Trunk1Priortiy`/`Trunk2Priortiy` (when both are sent, the latter spelling of each wins).
#[derive(ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct VoiceRouteProperties {
    /// `URL`: http(s) URL; `Forward`: `tel:` URI or phone number.
    voice_url: Option<String>,
    /// `GET` or `POST` (default).
    voice_url_method: Option<String>,
    /// `None` (default), `Basic` or `Bearer`; for `VoiceUrl` and `CallbackVoiceUrl`.
    voice_authentication_type: Option<String>,
    /// Basic: 1 to 256 characters.
    voice_username: Option<String>,
    /// Basic and Bearer: 1 to 4096 characters; write-only.
    voice_password_token: Option<String>,
    /// Call status events: http(s) URL.
    callback_voice_url: Option<String>,
    /// `GET` or `POST` (default).
    callback_voice_url_method: Option<String>,
    /// IPv4 or IPv6 literal; `Trunk` needs it or `TrunkUri1`.
    trunk_ip1: Option<String>,
    /// IPv4 or IPv6 literal.
    trunk_ip2: Option<String>,
    /// 1 to 65535 (string or integer); default 5061 for TLS, else 5060.
    trunk_port1: Option<String>,
    /// 1 to 65535 (string or integer); default 5061 for TLS, else 5060.
    trunk_port2: Option<String>,
    /// `UDP` (default), `TCP` or `TLS`.
    trunk_transport1: Option<String>,
    /// `UDP` (default), `TCP` or `TLS`.
    trunk_transport2: Option<String>,
    /// `sip:`/`sips:` URI, http(s) URL or host name; at most 255 characters.
    trunk_uri1: Option<String>,
    /// `sip:`/`sips:` URI, http(s) URL or host name; at most 255 characters.
    trunk_uri2: Option<String>,
    /// Default `true` when the trunk has an IP or URI.
    trunk_enabled1: Option<bool>,
    /// Default `true` when the trunk has an IP or URI.
    trunk_enabled2: Option<bool>,
    /// 0 to 65535, lower preferred; default 1.
    #[serde(rename = "Trunk1Priortiy")]
    trunk1_priority: Option<i64>,
    /// 0 to 65535; default 1.
    trunk1_weight: Option<i64>,
    /// 0 to 65535, lower preferred; default 2.
    #[serde(rename = "Trunk2Priortiy")]
    trunk2_priority: Option<i64>,
    /// 0 to 65535; default 1.
    trunk2_weight: Option<i64>,
    /// At most 64 characters.
    header_manipulation: Option<String>,
    /// Default `false`.
    enable_sip_refer: Option<bool>,
    /// `Transferee`, `Transferor` or `Transferee/Transferor`.
    transfer_caller_id: Option<String>,
    /// Default `false`.
    symmetric_rtp: Option<bool>,
    /// Default `false`.
    enable_trp_secure_trunk: Option<bool>,
    /// Default `false`.
    enable_pstn_transfer: Option<bool>,
    /// Default `false`.
    cnam_lookup: Option<bool>,
    /// At most 50 addresses or CIDR blocks; duplicates collapsed.
    ip_whitelist: Option<Vec<IpAddressRequest>>,
    /// 1 to 63 of `[a-z0-9-]`; unique among live voice routes.
    termination_uri_subdomain: Option<String>,
    /// Default `false`; `true` requires `WssUri`.
    enable_call_streaming: Option<bool>,
    /// Absolute `wss://` URL.
    wss_uri: Option<String>,
    /// Default `true`.
    intelligent_route_enabled: Option<bool>,
    /// Default `true`.
    route_enabled: Option<bool>,
}

/// Voice route create request.
#[derive(ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct VoiceRouteCreateRequest {
    /// 1 to 100 characters; not unique.
    route_name: String,
    /// `Trunk`, `URL` (`Webhook` accepted) or `Forward`.
    route_type: String,
    /// The other properties.
    #[serde(flatten)]
    properties: VoiceRouteProperties,
    /// By the tenancy rule.
    account_id: Option<String>,
}

/// Voice route update request: absent properties keep their value, `null` clears an optional
/// one (or returns it to its default).
#[derive(ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct VoiceRouteUpdateRequest {
    /// `CRID-…` of a live route.
    call_route_id: String,
    /// Must be the route's own account when given.
    account_id: Option<String>,
    /// 1 to 100 characters.
    route_name: Option<String>,
    /// `Trunk`, `URL` (`Webhook` accepted) or `Forward`; the new type's fields must be sent or
    /// already stored.
    route_type: Option<String>,
    /// The other properties.
    #[serde(flatten)]
    properties: VoiceRouteProperties,
}

/// Voice route delete request.
#[derive(ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct VoiceRouteDeleteRequest {
    /// `CRID-…`.
    call_route_id: String,
}
