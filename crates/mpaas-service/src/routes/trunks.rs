//! Voice route properties with formats of their own: SIP trunks, the IP whitelist, the
//! termination subdomain, the call streaming URL and forward targets.

use std::collections::HashSet;
use std::net::IpAddr;

use mpaas_core::{ValidationErrors, E164};
use mpaas_store::voice_routes::TrunkRow;
use url::Url;

use super::views::IpAddressEntry;
use super::{enumeration, Patch};

/// `TrunkTransport…` values.
pub(crate) const TRANSPORTS: [&str; 3] = ["UDP", "TCP", "TLS"];
/// Entries an `IpWhitelist` may hold after duplicates are collapsed.
pub(crate) const MAX_WHITELIST: usize = 50;

/// Properties of one trunk in a request (types and ranges checked by the edge).
#[derive(Clone, Debug, Default)]
pub struct TrunkInput {
    /// `TrunkIp…`.
    pub ip: Patch<String>,
    /// `TrunkPort…`, as sent (string or integer).
    pub port: Patch<String>,
    /// `TrunkTransport…`.
    pub transport: Patch<String>,
    /// `TrunkUri…`.
    pub uri: Patch<String>,
    /// `TrunkEnabled…`.
    pub enabled: Patch<bool>,
    /// `Trunk…Priortiy` (or `…Priority`), 0 to 65535.
    pub priority: Patch<i64>,
    /// `Trunk…Weight`, 0 to 65535.
    pub weight: Patch<i64>,
}

/// The merged value of an optional formatted property: a sent value must pass `parse`
/// (which returns its canonical form), else `message` is recorded on `field`.
pub(crate) fn checked(
    patch: Patch<String>,
    current: Option<String>,
    (field, message): (&str, &str),
    parse: impl FnOnce(&str) -> Option<String>,
    errors: &mut ValidationErrors,
) -> Option<String> {
    match patch {
        Patch::Keep => current,
        Patch::Clear => None,
        Patch::Set(raw) => parse(&raw).or_else(|| {
            errors.add(field, message);
            current
        }),
    }
}

/// An IPv4 or IPv6 literal in canonical form.
fn ip_literal(raw: &str) -> Option<String> {
    raw.trim().parse::<IpAddr>().ok().map(|ip| ip.to_string())
}

/// A host name: dot-separated labels of letters, digits and `-`, not starting or ending with `-`.
fn is_host_name(raw: &str) -> bool {
    let name = raw.strip_suffix('.').unwrap_or(raw);
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// A trunk URI: `sip:`/`sips:` URI, http(s) URL or host name, at most 255 characters.
fn trunk_uri(raw: &str) -> Option<String> {
    let uri = raw.trim();
    if uri.chars().count() > 255 || uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let lower = uri.to_ascii_lowercase();
    let valid = if let Some(rest) = lower
        .strip_prefix("sip:")
        .or_else(|| lower.strip_prefix("sips:"))
    {
        !rest.is_empty()
    } else if lower.starts_with("http://") || lower.starts_with("https://") {
        Url::parse(uri).is_ok_and(|u| u.host().is_some())
    } else {
        is_host_name(uri)
    };
    valid.then(|| uri.to_string())
}

fn port(raw: &str) -> Option<i64> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|p| (1..=65535).contains(p))
}

/// Merges trunk `n` (1 or 2). Defaults (port, transport, enabled, priority, weight) apply only
/// to a trunk with an IP or URI; an unconfigured trunk keeps nothing and is disabled.
pub(crate) fn merge_trunk(
    n: u8,
    stored: &TrunkRow,
    input: TrunkInput,
    errors: &mut ValidationErrors,
) -> TrunkRow {
    let name = |prop: &str| format!("Trunk{prop}{n}");
    let ip_field = name("Ip");
    let ip_message = format!("{ip_field} must be an IPv4 or IPv6 address");
    let ip = checked(
        input.ip,
        stored.ip.clone(),
        (&ip_field, &ip_message),
        ip_literal,
        errors,
    );
    let uri_field = name("Uri");
    let uri_message =
        format!("{uri_field} must be a sip: or sips: URI, an http(s) URL or a host name");
    let uri = checked(
        input.uri,
        stored.uri.clone(),
        (&uri_field, &uri_message),
        trunk_uri,
        errors,
    );
    let transport_field = name("Transport");
    let transport = enumeration(
        input.transport,
        stored.transport.as_deref().unwrap_or(TRANSPORTS[0]),
        (&transport_field, &TRANSPORTS[..], TRANSPORTS[0]),
        errors,
    );
    let port_field = name("Port");
    let port = match input.port {
        Patch::Keep => stored.port,
        Patch::Clear => None,
        Patch::Set(raw) => port(&raw).or_else(|| {
            errors.add(
                &port_field,
                format!("{port_field} must be between 1 and 65535"),
            );
            stored.port
        }),
    };
    if ip.is_none() && uri.is_none() {
        return TrunkRow::default();
    }
    // A trunk configured only now was disabled for lack of an address, not by choice.
    let was_configured = stored.ip.is_some() || stored.uri.is_some();
    let enabled_before = if was_configured { stored.enabled } else { true };
    let default_port = if transport == "TLS" { 5061 } else { 5060 };
    TrunkRow {
        ip,
        port: Some(port.unwrap_or(default_port)),
        transport: Some(transport),
        uri,
        enabled: input.enabled.or_keep(enabled_before),
        priority: Some(
            input
                .priority
                .apply(stored.priority)
                .unwrap_or(i64::from(n)),
        ),
        weight: Some(input.weight.apply(stored.weight).unwrap_or(1)),
    }
}

