//! Applying a voice route request to a route (a blank one on create) and checking the merged
//! route against every create rule, the `RouteType` rules included.

use mpaas_core::ValidationErrors;
use mpaas_store::voice_routes::VoiceRouteRow;

use super::auth::{
    check_http_url, merge_credentials, CredentialFields, Credentials, CredentialsInput,
    RouteContext, DEFAULT_METHOD, URL_METHODS,
};
use super::secrets::VOICE_PASSWORD;
use super::trunks::{
    checked, forward_target, merge_trunk, merge_whitelist, subdomain, wss_uri, TrunkInput,
    WssProblem,
};
use super::views::whitelist_of;
use super::{canonical, enumeration, Patch};
use crate::{ServiceError, ServiceResult};

/// `RouteType` values; `Webhook` is read as `URL`.
pub(crate) const ROUTE_TYPES: [&str; 3] = ["Trunk", "URL", "Forward"];
/// `TransferCallerId` values.
pub(crate) const TRANSFER_CALLER_IDS: [&str; 3] =
    ["Transferee", "Transferor", "Transferee/Transferor"];
/// `VoiceUrl` invalid for a webhook.
pub const VOICE_URL_INVALID: &str = "A valid URL is required for the voice webhook.";
/// `CallbackVoiceUrl` invalid.
pub const CALLBACK_VOICE_URL_INVALID: &str = "A valid URL is required for the callback webhook.";

const VOICE_FIELDS: CredentialFields = CredentialFields {
    auth_type: "VoiceAuthenticationType",
    username: "VoiceUsername",
    password: VOICE_PASSWORD,
};

/// The properties of a voice route request (types and lengths checked by the edge; of the
/// two spellings of a property, the edge passes the one that wins).
#[derive(Clone, Debug, Default)]
pub struct VoiceRouteInput {
    /// `RouteName`.
    pub route_name: Patch<String>,
    /// `RouteType`.
    pub route_type: Patch<String>,
    /// `VoiceUrl`.
    pub voice_url: Patch<String>,
    /// `VoiceUrlMethod`.
    pub voice_url_method: Patch<String>,
    /// `VoiceAuthenticationType` (or `VocieAuthenticationType`), `VoiceUsername`,
    /// `VoicePasswordToken`.
    pub voice: CredentialsInput,
    /// `CallbackVoiceUrl`.
    pub callback_url: Patch<String>,
    /// `CallbackVoiceUrlMethod`.
    pub callback_url_method: Patch<String>,
    /// Trunk 1 and trunk 2.
    pub trunks: [TrunkInput; 2],
    /// `HeaderManipulation`.
    pub header_manipulation: Patch<String>,
    /// `EnableSipRefer`.
    pub enable_sip_refer: Patch<bool>,
    /// `TransferCallerId`.
    pub transfer_caller_id: Patch<String>,
    /// `SymmetricRtp`.
    pub symmetric_rtp: Patch<bool>,
    /// `EnableTrpSecureTrunk`.
    pub enable_trp_secure_trunk: Patch<bool>,
    /// `EnablePstnTransfer`.
    pub enable_pstn_transfer: Patch<bool>,
    /// `CnamLookup`.
    pub cnam_lookup: Patch<bool>,
    /// `IpWhitelist` addresses.
    pub ip_whitelist: Patch<Vec<String>>,
    /// `TerminationUriSubdomain`.
    pub termination_uri_subdomain: Patch<String>,
    /// `EnableCallStreaming`.
    pub enable_call_streaming: Patch<bool>,
    /// `WssUri`.
    pub wss_uri: Patch<String>,
    /// `IntelligentRouteEnabled`.
    pub intelligent_route_enabled: Patch<bool>,
    /// `RouteEnabled`.
    pub route_enabled: Patch<bool>,
}

/// A new route before the request is applied: every default, no name and no type yet.
pub(crate) fn blank(id: &str, now: i64) -> VoiceRouteRow {
    VoiceRouteRow {
        id: id.to_string(),
        account_id: String::new(),
        distributor_id: String::new(),
        name: String::new(),
        route_type: String::new(),
        voice_url: None,
        voice_url_method: DEFAULT_METHOD.into(),
        voice_auth_type: Credentials::none().auth_type,
        voice_username: None,
        voice_password_sealed: None,
        callback_url: None,
        callback_url_method: DEFAULT_METHOD.into(),
        trunks: Default::default(),
        header_manipulation: None,
        enable_sip_refer: false,
        transfer_caller_id: None,
        symmetric_rtp: false,
        enable_trp_secure_trunk: false,
        enable_pstn_transfer: false,
        cnam_lookup: false,
        ip_whitelist: "[]".into(),
        termination_uri_subdomain: None,
        enable_call_streaming: false,
        wss_uri: None,
        intelligent_route_enabled: true,
        enabled: true,
        created_on: now,
        updated_on: now,
        deleted_on: None,
    }
}

