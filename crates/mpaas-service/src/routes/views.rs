//! Route objects exactly as the API returns them (and as event `Data` carries them), with the
//! vendor's spellings: `AccountID` in lists, `Trunk1Priortiy`, `IpWhiteList` in the object and
//! `IpWhitelist` in list items. Secrets are masked.

use mpaas_store::message_routes::MessageRouteRow;
use mpaas_store::voice_routes::{TrunkRow, VoiceRouteRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::status_of;
use crate::views::Page;
use crate::{ServiceError, ServiceResult};

/// What a set secret is returned as.
const MASK: &str = "********";

fn masked(sealed: &Option<String>) -> Option<String> {
    sealed.as_ref().map(|_| MASK.to_string())
}

/// The settings of a message route (every property but its ids).
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct MessageRouteSettings {
    /// 1 to 100 characters.
    pub route_name: String,
    /// Where inbound messages go.
    pub message_url: String,
    /// `GET` or `POST`.
    pub message_url_method: String,
    /// Disabled: no calls to the MVNO's URLs.
    pub message_route_enabled: bool,
    /// `None`, `Basic` or `Bearer`.
    pub message_authentication_type: String,
    /// Basic only.
    pub message_username: Option<String>,
    /// `********` when set.
    pub message_password_token: Option<String>,
    /// Where delivery receipts go.
    pub callback_message_url: Option<String>,
    /// `GET` or `POST`.
    pub callback_message_url_method: String,
    /// `None`, `Basic` or `Bearer`.
    pub callback_message_authentication_type: String,
    /// Basic only.
    pub callback_message_username: Option<String>,
    /// `********` when set.
    pub callback_message_password_token: Option<String>,
    /// Skip Guardian filtering on inbound messages.
    pub inbound_bypass: bool,
    /// Skip Guardian filtering on outbound messages.
    pub outbound_bypass: bool,
    /// Stored and returned.
    pub intelligent_route_enabled: bool,
}

/// Message route object.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct MessageRouteView {
    /// `MRID-…`.
    pub message_route_id: String,
    /// Owner account.
    pub account_id: String,
    /// The settings.
    #[serde(flatten)]
    pub settings: MessageRouteSettings,
}

/// Message route in the account's list.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct MessageRouteListItem {
    /// `MRID-…`.
    pub message_route_id: String,
    /// Owner account (vendor spelling).
    #[serde(rename = "AccountID")]
    pub account_id: String,
    /// The settings.
    #[serde(flatten)]
    pub settings: MessageRouteSettings,
    /// `Active` or `Deleted` (Extension).
    pub message_route_status: String,
}

/// Answer of a message route delete.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MessageRouteDeletedView {
    /// Always `Deleted`.
    #[serde(rename = "MessageRouteStatus")]
    pub message_route_status: String,
    /// `MRID-…`.
    #[serde(rename = "MRID")]
    pub mrid: String,
}

/// One `IpWhitelist` entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IpAddressEntry {
    /// IPv4/IPv6 address or CIDR block.
    #[serde(rename = "IpAddress")]
    pub ip_address: String,
}