/// An IP address or CIDR block in canonical form.
fn ip_or_cidr(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let Some((addr, bits)) = raw.split_once('/') else {
        return ip_literal(raw);
    };
    let ip: IpAddr = addr.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let digits = !bits.is_empty() && bits.len() <= 3 && bits.bytes().all(|b| b.is_ascii_digit());
    let bits: u8 = bits.parse().ok().filter(|b| digits && *b <= max)?;
    Some(format!("{ip}/{bits}"))
}

/// Merges `IpWhitelist`: every entry an address or CIDR block, duplicates collapsed (first
/// position kept), at most [`MAX_WHITELIST`]; `null` empties it.
pub(crate) fn merge_whitelist(
    patch: Patch<Vec<String>>,
    stored: Vec<IpAddressEntry>,
    errors: &mut ValidationErrors,
) -> Vec<IpAddressEntry> {
    let raw = match patch {
        Patch::Keep => return stored,
        Patch::Clear => return Vec::new(),
        Patch::Set(raw) => raw,
    };
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, item) in raw.iter().enumerate() {
        match ip_or_cidr(item) {
            Some(ip) if seen.insert(ip.clone()) => out.push(IpAddressEntry { ip_address: ip }),
            Some(_) => {}
            None => {
                let path = format!("IpWhitelist[{i}].IpAddress");
                errors.add(
                    &path,
                    format!("{path} must be an IPv4 or IPv6 address or CIDR block"),
                );
            }
        }
    }
    if out.len() > MAX_WHITELIST {
        errors.add(
            "IpWhitelist",
            format!("IpWhitelist must contain at most {MAX_WHITELIST} items"),
        );
    }
    out
}

/// A termination subdomain: 1 to 63 of `[a-z0-9-]` once lower-cased, no leading or trailing `-`.
pub(crate) fn subdomain(raw: &str) -> Option<String> {
    let s = raw.trim().to_ascii_lowercase();
    let valid = (1..=63).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-');
    valid.then_some(s)
}

/// Why a `WssUri` is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WssProblem {
    /// Not an absolute `wss://` URL of at most 2048 characters without credentials.
    Invalid,
    /// `localhost` or a literal private address.
    Private,
}

/// Checks a call streaming URL; returns it as sent (trimmed).
pub(crate) fn wss_uri(raw: &str, allow_private: bool) -> Result<String, WssProblem> {
    let raw = raw.trim();
    if raw.chars().count() > 2048 {
        return Err(WssProblem::Invalid);
    }
    let url = Url::parse(raw).map_err(|_| WssProblem::Invalid)?;
    let credentials = !url.username().is_empty() || url.password().is_some();
    if url.scheme() != "wss" || url.host().is_none() || credentials {
        return Err(WssProblem::Invalid);
    }
    if !allow_private && crate::ssrf::is_private_host(&url) {
        return Err(WssProblem::Private);
    }
    Ok(raw.to_string())
}

/// A forward target (`tel:` URI or phone number) as `tel:+<E.164>`.
pub(crate) fn forward_target(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let number = match raw.get(..4) {
        Some(scheme) if scheme.eq_ignore_ascii_case("tel:") => &raw[4..],
        _ => raw,
    };
    E164::parse(number).map(|n| format!("tel:{n}"))
}

#[cfg(test)]
mod tests;
