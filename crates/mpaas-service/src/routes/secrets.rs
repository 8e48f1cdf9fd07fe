//! Route credentials at rest (`03-routes.md`, Secrets): AES-256-GCM under the master key with a
//! fresh 96-bit random nonce per value, the route id and the field name bound as associated
//! data (a sealed value copied onto another route or field does not open). Stored as
//! `v1:` + base64(nonce || ciphertext) so the format can evolve.
//!
//! Opened only to call the MVNO: [`message_route_auth`] and [`voice_route_auth`] give the
//! credentials route webhook delivery presents.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use mpaas_store::message_routes::MessageRouteRow;
use mpaas_store::voice_routes::VoiceRouteRow;

use crate::secrets::random_bytes;
use crate::{ServiceError, ServiceResult};

/// Version tag of the sealed format.
const PREFIX: &str = "v1:";
const NONCE_LEN: usize = 12;

fn cipher(master_key: &[u8]) -> ServiceResult<Aes256Gcm> {
    Aes256Gcm::new_from_slice(master_key)
        .map_err(|_| ServiceError::Internal("the master key must be 32 bytes".into()))
}

/// Associated data: route id and field name, separated by a byte neither can contain.
fn associated_data(route_id: &str, field: &str) -> Vec<u8> {
    format!("{route_id}\n{field}").into_bytes()
}

/// Seals the `field` secret of route `route_id`.
pub(crate) fn seal(
    master_key: &[u8],
    route_id: &str,
    field: &str,
    plaintext: &str,
) -> ServiceResult<String> {
    let nonce = random_bytes(NONCE_LEN);
    let aad = associated_data(route_id, field);
    let payload = Payload {
        msg: plaintext.as_bytes(),
        aad: &aad,
    };
    let sealed = cipher(master_key)?
        .encrypt(Nonce::from_slice(&nonce), payload)
        .map_err(|_| ServiceError::Internal("could not seal a route secret".into()))?;
    let mut out = nonce;
    out.extend_from_slice(&sealed);
    Ok(format!("{PREFIX}{}", STANDARD.encode(out)))
}

/// Opens a value sealed by [`seal`] for the same route and field.
pub(crate) fn open(
    master_key: &[u8],
    route_id: &str,
    field: &str,
    sealed: &str,
) -> ServiceResult<String> {
    let corrupt =
        || ServiceError::Internal(format!("sealed {field} of {route_id} cannot be opened"));
    let bytes = sealed
        .strip_prefix(PREFIX)
        .and_then(|b64| STANDARD.decode(b64).ok())
        .filter(|b| b.len() > NONCE_LEN)
        .ok_or_else(corrupt)?;
    let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
    let aad = associated_data(route_id, field);
    let payload = Payload {
        msg: ciphertext,
        aad: &aad,
    };
    let plain = cipher(master_key)?
        .decrypt(Nonce::from_slice(nonce), payload)
        .map_err(|_| corrupt())?;
    String::from_utf8(plain).map_err(|_| corrupt())
}

/// How the platform authenticates to one MVNO URL.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum RouteAuth {
    /// No header.
    None,
    /// `Authorization: Basic base64(user:password)`.
    Basic {
        /// `…Username`.
        username: String,
        /// `…PasswordToken` in clear.
        password: String,
    },
    /// `Authorization: Bearer <token>`.
    Bearer {
        /// `…PasswordToken` in clear.
        token: String,
    },
}

// Never print the secrets, not even in debug output.
impl std::fmt::Debug for RouteAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RouteAuth::None => f.write_str("RouteAuth::None"),
            RouteAuth::Basic { username, .. } => write!(f, "RouteAuth::Basic({username}, ..)"),
            RouteAuth::Bearer { .. } => f.write_str("RouteAuth::Bearer(..)"),
        }
    }
}

impl RouteAuth {
    /// The value of the `Authorization` header, if any.
    #[allow(dead_code)] // Route webhook delivery (09) sends it.
    pub(crate) fn authorization(&self) -> Option<String> {
        match self {
            RouteAuth::None => None,
            RouteAuth::Basic { username, password } => Some(format!(
                "Basic {}",
                STANDARD.encode(format!("{username}:{password}"))
            )),
            RouteAuth::Bearer { token } => Some(format!("Bearer {token}")),
        }
    }
}

/// The credentials of a message route, one set per URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct MessageRouteAuth {
    /// For `MessageUrl`.
    pub message: RouteAuth,
    /// For `CallbackMessageUrl`.
    pub callback: RouteAuth,
}

