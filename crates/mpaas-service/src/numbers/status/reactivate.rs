//! `POST /v1.0/numbers/reactivate` (05 §2.8): cancelled numbers back in service within their
//! reactivation window, with their SIM if it is still bound. The ended subscription stays ended.

use mpaas_core::ids::DistributorId;
use mpaas_core::lifecycle;
use mpaas_core::lifecycle::NumberStatus;
use mpaas_core::{Timestamp, E164};
use mpaas_store::numbers::{self, NumberRow};
use mpaas_store::orders::{self, OrderRow};
use mpaas_store::AnyConnection;

use super::schedule::business_today;
use super::views::{status_change_view, Outcome, StatusChangeView};
use super::{ChangeRequest, OrderStart};
use crate::{ServiceError, ServiceResult, Services};

/// `ChangeType` (and fee key) of a reactivation.
const REACTIVATE: &str = "reactivate";

impl Services {
    /// Reactivates every number, all or nothing.
    pub async fn reactivate_numbers(
        &self,
        distributor: &DistributorId,
        list: &[E164],
    ) -> ServiceResult<StatusChangeView> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let mut rows = Vec::with_capacity(list.len());
        for number in list {
            let row =
                super::super::lock_by_number(self, &mut tx, distributor, number.as_str()).await?;
            check_reactivation(&row, now)?;
            rows.push(row);
        }
        let request = ChangeRequest {
            action: None,
            area_code: None,
            zip_code: None,
        };
        let today = business_today(now, self.settings().numbers.business_tz);
        let start = OrderStart::new(distributor, REACTIVATE, today, "Submitted");
        let mut order = self
            .new_status_order(&mut tx, &request, start, &rows)
            .await?;
        self.transition_order(&mut tx, &mut order, "Processing", "")
            .await?;
        let mut outcomes = Vec::with_capacity(rows.len());
        for (position, row) in rows.into_iter().enumerate() {
            outcomes.push(
                self.reactivate_number_row(&mut tx, &order, position, row)
                    .await?,
            );
        }
        self.transition_order(&mut tx, &mut order, "Complete", "")
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(status_change_view(&order, outcomes))
    }

    async fn reactivate_number_row(
        &self,
        conn: &mut AnyConnection,
        order: &OrderRow,
        position: usize,
        mut number: NumberRow,
    ) -> ServiceResult<Outcome> {
        let from = std::mem::replace(&mut number.status, NumberStatus::Active.as_str().into());
        number.cancelled_on = None;
        number.reactivatable_until = None;
        number.updated_on = self.clock().now().micros();
        numbers::save(conn, &number).await?;
        let sim = self
            .sim_follow_number(conn, &number, "number reactivated")
            .await?;
        self.activate_line(conn, &number).await?;
        self.emit_number_status_changed(conn, &number, &from, Some(order))
            .await?;
        let mut outcome = self.status_outcome(&number, sim.as_ref());
        outcome.fee = self.status_change_fee(REACTIVATE);
        let item = orders::OrderItemRow {
            position: position as i64,
            number: number.number.clone(),
            status: "Complete".into(),
            phone_number_id: Some(number.id.clone()),
            iccid: number.iccid.clone(),
            fee: outcome.fee.units(),
            ..orders::OrderItemRow::default()
        };
        orders::put_item(conn, &order.id, &item).await?;
        Ok(outcome)
    }
}

/// 422 unless the number is `Cancelled` and its window is still open.
fn check_reactivation(row: &NumberRow, now: Timestamp) -> ServiceResult<()> {
    let status = NumberStatus::parse(&row.status).ok_or_else(|| {
        ServiceError::Internal(format!("number {} in status {}", row.id, row.status))
    })?;
    let until = row.reactivatable_until.map(Timestamp::from_micros);
    lifecycle::reactivate(status, now, until)
        .map(|_| ())
        .map_err(|e| ServiceError::Unprocessable(e.message(&row.number)))
}
