//! Helpers shared by the admin API tests: addresses, the distributor object, the calls they make
//! and events.

use serde_json::{json, Value};

use crate::common::{Resp, TestApp, ADMIN_TOKEN};

pub const DISTRIBUTOR_KEYS: [&str; 9] = [
    "AccountKey",
    "BillingAddress",
    "CreatedOn",
    "DistributorId",
    "DistributorName",
    "MailingAddress",
    "RateLimitPerMinute",
    "Secret",
    "TotalAccounts",
];
pub const RANGE: &str = "RateLimitPerMinute must be between 0 and 1000000";

pub fn empty_address() -> Value {
    json!({"Street1": null, "Street2": null, "City": null, "State": null, "Zip": null, "Country": null})
}

pub fn billing() -> Value {
    json!({"Street1": "100 Main St", "Street2": "Suite 200", "City": "Lehi", "State": "UT", "Zip": "84043", "Country": "USA"})
}

#[track_caller]
pub fn keys(v: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

/// The distributor object as answered everywhere but create and rotation.
pub fn without_secret(created: &Value) -> Value {
    let mut v = created.clone();
    v.as_object_mut().unwrap().remove("Secret");
    v
}

pub async fn create(app: &TestApp, body: Value) -> Resp {
    app.admin_post("/admin/v1/distributors", body).await
}

pub async fn get(app: &TestApp, path: &str) -> Resp {
    app.get(path, ADMIN_TOKEN).await
}

pub async fn set_limit(app: &TestApp, id: &str, body: Value) -> Resp {
    app.admin_post(&format!("/admin/v1/distributors/{id}/rate-limit"), body)
        .await
}

pub async fn distributor(app: &TestApp, id: &str) -> Resp {
    get(app, &format!("/admin/v1/distributors/{id}")).await
}

/// `/v1.0/distributor/update` called with the admin token.
pub async fn update(app: &TestApp, body: Value) -> Resp {
    app.post("/v1.0/distributor/update", ADMIN_TOKEN, body)
        .await
}

/// The events of `distributor` of one type, in order.
pub async fn events_of(
    app: &TestApp,
    distributor: &str,
    event_type: &str,
) -> Vec<(String, String, Value)> {
    app.events(distributor)
        .await
        .into_iter()
        .filter(|(t, _, _)| t == event_type)
        .collect()
}

/// A 400 whose `Detail` and field error for `field` are both `message`.
#[track_caller]
pub fn assert_invalid(resp: &Resp, field: &str, message: &str) {
    resp.assert_problem(400, message);
    resp.assert_field_error(field, message);
}