/// Opens one stored credentials group.
fn route_auth(
    master_key: &[u8],
    route_id: &str,
    (auth_type, username, sealed): (&str, Option<&str>, Option<&str>),
    field: &str,
) -> ServiceResult<RouteAuth> {
    let secret = || {
        let sealed = sealed
            .ok_or_else(|| ServiceError::Internal(format!("{field} of {route_id} is missing")))?;
        open(master_key, route_id, field, sealed)
    };
    Ok(match auth_type {
        "Basic" => RouteAuth::Basic {
            username: username.unwrap_or_default().to_string(),
            password: secret()?,
        },
        "Bearer" => RouteAuth::Bearer { token: secret()? },
        _ => RouteAuth::None,
    })
}

/// The credentials to present to a message route's URLs.
#[allow(dead_code)] // Route webhook delivery (09) opens them.
pub(crate) fn message_route_auth(
    master_key: &[u8],
    row: &MessageRouteRow,
) -> ServiceResult<MessageRouteAuth> {
    let message = (
        row.message_auth_type.as_str(),
        row.message_username.as_deref(),
        row.message_password_sealed.as_deref(),
    );
    let callback = (
        row.callback_auth_type.as_str(),
        row.callback_username.as_deref(),
        row.callback_password_sealed.as_deref(),
    );
    Ok(MessageRouteAuth {
        message: route_auth(master_key, &row.id, message, MESSAGE_PASSWORD)?,
        callback: route_auth(master_key, &row.id, callback, CALLBACK_PASSWORD)?,
    })
}

/// The credentials to present to a voice route's `VoiceUrl` and `CallbackVoiceUrl`.
#[allow(dead_code)] // Call handling (09) opens them.
pub(crate) fn voice_route_auth(master_key: &[u8], row: &VoiceRouteRow) -> ServiceResult<RouteAuth> {
    let voice = (
        row.voice_auth_type.as_str(),
        row.voice_username.as_deref(),
        row.voice_password_sealed.as_deref(),
    );
    route_auth(master_key, &row.id, voice, VOICE_PASSWORD)
}

/// Field name (and associated data) of the message URL's secret.
pub(crate) const MESSAGE_PASSWORD: &str = "MessagePasswordToken";
/// Field name (and associated data) of the callback URL's secret.
pub(crate) const CALLBACK_PASSWORD: &str = "CallbackMessagePasswordToken";
/// Field name (and associated data) of the voice URLs' secret.
pub(crate) const VOICE_PASSWORD: &str = "VoicePasswordToken";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens_for_the_same_route_and_field_only() {
        let key = random_bytes(32);
        let sealed = seal(&key, "MRID-1", MESSAGE_PASSWORD, "s3cr3t").unwrap();
        assert!(sealed.starts_with("v1:") && !sealed.contains("s3cr3t"));
        assert_eq!(
            open(&key, "MRID-1", MESSAGE_PASSWORD, &sealed).unwrap(),
            "s3cr3t"
        );
        assert!(
            open(&key, "MRID-2", MESSAGE_PASSWORD, &sealed).is_err(),
            "route bound"
        );
        assert!(
            open(&key, "MRID-1", CALLBACK_PASSWORD, &sealed).is_err(),
            "field bound"
        );
        assert!(open(&random_bytes(32), "MRID-1", MESSAGE_PASSWORD, &sealed).is_err());
        assert!(open(&key, "MRID-1", MESSAGE_PASSWORD, "v1:AAAA").is_err());
        assert!(open(&key, "MRID-1", MESSAGE_PASSWORD, "garbage").is_err());
        assert_ne!(
            seal(&key, "MRID-1", MESSAGE_PASSWORD, "s3cr3t").unwrap(),
            sealed,
            "fresh nonce each time"
        );
        assert!(seal(&[0u8; 16], "MRID-1", MESSAGE_PASSWORD, "x").is_err());
    }

    #[test]
    fn stored_credentials_become_authorization_headers() {
        let key = random_bytes(32);
        let auth = route_auth(
            &key,
            "CRID-1",
            (
                "Basic",
                Some("acme"),
                Some(&seal(&key, "CRID-1", VOICE_PASSWORD, "pw").unwrap()),
            ),
            VOICE_PASSWORD,
        )
        .unwrap();
        assert_eq!(auth.authorization().unwrap(), "Basic YWNtZTpwdw==");
        assert!(!format!("{auth:?}").contains("pw"), "debug output hides it");
        let token = seal(&key, "CRID-1", VOICE_PASSWORD, "tok").unwrap();
        let auth = route_auth(
            &key,
            "CRID-1",
            ("Bearer", None, Some(&token)),
            VOICE_PASSWORD,
        );
        assert_eq!(auth.unwrap().authorization().unwrap(), "Bearer tok");
        let none = route_auth(&key, "CRID-1", ("None", None, None), VOICE_PASSWORD).unwrap();
        assert_eq!(none.authorization(), None);
        assert!(route_auth(&key, "CRID-1", ("Bearer", None, None), VOICE_PASSWORD).is_err());
    }
}
