//! `POST /v1.0/numbers/availability` (05 §2.1): numbers that could be provisioned, nothing
//! reserved. The request id is a platform counter.

use mpaas_core::ids::DistributorId;
use mpaas_core::Timestamp;
use mpaas_store::inventory;
use serde::Serialize;
use utoipa::ToSchema;

use super::provision::RequestedNumber;
use super::search;
use crate::{ServiceResult, Services};

/// A validated availability request.
#[derive(Clone, Debug)]
pub struct AvailabilityInput {
    /// As sent, lowercase (`mobile`, `mvno`, `iot`).
    pub number_type: String,
    /// Echoed.
    pub message_enabled: Option<bool>,
    /// Echoed.
    pub voice_enabled: Option<bool>,
    /// 3 digits.
    pub area_code: Option<u16>,
    /// 5 digits.
    pub zip_code: Option<String>,
    /// 1-based.
    pub page_number: u32,
    /// 1 to 100.
    pub page_size: u32,
}

/// A pool of the page.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AvailableArea {
    /// `SAG` / `AGP`.
    #[serde(rename = "NGP")]
    pub ngp: String,
    /// Area code as a number.
    #[serde(rename = "AreaCode")]
    pub area_code: u16,
    /// ZIP code (vendor spelling).
    #[serde(rename = "Zipcode")]
    pub zipcode: String,
}

/// Answer of an availability search.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct AvailabilityView {
    /// `T-` + a platform counter.
    pub request_id: String,
    /// When.
    #[schema(value_type = String)]
    pub request_date: Timestamp,
    /// Echoed.
    pub number_type: String,
    /// Echoed.
    pub voice_enabled: Option<bool>,
    /// Echoed.
    pub message_enabled: Option<bool>,
    /// Echoed (`""` when blank).
    pub area_code: String,
    /// Echoed (`""` when blank).
    pub zip_code: String,
    /// 1-based.
    pub page_number: u32,
    /// Page size (Extension).
    pub page_size: u32,
    /// Available numbers over every page.
    pub results_total: i64,
    /// `AreaCode`, `ZipCode` or `Any` (Extension).
    pub searched_by: String,
    /// The page (older clients).
    pub numbers_available: Vec<RequestedNumber>,
    /// Pools of the page (newer clients).
    pub available_number_areas: Vec<AvailableArea>,
}

impl Services {
    /// Searches the inventory.
    pub async fn number_availability(
        &self,
        _distributor: &DistributorId,
        input: AvailabilityInput,
    ) -> ServiceResult<AvailabilityView> {
        let mut tx = self.store().begin().await?;
        let request = inventory::next_counter(&mut tx, "availability_request").await?;
        mpaas_store::commit(tx).await?;
        let mut conn = self.store().reader().await?;
        let zip = input.zip_code.as_deref();
        let (candidates, searched_by) =
            search::candidates(&mut conn, self.inventory(), input.area_code, zip).await?;
        let total = candidates.iter().map(search::Candidate::available).sum();
        let page =
            search::page_of_numbers(&mut conn, &candidates, input.page_number, input.page_size)
                .await?;
        let areas = search::pools_of_page(&candidates, &page)
            .into_iter()
            .map(|pool| AvailableArea {
                ngp: pool.ngp().as_str().to_string(),
                area_code: pool.area_code(),
                zipcode: pool.zip_code().to_string(),
            })
            .collect();
        Ok(AvailabilityView {
            request_id: format!("T-{request:05}"),
            request_date: self.clock().now(),
            number_type: input.number_type,
            voice_enabled: input.voice_enabled,
            message_enabled: input.message_enabled,
            area_code: input
                .area_code
                .map(|a| format!("{a:03}"))
                .unwrap_or_default(),
            zip_code: input.zip_code.unwrap_or_default(),
            page_number: input.page_number,
            page_size: input.page_size,
            results_total: total,
            searched_by: searched_by.as_str().to_string(),
            numbers_available: page
                .into_iter()
                .map(|(_, number)| RequestedNumber { number })
                .collect(),
            available_number_areas: areas,
        })
    }
}

/// A sandbox inventory pool (Extension).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PoolView {
    /// `SAG` / `AGP`.
    #[serde(rename = "NGP")]
    pub ngp: String,
    /// Area code as a number.
    #[serde(rename = "AreaCode")]
    pub area_code: u16,
    /// ZIP code (vendor spelling).
    #[serde(rename = "Zipcode")]
    pub zipcode: String,
    /// Two letters.
    #[serde(rename = "State")]
    pub state: String,
    /// Numbers of the pool.
    #[serde(rename = "Size")]
    pub size: u32,
    /// Numbers not taken.
    #[serde(rename = "Available")]
    pub available: i64,
}

impl Services {
    /// The inventory pools matching the filters, in pool order, with their availability.
    pub async fn inventory_pools(
        &self,
        filter: mpaas_network::sandbox::inventory::PoolFilter<'_>,
        paging: mpaas_core::Paging,
    ) -> ServiceResult<crate::views::Page<PoolView>> {
        let pools = self.inventory().matching(&filter);
        let mut conn = self.store().reader().await?;
        let states = inventory::all_states(&mut conn).await?;
        let total = pools.len() as i64;
        let results = pools
            .into_iter()
            .skip(paging.offset() as usize)
            .take(paging.limit() as usize)
            .map(|pool| {
                let taken = states
                    .get(&search::pool_prefix(pool))
                    .map_or(0, |s| s.taken);
                PoolView {
                    ngp: pool.ngp().as_str().to_string(),
                    area_code: pool.area_code(),
                    zipcode: pool.zip_code().to_string(),
                    state: pool.state().to_string(),
                    size: pool.size(),
                    available: (i64::from(pool.size()) - taken).max(0),
                }
            })
            .collect();
        Ok(crate::views::Page { total, results })
    }
}
