//! Reading numbers: the inventory list (05 §2.4) and one number's details (05 §2.5).

use mpaas_core::ids::{DistributorId, NumberId};
use mpaas_core::{ListFilter, Paging};
use mpaas_store::numbers::{self, NumberFilter};
use mpaas_store::{accounts, sims};

use super::views::{inventory_item, number_details, InventoryItemView, NumberDetailsView};
use super::{not_found_by_id, not_in_inventory};
use crate::tenancy::{find_account, INVALID_ACCOUNT_ID};
use crate::views::Page;
use crate::{ServiceError, ServiceResult, Services};

/// Live statuses per inventory `Filter`.
fn statuses(filter: ListFilter) -> &'static [&'static str] {
    match filter {
        ListFilter::All => &["Pending", "Active", "Parked", "Cancelled"],
        ListFilter::Active => &["Active"],
        ListFilter::Inactive => &["Parked", "Cancelled"],
    }
}

/// What an inventory page is about.
#[derive(Clone, Debug, Default)]
pub struct InventoryQuery {
    /// `Filter`.
    pub filter: ListFilter,
    /// One account of the caller.
    pub account_id: Option<String>,
    /// Extension: exact status.
    pub status: Option<String>,
    /// Extension: assigned subscriber.
    pub subscriber_id: Option<String>,
}

/// How a number is named in a details request.
#[derive(Clone, Debug)]
pub enum NumberKey {
    /// E.164.
    Number(String),
    /// `NID-`/`TNID-` as sent.
    Id(String),
}

impl Services {
    /// A page of the caller's live numbers; answers the `AccountId` property with it.
    pub async fn number_inventory(
        &self,
        distributor: &DistributorId,
        query: InventoryQuery,
        paging: Paging,
    ) -> ServiceResult<(String, Page<InventoryItemView>)> {
        let mut conn = self.store().reader().await?;
        let account = match &query.account_id {
            Some(raw) => Some(
                find_account(&mut conn, distributor, raw)
                    .await?
                    .ok_or_else(|| ServiceError::field("AccountId", INVALID_ACCOUNT_ID))?,
            ),
            None => None,
        };
        let echoed = match &account {
            Some(a) => a.id.clone(),
            None => {
                let mut two = accounts::first_two(&mut conn, distributor.as_str()).await?;
                match two.len() {
                    1 => two.remove(0).id,
                    _ => distributor.to_string(),
                }
            }
        };
        let wanted: Vec<&str> = statuses(query.filter)
            .iter()
            .copied()
            .filter(|s| {
                query
                    .status
                    .as_deref()
                    .is_none_or(|q| q.eq_ignore_ascii_case(s))
            })
            .collect();
        let filter = NumberFilter {
            account_id: account.as_ref().map(|a| a.id.as_str()),
            statuses: &wanted,
            subscriber_id: query.subscriber_id.as_deref(),
        };
        let (total, rows) = if wanted.is_empty() {
            (0, Vec::new())
        } else {
            numbers::list(
                &mut conn,
                distributor.as_str(),
                &filter,
                (paging.offset(), paging.limit()),
            )
            .await?
        };
        let tz = self.settings().numbers.business_tz;
        let results = rows.into_iter().map(|r| inventory_item(r, tz)).collect();
        Ok((echoed, Page { total, results }))
    }

    /// Details of one live number of the caller.
    pub async fn number_details(
        &self,
        distributor: &DistributorId,
        key: NumberKey,
    ) -> ServiceResult<NumberDetailsView> {
        let mut conn = self.store().reader().await?;
        let row = match &key {
            NumberKey::Number(number) => {
                numbers::find_live_by_number(&mut conn, distributor.as_str(), number, None)
                    .await?
                    .ok_or_else(|| not_in_inventory(number))?
            }
            NumberKey::Id(raw) => {
                let id = NumberId::parse(raw).ok_or_else(|| not_found_by_id(raw))?;
                numbers::find_live_by_id(&mut conn, distributor.as_str(), id.as_str(), None)
                    .await?
                    .ok_or_else(|| not_found_by_id(raw))?
            }
        };
        let qr_code = match &row.iccid {
            Some(iccid) => sims::find(&mut conn, iccid, None)
                .await?
                .and_then(|sim| self.esim_profile(&sim).qr_code),
            None => None,
        };
        Ok(number_details(
            row,
            self.settings().numbers.business_tz,
            qr_code,
        ))
    }
}