/// The settings of a voice route (every property but its ids and whitelist).
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct VoiceRouteSettings {
    /// 1 to 100 characters.
    pub route_name: String,
    /// `Trunk`, `URL` or `Forward`.
    pub route_type: String,
    /// Webhook URL, or `tel:+E164` for `Forward`.
    pub voice_url: Option<String>,
    /// `GET` or `POST`.
    pub voice_url_method: String,
    /// `None`, `Basic` or `Bearer`.
    pub voice_authentication_type: String,
    /// Basic only.
    pub voice_username: Option<String>,
    /// `********` when set.
    pub voice_password_token: Option<String>,
    /// Call status events.
    pub callback_voice_url: Option<String>,
    /// `GET` or `POST`.
    pub callback_voice_url_method: String,
    /// Trunk 1 address.
    pub trunk_ip1: Option<String>,
    /// Trunk 2 address.
    pub trunk_ip2: Option<String>,
    /// Trunk 1 port, as a string.
    pub trunk_port1: Option<String>,
    /// Trunk 2 port, as a string.
    pub trunk_port2: Option<String>,
    /// `UDP`, `TCP` or `TLS`.
    pub trunk_transport1: Option<String>,
    /// `UDP`, `TCP` or `TLS`.
    pub trunk_transport2: Option<String>,
    /// Trunk 1 URI.
    pub trunk_uri1: Option<String>,
    /// Trunk 2 URI.
    pub trunk_uri2: Option<String>,
    /// Trunk 1 in use.
    pub trunk_enabled1: bool,
    /// Trunk 2 in use.
    pub trunk_enabled2: bool,
    /// Lower is preferred (vendor spelling).
    #[serde(rename = "Trunk1Priortiy")]
    pub trunk1_priority: Option<i64>,
    /// Share among equal priorities.
    pub trunk1_weight: Option<i64>,
    /// Lower is preferred (vendor spelling).
    #[serde(rename = "Trunk2Priortiy")]
    pub trunk2_priority: Option<i64>,
    /// Share among equal priorities.
    pub trunk2_weight: Option<i64>,
    /// At most 64 characters.
    pub header_manipulation: Option<String>,
    /// Handed to the network adapter.
    pub enable_sip_refer: bool,
    /// `Transferee`, `Transferor` or `Transferee/Transferor`.
    pub transfer_caller_id: Option<String>,
    /// Handed to the network adapter.
    pub symmetric_rtp: bool,
    /// Handed to the network adapter.
    pub enable_trp_secure_trunk: bool,
    /// Handed to the network adapter.
    pub enable_pstn_transfer: bool,
    /// Handed to the network adapter.
    pub cnam_lookup: bool,
    /// Unique among live voice routes.
    pub termination_uri_subdomain: Option<String>,
    /// Requires `WssUri`.
    pub enable_call_streaming: bool,
    /// `wss://` URL.
    pub wss_uri: Option<String>,
    /// Stored and returned.
    pub intelligent_route_enabled: bool,
    /// Disabled: inbound calls fail.
    pub route_enabled: bool,
}

/// Voice route object: exactly these keys.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct VoiceRouteView {
    /// `CRID-…`.
    pub call_route_id: String,
    /// Owner account.
    pub account_id: String,
    /// The settings.
    #[serde(flatten)]
    pub settings: VoiceRouteSettings,
    /// SIP sources allowed (vendor spelling).
    #[serde(rename = "IpWhiteList")]
    pub ip_whitelist: Vec<IpAddressEntry>,
}

/// Voice route in the account's list.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct VoiceRouteListItem {
    /// `Active` or `Deleted`.
    pub call_route_status: String,
    /// `CRID-…`.
    pub call_route_id: String,
    /// Owner account (vendor spelling).
    #[serde(rename = "AccountID")]
    pub account_id: String,
    /// The settings.
    #[serde(flatten)]
    pub settings: VoiceRouteSettings,
    /// SIP sources allowed (list spelling).
    #[serde(rename = "IpWhitelist")]
    pub ip_whitelist: Vec<IpAddressEntry>,
}

/// Answer of a voice route delete.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct VoiceRouteDeletedView {
    /// Always `Deleted`.
    pub call_route_status: String,
    /// `CRID-…`.
    pub call_route_id: String,
}

/// One page of an account's routes.
#[derive(Clone, Debug)]
pub struct RouteList<T> {
    /// The resolved account.
    pub account_id: String,
    /// The page.
    pub page: Page<T>,
}

fn message_settings(row: &MessageRouteRow) -> MessageRouteSettings {
    MessageRouteSettings {
        route_name: row.name.clone(),
        message_url: row.message_url.clone(),
        message_url_method: row.message_url_method.clone(),
        message_route_enabled: row.enabled,
        message_authentication_type: row.message_auth_type.clone(),
        message_username: row.message_username.clone(),
        message_password_token: masked(&row.message_password_sealed),
        callback_message_url: row.callback_url.clone(),
        callback_message_url_method: row.callback_url_method.clone(),
        callback_message_authentication_type: row.callback_auth_type.clone(),
        callback_message_username: row.callback_username.clone(),
        callback_message_password_token: masked(&row.callback_password_sealed),
        inbound_bypass: row.inbound_bypass,
        outbound_bypass: row.outbound_bypass,
        intelligent_route_enabled: row.intelligent_route_enabled,
    }
}

