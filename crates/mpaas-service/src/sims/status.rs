//! Hand-made SIM status changes: `POST /v1.0/sims/clear-status` (05 §2.9) and
//! `POST /v1.0/sims/update-status` (05 §2.10).

use mpaas_core::ids::DistributorId;
use mpaas_core::sim_status::{self, SimStatus};
use mpaas_core::Iccid;
use serde::Serialize;
use utoipa::ToSchema;

use super::lifecycle::{holder, sim_error, stored_status};
use crate::{ServiceResult, Services};

/// Answer of clear-status.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SimClearedView {
    /// The SIM.
    #[serde(rename = "ICCID")]
    pub iccid: String,
    /// `Empty`.
    pub status: String,
    /// Always `true` on 200.
    pub successful: bool,
}

/// Answer of update-status.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SimStatusView {
    /// The SIM.
    #[serde(rename = "ICCID")]
    pub iccid: String,
    /// Status now.
    pub status: String,
    /// Status before.
    pub previous_status: String,
    /// Always `true` on 200.
    pub successful: bool,
}

impl Services {
    /// Returns a SIM of the caller to stock, unbinding it from a `Cancelled` number.
    pub async fn clear_sim_status(
        &self,
        distributor: &DistributorId,
        iccid: &Iccid,
    ) -> ServiceResult<SimClearedView> {
        let mut tx = self.store().begin().await?;
        let sim = self.lock_own_sim(&mut tx, distributor, iccid).await?;
        let number = self.number_of_sim(&mut tx, &sim, true).await?;
        let change =
            sim_status::clear(stored_status(&sim)?, holder(number.as_ref())).map_err(sim_error)?;
        self.apply_sim_change(&mut tx, sim, number.as_ref(), change, "cleared")
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(SimClearedView {
            iccid: iccid.as_str().to_string(),
            status: change.status.as_str().to_string(),
            successful: true,
        })
    }

    /// Sets a SIM of the caller to `to` by the table of 05 §2.10.
    pub async fn update_sim_status(
        &self,
        distributor: &DistributorId,
        iccid: &Iccid,
        to: SimStatus,
    ) -> ServiceResult<SimStatusView> {
        let mut tx = self.store().begin().await?;
        let sim = self.lock_own_sim(&mut tx, distributor, iccid).await?;
        let number = self.number_of_sim(&mut tx, &sim, true).await?;
        let from = stored_status(&sim)?;
        let change = sim_status::update_status(from, to, holder(number.as_ref()), sim.barred)
            .map_err(sim_error)?;
        self.apply_sim_change(&mut tx, sim, number.as_ref(), change, "update-status")
            .await?;
        if let Some(number) = &number {
            self.follow_sim_bar(&mut tx, &number.number, from, change.status)
                .await?;
        }
        mpaas_store::commit(tx).await?;
        Ok(SimStatusView {
            iccid: iccid.as_str().to_string(),
            status: change.status.as_str().to_string(),
            previous_status: from.as_str().to_string(),
            successful: true,
        })
    }
}
