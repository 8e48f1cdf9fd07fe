//! Rules shared by both route kinds: authentication towards the MVNO (type and credentials)
//! and the URLs the platform calls.

use mpaas_core::ValidationErrors;

use super::secrets;
use super::{canonical, one_of_message, Patch};
use crate::webhook_rules::{check_url, UrlProblem};
use crate::ServiceResult;

/// `…AuthenticationType` values.
pub(crate) const AUTH_TYPES: [&str; 3] = ["None", "Basic", "Bearer"];
/// `…UrlMethod` values.
pub(crate) const URL_METHODS: [&str; 2] = ["GET", "POST"];
/// Default of every `…UrlMethod`.
pub(crate) const DEFAULT_METHOD: &str = "POST";

/// Authentication properties of a request (one group: message, callback or voice).
#[derive(Clone, Debug, Default)]
pub struct CredentialsInput {
    /// `…AuthenticationType`.
    pub auth_type: Patch<String>,
    /// `…Username` (Basic only).
    pub username: Patch<String>,
    /// `…PasswordToken` in clear (write-only).
    pub password: Patch<String>,
}

/// The wire names of one credentials group.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CredentialFields {
    /// e.g. `MessageAuthenticationType`.
    pub auth_type: &'static str,
    /// e.g. `MessageUsername`.
    pub username: &'static str,
    /// e.g. `MessagePasswordToken`; also the associated data of its sealed value.
    pub password: &'static str,
}

/// Credentials as stored: the type, the username and the sealed secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Credentials {
    /// `None`, `Basic` or `Bearer`.
    pub auth_type: String,
    /// Basic only.
    pub username: Option<String>,
    /// Sealed password or token.
    pub sealed: Option<String>,
}

impl Credentials {
    /// No authentication.
    pub fn none() -> Self {
        Self {
            auth_type: AUTH_TYPES[0].to_string(),
            username: None,
            sealed: None,
        }
    }
}

/// What a merge needs besides the values: the key and the route, to seal new secrets, and
/// whether URLs may point to private addresses.
#[derive(Clone, Copy)]
pub(crate) struct RouteContext<'a> {
    /// The installation's master key.
    pub master_key: &'a [u8],
    /// The route being written.
    pub route_id: &'a str,
    /// `MPAAS_ALLOW_PRIVATE_WEBHOOKS`.
    pub allow_private: bool,
}

/// A secret after the merge: the stored sealed value, a new one in clear, or none.
enum Secret {
    Sealed(String),
    Clear(String),
}

/// Merges one credentials group: the type decides which credentials are kept (`None` discards
/// both, `Bearer` the username) and a required one must be sent or already stored.
pub(crate) fn merge_credentials(
    input: CredentialsInput,
    stored: Credentials,
    names: CredentialFields,
    ctx: RouteContext<'_>,
    errors: &mut ValidationErrors,
) -> ServiceResult<Credentials> {
    let auth_type = match input.auth_type {
        Patch::Keep => stored.auth_type.clone(),
        Patch::Clear => AUTH_TYPES[0].to_string(),
        Patch::Set(raw) => match canonical(&raw, &AUTH_TYPES) {
            Some(t) => t.to_string(),
            None => {
                errors.add(
                    names.auth_type,
                    one_of_message(names.auth_type, &AUTH_TYPES),
                );
                return Ok(stored);
            }
        },
    };
    let username = input.username.apply(stored.username);
    let secret = match input.password {
        Patch::Keep => stored.sealed.map(Secret::Sealed),
        Patch::Clear => None,
        Patch::Set(clear) => Some(Secret::Clear(clear)),
    };
    let required = |field: &str, errors: &mut ValidationErrors| {
        errors.add(
            field,
            format!("{field} is required for {auth_type} authentication"),
        );
    };
    let (username, secret) = match auth_type.as_str() {
        "Basic" => {
            if username.is_none() {
                required(names.username, errors);
            }
            (username, secret)
        }
        "Bearer" => (None, secret),
        _ => (None, None),
    };
    if auth_type != "None" && secret.is_none() {
        required(names.password, errors);
    }
    let sealed = match secret {
        Some(Secret::Sealed(s)) => Some(s),
        Some(Secret::Clear(clear)) => Some(secrets::seal(
            ctx.master_key,
            ctx.route_id,
            names.password,
            &clear,
        )?),
        None => None,
    };
    Ok(Credentials {
        auth_type,
        username,
        sealed,
    })
}

