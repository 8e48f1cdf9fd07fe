//! Set-up shared by the subscription tests and the subscriber number tests: numbers in the
//! statuses the API can reach, subscriptions, valid ICCIDs, and reads of numbers and SIMs.

#![allow(dead_code)]

use serde_json::{json, Value};

use crate::common::{Resp, TestApp, KEY};

/// Text of a number named by id that the caller does not have.
pub fn number_not_found(id: &str) -> String {
    format!("Phone number with ID '{id}' was not found.")
}

/// Text of a number named by E.164 that the caller does not have.
pub fn not_in_inventory(number: &str) -> String {
    format!("Phone number '{number}' was not found in your inventory.")
}

/// A string field of a JSON object.
#[track_caller]
pub fn text(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no {key} in {v}"))
        .to_string()
}

/// An all-digit 19-character ICCID with a valid Luhn check digit, distinct per `serial`
/// (outside the platform's eSIM prefix).
pub fn iccid(serial: u64) -> String {
    let body = format!("894400{serial:012}");
    let sum: u32 = body
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| match (i % 2 == 0, d * 2) {
            (true, doubled) if doubled > 9 => doubled - 9,
            (true, doubled) => doubled,
            (false, _) => d,
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// Provisions one `Active` number (single form) in `account` on `route`, with `extra` merged
/// into the request; returns the provisioning answer.
pub async fn active_number(app: &TestApp, account: &str, route: &str, extra: Value) -> Value {
    app.provision(account, route, extra).await.ok()
}

/// A `Pending` number of `account`: reserved by the list form of provisioning. The job engine of
/// a test server confirms list-form reservations at once, so once the order has completed the
/// row is put back to `Pending`, the state of a reservation the network has not confirmed yet.
/// Returns its details.
pub async fn pending_number(app: &TestApp, account: &str, route: &str) -> Value {
    let search = json!({"NumberType": "mvno", "TotalNumbersRequested": 1});
    let found = app.call("/v1.0/numbers/availability", search).await.ok();
    let number = text(&found["NumbersAvailable"][0], "Number");
    let request = json!({"PhoneNumbers": [{"Number": number}]});
    let order = app.provision(account, route, request).await.ok();
    assert_eq!(order["OrderStatus"], "Submitted", "{order}");
    wait_for_order(app, &text(&order, "OrderId")).await;
    let details = number_by_phone(app, &number).await;
    force_status(app, &text(&details, "TNID"), "Pending").await;
    let details = number_by_phone(app, &number).await;
    assert_eq!(details["Status"], "Pending", "{details}");
    details
}

/// Waits until an order is `Complete` (its job has committed).
async fn wait_for_order(app: &TestApp, order_id: &str) {
    for _ in 0..200 {
        let order = app
            .fetch(&format!("/v1.0/numbers/order?OrderId={order_id}"))
            .await
            .ok();
        if order["OrderStatus"] == "Complete" {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("order {order_id} did not complete");
}

/// Details of a number of the bootstrap distributor by id.
pub async fn number_by_id(app: &TestApp, tnid: &str) -> Value {
    app.fetch(&format!("/v1.0/numbers?PhoneNumberId={tnid}"))
        .await
        .ok()
}

/// Details of a number of the bootstrap distributor by E.164.
pub async fn number_by_phone(app: &TestApp, number: &str) -> Value {
    let encoded = number.replace('+', "%2B");
    app.fetch(&format!("/v1.0/numbers?PhoneNumber={encoded}"))
        .await
        .ok()
}

/// Puts a number in a status the API of this version cannot reach by itself (`Parked`,
/// `Cancelled` with its reactivation window, or back to `Pending`), straight in the store.
pub async fn force_status(app: &TestApp, tnid: &str, status: &str) {
    const THIRTY_DAYS_MICROS: i64 = 30 * 86_400 * 1_000_000;
    let services = &app.server().services;
    let now = services.clock().now().micros();
    let cancelled = (status == "Cancelled").then_some(now);
    let mut tx = services.store().begin().await.expect("transaction");
    sqlx::query(
        "UPDATE phone_numbers SET status = $1, cancelled_on = $2, reactivatable_until = $3 \
         WHERE id = $4",
    )
    .bind(status)
    .bind(cancelled)
    .bind(cancelled.map(|t| t + THIRTY_DAYS_MICROS))
    .bind(tnid)
    .execute(&mut *tx)
    .await
    .expect("status set");
    mpaas_store::commit(tx).await.expect("commit");
}

/// Owner account of a SIM as stored (`None` for distributor-wide stock).
pub async fn sim_account(app: &TestApp, iccid: &str) -> Option<String> {
    let mut conn = app
        .server()
        .services
        .store()
        .reader()
        .await
        .expect("reader");
    sqlx::query_scalar::<_, Option<String>>("SELECT account_id FROM sims WHERE iccid = $1")
        .bind(iccid)
        .fetch_one(&mut *conn)
        .await
        .expect("sim row")
}

/// `POST /v1.0/subscriptions` as the bootstrap distributor.
pub async fn subscribe(app: &TestApp, body: Value) -> Resp {
    app.call("/v1.0/subscriptions", body).await
}

/// `POST /v1.0/subscriptions/delete` as the bootstrap distributor.
pub async fn cancel(app: &TestApp, subscription_id: &str) -> Resp {
    let body = json!({ "SubscriptionId": subscription_id });
    app.call("/v1.0/subscriptions/delete", body).await
}

/// Events of one type of the bootstrap distributor, oldest first.
pub async fn events_of(app: &TestApp, event_type: &str) -> Vec<(String, String, Value)> {
    app.events(KEY)
        .await
        .into_iter()
        .filter(|(t, _, _)| t == event_type)
        .collect()
}

/// `number.updated` events of one number.
pub async fn number_updates(app: &TestApp, tnid: &str) -> Vec<Value> {
    events_of(app, "number.updated")
        .await
        .into_iter()
        .filter(|(_, id, _)| id == tnid)
        .map(|(_, _, data)| data)
        .collect()
}
