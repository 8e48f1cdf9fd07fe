//! Release after aging (05 §1.3): `MPAAS_NUMBER_AGING_DAYS` after its reactivation window a
//! cancelled number becomes `Released`, its SIM is unbound and the number is back in its pool.

use mpaas_core::lifecycle::{self, release_at, NumberEvent, NumberStatus};
use mpaas_core::Timestamp;
use mpaas_store::inventory;
use mpaas_store::numbers::{self, NumberRow};
use mpaas_store::sims;
use mpaas_store::AnyConnection;
use serde::{Deserialize, Serialize};

use crate::jobs::JobFailure;
use crate::sims::SimTransition;
use crate::{ServiceResult, Services};

/// Job kind: release a cancelled number.
pub const RELEASE_JOB: &str = "numbers.release";

/// Which cancellation the job is about: a number reactivated and cancelled again has a later
/// one (and its own job).
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ReleasePayload {
    number_id: String,
    distributor_id: String,
    cancelled_on: i64,
}

impl Services {
    /// Queues the release of a number just cancelled.
    pub(super) async fn schedule_number_release(
        &self,
        conn: &mut AnyConnection,
        number: &NumberRow,
    ) -> ServiceResult<()> {
        let (Some(cancelled_on), Some(until)) = (number.cancelled_on, number.reactivatable_until)
        else {
            return Ok(());
        };
        let payload = ReleasePayload {
            number_id: number.id.clone(),
            distributor_id: number.distributor_id.clone(),
            cancelled_on,
        };
        let payload = serde_json::to_value(&payload)
            .map_err(|e| crate::ServiceError::Internal(format!("release payload: {e}")))?;
        let run_at = release_at(
            Timestamp::from_micros(until),
            self.settings().numbers.aging_days,
        );
        let dedupe = format!("{RELEASE_JOB}:{}:{cancelled_on}", number.id);
        self.enqueue(conn, RELEASE_JOB, &payload, run_at, Some(&dedupe))
            .await?;
        Ok(())
    }

    /// The job: releases the number if it is still in the same cancellation.
    pub(crate) async fn run_release(&self, payload: serde_json::Value) -> Result<(), JobFailure> {
        let payload: ReleasePayload = serde_json::from_value(payload)
            .map_err(|e| JobFailure(format!("release payload: {e}")))?;
        let mut tx = self.store().begin().await?;
        let lock = Some(self.store().backend());
        let row =
            numbers::find_live_by_id(&mut tx, &payload.distributor_id, &payload.number_id, lock)
                .await?;
        let Some(mut number) = row.filter(|n| n.cancelled_on == Some(payload.cancelled_on)) else {
            return Ok(());
        };
        let from = NumberStatus::parse(&number.status);
        let Ok(to) = lifecycle::transition(from, NumberEvent::Release) else {
            return Ok(());
        };
        self.unbind_released_sim(&mut tx, &mut number).await?;
        // History keeps no assignment: the subscriber may later move to another account.
        number.subscriber_id = None;
        number.status = to.as_str().to_string();
        number.updated_on = self.clock().now().micros();
        numbers::save(&mut tx, &number).await?;
        self.deactivate_line(&mut tx, &number.number, "number released")
            .await?;
        self.return_released_to_pool(&mut tx, &number).await?;
        self.emit_number_status_changed(&mut tx, &number, "Cancelled", None)
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(())
    }

    /// A released number lets go of its SIM: a pSIM back to stock, an eSIM retired (a used
    /// profile is never reused).
    async fn unbind_released_sim(
        &self,
        conn: &mut AnyConnection,
        number: &mut NumberRow,
    ) -> ServiceResult<()> {
        let Some(iccid) = number.iccid.take() else {
            return Ok(());
        };
        let lock = Some(self.store().backend());
        let Some(mut sim) = sims::find(conn, &iccid, lock).await? else {
            return Ok(());
        };
        let to = if sim.sim_type == "eSIM" {
            "Retired"
        } else {
            "Empty"
        };
        let transition = SimTransition {
            iccid: sim.iccid.clone(),
            from: std::mem::replace(&mut sim.status, to.to_string()),
            to: to.to_string(),
            reason: "number released",
        };
        sim.barred = false;
        sim.updated_on = self.clock().now().micros();
        sims::save(conn, &sim).await?;
        self.emit_sim_transition(conn, number, &transition).await
    }

    /// The pool counts the number as available again and searches reach its line again.
    async fn return_released_to_pool(
        &self,
        conn: &mut AnyConnection,
        number: &NumberRow,
    ) -> ServiceResult<()> {
        let (Some(prefix), Some(line)) = (&number.pool_prefix, number.pool_line) else {
            return Ok(());
        };
        let mut state = inventory::lock(conn, prefix, self.store().backend()).await?;
        state.taken = (state.taken - 1).max(0);
        state.next_line = state.next_line.min(line);
        inventory::save(conn, prefix, state).await?;
        Ok(())
    }
}
