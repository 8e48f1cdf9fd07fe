//! Helpers shared by the convention tests: the paths they call, request bodies, raw requests and
//! the problem-shape check.

use serde_json::{json, Value};

use crate::common::{Resp, TestApp};

pub const ACCOUNT_CREATE: &str = "/v1.0/account/create";
pub const ACCOUNTS: &str = "/v1.0/distributor/accounts";
pub const VALIDATION_TITLE: &str = "One or more validation errors occurred.";

pub fn account_body(name: &str) -> Value {
    json!({"AccountName": name, "AccountAdmin": format!("admin.{}@example.com", uuid::Uuid::new_v4().simple())})
}

/// A `POST` with a raw body and explicit headers.
pub fn raw_post(
    app: &TestApp,
    path: &str,
    token: &str,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> reqwest::RequestBuilder {
    let mut req = app
        .client
        .post(format!("{}{path}", app.base))
        .bearer_auth(token)
        .body(body);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    req
}

pub async fn total_accounts(app: &TestApp) -> i64 {
    app.fetch(ACCOUNTS).await.ok()["TotalAccounts"]
        .as_i64()
        .expect("TotalAccounts")
}

/// Asserts the generic problem shape: `Type` and `Title` by status, `TraceId` = `X-Request-Id`.
#[track_caller]
pub fn assert_problem_shape(resp: &Resp, status: u16, rfc_type: &str, title: &str) {
    assert_eq!(resp.status.as_u16(), status, "{}", resp.text);
    assert_eq!(
        resp.header("content-type"),
        Some("application/problem+json"),
        "{}",
        resp.text
    );
    assert_eq!(resp.body["Type"], rfc_type, "{}", resp.text);
    assert_eq!(resp.body["Title"], title, "{}", resp.text);
    assert_eq!(resp.body["Status"], json!(status), "{}", resp.text);
    assert!(
        resp.body["Detail"].as_str().is_some_and(|d| !d.is_empty()),
        "{}",
        resp.text
    );
    let request_id = resp
        .header("x-request-id")
        .expect("X-Request-Id on every response");
    assert_eq!(resp.body["TraceId"], request_id, "{}", resp.text);
}
