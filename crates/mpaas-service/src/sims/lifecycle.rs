//! SIM handling shared by the number and SIM use cases: finding a caller's SIM and what holds
//! it, retiring and replacing the SIM of a number (update `Iccid`, swap-sim), and applying a
//! hand-made status change (clear-status, update-status) with its events.

use mpaas_core::ids::DistributorId;
use mpaas_core::sim_status::{
    on_event, Holder, SimChange, SimEvent, SimStatus, SimStatusError, SimType,
};
use mpaas_core::Iccid;
use mpaas_store::numbers::{self, NumberRow};
use mpaas_store::sims::{self, SimRow};
use mpaas_store::{subscriptions, AnyConnection};

use super::{EsimProfile, SimStatusData, SimTransition};
use crate::events::NewEvent;
use crate::numbers::NumberChanges;
use crate::{ServiceError, ServiceResult, Services};

/// `404 SIM with ICCID '{ICCID}' was not found.`
pub(crate) fn sim_not_found(iccid: &str) -> ServiceError {
    ServiceError::NotFound(format!("SIM with ICCID '{iccid}' was not found."))
}

/// The contract's answer to a refused SIM change.
pub(crate) fn sim_error(e: SimStatusError) -> ServiceError {
    match e {
        SimStatusError::BoundToActiveNumber => ServiceError::conflict(e.to_string()),
        SimStatusError::Retired | SimStatusError::InvalidTransition { .. } => {
            ServiceError::Unprocessable(e.to_string())
        }
    }
}

/// The status of a stored SIM.
pub(crate) fn stored_status(sim: &SimRow) -> ServiceResult<SimStatus> {
    SimStatus::parse(&sim.status).ok_or_else(|| {
        ServiceError::Internal(format!("SIM {} has status {}", sim.iccid, sim.status))
    })
}

/// The type of a stored SIM.
pub(crate) fn stored_type(sim: &SimRow) -> ServiceResult<SimType> {
    SimType::parse(&sim.sim_type).ok_or_else(|| {
        ServiceError::Internal(format!("SIM {} has type {}", sim.iccid, sim.sim_type))
    })
}

/// What holds a SIM bound to `number` (or nothing).
pub(crate) fn holder(number: Option<&NumberRow>) -> Holder {
    number.map_or(Holder::None, |n| Holder::of_number(&n.status))
}

/// What a number's SIM replacement did.
#[derive(Debug, Default)]
pub(crate) struct SimReplacement {
    /// Old SIM retired, new SIM bound (in that order), for `sim.status_changed`.
    pub transitions: Vec<SimTransition>,
    /// Profile of the new SIM when it is an eSIM.
    pub profile: EsimProfile,
}

impl Services {
    /// A SIM of the caller by ICCID, locked for the transaction; another distributor's SIM is
    /// not found.
    pub(crate) async fn lock_own_sim(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        iccid: &Iccid,
    ) -> ServiceResult<SimRow> {
        let lock = Some(self.store().backend());
        sims::find(conn, iccid.as_str(), lock)
            .await?
            .filter(|sim| sim.distributor_id == distributor.as_str())
            .ok_or_else(|| sim_not_found(iccid.as_str()))
    }

    /// The live number a SIM is bound to, locked when `lock` is set.
    pub(crate) async fn number_of_sim(
        &self,
        conn: &mut AnyConnection,
        sim: &SimRow,
        lock: bool,
    ) -> ServiceResult<Option<NumberRow>> {
        let Some(id) = sims::bound_number(conn, &sim.iccid).await? else {
            return Ok(None);
        };
        let lock = lock.then(|| self.store().backend());
        Ok(numbers::find_live_by_id(conn, &sim.distributor_id, &id, lock).await?)
    }