/// The object of a stored message route.
pub(crate) fn message_view(row: &MessageRouteRow) -> MessageRouteView {
    MessageRouteView {
        message_route_id: row.id.clone(),
        account_id: row.account_id.clone(),
        settings: message_settings(row),
    }
}

/// The list item of a stored message route.
pub(crate) fn message_item(row: &MessageRouteRow) -> MessageRouteListItem {
    MessageRouteListItem {
        message_route_id: row.id.clone(),
        account_id: row.account_id.clone(),
        settings: message_settings(row),
        message_route_status: status_of(row.deleted_on).to_string(),
    }
}

fn voice_settings(row: &VoiceRouteRow) -> VoiceRouteSettings {
    let [t1, t2]: &[TrunkRow; 2] = &row.trunks;
    let port = |t: &TrunkRow| t.port.map(|p| p.to_string());
    VoiceRouteSettings {
        route_name: row.name.clone(),
        route_type: row.route_type.clone(),
        voice_url: row.voice_url.clone(),
        voice_url_method: row.voice_url_method.clone(),
        voice_authentication_type: row.voice_auth_type.clone(),
        voice_username: row.voice_username.clone(),
        voice_password_token: masked(&row.voice_password_sealed),
        callback_voice_url: row.callback_url.clone(),
        callback_voice_url_method: row.callback_url_method.clone(),
        trunk_ip1: t1.ip.clone(),
        trunk_ip2: t2.ip.clone(),
        trunk_port1: port(t1),
        trunk_port2: port(t2),
        trunk_transport1: t1.transport.clone(),
        trunk_transport2: t2.transport.clone(),
        trunk_uri1: t1.uri.clone(),
        trunk_uri2: t2.uri.clone(),
        trunk_enabled1: t1.enabled,
        trunk_enabled2: t2.enabled,
        trunk1_priority: t1.priority,
        trunk1_weight: t1.weight,
        trunk2_priority: t2.priority,
        trunk2_weight: t2.weight,
        header_manipulation: row.header_manipulation.clone(),
        enable_sip_refer: row.enable_sip_refer,
        transfer_caller_id: row.transfer_caller_id.clone(),
        symmetric_rtp: row.symmetric_rtp,
        enable_trp_secure_trunk: row.enable_trp_secure_trunk,
        enable_pstn_transfer: row.enable_pstn_transfer,
        cnam_lookup: row.cnam_lookup,
        termination_uri_subdomain: row.termination_uri_subdomain.clone(),
        enable_call_streaming: row.enable_call_streaming,
        wss_uri: row.wss_uri.clone(),
        intelligent_route_enabled: row.intelligent_route_enabled,
        route_enabled: row.enabled,
    }
}

/// The stored whitelist.
pub(crate) fn whitelist_of(row: &VoiceRouteRow) -> ServiceResult<Vec<IpAddressEntry>> {
    serde_json::from_str(&row.ip_whitelist)
        .map_err(|e| ServiceError::Internal(format!("stored IpWhitelist of {}: {e}", row.id)))
}

/// The object of a stored voice route.
pub(crate) fn voice_view(row: &VoiceRouteRow) -> ServiceResult<VoiceRouteView> {
    Ok(VoiceRouteView {
        call_route_id: row.id.clone(),
        account_id: row.account_id.clone(),
        settings: voice_settings(row),
        ip_whitelist: whitelist_of(row)?,
    })
}

/// The list item of a stored voice route.
pub(crate) fn voice_item(row: &VoiceRouteRow) -> ServiceResult<VoiceRouteListItem> {
    Ok(VoiceRouteListItem {
        call_route_status: status_of(row.deleted_on).to_string(),
        call_route_id: row.id.clone(),
        account_id: row.account_id.clone(),
        settings: voice_settings(row),
        ip_whitelist: whitelist_of(row)?,
    })
}
