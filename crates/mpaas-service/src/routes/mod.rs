//! Message routes (MRID) and voice routes (CRID), `03-routes.md`: create, get, update, delete
//! and the account's list for both kinds, plus what number provisioning and route webhook
//! delivery need from them (a live route of an account, its credentials in clear).
//!
//! Create and update share one merge: a create is an update of a blank route, so the merged
//! route always goes through the same rules, whichever way it was reached.

mod auth;
#[cfg(test)]
mod live_tests;
mod message;
mod secrets;
mod trunks;
mod views;
mod voice;
mod voice_merge;

use mpaas_core::{ListFilter, ValidationErrors};
use mpaas_store::message_routes::RouteFilter;

pub use auth::CredentialsInput;
pub(crate) use message::live_message_route;
pub use message::MessageRouteInput;
#[allow(unused_imports)] // Used by route webhook delivery (09).
pub(crate) use secrets::{message_route_auth, voice_route_auth, MessageRouteAuth, RouteAuth};
pub use trunks::TrunkInput;
pub use views::{
    IpAddressEntry, MessageRouteDeletedView, MessageRouteListItem, MessageRouteSettings,
    MessageRouteView, RouteList, VoiceRouteDeletedView, VoiceRouteListItem, VoiceRouteSettings,
    VoiceRouteView,
};
pub(crate) use voice::live_voice_route;
pub use voice_merge::VoiceRouteInput;

/// One property of a route request. Update semantics (`03-routes.md`): an absent property keeps
/// its value; an explicit `null` clears an optional property or returns it to its default, and
/// leaves a property that cannot be empty unchanged. On create, absent and `null` both mean the
/// default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Patch<T> {
    /// Not sent.
    #[default]
    Keep,
    /// Sent as `null`.
    Clear,
    /// Sent with a value.
    Set(T),
}

impl<T> Patch<T> {
    /// The new value of a property that cannot be empty: `null` leaves it unchanged.
    pub fn or_keep(self, current: T) -> T {
        match self {
            Patch::Set(v) => v,
            Patch::Keep | Patch::Clear => current,
        }
    }

    /// The new value of an optional property: `null` clears it.
    pub fn apply(self, current: Option<T>) -> Option<T> {
        match self {
            Patch::Keep => current,
            Patch::Clear => None,
            Patch::Set(v) => Some(v),
        }
    }
}

/// The canonical spelling of `raw` among `options`, compared case-insensitively.
pub(crate) fn canonical(raw: &str, options: &[&'static str]) -> Option<&'static str> {
    options
        .iter()
        .copied()
        .find(|o| o.eq_ignore_ascii_case(raw.trim()))
}

/// `<Field> must be one of: A, B, C`.
pub(crate) fn one_of_message(field: &str, options: &[&str]) -> String {
    format!("{field} must be one of: {}", options.join(", "))
}

/// The merged value of an enumeration with a default: `null` returns it to the default, an
/// unknown value is recorded and the current value kept.
pub(crate) fn enumeration(
    patch: Patch<String>,
    current: &str,
    (field, options, default): (&str, &[&'static str], &'static str),
    errors: &mut ValidationErrors,
) -> String {
    match patch {
        Patch::Keep => current.to_string(),
        Patch::Clear => default.to_string(),
        Patch::Set(raw) => match canonical(&raw, options) {
            Some(v) => v.to_string(),
            None => {
                errors.add(field, one_of_message(field, options));
                current.to_string()
            }
        },
    }
}

/// Parses a list `Filter` (any case; default `All`): `Active` = not deleted, `Inactive` = deleted.
pub fn parse_filter(raw: Option<&str>) -> Result<RouteFilter, ValidationErrors> {
    match ListFilter::parse(raw) {
        Ok(ListFilter::All) => Ok(RouteFilter::All),
        Ok(ListFilter::Active) => Ok(RouteFilter::Active),
        Ok(ListFilter::Inactive) => Ok(RouteFilter::Inactive),
        Err(message) => Err(ValidationErrors::field("Filter", message)),
    }
}

/// `Active` or `Deleted`, as list items carry it.
pub(crate) fn status_of(deleted_on: Option<i64>) -> &'static str {
    if deleted_on.is_some() {
        "Deleted"
    } else {
        "Active"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patches_follow_the_update_semantics() {
        assert_eq!(Patch::Keep.or_keep(1), 1);
        assert_eq!(Patch::Clear.or_keep(1), 1, "null leaves a required value");
        assert_eq!(Patch::Set(2).or_keep(1), 2);
        assert_eq!(Patch::Keep.apply(Some(1)), Some(1));
        assert_eq!(Patch::<i32>::Clear.apply(Some(1)), None, "null clears");
        assert_eq!(Patch::Set(2).apply(None), Some(2));
    }

    #[test]
    fn enumerations_are_case_insensitive_with_canonical_output() {
        let mut errors = ValidationErrors::default();
        let spec = ("M", &["GET", "POST"][..], "POST");
        let set = |s: &str| Patch::Set(s.to_string());
        assert_eq!(enumeration(set(" get "), "POST", spec, &mut errors), "GET");
        assert_eq!(enumeration(Patch::Clear, "GET", spec, &mut errors), "POST");
        assert_eq!(enumeration(Patch::Keep, "GET", spec, &mut errors), "GET");
        assert!(errors.is_empty());
        assert_eq!(enumeration(set("PUT"), "GET", spec, &mut errors), "GET");
        assert_eq!(errors.first_message(), "M must be one of: GET, POST");
    }

    #[test]
    fn filters_parse_in_any_case() {
        assert_eq!(parse_filter(None), Ok(RouteFilter::All));
        assert_eq!(parse_filter(Some("active")), Ok(RouteFilter::Active));
        assert_eq!(parse_filter(Some("INACTIVE")), Ok(RouteFilter::Inactive));
        assert_eq!(parse_filter(Some("all")), Ok(RouteFilter::All));
        let err = parse_filter(Some("Deleted")).unwrap_err();
        assert_eq!(err.first_message(), mpaas_core::paging::FILTER_MESSAGE);
    }
}
