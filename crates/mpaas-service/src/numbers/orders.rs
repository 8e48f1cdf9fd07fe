//! Orders: creation, status transitions (each one recorded and announced as
//! `order.status_changed`) and the order object of `GET /v1.0/numbers/order`.

use mpaas_core::ids::{DistributorId, OrderId};
use mpaas_core::Timestamp;
use mpaas_store::orders::{self, HistoryRow, OrderItemRow, OrderRow};
use mpaas_store::AnyConnection;
use serde::Serialize;
use utoipa::ToSchema;

use crate::events::NewEvent;
use crate::{ServiceError, ServiceResult, Services};

/// One number of an order.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct OrderItemView {
    /// E.164.
    pub number: String,
    /// Item status.
    pub status: String,
    /// Number row created or concerned (provision, port-in).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number_id: Option<String>,
    /// New number (swap, replace).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_number: Option<String>,
    /// SIM (swap-sim).
    #[serde(rename = "ICCID", skip_serializing_if = "Option::is_none")]
    pub iccid: Option<String>,
    /// Why the item failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// One status the order went through (Extension).
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct OrderHistoryView {
    /// Status reached.
    pub status: String,
    /// When.
    #[schema(value_type = String)]
    pub at: Timestamp,
    /// Why, or empty.
    pub message: String,
}

/// Order object.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct OrderView {
    /// Creation time.
    #[schema(value_type = String)]
    pub order_date: Timestamp,
    /// `JNUOID-…`.
    pub order_id: String,
    /// Current status.
    pub order_status: String,
    /// `Provision`, `StatusChange`, `Update`, `PortIn`, `PortOut`.
    pub order_type: String,
    /// First failure, or empty.
    pub order_status_message: String,
    /// Status change action.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_type: Option<String>,
    /// Status change date, `YYYY-MM-DDT00:00:00`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_date: Option<String>,
    /// The numbers.
    pub phone_numbers_ordered: Vec<OrderItemView>,
    /// Status history (Extension).
    pub history: Vec<OrderHistoryView>,
}

/// A new order's fixed values.
pub(crate) struct NewOrder<'a> {
    pub distributor_id: &'a str,
    pub account_id: Option<&'a str>,
    pub order_type: &'a str,
    pub status: &'a str,
    pub change_type: Option<&'a str>,
    pub effective_date: Option<&'a str>,
    pub details: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct OrderStatusData<'a> {
    order_type: &'a str,
    from: Option<&'a str>,
    to: &'a str,
    message: &'a str,
}

/// `YYYY-MM-DD` as answered: `YYYY-MM-DDT00:00:00`.
pub(crate) fn effective_date_text(date: &str) -> String {
    format!("{date}T00:00:00")
}

fn item_view(item: OrderItemRow) -> OrderItemView {
    OrderItemView {
        number: item.number,
        status: item.status,
        phone_number_id: item.phone_number_id,
        new_number: item.new_number,
        iccid: item.iccid,
        message: Some(item.message).filter(|m| !m.is_empty()),
    }
}

fn history_view(h: HistoryRow) -> OrderHistoryView {
    OrderHistoryView {
        status: h.status,
        at: Timestamp::from_micros(h.at),
        message: h.message,
    }
}

impl Services {
    /// Creates an order in its first status and announces it.
    pub(crate) async fn create_order(
        &self,
        conn: &mut AnyConnection,
        new: NewOrder<'_>,
    ) -> ServiceResult<OrderRow> {
        let now = self.clock().now().micros();
        let row = OrderRow {
            id: OrderId::generate().to_string(),
            distributor_id: new.distributor_id.to_string(),
            account_id: new.account_id.map(str::to_string),
            order_type: new.order_type.to_string(),
            status: new.status.to_string(),
            status_message: String::new(),
            change_type: new.change_type.map(str::to_string),
            effective_date: new.effective_date.map(str::to_string),
            details: new.details,
            created_on: now,
            updated_on: now,
        };
        orders::insert(conn, &row).await?;
        self.emit_order_status(conn, &row, None).await?;
        Ok(row)
    }

    /// Moves an order to `to` (no-op when already there) and announces it.
    pub(crate) async fn transition_order(
        &self,
        conn: &mut AnyConnection,
        order: &mut OrderRow,
        to: &str,
        message: &str,
    ) -> ServiceResult<()> {
        if order.status == to {
            return Ok(());
        }
        let now = self.clock().now().micros();
        orders::set_status(conn, &order.id, to, message, now).await?;
        let from = std::mem::replace(&mut order.status, to.to_string());
        order.status_message = message.to_string();
        order.updated_on = now;
        self.emit_order_status(conn, order, Some(&from)).await
    }

    async fn emit_order_status(
        &self,
        conn: &mut AnyConnection,
        order: &OrderRow,
        from: Option<&str>,
    ) -> ServiceResult<()> {
        let data = OrderStatusData {
            order_type: &order.order_type,
            from,
            to: &order.status,
            message: &order.status_message,
        };
        let event = NewEvent {
            event_type: "order.status_changed",
            distributor_id: &order.distributor_id,
            account_id: order.account_id.as_deref(),
            resource_id: &order.id,
            data: &data,
        };
        self.emit(conn, event).await
    }

    /// The order object.
    pub(crate) async fn order_view(
        &self,
        conn: &mut AnyConnection,
        order: OrderRow,
    ) -> ServiceResult<OrderView> {
        let items = orders::items(conn, &order.id).await?;
        let history = orders::history(conn, &order.id).await?;
        Ok(OrderView {
            order_date: Timestamp::from_micros(order.created_on),
            order_id: order.id,
            order_status: order.status,
            order_type: order.order_type,
            order_status_message: order.status_message,
            change_type: order.change_type,
            effective_date: order.effective_date.as_deref().map(effective_date_text),
            phone_numbers_ordered: items.into_iter().map(item_view).collect(),
            history: history.into_iter().map(history_view).collect(),
        })
    }

    /// `GET /v1.0/numbers/order`: any order of the caller.
    pub async fn get_order(
        &self,
        distributor: &DistributorId,
        raw: &str,
    ) -> ServiceResult<OrderView> {
        let not_found = || ServiceError::not_found("Order", raw);
        let id = OrderId::parse(raw).ok_or_else(not_found)?;
        let mut conn = self.store().reader().await?;
        let order = orders::find(&mut conn, distributor.as_str(), id.as_str())
            .await?
            .ok_or_else(not_found)?;
        self.order_view(&mut conn, order).await
    }
}
