//! Secrets at rest (webhook signing secrets, later route credentials): sealed with the
//! installation's master key using XChaCha20-Poly1305. A fresh random 24-byte nonce is stored in
//! front of the ciphertext, and the owning row's id is bound as associated data so that a sealed
//! value copied onto another row does not open.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::secrets::random_bytes;
use crate::{ServiceError, ServiceResult};

/// Version tag of the sealed format.
const PREFIX: &str = "v1:";
const NONCE_LEN: usize = 24;

fn cipher(master_key: &[u8]) -> ServiceResult<XChaCha20Poly1305> {
    XChaCha20Poly1305::new_from_slice(master_key)
        .map_err(|_| ServiceError::Internal("the master key must be 32 bytes".into()))
}

/// Seals `plaintext` for the row `owner_id`: `v1:` + base64(nonce || ciphertext).
pub fn seal(master_key: &[u8], owner_id: &str, plaintext: &str) -> ServiceResult<String> {
    let nonce_bytes = random_bytes(NONCE_LEN);
    let nonce = XNonce::from_slice(&nonce_bytes);
    let payload = Payload {
        msg: plaintext.as_bytes(),
        aad: owner_id.as_bytes(),
    };
    let sealed = cipher(master_key)?
        .encrypt(nonce, payload)
        .map_err(|_| ServiceError::Internal("could not seal a secret".into()))?;
    let mut out = nonce_bytes;
    out.extend_from_slice(&sealed);
    Ok(format!("{PREFIX}{}", STANDARD.encode(out)))
}

/// Opens a value sealed by [`seal`] for the same row.
pub fn open(master_key: &[u8], owner_id: &str, sealed: &str) -> ServiceResult<String> {
    let corrupt =
        || ServiceError::Internal(format!("sealed secret of {owner_id} cannot be opened"));
    let bytes = sealed
        .strip_prefix(PREFIX)
        .and_then(|b64| STANDARD.decode(b64).ok())
        .filter(|b| b.len() > NONCE_LEN)
        .ok_or_else(corrupt)?;
    let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
    let payload = Payload {
        msg: ciphertext,
        aad: owner_id.as_bytes(),
    };
    let plain = cipher(master_key)?
        .decrypt(XNonce::from_slice(nonce), payload)
        .map_err(|_| corrupt())?;
    String::from_utf8(plain).map_err(|_| corrupt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens_for_the_same_owner_only() {
        let key = random_bytes(32);
        let sealed = seal(&key, "WHK-1", "whsec_abc").unwrap();
        assert!(sealed.starts_with("v1:"));
        assert!(!sealed.contains("whsec_abc"));
        assert_eq!(open(&key, "WHK-1", &sealed).unwrap(), "whsec_abc");
        assert!(open(&key, "WHK-2", &sealed).is_err(), "bound to its row");
        assert!(
            open(&random_bytes(32), "WHK-1", &sealed).is_err(),
            "bound to the key"
        );
        assert!(open(&key, "WHK-1", "v1:AAAA").is_err());
        assert_ne!(
            seal(&key, "WHK-1", "whsec_abc").unwrap(),
            sealed,
            "fresh nonce each time"
        );
    }
}
