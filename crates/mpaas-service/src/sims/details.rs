//! `GET /v1.0/sims?ICCID=` (05 §2.12, Extension): one SIM of the caller.

use mpaas_core::ids::DistributorId;
use mpaas_core::{Iccid, Timestamp};
use mpaas_store::sims;
use serde::Serialize;
use utoipa::ToSchema;

use super::lifecycle::sim_not_found;
use crate::{ServiceResult, Services};

/// Details of one SIM.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SimDetailsView {
    /// The SIM.
    #[serde(rename = "ICCID")]
    pub iccid: String,
    /// `pSIM` / `eSIM`.
    #[serde(rename = "Type")]
    pub sim_type: String,
    /// `Empty`, `Assigned`, `Active`, `Suspended`, `Retired`.
    pub status: String,
    /// E.164 of the bound number.
    pub phone_number: Option<String>,
    /// `NID-…` of the bound number.
    pub phone_number_id: Option<String>,
    /// The bound number's account, else the stock account (`null`: stock of the distributor).
    pub account_id: Option<String>,
    /// eSIM activation code; `null` for pSIMs and retired SIMs.
    pub activation_code: Option<String>,
    /// eSIM QR image URL; `null` for pSIMs and retired SIMs.
    #[serde(rename = "QRCode")]
    pub qr_code: Option<String>,
    /// Registration time.
    #[schema(value_type = String)]
    pub created_on: Timestamp,
    /// Last change.
    #[schema(value_type = String)]
    pub updated_on: Timestamp,
}

impl Services {
    /// One SIM of the caller; a malformed ICCID is simply unknown.
    pub async fn sim_details(
        &self,
        distributor: &DistributorId,
        raw: &str,
    ) -> ServiceResult<SimDetailsView> {
        let iccid = Iccid::parse(raw).ok_or_else(|| sim_not_found(raw.trim()))?;
        let mut conn = self.store().reader().await?;
        let sim = sims::find(&mut conn, iccid.as_str(), None)
            .await?
            .filter(|sim| sim.distributor_id == distributor.as_str())
            .ok_or_else(|| sim_not_found(iccid.as_str()))?;
        let number = self.number_of_sim(&mut conn, &sim, false).await?;
        let profile = self.esim_profile(&sim);
        let (phone_number, phone_number_id, account_id) = match number {
            Some(n) => (Some(n.number), Some(n.id), Some(n.account_id)),
            None => (None, None, sim.account_id),
        };
        Ok(SimDetailsView {
            iccid: sim.iccid,
            sim_type: sim.sim_type,
            status: sim.status,
            phone_number,
            phone_number_id,
            account_id,
            activation_code: profile.activation_code,
            qr_code: profile.qr_code,
            created_on: Timestamp::from_micros(sim.created_on),
            updated_on: Timestamp::from_micros(sim.updated_on),
        })
    }
}
