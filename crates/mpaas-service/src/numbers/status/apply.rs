//! Applying a checked status change to one number: `park`, `activate` and `cancel` here,
//! `swap`/`replace` in `takeover`, `swap-sim` in `swap_sim`. Also the effects several of them
//! share: the SIM following its number, the end of the active subscription, the event.

use mpaas_core::lifecycle::{reactivatable_until, NumberStatus, StatusAction};
use mpaas_core::{Iccid, Timestamp};
use mpaas_store::numbers::{self, NumberRow};
use mpaas_store::orders::OrderRow;
use mpaas_store::sims::{self, SimRow};
use mpaas_store::{subscriptions, AnyConnection};
use serde::Serialize;

use super::views::Outcome;
use super::ChangeRequest;
use crate::events::NewEvent;
use crate::sims::{status_for_number, SimTransition};
use crate::subscriptions::subscription_view;
use crate::{ServiceError, ServiceResult, Services};

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct StatusChangedData<'a> {
    number: &'a str,
    from: &'a str,
    to: &'a str,
    change_type: &'a str,
    order_id: Option<&'a str>,
}

/// Cancels a row at `now`: reactivatable for 30 days.
pub(super) fn mark_cancelled(number: &mut NumberRow, now: Timestamp) {
    number.status = NumberStatus::Cancelled.as_str().into();
    number.cancelled_on = Some(now.micros());
    number.reactivatable_until = Some(reactivatable_until(now).micros());
    number.updated_on = now.micros();
}

impl Services {
    /// Applies `request` to one checked number.
    pub(super) async fn apply_change(
        &self,
        conn: &mut AnyConnection,
        order: &OrderRow,
        request: &ChangeRequest,
        number: NumberRow,
        iccid: Option<&Iccid>,
    ) -> ServiceResult<Outcome> {
        match request.action()? {
            StatusAction::Park => {
                self.apply_service_status(conn, order, number, NumberStatus::Parked)
                    .await
            }
            StatusAction::Activate => {
                self.apply_service_status(conn, order, number, NumberStatus::Active)
                    .await
            }
            StatusAction::Cancel => self.apply_cancel(conn, order, number).await,
            StatusAction::Swap | StatusAction::Replace => {
                self.apply_takeover(conn, order, request, number).await
            }
            StatusAction::SwapSim => self.apply_swap_sim(conn, order, number, iccid).await,
        }
    }

    /// `park` / `activate`: the number's service stops or resumes, and its SIM follows.
    async fn apply_service_status(
        &self,
        conn: &mut AnyConnection,
        order: &OrderRow,
        mut number: NumberRow,
        to: NumberStatus,
    ) -> ServiceResult<Outcome> {
        let from = std::mem::replace(&mut number.status, to.as_str().to_string());
        number.updated_on = self.clock().now().micros();
        numbers::save(conn, &number).await?;
        let reason = match to {
            NumberStatus::Parked => "number parked",
            _ => "number activated",
        };
        let sim = self.sim_follow_number(conn, &number, reason).await?;
        match to {
            NumberStatus::Parked => {
                self.suspend_line(conn, &number.number, true, reason)
                    .await?
            }
            _ => self.activate_line(conn, &number).await?,
        }
        self.emit_number_status_changed(conn, &number, &from, Some(order))
            .await?;
        Ok(self.status_outcome(&number, sim.as_ref()))
    }

    /// `cancel`: out of service, SIM kept for reactivation, subscription ended, release queued.
    async fn apply_cancel(
        &self,
        conn: &mut AnyConnection,
        order: &OrderRow,
        mut number: NumberRow,
    ) -> ServiceResult<Outcome> {
        let from = number.status.clone();
        mark_cancelled(&mut number, self.clock().now());
        numbers::save(conn, &number).await?;
        let sim = self
            .sim_follow_number(conn, &number, "number cancelled")
            .await?;
        self.deactivate_line(conn, &number.number, "number cancelled")
            .await?;
        self.end_subscription_on_cancel(conn, &number).await?;
        self.schedule_number_release(conn, &number).await?;
        self.emit_number_status_changed(conn, &number, &from, Some(order))
            .await?;
        Ok(self.status_outcome(&number, sim.as_ref()))
    }

    /// What the answer says about a number and its SIM.
    pub(super) fn status_outcome(&self, number: &NumberRow, sim: Option<&SimRow>) -> Outcome {
        Outcome {
            number: number.number.clone(),
            iccid: number.iccid.clone(),
            qr_code: sim.and_then(|s| self.esim_profile(s).qr_code),
            ..Outcome::default()
        }
    }

    /// Brings the bound SIM to the status its number calls for (a SIM barred by hand stays
    /// `Suspended`); returns it.
    pub(super) async fn sim_follow_number(
        &self,
        conn: &mut AnyConnection,
        number: &NumberRow,
        reason: &'static str,
    ) -> ServiceResult<Option<SimRow>> {
        let Some(iccid) = &number.iccid else {
            return Ok(None);
        };
        let lock = Some(self.store().backend());
        let Some(mut sim) = sims::find(conn, iccid, lock).await? else {
            return Ok(None);
        };
        let to = status_for_number(&number.status, sim.barred);
        if sim.status != to {
            let transition = SimTransition {
                iccid: sim.iccid.clone(),
                from: std::mem::replace(&mut sim.status, to.to_string()),
                to: to.to_string(),
                reason,
            };
            sim.updated_on = self.clock().now().micros();
            sims::save(conn, &sim).await?;
            self.emit_sim_transition(conn, number, &transition).await?;
        }
        Ok(Some(sim))
    }

    /// Ends the number's active subscription (`NumberCancelled`) and announces it.
    async fn end_subscription_on_cancel(
        &self,
        conn: &mut AnyConnection,
        number: &NumberRow,
    ) -> ServiceResult<()> {
        let Some(active) = subscriptions::active_for_number(conn, &number.id).await? else {
            return Ok(());
        };
        let now = self.clock().now().micros();
        subscriptions::end(conn, &active.id, "NumberCancelled", now).await?;
        let ended = subscriptions::find(conn, &active.distributor_id, &active.id, None)
            .await?
            .map(subscription_view)
            .ok_or_else(|| {
                ServiceError::Internal("subscription vanished in its transaction".into())
            })?;
        let event = NewEvent {
            event_type: "subscription.cancelled",
            distributor_id: &active.distributor_id,
            account_id: Some(&ended.account_id),
            resource_id: &ended.subscription_id,
            data: &ended,
        };
        self.emit(conn, event).await
    }

    /// Writes `number.status_changed` (`ChangeType` from the order, `release` without one).
    pub(super) async fn emit_number_status_changed(
        &self,
        conn: &mut AnyConnection,
        number: &NumberRow,
        from: &str,
        order: Option<&OrderRow>,
    ) -> ServiceResult<()> {
        let change_type = order
            .and_then(|o| o.change_type.as_deref())
            .unwrap_or("release");
        let data = StatusChangedData {
            number: &number.number,
            from,
            to: &number.status,
            change_type,
            order_id: order.map(|o| o.id.as_str()),
        };
        let event = NewEvent {
            event_type: "number.status_changed",
            distributor_id: &number.distributor_id,
            account_id: Some(&number.account_id),
            resource_id: &number.id,
            data: &data,
        };
        self.emit(conn, event).await
    }
}
