//! Idempotency keys (README, Idempotency; `10-platform.md` §14).

use mpaas_store::idempotency::{self, Claim, KeyRef};

use crate::clock::wall_now;
use crate::sealing;
use crate::{ServiceResult, Services};

pub use mpaas_store::idempotency::Claim as IdempotencyClaim;

/// One key: principal (distributor or `admin`), lowercased path and the header value.
#[derive(Clone, Debug)]
pub struct IdempotencyKey {
    /// Distributor id (lowercase) or `admin`.
    pub principal: String,
    /// Lowercased request path.
    pub path: String,
    /// The `Idempotency-Key` header.
    pub key: String,
}

impl IdempotencyKey {
    /// The associated data binding a sealed answer to its key.
    fn seal_id(&self) -> String {
        format!("idempotency {} {} {}", self.principal, self.path, self.key)
    }

    fn as_ref(&self) -> KeyRef<'_> {
        KeyRef {
            principal: &self.principal,
            path: &self.path,
            key: &self.key,
        }
    }
}

/// True for 1 to 255 characters of `[A-Za-z0-9_:.-]`.
pub fn is_valid_key(key: &str) -> bool {
    (1..=255).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'.' | b'-'))
}

impl Services {
    /// Claims the key for a request whose canonical body hashes to `body_hash`.
    pub async fn claim_idempotency_key(
        &self,
        key: &IdempotencyKey,
        body_hash: &str,
    ) -> ServiceResult<Claim> {
        let mut tx = self.store().begin().await?;
        let claim = idempotency::claim(
            &mut tx,
            key.as_ref(),
            body_hash,
            self.clock().now().micros(),
            wall_now().micros(),
        )
        .await?;
        mpaas_store::commit(tx).await?;
        match claim {
            Claim::Done {
                body_hash,
                status,
                body,
            } => {
                let body = sealing::open(&self.keys().master_key, &key.seal_id(), &body)?;
                Ok(Claim::Done {
                    body_hash,
                    status,
                    body,
                })
            }
            other => Ok(other),
        }
    }

    /// Stores the answer (status below 500) for replays. Answers may carry secrets shown once
    /// (distributor and webhook secrets), so they are sealed with the master key at rest.
    pub async fn complete_idempotency_key(
        &self,
        key: &IdempotencyKey,
        status: u16,
        body: &str,
    ) -> ServiceResult<()> {
        let sealed = sealing::seal(&self.keys().master_key, &key.seal_id(), body)?;
        let mut tx = self.store().begin().await?;
        idempotency::complete(&mut tx, key.as_ref(), i64::from(status), &sealed).await?;
        mpaas_store::commit(tx).await?;
        Ok(())
    }

    /// Frees the key after a 5xx so the client may retry.
    pub async fn release_idempotency_key(&self, key: &IdempotencyKey) -> ServiceResult<()> {
        let mut tx = self.store().begin().await?;
        idempotency::release(&mut tx, key.as_ref()).await?;
        mpaas_store::commit(tx).await?;
        Ok(())
    }
}
