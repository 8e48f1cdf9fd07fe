//! Activation of reserved (`Pending`) numbers by the job engine: the list form of provisioning,
//! and every provisioning when the adapter confirms asynchronously.

use std::collections::{BTreeMap, HashMap};

use mpaas_store::numbers::{self, NumberRow};
use mpaas_store::orders::{self, OrderItemRow};
use mpaas_store::sims::{self, SimRow};
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
        self.emit_numbers_provisioned(conn, std::slice::from_ref(number))
            .await
    }

    /// Writes `number.provisioned` for each of `numbers`, in their order.
    async fn emit_numbers_provisioned(
        &self,
        conn: &mut AnyConnection,
        numbers: &[NumberRow],
    ) -> ServiceResult<()> {
        let payloads: Vec<ProvisionedData> = numbers
            .iter()
            .map(|number| ProvisionedData {
                number: &number.number,
                account_id: &number.account_id,
                order_id: &number.order_id,
                iccid: number.iccid.as_deref(),
                product_type: &number.product_type,
                classification: &number.classification,
            })
            .collect();
        let events = numbers
            .iter()
            .zip(&payloads)
            .map(|(number, data)| NewEvent {
                event_type: "number.provisioned",
                distributor_id: &number.distributor_id,
                account_id: Some(&number.account_id),
                resource_id: &number.id,
                data,
            });
        self.emit_all(conn, events.collect()).await
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
        let mut waiting: Vec<OrderItemRow> = orders::items(&mut tx, order_id)
            .await?
            .into_iter()
            .filter(|item| item.status != "Complete" && item.status != "Error")
            .collect();
        self.activate_items(&mut tx, &order.distributor_id, &mut waiting)
            .await?;
        orders::put_items(&mut tx, order_id, &waiting).await?;
        self.transition_order(&mut tx, &mut order, "Complete", "")
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(())
    }

    /// Activates the `Pending` numbers of `items` and settles each item: `Complete`, or
    /// `Error` when its number no longer exists.
    async fn activate_items(
        &self,
        conn: &mut AnyConnection,
        distributor_id: &str,
        items: &mut [OrderItemRow],
    ) -> ServiceResult<()> {
        let ids: Vec<&str> = items
            .iter()
            .filter_map(|item| item.phone_number_id.as_deref())
            .collect();
        let lock = Some(self.store().backend());
        let found: HashMap<String, NumberRow> =
            numbers::find_live_by_ids(conn, distributor_id, &ids, lock)
                .await?
                .into_iter()
                .map(|number| (number.id.clone(), number))
                .collect();
        let mut activated = Vec::new();
        for item in items.iter_mut() {
            let Some(id) = &item.phone_number_id else {
                continue;
            };
            match found.get(id) {
                Some(number) => {
                    if number.status == "Pending" {
                        let mut number = number.clone();
                        self.mark_active(&mut number);
                        activated.push(number);
                    }
                    item.status = "Complete".into();
                }
                None => {
                    item.status = "Error".into();
                    item.message = "Phone number no longer exists".into();
                }
            }
        }
        let ids: Vec<&str> = activated.iter().map(|n| n.id.as_str()).collect();
        numbers::activate_pending(conn, &ids, self.clock().now().micros()).await?;
        self.activate_sims(conn, &activated).await?;
        self.activate_lines(conn, &activated).await?;
        self.emit_numbers_provisioned(conn, &activated).await
    }

    /// Brings the bound SIM of each number to the status its number calls for, with one read
    /// and one write per status reached.
    async fn activate_sims(
        &self,
        conn: &mut AnyConnection,
        numbers: &[NumberRow],
    ) -> ServiceResult<()> {
        let iccids: Vec<&str> = numbers.iter().filter_map(|n| n.iccid.as_deref()).collect();
        let lock = Some(self.store().backend());
        let sims: HashMap<String, SimRow> = sims::find_many(conn, &iccids, lock)
            .await?
            .into_iter()
            .map(|sim| (sim.iccid.clone(), sim))
            .collect();
        let mut changes = Vec::new();
        let mut by_status: BTreeMap<&'static str, Vec<&str>> = BTreeMap::new();
        for number in numbers {
            let Some(sim) = number.iccid.as_ref().and_then(|i| sims.get(i)) else {
                continue;
            };
            let to = status_for_number(&number.status, sim.barred);
            if sim.status == to {
                continue;
            }
            by_status.entry(to).or_default().push(&sim.iccid);
            let transition = SimTransition {
                iccid: sim.iccid.clone(),
                from: sim.status.clone(),
                to: to.to_string(),
                reason: "number activated",
            };
            changes.push((number, transition));
        }
        let now = self.clock().now().micros();
        for (status, iccids) in &by_status {
            sims::set_status_many(conn, iccids, status, now).await?;
        }
        let changes: Vec<_> = changes.iter().map(|(n, t)| (*n, t)).collect();
        self.emit_sim_transitions(conn, &changes).await
    }
}