    /// Retires the SIM bound to `number` and unbinds it (`number.iccid` cleared; the caller
    /// saves the number row). `None` when the number has no SIM.
    pub(crate) async fn retire_sim_of(
        &self,
        conn: &mut AnyConnection,
        number: &mut NumberRow,
    ) -> ServiceResult<Option<SimTransition>> {
        let Some(iccid) = number.iccid.clone() else {
            return Ok(None);
        };
        let lock = Some(self.store().backend());
        let mut sim = sims::find(conn, &iccid, lock)
            .await?
            .ok_or_else(|| ServiceError::Internal(format!("bound SIM {iccid} is missing")))?;
        let from = stored_status(&sim)?;
        let to = on_event(from, SimEvent::Replaced, stored_type(&sim)?, sim.barred)
            .map_err(sim_error)?;
        sim.status = to.as_str().to_string();
        sim.barred = false;
        sim.updated_on = self.clock().now().micros();
        sims::save(conn, &sim).await?;
        number.iccid = None;
        Ok(Some(SimTransition {
            iccid,
            from: from.as_str().to_string(),
            to: sim.status,
            reason: "replaced",
        }))
    }

    /// Puts a new SIM into `number`: the current one (if any) is retired, then `iccid` is bound
    /// as on provisioning, or a new eSIM is issued when `iccid` is `None`; the active
    /// subscription follows the new SIM. The caller saves the number row, emits the
    /// transitions and handles an `iccid` equal to the current one (which this would refuse as
    /// retired).
    pub(crate) async fn replace_sim(
        &self,
        conn: &mut AnyConnection,
        number: &mut NumberRow,
        iccid: Option<&Iccid>,
    ) -> ServiceResult<SimReplacement> {
        let mut out = SimReplacement::default();
        out.transitions
            .extend(self.retire_sim_of(conn, number).await?);
        match iccid {
            Some(iccid) => {
                out.transitions
                    .push(self.bind_sim(conn, number, iccid).await?);
                if let Some(sim) = sims::find(conn, iccid.as_str(), None).await? {
                    out.profile = self.esim_profile(&sim);
                }
            }
            None => {
                let (t, profile) = self.issue_esim(conn, number).await?;
                out.transitions.push(t);
                out.profile = profile;
            }
        }
        self.bind_line_sim(conn, number).await?;
        if let Some(sub) = subscriptions::active_for_number(conn, &number.id).await? {
            subscriptions::set_iccid(conn, &sub.id, number.iccid.as_deref()).await?;
        }
        Ok(out)
    }

    /// Applies a hand-made change to a locked SIM and the number holding it: unbinds it when
    /// the change says so (`number.updated`), saves the SIM and writes `sim.status_changed`.
    /// Returns the status before.
    pub(crate) async fn apply_sim_change(
        &self,
        conn: &mut AnyConnection,
        mut sim: SimRow,
        number: Option<&NumberRow>,
        change: SimChange,
        reason: &'static str,
    ) -> ServiceResult<SimStatus> {
        let from = stored_status(&sim)?;
        let now = self.clock().now().micros();
        if let (true, Some(number)) = (change.unbinds, number) {
            let mut unbound = number.clone();
            unbound.iccid = None;
            unbound.updated_on = now;
            numbers::save(conn, &unbound).await?;
            let changes = NumberChanges::between(number, &unbound);
            self.emit_number_updated(conn, &unbound, None, &changes)
                .await?;
        }
        if from == change.status && sim.barred == change.barred {
            return Ok(from);
        }
        sim.status = change.status.as_str().to_string();
        sim.barred = change.barred;
        sim.updated_on = now;
        sims::save(conn, &sim).await?;
        let t = SimTransition {
            iccid: sim.iccid.clone(),
            from: from.as_str().to_string(),
            to: sim.status.clone(),
            reason,
        };
        match number {
            Some(number) => self.emit_sim_transition(conn, number, &t).await?,
            None => self.emit_stock_sim_transition(conn, &sim, &t).await?,
        }
        Ok(from)
    }

    /// Writes `sim.status_changed` for a SIM that no number holds.
    async fn emit_stock_sim_transition(
        &self,
        conn: &mut AnyConnection,
        sim: &SimRow,
        t: &SimTransition,
    ) -> ServiceResult<()> {
        if t.from == t.to {
            return Ok(());
        }
        let data = SimStatusData {
            from: &t.from,
            to: &t.to,
            phone_number: None,
            reason: t.reason,
        };
        let event = NewEvent {
            event_type: "sim.status_changed",
            distributor_id: &sim.distributor_id,
            account_id: sim.account_id.as_deref(),
            resource_id: &t.iccid,
            data: &data,
        };
        self.emit(conn, event).await
    }
}
