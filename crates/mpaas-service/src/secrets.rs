//! Random secrets and their keyed hashes.
//!
//! Distributor secrets are 256-bit random values, so a fast keyed hash (HMAC-SHA-256 with the
//! installation's pepper) is as safe as a slow password hash and keeps token minting cheap.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// `n` random bytes from the OS generator.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

/// A new distributor secret: 32 random bytes as 64 lowercase hex characters.
pub fn new_secret() -> String {
    hex::encode(random_bytes(32))
}

/// HMAC-SHA-256(pepper, secret) as lowercase hex.
pub fn hash_secret(pepper: &[u8], secret: &str) -> String {
    let mut mac = HmacSha256::new_from_slice(pepper).expect("HMAC accepts keys of any length");
    mac.update(secret.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Constant-time check of a presented secret against a stored hash.
pub fn secret_matches(pepper: &[u8], secret: &str, stored_hash: &str) -> bool {
    hash_secret(pepper, secret)
        .as_bytes()
        .ct_eq(stored_hash.as_bytes())
        .into()
}

/// Constant-time string comparison (admin token).
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// True for a bootstrap secret the contract accepts: 16 to 512 printable ASCII characters
/// without spaces.
pub fn is_acceptable_bootstrap_secret(secret: &str) -> bool {
    (16..=512).contains(&secret.len()) && secret.bytes().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_64_hex_and_hash_deterministically() {
        let s = new_secret();
        assert_eq!(s.len(), 64);
        assert!(s
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        let pepper = random_bytes(32);
        let h = hash_secret(&pepper, &s);
        assert!(secret_matches(&pepper, &s, &h));
        assert!(!secret_matches(&pepper, "other", &h));
        assert!(!secret_matches(&random_bytes(32), &s, &h));
    }

    #[test]
    fn bootstrap_secret_rules() {
        assert!(is_acceptable_bootstrap_secret("0123456789abcdef"));
        assert!(!is_acceptable_bootstrap_secret("short"));
        assert!(!is_acceptable_bootstrap_secret("has a space in it here"));
        assert!(!is_acceptable_bootstrap_secret(&"x".repeat(513)));
    }
}
