//! The tenancy rule for `AccountId` (README, Tenancy): given, it must be the caller's; omitted,
//! the caller's only account is used.

use mpaas_core::ids::{AccountId, DistributorId};
use mpaas_store::accounts::{self, AccountRow};
use mpaas_store::AnyConnection;

use crate::{ServiceError, ServiceResult};

/// `400 AccountId is required`.
pub const ACCOUNT_ID_REQUIRED: &str = "AccountId is required";
/// `400 Invalid AccountId`.
pub const INVALID_ACCOUNT_ID: &str = "Invalid AccountId";

/// Resolves the account a request is about. Failures are always 400 on `field`.
pub(crate) async fn resolve_account(
    conn: &mut AnyConnection,
    distributor: &DistributorId,
    raw: Option<&str>,
    field: &str,
) -> ServiceResult<AccountRow> {
    match raw {
        Some(raw) => find_account(conn, distributor, raw)
            .await?
            .ok_or_else(|| ServiceError::field(field, INVALID_ACCOUNT_ID)),
        None => {
            let mut rows = accounts::first_two(conn, distributor.as_str()).await?;
            if rows.len() == 1 {
                Ok(rows.remove(0))
            } else {
                Err(ServiceError::field(field, ACCOUNT_ID_REQUIRED))
            }
        }
    }
}

/// An account of the distributor by a client-given id (malformed = unknown).
pub(crate) async fn find_account(
    conn: &mut AnyConnection,
    distributor: &DistributorId,
    raw: &str,
) -> ServiceResult<Option<AccountRow>> {
    let Some(id) = AccountId::parse(raw) else {
        return Ok(None);
    };
    Ok(accounts::find(conn, distributor.as_str(), id.as_str()).await?)
}
