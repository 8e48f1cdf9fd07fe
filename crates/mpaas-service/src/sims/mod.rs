//! SIMs: binding a SIM to a number under the provisioning rules of 05 §2.2, SIM events, the
//! shared SIM lifecycle helpers and the SIM endpoints (clear-status, update-status, import,
//! details).

use mpaas_core::Iccid;
use mpaas_store::numbers::NumberRow;
use mpaas_store::sims::{self, SimRow};
use mpaas_store::AnyConnection;
use serde::Serialize;

pub mod details;
pub mod import;
mod issue;
pub(crate) mod lifecycle;
pub mod status;

pub use issue::EsimProfile;

use crate::events::NewEvent;
use crate::{ServiceError, ServiceResult, Services};

/// `409 ICCID already in use` (bound elsewhere, not in stock, or another owner's).
pub(crate) fn in_use() -> ServiceError {
    ServiceError::conflict_on("ICCID", "ICCID already in use")
}

/// `422 SIM is retired`.
pub(crate) fn retired() -> ServiceError {
    ServiceError::Unprocessable("SIM is retired".into())
}

/// A SIM status change to report as `sim.status_changed`.
#[derive(Clone, Debug)]
pub(crate) struct SimTransition {
    /// The SIM.
    pub iccid: String,
    /// Status before (`Empty` for a SIM registered by this change).
    pub from: String,
    /// Status after.
    pub to: String,
    /// Why, e.g. `bound`.
    pub reason: &'static str,
}

/// The status a SIM takes when bound to (or kept on) a number in `number_status`.
pub(crate) fn status_for_number(number_status: &str, barred: bool) -> &'static str {
    match number_status {
        "Active" if barred => "Suspended",
        "Active" => "Active",
        "Parked" => "Suspended",
        _ => "Assigned",
    }
}

impl Services {
    /// Binds `iccid` to `number` (which has no SIM): an `Empty` SIM of the caller, in the stock of
    /// the number's account or of the whole distributor, is taken; an unknown ICCID is registered
    /// as a pSIM of the account. Sets `number.iccid`; the caller saves the number row.
    pub(crate) async fn bind_sim(
        &self,
        conn: &mut AnyConnection,
        number: &mut NumberRow,
        iccid: &Iccid,
    ) -> ServiceResult<SimTransition> {
        let now = self.clock().now().micros();
        let lock = Some(self.store().backend());
        let mut sim = match sims::find(conn, iccid.as_str(), lock).await? {
            Some(sim) => {
                check_bindable(conn, &sim, number).await?;
                sim
            }
            None => {
                let sim = SimRow {
                    iccid: iccid.as_str().to_string(),
                    distributor_id: number.distributor_id.clone(),
                    account_id: Some(number.account_id.clone()),
                    sim_type: "pSIM".into(),
                    status: "Empty".into(),
                    barred: false,
                    activation_code: None,
                    qr_token_hash: None,
                    created_on: now,
                    updated_on: now,
                };
                sims::insert(conn, &sim).await?;
                sim
            }
        };
        let from = std::mem::take(&mut sim.status);
        sim.status = status_for_number(&number.status, sim.barred).to_string();
        sim.updated_on = now;
        sims::save(conn, &sim).await?;
        number.iccid = Some(sim.iccid.clone());
        Ok(SimTransition {
            iccid: sim.iccid,
            from,
            to: sim.status,
            reason: "bound",
        })
    }

    /// Writes `sim.status_changed` for a transition on `number`.
    pub(crate) async fn emit_sim_transition(
        &self,
        conn: &mut AnyConnection,
        number: &NumberRow,
        t: &SimTransition,
    ) -> ServiceResult<()> {
        self.emit_sim_transitions(conn, &[(number, t)]).await
    }

    /// [`Services::emit_sim_transition`] for many SIMs, in the order given.
    pub(crate) async fn emit_sim_transitions(
        &self,
        conn: &mut AnyConnection,
        changes: &[(&NumberRow, &SimTransition)],
    ) -> ServiceResult<()> {
        let payloads: Vec<(&NumberRow, &SimTransition, SimStatusData)> = changes
            .iter()
            .filter(|(_, t)| t.from != t.to)
            .map(|(number, t)| {
                let data = SimStatusData {
                    from: &t.from,
                    to: &t.to,
                    phone_number: Some(&number.number),
                    reason: t.reason,
                };
                (*number, *t, data)
            })
            .collect();
        let events = payloads.iter().map(|(number, t, data)| NewEvent {
            event_type: "sim.status_changed",
            distributor_id: &number.distributor_id,
            account_id: Some(&number.account_id),
            resource_id: &t.iccid,
            data,
        });
        self.emit_all(conn, events.collect()).await
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SimStatusData<'a> {
    from: &'a str,
    to: &'a str,
    phone_number: Option<&'a str>,
    reason: &'a str,
}

/// 409/422 unless `sim` may be bound to `number`: the caller's, in stock, free and not retired.
pub(crate) async fn check_bindable(
    conn: &mut AnyConnection,
    sim: &SimRow,
    number: &NumberRow,
) -> ServiceResult<()> {
    if sim.distributor_id != number.distributor_id {
        return Err(in_use());
    }
    if sim.status == "Retired" {
        return Err(retired());
    }
    let other_account = sim
        .account_id
        .as_deref()
        .is_some_and(|a| a != number.account_id);
    let bound = sims::bound_number(conn, &sim.iccid).await?.is_some();
    if sim.status != "Empty" || other_account || bound {
        return Err(in_use());
    }
    Ok(())
}
