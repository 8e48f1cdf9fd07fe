//! Status changes on a future business date (05 §1.7, §2.3): the date rule, the job that runs a
//! `Scheduled` order at 00:00 of its date in the business zone, and the order's cancellation.

use chrono::{NaiveDate, TimeZone};
use mpaas_core::ids::{DistributorId, OrderId};
use mpaas_core::lifecycle::StatusAction;
use mpaas_core::{Iccid, Timestamp};
use mpaas_store::lifecycle as queries;
use mpaas_store::orders::{self, OrderItemRow, OrderRow};
use mpaas_store::AnyConnection;

use super::checks::check_change;
use super::views::{OrderCancelView, Outcome};
use super::ChangeRequest;
use crate::jobs::JobFailure;
use crate::numbers::not_in_inventory;
use crate::{ServiceError, ServiceResult, Services};

/// Job kind: run a scheduled status change order.
pub const STATUS_CHANGE_JOB: &str = "numbers.status_change";

/// When a change runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum When {
    /// Today in the business zone: in the request.
    Now {
        /// Today.
        date: NaiveDate,
    },
    /// A later business date: at its 00:00 there.
    Scheduled {
        /// The date.
        date: NaiveDate,
        /// 00:00 of the date in the zone, platform time.
        run_at: Timestamp,
    },
}

/// The business date of an instant.
pub(super) fn business_today(now: Timestamp, tz: chrono_tz::Tz) -> NaiveDate {
    let utc = chrono::DateTime::from_timestamp_micros(now.micros()).unwrap_or_default();
    tz.from_utc_datetime(&utc.naive_utc()).date_naive()
}

/// The first instant of `date` in the zone (after the gap when a clock change skips midnight).
fn start_of(date: NaiveDate, tz: chrono_tz::Tz) -> Option<Timestamp> {
    (0..3).find_map(|hour| {
        let local = date.and_hms_opt(hour, 0, 0)?;
        let instant = tz.from_local_datetime(&local).earliest()?;
        Some(Timestamp::from_micros(instant.timestamp_micros()))
    })
}

/// Today runs now, a later date is scheduled, an earlier one is refused.
pub(super) fn resolve_when(
    now: Timestamp,
    tz: chrono_tz::Tz,
    requested: Option<NaiveDate>,
) -> ServiceResult<When> {
    let today = business_today(now, tz);
    let date = requested.unwrap_or(today);
    if date < today {
        return Err(ServiceError::field(
            "EffectiveDate",
            "EffectiveDate must not be in the past",
        ));
    }
    if date == today {
        return Ok(When::Now { date });
    }
    let run_at = start_of(date, tz).ok_or_else(|| {
        ServiceError::field("EffectiveDate", "EffectiveDate must be a valid date")
    })?;
    Ok(When::Scheduled { date, run_at })
}

/// Failures that belong to one item (the number's state, or a network service the action
/// needs being down when it runs) rather than to the run itself.
fn is_item_failure(e: &ServiceError) -> bool {
    !matches!(e, ServiceError::Internal(_) | ServiceError::Unavailable(_))
}

impl Services {
    /// Queues the run of a scheduled order.
    pub(super) async fn enqueue_status_change(
        &self,
        conn: &mut AnyConnection,
        order_id: &str,
        run_at: Timestamp,
    ) -> ServiceResult<()> {
        let payload = serde_json::json!({ "OrderId": order_id });
        let dedupe = format!("{STATUS_CHANGE_JOB}:{order_id}");
        self.enqueue(conn, STATUS_CHANGE_JOB, &payload, run_at, Some(&dedupe))
            .await?;
        Ok(())
    }

    /// The job: each number is checked again and changed, or its item fails; the order ends
    /// `Complete` when one succeeded, else `Error` with the first failure.
    pub(crate) async fn run_status_change(
        &self,
        payload: serde_json::Value,
    ) -> Result<(), JobFailure> {
        let order_id = payload["OrderId"]
            .as_str()
            .ok_or_else(|| JobFailure("status change payload without OrderId".into()))?;
        let mut tx = self.store().begin().await?;
        let Some(mut order) = self.lock_status_order(&mut tx, None, order_id).await? else {
            return Err(JobFailure(format!("order {order_id} does not exist")));
        };
        // Cancelled, or already run by an earlier attempt.
        if order.status != "Scheduled" {
            return Ok(());
        }
        let request = ChangeRequest::of_order(&order)?;
        self.transition_order(&mut tx, &mut order, "Processing", "")
            .await?;
        let (succeeded, first_failure) =
            self.run_scheduled_items(&mut tx, &order, &request).await?;
        let (to, message) = match (succeeded, first_failure) {
            (true, _) | (false, None) => ("Complete", String::new()),
            (false, Some(message)) => ("Error", message),
        };
        self.transition_order(&mut tx, &mut order, to, &message)
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(())
    }

    /// Runs every `Scheduled` item; whether one succeeded, and the first failure.
    async fn run_scheduled_items(
        &self,
        conn: &mut AnyConnection,
        order: &OrderRow,
        request: &ChangeRequest,
    ) -> ServiceResult<(bool, Option<String>)> {
        let mut first_failure: Option<String> = None;
        let mut succeeded = false;
        for mut item in orders::items(conn, &order.id).await? {
            if item.status != "Scheduled" {
                continue;
            }
            match self.run_scheduled_item(conn, order, request, &item).await {
                Ok(outcome) => {
                    succeeded = true;
                    item.status = "Complete".into();
                    item.new_number = outcome.new_number;
                    if request.action == Some(StatusAction::SwapSim) {
                        item.iccid = outcome.iccid;
                    }
                }
                Err(e) if is_item_failure(&e) => {
                    item.status = "Error".into();
                    item.message = e.to_string();
                    first_failure.get_or_insert_with(|| item.message.clone());
                }
                Err(e) => return Err(e),
            }
            orders::put_item(conn, &order.id, &item).await?;
        }
        Ok((succeeded, first_failure))
    }

