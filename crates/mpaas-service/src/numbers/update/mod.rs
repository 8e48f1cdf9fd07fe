//! `POST /v1.0/numbers/update` (05 §2.6): changes one `Active` or `Parked` number at once;
//! only the fields sent change. Recorded as an `Update` order that completes in the request.

use mpaas_core::ids::DistributorId;
use mpaas_core::number::{Classification, MessageType, ProductType};
use mpaas_core::{Iccid, E164};
use mpaas_store::numbers::{self, NumberRow};
use mpaas_store::orders::{self, OrderItemRow, OrderRow};
use mpaas_store::subscribers::SubscriberRow;
use mpaas_store::{subscriptions, AnyConnection};

use super::orders::NewOrder;
use super::{lock_by_number, refuse_open_port_out};
use crate::sims::lifecycle::SimReplacement;
use crate::{ServiceError, ServiceResult, Services};

mod rules;
mod view;

pub use view::NumberUpdateView;

/// What `AssignedSubscriberId` asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Assignment {
    /// `""`: no subscriber.
    Unassign,
    /// A subscriber of the number's account, as sent.
    To(String),
}

/// A validated update request; `None` leaves a field as it is.
#[derive(Clone, Debug)]
pub struct NumberUpdateInput {
    /// The caller's number.
    pub number: E164,
    /// Row of 05 §1.2 (Extension).
    pub product_type: Option<ProductType>,
    /// Capability flag.
    pub message_enabled: Option<bool>,
    /// Capability flag (Extension).
    pub data_enabled: Option<bool>,
    /// Capability flag.
    pub voice_enabled: Option<bool>,
    /// `p2p` / `a2p`.
    pub message_type: Option<MessageType>,
    /// `MVNO` / `IoT`.
    pub classification: Option<Classification>,
    /// Message route of the number's account, as sent.
    pub message_route_id: Option<String>,
    /// Voice route of the number's account, as sent.
    pub voice_route_id: Option<String>,
    /// New assignee, or none.
    pub assigned_subscriber: Option<Assignment>,
    /// SIM to bind in place of the current one.
    pub iccid: Option<Iccid>,
    /// 1 to 15 printable ASCII characters, trimmed.
    pub cnam: Option<String>,
    /// Must repeat the number's type (`mobile`) or classification.
    pub number_type: Option<String>,
}

const ACTIVE_SUBSCRIPTION: &str = "Number has an active subscription";
const FOREIGN_SUBSCRIBER: &str = "Subscriber does not belong to account";

impl Services {
    /// Updates one number of the caller.
    pub async fn update_number(
        &self,
        distributor: &DistributorId,
        input: NumberUpdateInput,
    ) -> ServiceResult<NumberUpdateView> {
        let mut tx = self.store().begin().await?;
        // The subscriber is locked before the number, in the order every assignment takes.
        let subscriber = self.wanted_subscriber(&mut tx, distributor, &input).await;
        let current = lock_by_number(self, &mut tx, distributor, input.number.as_str()).await?;
        if current.status != "Active" && current.status != "Parked" {
            return Err(ServiceError::Unprocessable(format!(
                "Cannot update number '{}' in status {}",
                current.number, current.status
            )));
        }
        let settled = rules::settle(&current, &input)?;
        let mut number = current.clone();
        rules::apply(&mut number, settled, input.cnam.as_deref());
        self.update_routes(&mut tx, distributor, &mut number, &input)
            .await?;
        self.update_assignee(&mut tx, &mut number, subscriber)
            .await?;
        let sims = self
            .update_sim(&mut tx, &mut number, input.iccid.as_ref())
            .await?;
        number.updated_on = self.clock().now().micros();
        numbers::save(&mut tx, &number).await?;
        self.update_line_cnam(&mut tx, &current, &number).await?;
        let order = self
            .record_update(&mut tx, &current, &number, &sims)
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(view::answer(number, order, sims.profile.qr_code))
    }

