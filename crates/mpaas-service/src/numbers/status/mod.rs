//! `POST /v1.0/numbers/status` (05 §2.7): lifecycle actions on numbers, now or at 00:00 of a
//! future business date. Every number is checked before anything changes (all or nothing); a
//! scheduled order checks each number again when it runs.

use chrono::NaiveDate;
use mpaas_core::ids::DistributorId;
use mpaas_core::lifecycle::StatusAction;
use mpaas_core::{Iccid, E164};
use mpaas_store::lifecycle::ONE_SCHEDULED_INDEX;
use mpaas_store::numbers::NumberRow;
use mpaas_store::orders::{self, OrderItemRow, OrderRow};
use mpaas_store::{AnyConnection, StoreError};
use serde::{Deserialize, Serialize};

mod apply;
mod checks;
mod reactivate;
mod release;
mod schedule;
mod swap_sim;
mod takeover;
pub mod views;

pub use release::RELEASE_JOB;
pub use schedule::STATUS_CHANGE_JOB;

use self::schedule::When;
use self::views::{status_change_view, Outcome, StatusChangeView};
use super::orders::NewOrder;
use crate::{ServiceError, ServiceResult, Services};

/// One number of a status change.
#[derive(Clone, Debug)]
pub struct StatusNumber {
    /// E.164.
    pub number: E164,
    /// `swap-sim` only: the SIM to bind (else a new eSIM is issued).
    pub iccid: Option<Iccid>,
}

/// A validated status change request.
#[derive(Clone, Debug)]
pub struct StatusChangeInput {
    /// The action.
    pub action: StatusAction,
    /// Business date; `None` = today.
    pub effective_date: Option<NaiveDate>,
    /// 1 to 100 distinct numbers.
    pub numbers: Vec<StatusNumber>,
    /// `swap`: must equal each number's; `replace`: searched first.
    pub area_code: Option<u16>,
    /// `swap`: preferred pool of the area; `replace`: searched as in 05 §2.1.
    pub zip_code: Option<String>,
}

/// What a deferred run needs besides the items: the action and the search (order `details`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ChangeRequest {
    #[serde(skip)]
    pub action: Option<StatusAction>,
    #[serde(default)]
    pub area_code: Option<u16>,
    #[serde(default)]
    pub zip_code: Option<String>,
}

impl ChangeRequest {
    fn action(&self) -> ServiceResult<StatusAction> {
        self.action
            .ok_or_else(|| ServiceError::Internal("status change order without action".into()))
    }

    /// The request of a stored order.
    fn of_order(order: &OrderRow) -> ServiceResult<Self> {
        let mut request: Self = serde_json::from_str(&order.details)
            .map_err(|e| ServiceError::Internal(format!("details of {}: {e}", order.id)))?;
        request.action = order.change_type.as_deref().and_then(StatusAction::parse);
        request.action()?;
        Ok(request)
    }
}

/// `409 A status change is already scheduled for number '{Number}'`.
fn already_scheduled(number: &str) -> ServiceError {
    ServiceError::conflict(format!(
        "A status change is already scheduled for number '{number}'"
    ))
}

/// The fixed values of a new status change order.
struct OrderStart<'a> {
    distributor: &'a DistributorId,
    change_type: &'a str,
    date: NaiveDate,
    status: &'a str,
}

impl<'a> OrderStart<'a> {
    fn new(
        distributor: &'a DistributorId,
        change_type: &'a str,
        date: NaiveDate,
        status: &'a str,
    ) -> Self {
        Self {
            distributor,
            change_type,
            date,
            status,
        }
    }
}

/// The account of every row when they share one (an order may span accounts of a distributor).
fn common_account(rows: &[NumberRow]) -> Option<&str> {
    let first = rows.first()?.account_id.as_str();
    rows.iter().all(|r| r.account_id == first).then_some(first)
}

impl Services {
    /// Runs or schedules a status change.
    pub async fn change_number_status(
        &self,
        distributor: &DistributorId,
        input: StatusChangeInput,
    ) -> ServiceResult<StatusChangeView> {
        let tz = self.settings().numbers.business_tz;
        let when = schedule::resolve_when(self.clock().now(), tz, input.effective_date)?;
        checks::swap_area_codes(&input)?;
        let mut tx = self.store().begin().await?;
        let mut rows = Vec::with_capacity(input.numbers.len());
        for n in &input.numbers {
            let row = self
                .checked_status_number(&mut tx, distributor, n, input.action)
                .await?;
            if matches!(when, When::Scheduled { .. }) {
                self.check_status_schedulable(&mut tx, &row, n).await?;
            }
            rows.push(row);
        }
        if matches!(when, When::Now { .. }) {
            // A scheduled change asks when it runs: the service may be back by then.
            self.check_network_service(&mut tx, input.action).await?;
        }
        let request = ChangeRequest {
            action: Some(input.action),
            area_code: input.area_code,
            zip_code: input.zip_code.clone(),
        };
        let action = input.action.as_str();
        let (order, outcomes) = match when {
            When::Now { date } => {
                let start = OrderStart::new(distributor, action, date, "Submitted");
                self.run_status_change_now(&mut tx, &request, start, rows, &input)
                    .await?
            }
            When::Scheduled { date, run_at } => {
                let start = OrderStart::new(distributor, action, date, "Scheduled");
                let order = self
                    .schedule_status_change(&mut tx, &request, start, &rows, &input)
                    .await?;
                self.enqueue_status_change(&mut tx, &order.id, run_at)
                    .await?;
                let outcomes =
                    scheduled_outcomes(&input, self.status_change_fee(input.action.as_str()));
                (order, outcomes)
            }
        };
        mpaas_store::commit(tx).await?;
        Ok(status_change_view(&order, outcomes))
    }

