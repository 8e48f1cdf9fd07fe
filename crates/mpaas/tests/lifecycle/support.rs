//! What the lifecycle tests share: a server with a frozen clock, numbers to act on, the calls
//! they make and reads of the store and the event log.

use mpaas::Config;
use serde_json::{json, Value};

use crate::common::{Resp, TestApp, ADMIN_TOKEN, KEY};

/// The platform clock starts here: 12:00 on 03/10/2026 in New York (EDT, UTC-4).
pub const START: &str = "2026-03-10T16:00:00Z";
/// Seconds in a day.
pub const DAY: i64 = 86_400;
/// Path of the status change endpoint.
pub const STATUS: &str = "/v1.0/numbers/status";
/// Path of the reactivation endpoint.
pub const REACTIVATE: &str = "/v1.0/numbers/reactivate";
/// Path of the order cancellation endpoint.
pub const ORDER_CANCEL: &str = "/v1.0/numbers/order/cancel";

/// A server whose clock is frozen at [`START`].
pub async fn start() -> TestApp {
    start_with(|_| {}).await
}

/// A server whose clock is frozen at [`START`], after `adjust`.
pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    TestApp::start_with(|c| {
        c.clock_start = Some(START.into());
        adjust(c);
    })
    .await
}

/// A provisioned number and where it lives.
#[derive(Clone, Debug)]
pub struct Line {
    pub account: String,
    pub route: String,
    pub number: String,
    pub id: String,
    pub iccid: Option<String>,
    pub qr_code: Option<String>,
    pub zip: String,
}

impl Line {
    pub fn of(account: &str, route: &str, answer: &Value) -> Self {
        let text = |key: &str| answer[key].as_str().map(str::to_string);
        Self {
            account: account.to_string(),
            route: route.to_string(),
            number: text("PhoneNumberAssigned").expect("PhoneNumberAssigned"),
            id: text("PhoneNumberId").expect("PhoneNumberId"),
            iccid: text("ICCID"),
            qr_code: text("QRCode"),
            zip: text("ZipCode").unwrap_or_default(),
        }
    }
}

/// A new account with a message route and one number provisioned in area 201 (`extra` merged
/// into the provisioning body).
pub async fn line(app: &TestApp, extra: Value) -> Line {
    let account = app.new_account("Doe Family").await;
    let route = app.new_message_route(&account).await;
    another_line(app, &account, &route, extra).await
}

/// One more number in the same account.
pub async fn another_line(app: &TestApp, account: &str, route: &str, extra: Value) -> Line {
    let mut body = json!({"AreaCode": "201"});
    if let (Some(b), Value::Object(e)) = (body.as_object_mut(), extra) {
        b.extend(e);
    }
    let answer = app.provision(account, route, body).await.ok();
    Line::of(account, route, &answer)
}

/// `{"StatusChange": action, "PhoneNumbers": [{"Number"}…]}` plus `extra`.
pub fn change(action: &str, numbers: &[&str], extra: Value) -> Value {
    let list: Vec<Value> = numbers.iter().map(|n| json!({ "Number": n })).collect();
    let mut body = json!({"StatusChange": action, "PhoneNumbers": list});
    if let (Some(b), Value::Object(e)) = (body.as_object_mut(), extra) {
        b.extend(e);
    }
    body
}

/// `POST /v1.0/numbers/status`.
pub async fn status(app: &TestApp, body: Value) -> Resp {
    app.call(STATUS, body).await
}

/// `POST /v1.0/numbers/reactivate`.
pub async fn reactivate(app: &TestApp, body: Value) -> Resp {
    app.call(REACTIVATE, body).await
}

/// `GET /v1.0/numbers?PhoneNumber=`.
pub async fn details(app: &TestApp, number: &str) -> Resp {
    let number = number.replace('+', "%2B");
    app.fetch(&format!("/v1.0/numbers?PhoneNumber={number}"))
        .await
}

/// `GET /v1.0/numbers/order?OrderId=`, asserted 200.
pub async fn order(app: &TestApp, id: &str) -> Value {
    app.fetch(&format!("/v1.0/numbers/order?OrderId={id}"))
        .await
        .ok()
}

/// `POST /v1.0/numbers/order/cancel`.
pub async fn cancel_order(app: &TestApp, id: &str) -> Resp {
    app.call(ORDER_CANCEL, json!({ "OrderId": id })).await
}

/// N404 of 05.
pub fn not_in_inventory(number: &str) -> String {
    format!("Phone number '{number}' was not found in your inventory.")
}

/// Status of a SIM, read from the store.
pub async fn sim_status(app: &TestApp, iccid: &str) -> String {
    let mut conn = app
        .server()
        .services
        .store()
        .reader()
        .await
        .expect("reader");
    mpaas_store::sims::find(&mut conn, iccid, None)
        .await
        .expect("sim read")
        .map(|sim| sim.status)
        .unwrap_or_default()
}

/// `(ResourceId, Data)` of the bootstrap distributor's events of one type, oldest first.
pub async fn events_of(app: &TestApp, event_type: &str) -> Vec<(String, Value)> {
    app.events(KEY)
        .await
        .into_iter()
        .filter(|(t, _, _)| t == event_type)
        .map(|(_, resource, data)| (resource, data))
        .collect()
}

/// A subscriber assigned to `line` with an active subscription on it; returns the
/// subscription id.
pub async fn subscribe(app: &TestApp, line: &Line) -> String {
    let email = format!("{}@example.com", uuid::Uuid::new_v4().simple());
    let subscriber = app.new_subscriber(&line.account, &email).await;
    let package = app.new_package("19.99").await;
    let body =
        json!({"SubscriberId": subscriber["SubscriberId"], "TNID": line.id, "PackageId": package});
    let created = app.call("/v1.0/subscriptions", body).await.ok();
    created["SubscriptionId"]
        .as_str()
        .expect("SubscriptionId")
        .to_string()
}

/// `GET /v1.0/subscriptions?SubscriptionId=`, asserted 200.
pub async fn subscription(app: &TestApp, id: &str) -> Value {
    app.fetch(&format!("/v1.0/subscriptions?SubscriptionId={id}"))
        .await
        .ok()
}

/// The sandbox pool of an area code and ZIP.
pub async fn pool(app: &TestApp, area: &str, zip: &str) -> Value {
    let path = format!("/sandbox/v1/inventory/pools?AreaCode={area}&ZipCode={zip}");
    let pools = app.get(&path, ADMIN_TOKEN).await.ok();
    pools["Results"][0].clone()
}

/// A valid ICCID nobody registered: `89012403971` + `serial` + its Luhn digit.
pub fn fresh_iccid(serial: u32) -> String {
    let body = format!("89012403971{serial:07}");
    mpaas_core::Iccid::with_luhn(&body)
        .expect("valid ICCID body")
        .as_str()
        .to_string()
}

/// Today's business date as answered.
pub const TODAY: &str = "2026-03-10T00:00:00";
