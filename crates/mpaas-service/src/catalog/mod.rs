//! The catalogue: products, packages, package items and catalogue seeding
//! (04-catalog-subscriptions.md). Products and packages belong to the calling distributor and are
//! usable by all its accounts.

mod items;
mod packages;
mod products;
mod seed;
pub mod views;

use mpaas_core::ids::DistributorId;
use mpaas_store::accounts::{self, AccountRow};
use mpaas_store::AnyConnection;
use serde::Serialize;

pub use items::{ItemUpdate, NewItemInput, PackageItems};
pub use packages::{NewPackageInput, PackageUpdate};
pub use products::{NewProductInput, ProductUpdate};

use crate::events::NewEvent;
use crate::tenancy::{find_account, INVALID_ACCOUNT_ID};
use crate::views::Page;
use crate::{ServiceError, ServiceResult, Services};

/// A product's `BillingFrequency`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BillingFrequency {
    /// Monthly recurring.
    Mrc,
    /// One-time.
    Nrc,
}

impl BillingFrequency {
    /// The 400 message for any other value.
    pub const INVALID: &'static str = "Invalid BillingFrequency. Must be one of: MRC, NRC.";

    /// Parses a value in any case; `None` for anything else.
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Mrc, Self::Nrc]
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(raw.trim()))
    }

    /// The canonical spelling, as stored and answered.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mrc => "MRC",
            Self::Nrc => "NRC",
        }
    }
}

/// A catalogue list as an account sees it.
#[derive(Clone, Debug)]
pub struct AccountCatalog<T> {
    /// The account given or, when omitted, the distributor's only account; else `None`.
    pub account_id: Option<String>,
    /// The page.
    pub page: Page<T>,
}

/// The account a catalogue list is about: a given `AccountId` must be the caller's (400
/// `Invalid AccountId`); an omitted one is the caller's only account, if it has exactly one.
async fn catalog_account(
    conn: &mut AnyConnection,
    distributor: &DistributorId,
    raw: Option<&str>,
) -> ServiceResult<Option<AccountRow>> {
    match raw {
        Some(raw) => find_account(conn, distributor, raw)
            .await?
            .map(Some)
            .ok_or_else(|| ServiceError::field("AccountId", INVALID_ACCOUNT_ID)),
        None => {
            let mut rows = accounts::first_two(conn, distributor.as_str()).await?;
            Ok((rows.len() == 1).then(|| rows.remove(0)))
        }
    }
}

impl Services {
    /// The installation's `AGID-…`, shown on every catalogue object.
    fn aggregator_id(&self) -> &str {
        self.keys().aggregator_id.as_str()
    }

    /// Writes a catalogue event (`Data` = the changed object) in the caller's transaction.
    async fn emit_catalog<D: Serialize>(
        &self,
        conn: &mut AnyConnection,
        (event_type, distributor_id, account_id): (&str, &str, Option<&str>),
        resource_id: &str,
        data: &D,
    ) -> ServiceResult<()> {
        let event = NewEvent {
            event_type,
            distributor_id,
            account_id,
            resource_id,
            data,
        };
        self.emit(conn, event).await
    }
}

#[cfg(test)]
mod tests {
    use super::BillingFrequency;

    #[test]
    fn billing_frequencies_parse_in_any_case() {
        assert_eq!(BillingFrequency::parse("mrc"), Some(BillingFrequency::Mrc));
        assert_eq!(BillingFrequency::parse("Nrc"), Some(BillingFrequency::Nrc));
        assert_eq!(BillingFrequency::Mrc.as_str(), "MRC");
        for bad in ["", "monthly", "MRC1"] {
            assert_eq!(BillingFrequency::parse(bad), None, "{bad}");
        }
    }
}
