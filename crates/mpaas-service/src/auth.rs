//! Token minting and the per-request checks of `01-auth-tenancy.md`, in the contract's order.

use base64::Engine;
use mpaas_core::ids::DistributorId;
use mpaas_core::Timestamp;
use mpaas_store::{distributors, platform};

use crate::clock::wall_now;
use crate::scope::scope_covers;
use crate::secrets::{constant_time_eq, secret_matches};
use crate::tokens::DistributorAuth;
use crate::{parse_distributor_id, AuthFailure, ServiceError, ServiceResult, Services};

/// Who is calling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// The platform operator (`MPAAS_ADMIN_TOKEN`).
    Admin,
    /// A distributor, through one of its tokens.
    Distributor(DistributorId),
}

impl Caller {
    /// The idempotency principal: the distributor id, or `admin`.
    pub fn principal(&self) -> String {
        match self {
            Caller::Admin => "admin".to_string(),
            Caller::Distributor(d) => d.lookup_key(),
        }
    }
}

/// A minted token as the token endpoint answers it.
#[derive(Clone, Debug)]
pub struct TokenGrant {
    /// The JWT.
    pub token: String,
    /// `MM/DD/YYYY hh:mm:ss AM/PM`, UTC.
    pub token_expiry: String,
}

/// Message when `ApiEndpoint` names no endpoint.
pub const UNKNOWN_ENDPOINT: &str = "ApiEndpoint does not match any API endpoint.";

impl Services {
    /// Exchanges a distributor's credentials for a token scoped to `api_endpoint`. No write.
    pub async fn mint_token(
        &self,
        account_key: &str,
        secret: &str,
        api_endpoint: &str,
    ) -> ServiceResult<TokenGrant> {
        let distributor = {
            let mut conn = self.store().reader().await?;
            match parse_distributor_id(account_key) {
                Some(id) => distributors::find(&mut conn, id.as_str()).await?,
                None => None,
            }
        };
        let valid = distributor
            .as_ref()
            .is_some_and(|d| secret_matches(&self.keys().pepper, secret, &d.secret_hash));
        let Some(d) = distributor.filter(|_| valid) else {
            metrics::counter!("mpaas_tokens_minted_total", "outcome" => "invalid_credentials")
                .increment(1);
            return Err(ServiceError::InvalidCredentials);
        };
        let scope = self.scope_of(api_endpoint)?;
        let id = DistributorId::from_stored(d.id);
        Ok(self.sign(
            &id,
            &scope,
            d.secret_version,
            self.settings().token_ttl_secs,
        ))
    }

    /// Mints a token for a distributor without its secret (operator CLI).
    pub async fn mint_token_for(
        &self,
        distributor: &str,
        api_endpoint: &str,
        ttl_secs: Option<i64>,
    ) -> ServiceResult<TokenGrant> {
        let found = {
            let mut conn = self.store().reader().await?;
            match parse_distributor_id(distributor) {
                Some(id) => distributors::find(&mut conn, id.as_str()).await?,
                None => None,
            }
        };
        let d = found.ok_or_else(|| ServiceError::not_found("Distributor", distributor))?;
        let scope = self.scope_of(api_endpoint)?;
        let ttl = ttl_secs.unwrap_or(self.settings().token_ttl_secs);
        Ok(self.sign(
            &DistributorId::from_stored(d.id),
            &scope,
            d.secret_version,
            ttl,
        ))
    }

    fn scope_of(&self, api_endpoint: &str) -> ServiceResult<String> {
        self.catalog()
            .scope_for(api_endpoint)
            .ok_or_else(|| ServiceError::field("ApiEndpoint", UNKNOWN_ENDPOINT))
    }

    fn sign(&self, id: &DistributorId, scope: &str, secret_version: i64, ttl: i64) -> TokenGrant {
        let minted = self
            .token_keys()
            .mint(id, scope, secret_version, self.clock().now(), ttl);
        metrics::counter!("mpaas_tokens_minted_total", "outcome" => "ok").increment(1);
        TokenGrant {
            token: minted.token,
            token_expiry: minted.expires.to_vendor_expiry(),
        }
    }

