//! Typed, prefixed identifiers (`PREFIX-` + lowercase UUIDv7).
//!
//! Incoming ids are compared case-insensitively and some prefixes have aliases
//! (`TNID-` for `NID-`, `PKID-` for `PID-`, `SID-` for `TSUID-`); parsing always yields the
//! canonical form, so the rest of the platform only ever sees one spelling.

use uuid::Uuid;

/// Splits `PREFIX-rest` case-insensitively against the accepted prefixes. Compares bytes, so
/// that any input (multi-byte characters included) is merely "not this prefix".
fn strip_any_prefix<'a>(raw: &'a str, prefixes: &[&str]) -> Option<&'a str> {
    prefixes.iter().find_map(|p| {
        let head = raw.as_bytes().get(..=p.len())?;
        (head[..p.len()].eq_ignore_ascii_case(p.as_bytes()) && head[p.len()] == b'-')
            .then(|| &raw[p.len() + 1..])
    })
}

/// Parses the UUID part and renders it canonically (lowercase, hyphenated).
fn canonical_uuid(body: &str) -> Option<String> {
    if body.len() != 36 {
        return None;
    }
    Uuid::try_parse(body)
        .ok()
        .map(|u| u.hyphenated().to_string())
}

macro_rules! prefixed_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal $(, alias $alias:literal)*) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The canonical prefix, without the dash.
            pub const PREFIX: &'static str = $prefix;

            /// A new id whose UUIDv7 sorts by creation time.
            pub fn generate() -> Self {
                Self(format!("{}-{}", $prefix, Uuid::now_v7().hyphenated()))
            }

            /// Parses an incoming id (any case, aliases accepted); `None` when malformed.
            pub fn parse(raw: &str) -> Option<Self> {
                let body = strip_any_prefix(raw.trim(), &[$prefix $(, $alias)*])?;
                canonical_uuid(body).map(|u| Self(format!("{}-{}", $prefix, u)))
            }

            /// Wraps a value read back from storage, where it is already canonical.
            pub fn from_stored(raw: String) -> Self {
                Self(raw)
            }

            /// The canonical text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

prefixed_id!(
    /// The platform operator (one per installation).
    AggregatorId, "AGID");
prefixed_id!(
    /// An account: a family or a business.
    AccountId, "AID");
prefixed_id!(
    /// A subscriber; `SID-` is read as `TSUID-`.
    SubscriberId, "TSUID", alias "SID");
prefixed_id!(
    /// A message route.
    MessageRouteId, "MRID");
prefixed_id!(
    /// A voice route.
    VoiceRouteId, "CRID");
prefixed_id!(
    /// A product.
    ProductId, "PRID");
prefixed_id!(
    /// A package; `PKID-` is read as `PID-`.
    PackageId, "PID", alias "PKID");
prefixed_id!(
    /// A package item.
    PackageItemId, "PIID");
prefixed_id!(
    /// A subscription.
    SubscriptionId, "SUB");
prefixed_id!(
    /// A phone number; `TNID-` is read as `NID-`.
    NumberId, "NID", alias "TNID");
prefixed_id!(
    /// An order (provision, status change, update, port-in, port-out).
    OrderId, "JNUOID");
prefixed_id!(
    /// An event of the outbox.
    EventId, "EVT");
prefixed_id!(
    /// A webhook endpoint.
    WebhookId, "WHK");

/// A distributor id, which is also its `AccountKey`.
///
/// Generated ids are `DID-` + UUIDv7, but a bootstrap key may be any `DID-` followed by 1 to 100
/// characters `[A-Za-z0-9-]`, so an MVNO can keep its existing key. Comparison is case-insensitive:
/// storage keeps the spelling and looks up by the lowercase form ([`DistributorId::lookup_key`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct DistributorId(String);

impl DistributorId {
    /// The canonical prefix, without the dash.
    pub const PREFIX: &'static str = "DID";

    /// A new id whose UUIDv7 sorts by creation time.
    pub fn generate() -> Self {
        Self(format!("DID-{}", Uuid::now_v7().hyphenated()))
    }

    /// Parses a key: `DID-` (any case) followed by 1 to 100 characters `[A-Za-z0-9-]`.
    pub fn parse(raw: &str) -> Option<Self> {
        let body = strip_any_prefix(raw.trim(), &["DID"])?;
        let valid = (1..=100).contains(&body.len())
            && body.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        valid.then(|| Self(format!("DID-{body}")))
    }

    /// Wraps a value read back from storage.
    pub fn from_stored(raw: String) -> Self {
        Self(raw)
    }

    /// The text as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lowercase form used for case-insensitive lookups.
    pub fn lookup_key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

impl std::fmt::Display for DistributorId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_round_trip_and_sort_by_creation() {
        let a = AccountId::generate();
        let b = AccountId::generate();
        assert!(a.as_str().starts_with("AID-"));
        assert_eq!(AccountId::parse(a.as_str()), Some(a.clone()));
        assert!(a < b);
    }

    #[test]
    fn multi_byte_input_is_malformed_not_a_panic() {
        for raw in [
            "a-\u{301}x",
            "\u{301}\u{301}",
            "TSUI\u{e9}-x",
            "中-1",
            "D\u{e9}-x",
        ] {
            assert_eq!(SubscriberId::parse(raw), None, "{raw}");
            assert_eq!(DistributorId::parse(raw), None, "{raw}");
        }
    }

    #[test]
    fn parsing_is_case_insensitive_and_canonicalises() {
        let id = SubscriberId::parse("tsuid-019A4985-032D-737C-97FC-695A07A0CA6E").unwrap();
        assert_eq!(id.as_str(), "TSUID-019a4985-032d-737c-97fc-695a07a0ca6e");
    }

    #[test]
    fn aliases_map_to_canonical_prefixes() {
        let uuid = "019a4985-032d-737c-97fc-695a07a0ca6e";
        assert_eq!(
            SubscriberId::parse(&format!("SID-{uuid}"))
                .unwrap()
                .as_str(),
            format!("TSUID-{uuid}")
        );
        assert_eq!(
            NumberId::parse(&format!("TNID-{uuid}")).unwrap().as_str(),
            format!("NID-{uuid}")
        );
        assert_eq!(
            PackageId::parse(&format!("pkid-{uuid}")).unwrap().as_str(),
            format!("PID-{uuid}")
        );
    }

    #[test]
    fn malformed_ids_are_rejected() {
        for bad in [
            "",
            "AID-",
            "AID-123",
            "XID-019a4985-032d-737c-97fc-695a07a0ca6e",
            "AID019a4985-032d-737c-97fc-695a07a0ca6e",
        ] {
            assert_eq!(AccountId::parse(bad), None, "{bad}");
        }
        assert_eq!(
            AccountId::parse("TSUID-019a4985-032d-737c-97fc-695a07a0ca6e"),
            None
        );
    }

    #[test]
    fn distributor_keys_allow_custom_values() {
        assert_eq!(
            DistributorId::parse("did-Acme-01").unwrap().as_str(),
            "DID-Acme-01"
        );
        assert_eq!(DistributorId::parse("DID-").map(|d| d.0), None);
        assert_eq!(DistributorId::parse("DID-a_b").map(|d| d.0), None);
        assert_eq!(
            DistributorId::parse("DID-AbC").unwrap().lookup_key(),
            "did-abc"
        );
    }
}
