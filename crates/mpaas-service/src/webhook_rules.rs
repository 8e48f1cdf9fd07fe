//! Pure rules of webhook endpoints: the event type catalogue and type patterns, URL checks,
//! secrets and Standard Webhooks signatures.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use url::Url;

use crate::events::is_type_pattern;
use crate::secrets::random_bytes;

/// Every event type the platform emits (`10-platform.md` §1.3).
pub const EVENT_TYPES: &[&str] = &[
    "distributor.created",
    "distributor.updated",
    "distributor.secret_rotated",
    "distributor.rate_limit_changed",
    "account.created",
    "account.updated",
    "subscriber.created",
    "subscriber.updated",
    "subscriber.deleted",
    "subscriber.transferred",
    "message_route.created",
    "message_route.updated",
    "message_route.deleted",
    "voice_route.created",
    "voice_route.updated",
    "voice_route.deleted",
    "product.created",
    "product.updated",
    "package.created",
    "package.updated",
    "package.item_added",
    "package.item_updated",
    "package.item_deleted",
    "subscription.created",
    "subscription.cancelled",
    "number.provisioned",
    "number.updated",
    "number.status_changed",
    "order.status_changed",
    "sim.status_changed",
    "sim.imported",
    "portin.status_changed",
    "portin.updated",
    "portout.status_changed",
    "portout.attempt_failed",
    "number.ported_in",
    "number.ported_out",
    "data_usage.threshold_crossed",
    "data_usage.behavior_changed",
    "data_usage.renewed",
    "data_usage.settings_changed",
    "guardian.features_changed",
    "guardian.relation_created",
    "guardian.relation_deleted",
    "guardian.message_filter_created",
    "guardian.message_filter_updated",
    "guardian.message_filter_deleted",
    "guardian.call_filter_created",
    "guardian.call_filter_updated",
    "guardian.call_filter_deleted",
    "guardian.message_blocked",
    "guardian.message_flagged",
    "guardian.call_blocked",
    "message.created",
    "message.received",
    "message.status_changed",
    "call.created",
    "call.status_changed",
    TEST_EVENT,
];

/// The type of the event `POST /v1.0/webhooks/test` creates.
pub const TEST_EVENT: &str = "webhook.test";

/// True when `event_type` matches `pattern`, where `*` stands for any run of characters (the
/// same reading as the `Type` filter of `GET /v1.0/events`).
pub fn type_matches(pattern: &str, event_type: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = event_type.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// True when any of the patterns matches the type.
pub fn any_matches<S: AsRef<str>>(patterns: &[S], event_type: &str) -> bool {
    patterns
        .iter()
        .any(|p| type_matches(p.as_ref(), event_type))
}

/// True for a type or pattern that matches at least one catalogued type.
pub fn is_known_type(pattern: &str) -> bool {
    is_type_pattern(pattern) && EVENT_TYPES.iter().any(|t| type_matches(pattern, t))
}

/// Why a URL is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlProblem {
    /// Not absolute http(s), too long, or with credentials.
    Invalid,
    /// `localhost` or a literal refused address.
    Private,
}

impl UrlProblem {
    /// The contract's message.
    pub fn message(self) -> &'static str {
        match self {
            UrlProblem::Invalid => "Url must be an absolute http or https URL",
            UrlProblem::Private => "Url must not point to a private address",
        }
    }
}

/// Checks a target URL at registration.
pub fn check_url(raw: &str, allow_private: bool) -> Result<Url, UrlProblem> {
    if raw.chars().count() > 2048 {
        return Err(UrlProblem::Invalid);
    }
    let url = Url::parse(raw).map_err(|_| UrlProblem::Invalid)?;
    let credentials = !url.username().is_empty() || url.password().is_some();
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() || credentials {
        return Err(UrlProblem::Invalid);
    }
    if !allow_private && crate::ssrf::is_private_host(&url) {
        return Err(UrlProblem::Private);
    }
    Ok(url)
}

/// A new signing secret: `whsec_` + base64 of 32 random bytes.
pub fn new_signing_secret() -> String {
    format!("whsec_{}", STANDARD.encode(random_bytes(32)))
}

/// `v1,` + base64(HMAC-SHA256(key, `{id}.{timestamp}.{body}`)), the key being the base64-decoded
/// part of the secret after `whsec_`.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> String {
    let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
    let key = STANDARD
        .decode(encoded)
        .unwrap_or_else(|_| encoded.as_bytes().to_vec());
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC accepts keys of any length");
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_like_the_events_filter() {
        assert!(type_matches("*", "account.created"));
        assert!(type_matches("portin.*", "portin.status_changed"));
        assert!(!type_matches("portin.*", "portout.status_changed"));
        assert!(type_matches("*.status_changed", "sim.status_changed"));
        assert!(!type_matches("*.status_changed", "sim.imported"));
        assert!(type_matches(
            "message.status_changed",
            "message.status_changed"
        ));
        assert!(!type_matches(
            "message.status_changed",
            "message.status_changed2"
        ));
        assert!(type_matches("*.*", "call.created"));
        assert!(any_matches(&["a.b", "guardian.*"], "guardian.call_blocked"));
    }

    #[test]
    fn known_types_are_catalogued_types_or_matching_patterns() {
        for ok in [
            "*",
            "portin.*",
            "*.status_changed",
            "guardian.message_blocked",
            "webhook.test",
            "*.*",
        ] {
            assert!(is_known_type(ok), "{ok}");
        }
        for bad in [
            "",
            "nope.created",
            "portin.nope",
            "Portin.*",
            "acc*",
            "account..created",
            "*.nothing",
        ] {
            assert!(!is_known_type(bad), "{bad}");
        }
    }

    #[test]
    fn urls_must_be_absolute_http_without_credentials() {
        assert!(check_url("https://hooks.acmemobile.example/mpaas", false).is_ok());
        assert!(check_url("http://127.0.0.1:9/x", true).is_ok());
        for bad in [
            "",
            "hooks.example.com/x",
            "ftp://hooks.example.com/",
            "https://user:pass@hooks.example.com/",
            "https://user@h.example/",
            "mailto:a@b.c",
            "http://",
            "https://[::1",
        ] {
            assert_eq!(
                check_url(bad, true).unwrap_err(),
                UrlProblem::Invalid,
                "{bad}"
            );
        }
        let long = format!("https://hooks.example.com/{}", "a".repeat(2030));
        assert_eq!(check_url(&long, true).unwrap_err(), UrlProblem::Invalid);
        assert_eq!(
            check_url("http://localhost/x", false).unwrap_err(),
            UrlProblem::Private
        );
        assert_eq!(
            check_url("http://127.0.0.1:1/x", false).unwrap_err(),
            UrlProblem::Private
        );
    }

    #[test]
    fn secrets_and_signatures_follow_standard_webhooks() {
        let s = new_signing_secret();
        assert_eq!(
            STANDARD
                .decode(s.strip_prefix("whsec_").unwrap())
                .unwrap()
                .len(),
            32
        );
        // The published Standard Webhooks test vector.
        let sig = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }
}