    /// Checks a request's `Authorization` value for `path` (already normalised). `admin_allowed`
    /// says whether the admin token is valid on this path.
    pub async fn authenticate(
        &self,
        authorization: Option<&str>,
        path: &str,
        admin_allowed: bool,
    ) -> ServiceResult<Caller> {
        let token =
            bearer_token(authorization).ok_or(ServiceError::Unauthorized(AuthFailure::Missing))?;
        if let Some(admin) = &self.settings().admin_token {
            if constant_time_eq(token, admin) {
                return if admin_allowed {
                    Ok(Caller::Admin)
                } else {
                    Err(ServiceError::Forbidden(
                        "The admin token is not valid on this endpoint".into(),
                    ))
                };
            }
        }
        self.refresh_signing_key_if_stale().await?;
        let claims = self
            .token_keys()
            .decode(token, self.clock().now())
            .map_err(ServiceError::Unauthorized)?;
        let id = DistributorId::from_stored(claims.sub);
        let info = self
            .distributor_auth(&id)
            .await?
            .ok_or(ServiceError::Unauthorized(AuthFailure::Revoked))?;
        if info.secret_version != claims.sv {
            return Err(ServiceError::Unauthorized(AuthFailure::Revoked));
        }
        if !scope_covers(&claims.scope, path) {
            return Err(ServiceError::InsufficientScope(format!(
                "Token scope '{}' does not cover '{path}'",
                claims.scope
            )));
        }
        Ok(Caller::Distributor(id))
    }

    /// Secret version and rate limit of a distributor, cached for at most 5 s.
    pub(crate) async fn distributor_auth(
        &self,
        id: &DistributorId,
    ) -> ServiceResult<Option<DistributorAuth>> {
        let key = id.lookup_key();
        if let Some(info) = self.token_keys().cached(&key) {
            return Ok(Some(info));
        }
        let mut conn = self.store().reader().await?;
        let Some(row) = distributors::find(&mut conn, &key).await? else {
            return Ok(None);
        };
        let info = DistributorAuth {
            secret_version: row.secret_version,
            rate_limit_per_minute: row.rate_limit_per_minute,
        };
        self.token_keys().cache(&key, info);
        Ok(Some(info))
    }

    async fn refresh_signing_key_if_stale(&self) -> ServiceResult<()> {
        if !self.token_keys().key_is_stale() {
            return Ok(());
        }
        let mut conn = self.store().reader().await?;
        if let Some(encoded) = platform::signing_key(&mut conn).await? {
            let raw = base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .map_err(|e| ServiceError::Internal(e.to_string()))?;
            self.token_keys().set_key(&raw);
        }
        Ok(())
    }

    /// Replaces the signing key: every outstanding token becomes invalid.
    pub async fn rotate_signing_key(&self) -> ServiceResult<Timestamp> {
        let raw = crate::secrets::random_bytes(32);
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        platform::rotate_signing_key(
            &mut tx,
            &base64::engine::general_purpose::STANDARD.encode(&raw),
            now.micros(),
        )
        .await?;
        mpaas_store::commit(tx).await?;
        self.token_keys().set_key(&raw);
        Ok(now)
    }

    /// Counts a request against the distributor's per-minute limit (wall-clock windows).
    /// Returns the limit and remaining count when a limit applies.
    pub async fn check_rate_limit(&self, id: &DistributorId) -> ServiceResult<Option<RateStatus>> {
        let info = self.distributor_auth(id).await?;
        let limit = info
            .and_then(|i| i.rate_limit_per_minute)
            .unwrap_or(self.settings().default_rate_limit);
        if limit <= 0 {
            return Ok(None);
        }
        let now = wall_now().unix_seconds();
        let window = now - now.rem_euclid(60);
        let reset_secs = window + 60 - now;
        let mut tx = self.store().begin().await?;
        let count = mpaas_store::rate_limits::hit(&mut tx, &id.lookup_key(), window).await?;
        mpaas_store::commit(tx).await?;
        if count > limit {
            return Err(ServiceError::RateLimited { limit, reset_secs });
        }
        Ok(Some(RateStatus {
            limit,
            remaining: limit - count,
            reset_secs,
        }))
    }
}

/// Where a request stands against its rate limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateStatus {
    /// Requests per minute.
    pub limit: i64,
    /// Left in this window.
    pub remaining: i64,
    /// Seconds until the window resets.
    pub reset_secs: i64,
}

/// The token of an `Authorization: Bearer <token>` header (scheme in any case), if non-empty.
fn bearer_token(header: Option<&str>) -> Option<&str> {
    let (scheme, token) = header?.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}