    /// One item inside a savepoint, so that its failure undoes only its own changes.
    async fn run_scheduled_item(
        &self,
        conn: &mut AnyConnection,
        order: &OrderRow,
        request: &ChangeRequest,
        item: &OrderItemRow,
    ) -> ServiceResult<Outcome> {
        queries::savepoint(conn, "status_item").await?;
        let result = self
            .recheck_scheduled_item(conn, order, request, item)
            .await;
        match &result {
            Ok(_) => queries::release_savepoint(conn, "status_item").await?,
            Err(_) => queries::rollback_to_savepoint(conn, "status_item").await?,
        }
        result
    }

    async fn recheck_scheduled_item(
        &self,
        conn: &mut AnyConnection,
        order: &OrderRow,
        request: &ChangeRequest,
        item: &OrderItemRow,
    ) -> ServiceResult<Outcome> {
        let lock = Some(self.store().backend());
        let id = item.phone_number_id.as_deref().unwrap_or_default();
        let number = mpaas_store::numbers::find_live_by_id(conn, &order.distributor_id, id, lock)
            .await?
            .ok_or_else(|| not_in_inventory(&item.number))?;
        check_change(conn, &number, request.action()?).await?;
        self.check_network_service(conn, request.action()?).await?;
        let iccid = match &item.iccid {
            Some(raw) => Some(
                Iccid::parse(raw).ok_or_else(|| ServiceError::field("ICCID", "Invalid ICCID"))?,
            ),
            None => None,
        };
        self.apply_change(conn, order, request, number, iccid.as_ref())
            .await
    }

    /// An order, locked for the transaction; of the distributor when one is given.
    async fn lock_status_order(
        &self,
        conn: &mut AnyConnection,
        distributor: Option<&DistributorId>,
        id: &str,
    ) -> ServiceResult<Option<OrderRow>> {
        queries::lock_order(conn, id, self.store().backend()).await?;
        Ok(match distributor {
            Some(d) => orders::find(conn, d.as_str(), id).await?,
            None => orders::find_any(conn, id).await?,
        })
    }

    /// `POST /v1.0/numbers/order/cancel`: a `Scheduled` status change will not run.
    pub async fn cancel_order(
        &self,
        distributor: &DistributorId,
        raw: &str,
    ) -> ServiceResult<OrderCancelView> {
        let not_found = || ServiceError::not_found("Order", raw);
        let id = OrderId::parse(raw).ok_or_else(not_found)?;
        let mut tx = self.store().begin().await?;
        let mut order = self
            .lock_status_order(&mut tx, Some(distributor), id.as_str())
            .await?
            .ok_or_else(not_found)?;
        if order.order_type != "StatusChange" || order.status != "Scheduled" {
            return Err(ServiceError::Unprocessable(format!(
                "Order cannot be cancelled in status {}",
                order.status
            )));
        }
        self.transition_order(&mut tx, &mut order, "Cancelled", "")
            .await?;
        queries::set_items_status(&mut tx, &order.id, "Scheduled", "Cancelled").await?;
        mpaas_store::commit(tx).await?;
        Ok(OrderCancelView {
            order_id: order.id,
            order_status: order.status,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rfc3339: &str) -> Timestamp {
        Timestamp::parse_rfc3339(rfc3339).unwrap_or(Timestamp::from_micros(0))
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn today_is_the_business_date() {
        let ny = chrono_tz::America::New_York;
        // 03:30 UTC on March 10 is still March 9 in New York.
        let now = at("2026-03-10T03:30:00Z");
        assert_eq!(business_today(now, ny), date(2026, 3, 9));
        assert_eq!(
            resolve_when(now, ny, None).ok(),
            Some(When::Now {
                date: date(2026, 3, 9)
            })
        );
        assert_eq!(
            resolve_when(now, ny, Some(date(2026, 3, 9))).ok(),
            Some(When::Now {
                date: date(2026, 3, 9)
            })
        );
    }

    #[test]
    fn future_dates_run_at_midnight_in_the_zone() {
        let ny = chrono_tz::America::New_York;
        let now = at("2026-03-10T16:00:00Z");
        let when = resolve_when(now, ny, Some(date(2026, 3, 20))).ok();
        assert_eq!(
            when,
            Some(When::Scheduled {
                date: date(2026, 3, 20),
                run_at: at("2026-03-20T04:00:00Z"),
            }),
            "EDT is UTC-4"
        );
        let winter = resolve_when(now, ny, Some(date(2026, 12, 1))).ok();
        assert_eq!(
            winter,
            Some(When::Scheduled {
                date: date(2026, 12, 1),
                run_at: at("2026-12-01T05:00:00Z"),
            })
        );
    }

    #[test]
    fn past_dates_are_refused() {
        let ny = chrono_tz::America::New_York;
        let now = at("2026-03-10T16:00:00Z");
        let err = resolve_when(now, ny, Some(date(2026, 3, 9))).err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("EffectiveDate must not be in the past")
        );
    }

    #[test]
    fn a_skipped_midnight_starts_the_day_after_the_gap() {
        // Santiago skips 00:00 to 01:00 when its daylight time begins.
        let tz = chrono_tz::America::Santiago;
        let start = start_of(date(2024, 9, 8), tz);
        assert_eq!(start, Some(at("2024-09-08T04:00:00Z")));
    }
}