    /// The fee of an action, fixed when its order is created.
    fn status_change_fee(&self, action: &str) -> mpaas_core::Money {
        self.settings().numbers.fee(action)
    }

    async fn new_status_order(
        &self,
        conn: &mut AnyConnection,
        request: &ChangeRequest,
        start: OrderStart<'_>,
        rows: &[NumberRow],
    ) -> ServiceResult<OrderRow> {
        let date = start.date.format("%Y-%m-%d").to_string();
        let details = serde_json::to_string(request)
            .map_err(|e| ServiceError::Internal(format!("order details: {e}")))?;
        let new = NewOrder {
            distributor_id: start.distributor.as_str(),
            account_id: common_account(rows),
            order_type: "StatusChange",
            status: start.status,
            change_type: Some(start.change_type),
            effective_date: Some(&date),
            details,
        };
        self.create_order(conn, new).await
    }

    /// Applies the change to every (checked) number in the request.
    async fn run_status_change_now(
        &self,
        conn: &mut AnyConnection,
        request: &ChangeRequest,
        start: OrderStart<'_>,
        rows: Vec<NumberRow>,
        input: &StatusChangeInput,
    ) -> ServiceResult<(OrderRow, Vec<Outcome>)> {
        let action = input.action;
        let mut order = self.new_status_order(conn, request, start, &rows).await?;
        self.transition_order(conn, &mut order, "Processing", "")
            .await?;
        let fee = self.status_change_fee(action.as_str());
        let mut outcomes = Vec::with_capacity(rows.len());
        for (position, (row, n)) in rows.into_iter().zip(&input.numbers).enumerate() {
            let id = row.id.clone();
            let mut outcome = self
                .apply_change(conn, &order, request, row, n.iccid.as_ref())
                .await?;
            outcome.fee = fee;
            let item = done_item(position, &id, &outcome, action);
            orders::put_item(conn, &order.id, &item).await?;
            outcomes.push(outcome);
        }
        self.transition_order(conn, &mut order, "Complete", "")
            .await?;
        Ok((order, outcomes))
    }

    /// Records a `Scheduled` order with one `Scheduled` item per number.
    async fn schedule_status_change(
        &self,
        conn: &mut AnyConnection,
        request: &ChangeRequest,
        start: OrderStart<'_>,
        rows: &[NumberRow],
        input: &StatusChangeInput,
    ) -> ServiceResult<OrderRow> {
        let action = input.action.as_str();
        let order = self.new_status_order(conn, request, start, rows).await?;
        let fee = self.status_change_fee(action).units();
        for (position, (row, n)) in rows.iter().zip(&input.numbers).enumerate() {
            let item = OrderItemRow {
                position: position as i64,
                number: row.number.clone(),
                status: "Scheduled".into(),
                phone_number_id: Some(row.id.clone()),
                iccid: n.iccid.as_ref().map(|i| i.as_str().to_string()),
                fee,
                ..OrderItemRow::default()
            };
            orders::put_item(conn, &order.id, &item)
                .await
                .map_err(|e| scheduled_conflict(e, &row.number))?;
        }
        Ok(order)
    }
}

/// The one-scheduled-item index turns a concurrent second schedule into the contract's 409.
fn scheduled_conflict(err: StoreError, number: &str) -> ServiceError {
    if err.is_unique_on(ONE_SCHEDULED_INDEX) || err.is_unique_on("order_items.number") {
        already_scheduled(number)
    } else {
        err.into()
    }
}

/// The item of a number changed now.
fn done_item(position: usize, number_id: &str, o: &Outcome, action: StatusAction) -> OrderItemRow {
    OrderItemRow {
        position: position as i64,
        number: o.number.clone(),
        status: "Complete".into(),
        phone_number_id: Some(number_id.to_string()),
        new_number: o.new_number.clone(),
        iccid: (action == StatusAction::SwapSim)
            .then(|| o.iccid.clone())
            .flatten(),
        fee: o.fee.units(),
        message: String::new(),
    }
}

/// What a scheduled order answers: new numbers and SIMs are only known when it runs.
fn scheduled_outcomes(input: &StatusChangeInput, fee: mpaas_core::Money) -> Vec<Outcome> {
    input
        .numbers
        .iter()
        .map(|n| Outcome {
            number: n.number.as_str().to_string(),
            iccid: n.iccid.as_ref().map(|i| i.as_str().to_string()),
            fee,
            ..Outcome::default()
        })
        .collect()
}
