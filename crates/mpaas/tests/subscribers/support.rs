//! Helpers shared by the subscriber tests: request bodies, the calls they make, shape and
//! password checks, and reads of the store and the event log.

use serde_json::{json, Value};

use crate::common::{Resp, TestApp, KEY};

pub const ROLE_MESSAGE: &str = "Invalid Role. Must be one of: Subscriber, Manager, Account Admin.";
pub const PASSWORD_MESSAGE: &str = "Password must be between 8 and 128 characters";
pub const NOT_IN_ACCOUNT: &str = "Phone number does not belong to account";
pub const SUBSCRIBER_KEYS: [&str; 8] = [
    "Account",
    "CreatedOn",
    "Email",
    "Name",
    "PhoneNumbers",
    "Role",
    "SubscriberId",
    "Subscriptions",
];

pub fn sid(subscriber: &Value) -> String {
    subscriber["SubscriberId"]
        .as_str()
        .expect("SubscriberId")
        .to_string()
}

/// The same subscriber id with the `SID-` alias prefix.
pub fn sid_alias(id: &str) -> String {
    id.replacen("TSUID-", "SID-", 1)
}

pub fn body(account: &str, email: &str) -> Value {
    json!({"Name": "Jane Doe", "Email": email, "Password": "Temp-Passw0rd!", "AccountId": account})
}

pub fn not_found(id: &str) -> String {
    format!("Subscriber with ID '{id}' was not found.")
}

#[track_caller]
pub fn assert_no_password(v: &Value) {
    match v {
        Value::Object(map) => {
            for (k, inner) in map {
                assert!(
                    !k.to_lowercase().contains("password"),
                    "password key {k:?} in {v}"
                );
                assert_no_password(inner);
            }
        }
        Value::Array(items) => items.iter().for_each(assert_no_password),
        _ => {}
    }
}

#[track_caller]
pub fn assert_subscriber_shape(s: &Value) {
    let mut keys: Vec<&str> = s
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, SUBSCRIBER_KEYS, "properties of {s}");
    assert_no_password(s);
}

pub fn ids_of(page: &Value) -> Vec<String> {
    page["Results"]
        .as_array()
        .expect("Results")
        .iter()
        .map(sid)
        .collect()
}

pub async fn get(app: &TestApp, query: &str) -> Resp {
    app.fetch(&format!("/v1.0/subscribers/get?{query}")).await
}

pub async fn password_hash(app: &TestApp, id: &str) -> String {
    let mut conn = app
        .server()
        .services
        .store()
        .reader()
        .await
        .expect("reader");
    sqlx::query_scalar::<_, String>("SELECT password_hash FROM subscribers WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .expect("subscriber row")
}

pub async fn event_account(app: &TestApp, event_type: &str) -> Option<String> {
    let mut conn = app
        .server()
        .services
        .store()
        .reader()
        .await
        .expect("reader");
    sqlx::query_scalar::<_, Option<String>>("SELECT account_id FROM events WHERE type = $1")
        .bind(event_type)
        .fetch_one(&mut *conn)
        .await
        .expect("event row")
}

pub async fn events_of(app: &TestApp, event_type: &str) -> Vec<(String, String, Value)> {
    app.events(KEY)
        .await
        .into_iter()
        .filter(|(t, _, _)| t == event_type)
        .collect()
}

pub async fn create(app: &TestApp, body: Value) -> Resp {
    app.call("/v1.0/subscribers/create", body).await
}

pub async fn update(app: &TestApp, body: Value) -> Resp {
    app.call("/v1.0/subscribers/update", body).await
}

pub async fn transfer(app: &TestApp, body: Value) -> Resp {
    app.call("/v1.0/subscribers/transfer", body).await
}

pub async fn delete(app: &TestApp, body: Value) -> Resp {
    app.call("/v1.0/subscribers/delete", body).await
}

/// A second distributor, "Other Mobile", with one account of its own: its key, its secret and
/// the account object.
pub async fn foreign_account(app: &TestApp) -> (String, String, Value) {
    let (key, secret) = app.new_distributor("Other Mobile").await;
    let token = app.token_for(&key, &secret, "/v1.0/account/create").await;
    let body = json!({"AccountName": "Theirs", "AccountAdmin": "t@example.com"});
    let account = app.post("/v1.0/account/create", &token, body).await.ok();
    (key, secret, account)
}

/// A 400 whose `Detail` and field error for `field` are both `message`.
#[track_caller]
pub fn assert_invalid(resp: &Resp, field: &str, message: &str) {
    resp.assert_problem(400, message);
    resp.assert_field_error(field, message);
}
