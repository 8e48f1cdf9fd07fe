//! Endpoint-scoped bearer tokens: HS256 JWTs minted from a distributor's credentials.
//!
//! Verification costs one HMAC and, at most every 5 seconds per distributor, one indexed read
//! (the secret-version check), so clients can mint a token per request.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use mpaas_core::ids::DistributorId;
use mpaas_core::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::AuthFailure;

/// How long a cached secret version or signing key may be used before re-reading it.
pub const CACHE_TTL: Duration = Duration::from_secs(5);

/// The claims of a token.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// `DistributorId`.
    pub sub: String,
    /// Normalised path or `/*` prefix.
    pub scope: String,
    /// Issued at, platform seconds.
    pub iat: i64,
    /// Expiry, platform seconds.
    pub exp: i64,
    /// Random id, not stored.
    pub jti: String,
    /// Secret version at minting.
    pub sv: i64,
}

/// A freshly minted token.
#[derive(Clone, Debug)]
pub struct MintedToken {
    /// The JWT.
    pub token: String,
    /// Its expiry.
    pub expires: Timestamp,
}

/// Signing key plus the secret-version cache.
#[derive(Clone)]
pub struct TokenKeys {
    inner: Arc<RwLock<KeyState>>,
    versions: Arc<RwLock<HashMap<String, (DistributorAuth, Instant)>>>,
}

/// What token checks need to know about a distributor, cached for [`CACHE_TTL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DistributorAuth {
    /// Current secret version.
    pub secret_version: i64,
    /// Rate limit override (`None` = platform default).
    pub rate_limit_per_minute: Option<i64>,
}

struct KeyState {
    encoding: EncodingKey,
    decoding: DecodingKey,
    raw: Vec<u8>,
    loaded: Instant,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys(..)")
    }
}

fn key_state(raw: &[u8]) -> KeyState {
    KeyState {
        encoding: EncodingKey::from_secret(raw),
        decoding: DecodingKey::from_secret(raw),
        raw: raw.to_vec(),
        loaded: Instant::now(),
    }
}

impl TokenKeys {
    /// Keys for this signing key.
    pub fn new(signing_key: &[u8]) -> Self {
        Self {
            inner: Arc::new(RwLock::new(key_state(signing_key))),
            versions: Arc::default(),
        }
    }

    /// Signs a token for `distributor` on `scope`, valid `ttl_secs` from `now`.
    pub fn mint(
        &self,
        distributor: &DistributorId,
        scope: &str,
        secret_version: i64,
        now: Timestamp,
        ttl_secs: i64,
    ) -> MintedToken {
        let iat = now.unix_seconds();
        let claims = Claims {
            sub: distributor.as_str().to_string(),
            scope: scope.to_string(),
            iat,
            exp: iat + ttl_secs,
            jti: uuid::Uuid::new_v4().to_string(),
            sv: secret_version,
        };
        let state = self.inner.read().unwrap_or_else(|p| p.into_inner());
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &state.encoding)
            .expect("HS256 signing with an in-memory key cannot fail");
        MintedToken {
            token,
            expires: Timestamp::from_unix_seconds(claims.exp),
        }
    }

    /// Checks signature, algorithm and expiry (no leeway) against the platform time `now`.
    pub fn decode(&self, token: &str, now: Timestamp) -> Result<Claims, AuthFailure> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        let state = self.inner.read().unwrap_or_else(|p| p.into_inner());
        let data = jsonwebtoken::decode::<Claims>(token, &state.decoding, &validation)
            .map_err(|_| AuthFailure::Invalid)?;
        if data.claims.exp <= now.unix_seconds() {
            return Err(AuthFailure::Expired);
        }
        Ok(data.claims)
    }

    /// True when the signing key was loaded more than [`CACHE_TTL`] ago.
    pub fn key_is_stale(&self) -> bool {
        self.inner
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .loaded
            .elapsed()
            > CACHE_TTL
    }

    /// Installs a (possibly unchanged) signing key read from storage.
    pub fn set_key(&self, raw: &[u8]) {
        let mut state = self.inner.write().unwrap_or_else(|p| p.into_inner());
        if state.raw == raw {
            state.loaded = Instant::now();
        } else {
            *state = key_state(raw);
        }
    }

    /// The cached facts about a distributor, when fresh.
    pub fn cached(&self, distributor_lookup_key: &str) -> Option<DistributorAuth> {
        let map = self.versions.read().unwrap_or_else(|p| p.into_inner());
        map.get(distributor_lookup_key)
            .filter(|(_, at)| at.elapsed() <= CACHE_TTL)
            .map(|(v, _)| *v)
    }

    /// Remembers facts about a distributor.
    pub fn cache(&self, distributor_lookup_key: &str, info: DistributorAuth) {
        let mut map = self.versions.write().unwrap_or_else(|p| p.into_inner());
        map.insert(distributor_lookup_key.to_string(), (info, Instant::now()));
    }

    /// Drops the cached facts (this process changed them).
    pub fn forget(&self, distributor_lookup_key: &str) {
        self.versions
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(distributor_lookup_key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn did() -> DistributorId {
        DistributorId::parse("DID-019a492e-31b2-7238-b924-56de3eb13b90").unwrap()
    }

    #[test]
    fn minted_tokens_verify_until_expiry() {
        let keys = TokenKeys::new(&[7u8; 32]);
        let now = Timestamp::from_unix_seconds(1_762_167_012);
        let minted = keys.mint(&did(), "/v1.0/account/create", 1, now, 900);
        assert_eq!(minted.expires.to_vendor_expiry(), "11/03/2025 11:05:12 AM");
        let claims = keys.decode(&minted.token, now.plus_seconds(899)).unwrap();
        assert_eq!(
            (claims.scope.as_str(), claims.sv),
            ("/v1.0/account/create", 1)
        );
        assert_eq!(
            keys.decode(&minted.token, now.plus_seconds(900)),
            Err(AuthFailure::Expired)
        );
    }

    #[test]
    fn forged_or_foreign_tokens_are_invalid() {
        let keys = TokenKeys::new(&[7u8; 32]);
        let now = Timestamp::from_unix_seconds(1_762_167_012);
        let token = TokenKeys::new(&[8u8; 32])
            .mint(&did(), "/v1.0/account/create", 1, now, 900)
            .token;
        assert_eq!(keys.decode(&token, now), Err(AuthFailure::Invalid));
        assert_eq!(keys.decode("not.a.jwt", now), Err(AuthFailure::Invalid));
        // alg "none" with the same claims.
        let mut parts: Vec<String> = keys
            .mint(&did(), "/x", 1, now, 900)
            .token
            .split('.')
            .map(String::from)
            .collect();
        parts[0] = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0".into();
        parts[2].clear();
        assert_eq!(
            keys.decode(&parts.join("."), now),
            Err(AuthFailure::Invalid)
        );
    }
}
