//! Readers of route request properties as [`Patch`]es (absent, `null` or a value), shared by
//! the message and voice route handlers. Types and lengths are checked here with the usual
//! messages; the route rules themselves are the service's.

use mpaas_service::routes::{CredentialsInput, Patch};
use serde_json::Value;

use crate::extract::Fields;

/// Longest `…Username`.
pub(crate) const MAX_USERNAME: usize = 256;
/// Longest `…PasswordToken`.
pub(crate) const MAX_SECRET: usize = 4096;

/// `Keep` when absent, `Clear` when `null`, else what `read` makes of the value (an invalid
/// value is recorded by `read` and kept out of the request).
fn patch<T>(f: &mut Fields, name: &str, read: impl FnOnce(&mut Fields) -> Option<T>) -> Patch<T> {
    match f.raw(name) {
        None => Patch::Keep,
        Some(Value::Null) => Patch::Clear,
        Some(_) => read(f).map_or(Patch::Keep, Patch::Set),
    }
}

/// A trimmed string of `min` to `max` characters.
pub(crate) fn text(f: &mut Fields, name: &str, min: usize, max: usize) -> Patch<String> {
    patch(f, name, |f| f.string(name, min, max))
}

/// A string any length (its format is checked by the service).
pub(crate) fn free_text(f: &mut Fields, name: &str) -> Patch<String> {
    text(f, name, 0, usize::MAX)
}

/// `RouteName` (1 to 100 characters). On create a blank name reaches the service, which
/// reports it as required together with the other missing properties.
pub(crate) fn route_name(f: &mut Fields, creating: bool) -> Patch<String> {
    const NAME: &str = "RouteName";
    match f.raw(NAME) {
        Some(Value::String(s)) if creating && s.trim().is_empty() => Patch::Set(String::new()),
        _ => text(f, NAME, 1, 100),
    }
}

/// A boolean.
pub(crate) fn flag(f: &mut Fields, name: &str) -> Patch<bool> {
    patch(f, name, |f| f.boolean(name))
}

/// An integer within bounds.
pub(crate) fn integer(f: &mut Fields, name: &str, min: i64, max: i64) -> Patch<i64> {
    patch(f, name, |f| f.integer(name, min, max))
}

/// A string or an integer, passed on as text (ports).
pub(crate) fn string_or_integer(f: &mut Fields, name: &str) -> Patch<String> {
    let value = f.raw(name).cloned();
    patch(f, name, |f| match value {
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(_)) => f.string(name, 0, usize::MAX),
        _ => {
            f.error(name, format!("{name} must be a string or an integer"));
            None
        }
    })
}

/// A write-only secret of 1 to [`MAX_SECRET`] characters, not trimmed (white space may be part
/// of it).
fn secret(f: &mut Fields, name: &str) -> Patch<String> {
    let value = f.raw(name).cloned();
    patch(f, name, |f| match value {
        Some(Value::String(s)) if s.contains('\0') => {
            f.error(name, format!("{name} must not contain NUL characters"));
            None
        }
        Some(Value::String(s)) if (1..=MAX_SECRET).contains(&s.chars().count()) => Some(s),
        Some(Value::String(_)) => {
            f.error(
                name,
                format!("{name} must be between 1 and {MAX_SECRET} characters"),
            );
            None
        }
        _ => {
            f.error(name, format!("{name} must be a string"));
            None
        }
    })
}

/// One credentials group: `(…AuthenticationType, …Username, …PasswordToken)`.
pub(crate) fn credentials(
    f: &mut Fields,
    (auth_type, username, password): (&str, &str, &str),
) -> CredentialsInput {
    CredentialsInput {
        auth_type: free_text(f, auth_type),
        username: text(f, username, 1, MAX_USERNAME),
        password: secret(f, password),
    }
}

/// The address of one list entry: `{"IpAddress": "…"}` (any case of the key) or a bare string.
fn address(item: &Value) -> Option<&str> {
    match item {
        Value::String(s) => Some(s),
        Value::Object(map) => map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("IpAddress"))
            .and_then(|(_, v)| v.as_str()),
        _ => None,
    }
}

/// An array of `{"IpAddress"}` objects, as addresses (checked by the service).
pub(crate) fn addresses(f: &mut Fields, name: &str) -> Patch<Vec<String>> {
    let value = f.raw(name).cloned();
    patch(f, name, |f| {
        let Some(Value::Array(items)) = value else {
            f.error(name, format!("{name} must be an array"));
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match address(item) {
                Some(a) if !a.contains('\0') => out.push(a.to_string()),
                _ => {
                    let path = format!("{name}[{i}].IpAddress");
                    f.error(&path, format!("{path} must be a string"));
                }
            }
        }
        Some(out)
    })
}

/// The key sent among two spellings of one property: `preferred` wins when both are present.
pub(crate) fn spelling<'a>(f: &Fields, preferred: &'a str, other: &'a str) -> &'a str {
    if f.is_present(preferred) || !f.is_present(other) {
        preferred
    } else {
        other
    }
}
