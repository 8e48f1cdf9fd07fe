//! Activation of reserved (`Pending`) numbers by the job engine: the list form of provisioning,
//! and every provisioning when the adapter confirms asynchronously.

use mpaas_store::numbers::{self, NumberRow};
use mpaas_store::orders::{self, OrderItemRow};
use mpaas_store::sims;
use mpaas_store::AnyConnection;
use serde::Serialize;

use crate::events::NewEvent;
use crate::jobs::JobFailure;
use crate::sims::{status_for_number, SimTransition};
use crate::{ServiceResult, Services};

/// Job kind: activate the pending numbers of an order.
pub const ACTIVATE_JOB: &str = "numbers.activate";

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ProvisionedData<'a> {
    number: &'a str,
    account_id: &'a str,
    order_id: &'a str,
    iccid: Option<&'a str>,
    product_type: &'a str,
    classification: &'a str,
}

impl Services {
    /// Queues the activation of an order's numbers, due now.
    pub(crate) async fn enqueue_activation(
        &self,
        conn: &mut AnyConnection,
        order_id: &str,
    ) -> ServiceResult<()> {
        let payload = serde_json::json!({ "OrderId": order_id });
        let dedupe = format!("{ACTIVATE_JOB}:{order_id}");
        self.enqueue(
            conn,
            ACTIVATE_JOB,
            &payload,
            self.clock().now(),
            Some(&dedupe),
        )
        .await?;
        Ok(())
    }

    /// Writes `number.provisioned`.
    pub(crate) async fn emit_number_provisioned(
        &self,
        conn: &mut AnyConnection,
        number: &NumberRow,
    ) -> ServiceResult<()> {
        let data = ProvisionedData {
            number: &number.number,
            account_id: &number.account_id,
            order_id: &number.order_id,
            iccid: number.iccid.as_deref(),
            product_type: &number.product_type,
            classification: &number.classification,
        };
        let event = NewEvent {
            event_type: "number.provisioned",
            distributor_id: &number.distributor_id,
            account_id: Some(&number.account_id),
            resource_id: &number.id,
            data: &data,
        };
        self.emit(conn, event).await
    }

    /// The job: every item still waiting becomes `Active` (with its SIM), the order `Complete`.
    pub(crate) async fn run_activation(
        &self,
        payload: serde_json::Value,
    ) -> Result<(), JobFailure> {
        let order_id = payload["OrderId"]
            .as_str()
            .ok_or_else(|| JobFailure("activation payload without OrderId".into()))?;
        let mut tx = self.store().begin().await?;
        let mut order = orders::find_any(&mut tx, order_id)
            .await?
            .ok_or_else(|| JobFailure(format!("order {order_id} does not exist")))?;
        if order.status == "Complete" || order.status == "Error" {
            return Ok(());
        }
        if order.status == "Submitted" {
            self.transition_order(&mut tx, &mut order, "Processing", "")
                .await?;
        }
        for mut item in orders::items(&mut tx, order_id).await? {
            if item.status == "Complete" || item.status == "Error" {
                continue;
            }
            self.activate_item(&mut tx, &order.distributor_id, &mut item)
                .await?;
            orders::put_item(&mut tx, order_id, &item).await?;
        }
        self.transition_order(&mut tx, &mut order, "Complete", "")
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(())
    }

    async fn activate_item(
        &self,
        conn: &mut AnyConnection,
        distributor_id: &str,
        item: &mut OrderItemRow,
    ) -> ServiceResult<()> {
        let Some(id) = item.phone_number_id.clone() else {
            return Ok(());
        };
        let lock = Some(self.store().backend());
        let Some(mut number) = numbers::find_live_by_id(conn, distributor_id, &id, lock).await?
        else {
            item.status = "Error".into();
            item.message = "Phone number no longer exists".into();
            return Ok(());
        };
        if number.status == "Pending" {
            self.mark_active(&mut number);
            numbers::save(conn, &number).await?;
            self.activate_sim(conn, &number).await?;
            self.activate_line(conn, &number).await?;
            self.emit_number_provisioned(conn, &number).await?;
        }
        item.status = "Complete".into();
        Ok(())
    }

    /// Brings the number's bound SIM to the status its number calls for.
    pub(crate) async fn activate_sim(
        &self,
        conn: &mut AnyConnection,
        number: &NumberRow,
    ) -> ServiceResult<()> {
        let Some(iccid) = &number.iccid else {
            return Ok(());
        };
        let lock = Some(self.store().backend());
        let Some(mut sim) = sims::find(conn, iccid, lock).await? else {
            return Ok(());
        };
        let to = status_for_number(&number.status, sim.barred);
        if sim.status == to {
            return Ok(());
        }
        let transition = SimTransition {
            iccid: sim.iccid.clone(),
            from: std::mem::replace(&mut sim.status, to.to_string()),
            to: to.to_string(),
            reason: "number activated",
        };
        sim.updated_on = self.clock().now().micros();
        sims::save(conn, &sim).await?;
        self.emit_sim_transition(conn, number, &transition).await
    }
}
