//! Helpers shared by the account tests: addresses, the calls they make, list pages and events.

use serde_json::{json, Value};

use crate::common::{Resp, TestApp, KEY};

pub const ADDRESS_KEYS: [&str; 6] = ["Street1", "Street2", "City", "State", "Zip", "Country"];

pub fn empty_address() -> Value {
    json!({"Street1": null, "Street2": null, "City": null, "State": null, "Zip": null, "Country": null})
}

pub fn billing() -> Value {
    json!({"Street1": "2701 N Thanksgiving Way", "Street2": "Apt 4", "City": "Lehi", "State": "UT", "Zip": "84043", "Country": "USA"})
}

#[track_caller]
pub fn assert_six_keys(address: &Value) {
    let map = address
        .as_object()
        .unwrap_or_else(|| panic!("address is not an object: {address}"));
    let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut expected = ADDRESS_KEYS.to_vec();
    expected.sort_unstable();
    assert_eq!(keys, expected, "address keys of {address}");
}

pub async fn create(app: &TestApp, body: Value) -> Value {
    app.call("/v1.0/account/create", body).await.ok()
}

pub fn id(v: &Value) -> String {
    v["AccountId"].as_str().expect("AccountId").to_string()
}

/// The bootstrap distributor's account events (its own `distributor.created` left out).
pub async fn account_events(app: &TestApp) -> Vec<(String, String, Value)> {
    app.events(KEY)
        .await
        .into_iter()
        .filter(|(t, _, _)| t.starts_with("account."))
        .collect()
}

#[track_caller]
pub fn assert_account_id_error(resp: &Resp, message: &str) {
    assert_invalid(resp, "AccountId", message);
}

pub async fn list_page(app: &TestApp, query: &str) -> Value {
    app.fetch(&format!("/v1.0/distributor/accounts?{query}"))
        .await
        .ok()
}

pub fn page_ids(page: &Value) -> Vec<String> {
    page["Results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["AccountId"].as_str().unwrap().to_string())
        .collect()
}

pub async fn total_subscribers(app: &TestApp, account: &str) -> Value {
    get_account(app, account).await.ok()["TotalSubscribers"].clone()
}

pub async fn update(app: &TestApp, body: Value) -> Resp {
    app.call("/v1.0/account/update", body).await
}

pub async fn get_account(app: &TestApp, account: &str) -> Resp {
    app.fetch(&format!("/v1.0/account?AccountId={account}"))
        .await
}

/// A 400 whose `Detail` and field error for `field` are both `message`.
#[track_caller]
pub fn assert_invalid(resp: &Resp, field: &str, message: &str) {
    resp.assert_problem(400, message);
    resp.assert_field_error(field, message);
}
