//! What the number-update and SIM tests share: ICCIDs, the calls they make, a provisioned
//! line, lifecycle states set behind the API's back (the status-change endpoints belong to
//! another section), reads of the event log and a second distributor.

use mpaas_core::Iccid;
use reqwest::Method;
use serde_json::{json, Value};

use crate::common::{Resp, TestApp, KEY};

pub const UPDATE: &str = "/v1.0/numbers/update";
pub const CLEAR: &str = "/v1.0/sims/clear-status";
pub const SET_STATUS: &str = "/v1.0/sims/update-status";
pub const IMPORT: &str = "/v1.0/sims/import";
pub const IN_USE: &str = "ICCID already in use";
pub const RETIRED: &str = "SIM is retired";
pub const BOUND: &str = "SIM is bound to an active number";

/// Keys of the update answer.
pub const UPDATE_KEYS: [&str; 17] = [
    "AssignedSubscriberId",
    "Classification",
    "Cnam",
    "DataEnabled",
    "Iccid",
    "MessageEnabled",
    "MessageRouteId",
    "MessageType",
    "Number",
    "ProductType",
    "QRCode",
    "Tnid",
    "UpdateOrderDate",
    "UpdateOrderId",
    "UpdateOrderStatus",
    "VoiceEnabled",
    "VoiceRouteId",
];

/// Keys of the SIM details.
pub const SIM_KEYS: [&str; 10] = [
    "AccountId",
    "ActivationCode",
    "CreatedOn",
    "ICCID",
    "PhoneNumber",
    "PhoneNumberId",
    "QRCode",
    "Status",
    "Type",
    "UpdatedOn",
];

/// A valid 19-digit ICCID (Luhn digit included) outside the platform eSIM range.
pub fn iccid(n: u64) -> String {
    Iccid::with_luhn(&format!("8901240{n:011}"))
        .expect("valid ICCID body")
        .to_string()
}

/// The sorted property names of an object.
pub fn keys_of(v: &Value) -> Vec<String> {
    let mut keys: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    keys.sort_unstable();
    keys
}

pub fn text(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {v}"))
        .to_string()
}

/// N404.
pub fn not_in_inventory(number: &str) -> String {
    format!("Phone number '{number}' was not found in your inventory.")
}

pub fn sim_not_found(iccid: &str) -> String {
    format!("SIM with ICCID '{iccid}' was not found.")
}

/// A 400 whose `Detail` is `message` and whose `Errors` holds it under `field`.
#[track_caller]
pub fn assert_invalid(resp: &Resp, field: &str, message: &str) {
    resp.assert_problem(400, message);
    resp.assert_field_error(field, message);
}

/// An account with a message route and a voice route.
pub struct Line {
    pub account: String,
    pub message_route: String,
    pub voice_route: String,
}

impl Line {
    pub async fn new(app: &TestApp, name: &str) -> Self {
        let account = app.new_account(name).await;
        let message_route = app.new_message_route(&account).await;
        let voice_route = app.new_voice_route(&account).await;
        Self {
            account,
            message_route,
            voice_route,
        }
    }

    /// Provisions one number (`Sms+Data` with an eSIM unless `extra` says otherwise).
    pub async fn number(&self, app: &TestApp, extra: Value) -> Value {
        app.provision(&self.account, &self.message_route, extra)
            .await
            .ok()
    }
}

pub async fn update(app: &TestApp, body: Value) -> Resp {
    app.call(UPDATE, body).await
}

pub async fn clear(app: &TestApp, iccid: &str) -> Resp {
    app.call(CLEAR, json!({ "ICCID": iccid })).await
}

pub async fn set_status(app: &TestApp, iccid: &str, status: &str) -> Resp {
    app.call(SET_STATUS, json!({ "ICCID": iccid, "Status": status }))
        .await
}

pub async fn import(app: &TestApp, body: Value) -> Resp {
    app.call(IMPORT, body).await
}