fn route_type(patch: Patch<String>, current: String, errors: &mut ValidationErrors) -> String {
    let raw = match patch {
        Patch::Set(raw) => raw,
        Patch::Keep | Patch::Clear if current.is_empty() => {
            errors.add("RouteType", "RouteType is required");
            return current;
        }
        Patch::Keep | Patch::Clear => return current,
    };
    let raw = if raw.trim().eq_ignore_ascii_case("Webhook") {
        "URL"
    } else {
        raw.as_str()
    };
    match canonical(raw, &ROUTE_TYPES) {
        Some(t) => t.to_string(),
        None => {
            errors.add(
                "RouteType",
                "Route type must be one of: Trunk, URL, Forward",
            );
            current
        }
    }
}

/// Checks `VoiceUrl` against the route type; returns its stored form.
fn voice_url(
    row: &VoiceRouteRow,
    url: Option<String>,
    ctx: RouteContext<'_>,
    errors: &mut ValidationErrors,
) -> Option<String> {
    const FORWARD: &str = "VoiceUrl must be a tel: URI or phone number for route type Forward";
    let webhook = ("VoiceUrl", VOICE_URL_INVALID);
    match (row.route_type.as_str(), url) {
        ("Forward", url) => {
            let target = url.as_deref().and_then(forward_target);
            if target.is_none() {
                errors.add("VoiceUrl", FORWARD);
            }
            target
        }
        ("URL", None) => {
            errors.add("VoiceUrl", "VoiceUrl is required for route type URL");
            None
        }
        ("URL", Some(url)) => {
            check_http_url(&url, webhook, ctx.allow_private, errors);
            Some(url)
        }
        // A trunk route does not use it, but it is stored as a valid target of either kind.
        (_, Some(url)) => forward_target(&url).or_else(|| {
            check_http_url(&url, webhook, ctx.allow_private, errors);
            Some(url)
        }),
        (_, None) => None,
    }
}

fn check_trunk_route(row: &VoiceRouteRow, errors: &mut ValidationErrors) {
    let first = &row.trunks[0];
    if row.route_type == "Trunk" && first.ip.is_none() && first.uri.is_none() {
        errors.add(
            "TrunkIp1",
            "TrunkIp1 or TrunkUri1 is required for route type Trunk",
        );
    }
}

fn merge_streaming(
    row: &mut VoiceRouteRow,
    input: (Patch<bool>, Patch<String>),
    allow_private: bool,
    errors: &mut ValidationErrors,
) {
    row.enable_call_streaming = input.0.or_keep(row.enable_call_streaming);
    let refused = match input.1 {
        Patch::Keep => None,
        Patch::Clear => {
            row.wss_uri = None;
            None
        }
        Patch::Set(raw) => match wss_uri(&raw, allow_private) {
            Ok(uri) => {
                row.wss_uri = Some(uri);
                None
            }
            Err(WssProblem::Invalid) => Some("WssUri must be an absolute wss:// URL"),
            Err(WssProblem::Private) => Some("WssUri must not point to a private address"),
        },
    };
    if let Some(message) = refused {
        errors.add("WssUri", message);
    } else if row.enable_call_streaming && row.wss_uri.is_none() {
        errors.add(
            "WssUri",
            "WssUri is required when EnableCallStreaming is true",
        );
    }
}