    /// The subscriber `AssignedSubscriberId` names (`Some(None)` to unassign), locked; its
    /// failure is reported after the number's own checks.
    async fn wanted_subscriber(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        input: &NumberUpdateInput,
    ) -> Option<ServiceResult<Option<SubscriberRow>>> {
        match input.assigned_subscriber.as_ref()? {
            Assignment::Unassign => Some(Ok(None)),
            Assignment::To(raw) => {
                Some(self.lock_subscriber(conn, distributor, raw).await.map(Some))
            }
        }
    }

    /// Sets the routes sent, each a live route of the number's account.
    async fn update_routes(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        number: &mut NumberRow,
        input: &NumberUpdateInput,
    ) -> ServiceResult<()> {
        if let Some(raw) = &input.message_route_id {
            let id = self
                .live_message_route_of(conn, distributor, &number.account_id, raw)
                .await?;
            number.message_route_id = Some(id);
        }
        if let Some(raw) = &input.voice_route_id {
            let id = self
                .live_voice_route_of(conn, distributor, &number.account_id, raw)
                .await?;
            number.voice_route_id = Some(id);
        }
        Ok(())
    }

    /// Assigns or unassigns; a number with an active subscription stays with its subscriber.
    async fn update_assignee(
        &self,
        conn: &mut AnyConnection,
        number: &mut NumberRow,
        wanted: Option<ServiceResult<Option<SubscriberRow>>>,
    ) -> ServiceResult<()> {
        let Some(wanted) = wanted else { return Ok(()) };
        let subscriber_id = match wanted? {
            Some(s) if s.account_id != number.account_id => {
                return Err(ServiceError::field(
                    "AssignedSubscriberId",
                    FOREIGN_SUBSCRIBER,
                ));
            }
            Some(s) => Some(s.id),
            None => None,
        };
        if subscriber_id == number.subscriber_id {
            return Ok(());
        }
        if subscriptions::active_for_number(conn, &number.id)
            .await?
            .is_some()
        {
            return Err(ServiceError::conflict_on(
                "AssignedSubscriberId",
                ACTIVE_SUBSCRIPTION,
            ));
        }
        number.subscriber_id = subscriber_id;
        Ok(())
    }

    /// Binds the SIM sent in place of the current one (which is retired), unless it already
    /// serves the number; refused while a port-out is open.
    async fn update_sim(
        &self,
        conn: &mut AnyConnection,
        number: &mut NumberRow,
        iccid: Option<&Iccid>,
    ) -> ServiceResult<SimReplacement> {
        let Some(iccid) = iccid.filter(|i| number.iccid.as_deref() != Some(i.as_str())) else {
            return Ok(SimReplacement::default());
        };
        refuse_open_port_out(conn, number).await?;
        self.replace_sim(conn, number, Some(iccid)).await
    }

    /// The `Update` order (completed in the request) and the events of the change.
    async fn record_update(
        &self,
        conn: &mut AnyConnection,
        before: &NumberRow,
        after: &NumberRow,
        sims: &SimReplacement,
    ) -> ServiceResult<OrderRow> {
        let new = NewOrder {
            distributor_id: &after.distributor_id,
            account_id: Some(&after.account_id),
            order_type: "Update",
            status: "Submitted",
            change_type: None,
            effective_date: None,
            details: "{}".into(),
        };
        let mut order = self.create_order(conn, new).await?;
        self.transition_order(conn, &mut order, "Processing", "")
            .await?;
        let item = OrderItemRow {
            position: 0,
            number: after.number.clone(),
            status: "Complete".into(),
            phone_number_id: Some(after.id.clone()),
            iccid: after.iccid.clone(),
            ..OrderItemRow::default()
        };
        orders::put_item(conn, &order.id, &item).await?;
        let changes = rules::changes(before, after);
        self.emit_number_updated(conn, after, Some(&order.id), &changes)
            .await?;
        for t in &sims.transitions {
            self.emit_sim_transition(conn, after, t).await?;
        }
        self.transition_order(conn, &mut order, "Complete", "")
            .await?;
        Ok(order)
    }
}