/// Checks a URL the platform will call (absolute http/https, at most 2048 characters, no
/// private address unless allowed); records `invalid` or the private-address text on `field`.
pub(crate) fn check_http_url(
    url: &str,
    (field, invalid): (&str, &str),
    allow_private: bool,
    errors: &mut ValidationErrors,
) {
    match check_url(url, allow_private) {
        Ok(_) => {}
        Err(UrlProblem::Invalid) => errors.add(field, invalid),
        Err(UrlProblem::Private) => errors.add(
            field,
            format!("{field} must not point to a private address"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::random_bytes;

    const NAMES: CredentialFields = CredentialFields {
        auth_type: "MessageAuthenticationType",
        username: "MessageUsername",
        password: "MessagePasswordToken",
    };

    fn set(s: &str) -> Patch<String> {
        Patch::Set(s.to_string())
    }

    fn merge(input: CredentialsInput, stored: Credentials) -> (Credentials, ValidationErrors) {
        let key = random_bytes(32);
        let ctx = RouteContext {
            master_key: &key,
            route_id: "MRID-1",
            allow_private: false,
        };
        let mut errors = ValidationErrors::default();
        let merged = merge_credentials(input, stored, NAMES, ctx, &mut errors).unwrap();
        (merged, errors)
    }

    fn basic() -> Credentials {
        Credentials {
            auth_type: "Basic".into(),
            username: Some("user".into()),
            sealed: Some("v1:stored".into()),
        }
    }

    #[test]
    fn none_discards_credentials_and_bearer_the_username() {
        let input = CredentialsInput {
            auth_type: Patch::Keep,
            username: set("u"),
            password: set("p"),
        };
        let (merged, errors) = merge(input, Credentials::none());
        assert!(errors.is_empty());
        assert_eq!(merged, Credentials::none());
        let input = CredentialsInput {
            auth_type: set("bearer"),
            ..Default::default()
        };
        let (merged, errors) = merge(input, basic());
        assert!(errors.is_empty(), "the stored token still counts");
        assert_eq!(merged.auth_type, "Bearer");
        assert_eq!(merged.username, None);
        assert_eq!(merged.sealed.as_deref(), Some("v1:stored"));
    }

    #[test]
    fn required_credentials_name_the_field_and_type() {
        let input = CredentialsInput {
            auth_type: set("BASIC"),
            ..Default::default()
        };
        let (_, errors) = merge(input, Credentials::none());
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "MessageUsername is required for Basic authentication",
                "MessagePasswordToken is required for Basic authentication"
            ]
        );
        let input = CredentialsInput {
            password: Patch::Clear,
            ..Default::default()
        };
        let (_, errors) = merge(input, basic());
        assert_eq!(
            errors.first_message(),
            "MessagePasswordToken is required for Basic authentication"
        );
    }

    #[test]
    fn null_type_erases_and_new_secrets_are_sealed() {
        let input = CredentialsInput {
            auth_type: Patch::Clear,
            ..Default::default()
        };
        assert_eq!(merge(input, basic()).0, Credentials::none());
        let input = CredentialsInput {
            password: set("n3w-secret"),
            ..Default::default()
        };
        let (merged, errors) = merge(input, basic());
        assert!(errors.is_empty());
        let sealed = merged.sealed.unwrap();
        assert!(sealed.starts_with("v1:") && !sealed.contains("n3w-secret"));
        let input = CredentialsInput {
            auth_type: set("Digest"),
            ..Default::default()
        };
        let (merged, errors) = merge(input, basic());
        assert_eq!(merged, basic());
        assert_eq!(
            errors.first_message(),
            "MessageAuthenticationType must be one of: None, Basic, Bearer"
        );
    }
}