/// Merges the webhook part: name, type, URLs and credentials.
fn merge_webhooks(
    row: &mut VoiceRouteRow,
    input: &mut VoiceRouteInput,
    ctx: RouteContext<'_>,
    errors: &mut ValidationErrors,
) -> ServiceResult<()> {
    row.name = std::mem::take(&mut input.route_name).or_keep(std::mem::take(&mut row.name));
    if row.name.is_empty() {
        errors.add("RouteName", "RouteName is required");
    }
    let current_type = std::mem::take(&mut row.route_type);
    row.route_type = route_type(std::mem::take(&mut input.route_type), current_type, errors);
    let url = std::mem::take(&mut input.voice_url).apply(row.voice_url.take());
    row.voice_url = voice_url(row, url, ctx, errors);
    let method = ("VoiceUrlMethod", &URL_METHODS[..], DEFAULT_METHOD);
    row.voice_url_method = enumeration(
        std::mem::take(&mut input.voice_url_method),
        &row.voice_url_method,
        method,
        errors,
    );
    let stored = Credentials {
        auth_type: std::mem::take(&mut row.voice_auth_type),
        username: row.voice_username.take(),
        sealed: row.voice_password_sealed.take(),
    };
    let voice = std::mem::take(&mut input.voice);
    let merged = merge_credentials(voice, stored, VOICE_FIELDS, ctx, errors)?;
    (
        row.voice_auth_type,
        row.voice_username,
        row.voice_password_sealed,
    ) = (merged.auth_type, merged.username, merged.sealed);
    row.callback_url = std::mem::take(&mut input.callback_url).apply(row.callback_url.take());
    if let Some(url) = &row.callback_url {
        let callback = ("CallbackVoiceUrl", CALLBACK_VOICE_URL_INVALID);
        check_http_url(url, callback, ctx.allow_private, errors);
    }
    let method = ("CallbackVoiceUrlMethod", &URL_METHODS[..], DEFAULT_METHOD);
    row.callback_url_method = enumeration(
        std::mem::take(&mut input.callback_url_method),
        &row.callback_url_method,
        method,
        errors,
    );
    Ok(())
}

/// Merges the SIP part: trunks, whitelist, subdomain, flags and streaming.
fn merge_sip(
    row: &mut VoiceRouteRow,
    input: VoiceRouteInput,
    allow_private: bool,
    errors: &mut ValidationErrors,
) -> ServiceResult<()> {
    let [t1, t2] = input.trunks;
    row.trunks = [
        merge_trunk(1, &row.trunks[0], t1, errors),
        merge_trunk(2, &row.trunks[1], t2, errors),
    ];
    check_trunk_route(row, errors);
    row.header_manipulation = input
        .header_manipulation
        .apply(row.header_manipulation.take());
    let transfer = (
        "TransferCallerId",
        "TransferCallerId must be one of: Transferee, Transferor, Transferee/Transferor",
    );
    let parse_transfer = |raw: &str| canonical(raw, &TRANSFER_CALLER_IDS).map(str::to_string);
    row.transfer_caller_id = checked(
        input.transfer_caller_id,
        row.transfer_caller_id.take(),
        transfer,
        parse_transfer,
        errors,
    );
    let whitelist = merge_whitelist(input.ip_whitelist, whitelist_of(row)?, errors);
    row.ip_whitelist =
        serde_json::to_string(&whitelist).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let sub = (
        "TerminationUriSubdomain",
        "TerminationUriSubdomain must be 1 to 63 characters of a-z, 0-9 and -, not starting or ending with -",
    );
    row.termination_uri_subdomain = checked(
        input.termination_uri_subdomain,
        row.termination_uri_subdomain.take(),
        sub,
        subdomain,
        errors,
    );
    row.enable_sip_refer = input.enable_sip_refer.or_keep(row.enable_sip_refer);
    row.symmetric_rtp = input.symmetric_rtp.or_keep(row.symmetric_rtp);
    row.enable_trp_secure_trunk = input
        .enable_trp_secure_trunk
        .or_keep(row.enable_trp_secure_trunk);
    row.enable_pstn_transfer = input.enable_pstn_transfer.or_keep(row.enable_pstn_transfer);
    row.cnam_lookup = input.cnam_lookup.or_keep(row.cnam_lookup);
    row.intelligent_route_enabled = input
        .intelligent_route_enabled
        .or_keep(row.intelligent_route_enabled);
    row.enabled = input.route_enabled.or_keep(row.enabled);
    let streaming = (input.enable_call_streaming, input.wss_uri);
    merge_streaming(row, streaming, allow_private, errors);
    Ok(())
}

/// Applies a request to a route and checks the result against every create rule.
pub(crate) fn merge(
    mut row: VoiceRouteRow,
    mut input: VoiceRouteInput,
    ctx: RouteContext<'_>,
) -> ServiceResult<VoiceRouteRow> {
    let mut errors = ValidationErrors::default();
    merge_webhooks(&mut row, &mut input, ctx, &mut errors)?;
    merge_sip(&mut row, input, ctx.allow_private, &mut errors)?;
    Ok(errors.into_result(row)?)
}