pub async fn sim(app: &TestApp, iccid: &str) -> Resp {
    app.fetch(&format!("/v1.0/sims?ICCID={iccid}")).await
}

pub async fn number_details(app: &TestApp, number: &str) -> Value {
    app.fetch(&format!(
        "/v1.0/numbers?PhoneNumber={}",
        number.replace('+', "%2B")
    ))
    .await
    .ok()
}

/// `GET` of a QR image URL (no authentication), by its path.
pub async fn qr(app: &TestApp, url: &str) -> Resp {
    let path = &url[url.find("/esim/qr/").expect("QR path")..];
    app.request(Method::GET, path, None, None).await
}

/// Moves a number and its SIM to the given statuses behind the API's back.
pub async fn force_status(app: &TestApp, number_id: &str, number: &str, sim: Option<(&str, &str)>) {
    let mut tx = app.server().services.store().begin().await.expect("begin");
    sqlx::query(
        "UPDATE phone_numbers SET status = $1, cancelled_on = 1, reactivatable_until = 4102444800000000 \
         WHERE id = $2",
    )
    .bind(number)
    .bind(number_id)
    .execute(&mut *tx)
    .await
    .expect("number status");
    if let Some((iccid, status)) = sim {
        sqlx::query("UPDATE sims SET status = $1 WHERE iccid = $2")
            .bind(status)
            .bind(iccid)
            .execute(&mut *tx)
            .await
            .expect("SIM status");
    }
    tx.commit().await.expect("commit");
}

/// A `PortOut` order of the number in `status`, behind the API's back (port-out belongs to
/// another section).
pub async fn port_out(app: &TestApp, account: &str, number_id: &str, number: &str, status: &str) {
    let order = format!("JNUOID-{}", uuid::Uuid::now_v7());
    let mut tx = app.server().services.store().begin().await.expect("begin");
    sqlx::query(
        "INSERT INTO orders (id, distributor_id, account_id, order_type, status, created_on, updated_on) \
         VALUES ($1, $2, $3, 'PortOut', $4, 0, 0)",
    )
    .bind(&order)
    .bind(KEY)
    .bind(account)
    .bind(status)
    .execute(&mut *tx)
    .await
    .expect("port-out order");
    sqlx::query(
        "INSERT INTO order_items (order_id, position, number, status, phone_number_id) \
         VALUES ($1, 0, $2, $3, $4)",
    )
    .bind(&order)
    .bind(number)
    .bind(status)
    .bind(number_id)
    .execute(&mut *tx)
    .await
    .expect("port-out item");
    tx.commit().await.expect("commit");
}

/// Events of one type of the bootstrap distributor: (resource id, data), oldest first.
pub async fn events_of(app: &TestApp, event_type: &str) -> Vec<(String, Value)> {
    app.events(KEY)
        .await
        .into_iter()
        .filter(|(t, _, _)| t == event_type)
        .map(|(_, r, d)| (r, d))
        .collect()
}

/// A second distributor: `(key, secret)`.
pub struct Other {
    pub key: String,
    pub secret: String,
}

impl Other {
    pub async fn new(app: &TestApp) -> Self {
        let (key, secret) = app.new_distributor("Other Mobile").await;
        Self { key, secret }
    }

    pub async fn post(&self, app: &TestApp, path: &str, body: Value) -> Resp {
        let token = app.token_for(&self.key, &self.secret, path).await;
        app.post(path, &token, body).await
    }

    pub async fn get(&self, app: &TestApp, path_and_query: &str) -> Resp {
        let path = path_and_query.split('?').next().unwrap_or_default();
        let token = app.token_for(&self.key, &self.secret, path).await;
        app.get(path_and_query, &token).await
    }

    /// Creates an account of this distributor; returns its id.
    pub async fn account(&self, app: &TestApp) -> String {
        let body = json!({"AccountName": "Theirs", "AccountAdmin": "t@example.com"});
        let account = self.post(app, "/v1.0/account/create", body).await.ok();
        text(&account, "AccountId")
    }
}
