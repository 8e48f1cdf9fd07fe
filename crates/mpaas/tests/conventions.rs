//! Conventions that hold for every endpoint (README): tolerant paths, query keys and bodies,
//! request ids and the problem shape, 404/405 before authentication, 413/415, paging errors, the
//! 501 list, idempotency keys, rate limits, and a randomised garbage-body sweep over every POST.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{Resp, TestApp, ADMIN_TOKEN, KEY, SECRET};
use mpaas_service::idempotency::{IdempotencyClaim, IdempotencyKey};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::{json, Value};

const ACCOUNT_CREATE: &str = "/v1.0/account/create";
const ACCOUNTS: &str = "/v1.0/distributor/accounts";
const VALIDATION_TITLE: &str = "One or more validation errors occurred.";

/// The complete "Not in this version" list of `01-auth-tenancy.md`.
const NOT_IMPLEMENTED: [(&str, &str); 23] = [
    ("GET", "/v1.0/account/services"),
    ("GET", "/v1.0/account/workgroups"),
    ("GET", "/v1.0/account/schedules"),
    ("POST", "/v1.0/services"),
    ("GET", "/v1.0/services"),
    ("POST", "/v1.0/services/update"),
    ("GET", "/v1.0/services/items"),
    ("POST", "/v1.0/services/items/add"),
    ("POST", "/v1.0/services/items/update"),
    ("POST", "/v1.0/subscriptions/features/add"),
    ("POST", "/v1.0/subscriptions/features/update"),
    ("POST", "/v1.0/numbers/voicemail/activate"),
    ("POST", "/v1.0/numbers/voicemail/info"),
    ("POST", "/v1.0/numbers/voicemail/update"),
    ("POST", "/v1.0/workgroups"),
    ("GET", "/v1.0/workgroups"),
    ("POST", "/v1.0/workgroups/update"),
    ("POST", "/v1.0/workgroups/activity"),
    ("POST", "/v1.0/workgroups/activity/update"),
    ("POST", "/v1.0/workgroups/activity/delete"),
    ("POST", "/v1.0/schedules"),
    ("POST", "/v1.0/numbers/cancel"),
    ("POST", "/v1.0/numbers/cancel-portin"),
];

fn account_body(name: &str) -> Value {
    json!({"AccountName": name, "AccountAdmin": format!("admin.{}@example.com", uuid::Uuid::new_v4().simple())})
}

/// A `POST` with a raw body and explicit headers.
fn raw_post(
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

async fn total_accounts(app: &TestApp) -> i64 {
    app.fetch(ACCOUNTS).await.ok()["TotalAccounts"]
        .as_i64()
        .expect("TotalAccounts")
}

/// Asserts the generic problem shape: `Type` and `Title` by status, `TraceId` = `X-Request-Id`.
#[track_caller]
fn assert_problem_shape(resp: &Resp, status: u16, rfc_type: &str, title: &str) {
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

// ---------------------------------------------------------------------------------------------
// Paths, query keys and bodies.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn paths_are_case_insensitive_and_tolerate_slashes() {
    let app = TestApp::start().await;
    let token = app.token(ACCOUNT_CREATE).await;
    for path in [
        "/V1.0/Account/Create",
        "/v1.0/ACCOUNT/CREATE",
        "/v1.0/account/create/",
        "/v1.0//account//create",
        "/V1.0//Account/Create//",
    ] {
        let resp = app.post(path, &token, account_body(path)).await;
        assert_eq!(resp.status, 200, "{path}: {}", resp.text);
        assert_eq!(resp.body["AccountName"], path);
    }
    assert_eq!(total_accounts(&app).await, 5);
    // The query survives normalisation.
    let list_token = app.token(ACCOUNTS).await;
    let page = app
        .get("/V1.0/Distributor/Accounts/?PageSize=2", &list_token)
        .await
        .ok();
    assert_eq!(page["PageSize"], 2);
    assert_eq!(page["Results"].as_array().unwrap().len(), 2);
    // A token minted for a differently cased path is the same scope.
    let odd = app.token("/V1.0/Distributor/ACCOUNTS/").await;
    assert_eq!(app.get(ACCOUNTS, &odd).await.status, 200);
    app.stop().await;
}

#[tokio::test]
async fn query_keys_are_case_insensitive() {
    let app = TestApp::start().await;
    let first = app.new_account("First").await;
    let second = app.new_account("Second").await;
    // With two accounts AccountId is required, so the key must have been read.
    let resp = app.fetch("/v1.0/account").await;
    resp.assert_problem(400, "AccountId is required");
    for key in ["AccountId", "accountid", "ACCOUNTID", "accountId"] {
        let one = app
            .fetch(&format!("/v1.0/account?{key}={second}"))
            .await
            .ok();
        assert_eq!(one["AccountId"], second.as_str(), "{key}");
    }
    // Ids themselves are compared case-insensitively.
    let one = app
        .fetch(&format!("/v1.0/account?AccountID={}", first.to_lowercase()))
        .await
        .ok();
    assert_eq!(one["AccountId"], first.as_str());
    for query in [
        "PAGESIZE=1",
        "pagesize=1",
        "TotalPerPage=1",
        "TOTALPERPAGE=1",
        "totalperpage=1",
    ] {
        let page = app.fetch(&format!("{ACCOUNTS}?{query}")).await.ok();
        assert_eq!(page["PageSize"], 1, "{query}");
        assert_eq!(page["TotalAccounts"], 2, "{query}");
        assert_eq!(page["Results"].as_array().unwrap().len(), 1, "{query}");
        assert_eq!(page["Results"][0]["AccountId"], first.as_str(), "{query}");
    }
    let page = app
        .fetch(&format!("{ACCOUNTS}?pagenumber=2&PAGESIZE=1"))
        .await
        .ok();
    assert_eq!(page["PageNumber"], 2);
    assert_eq!(page["Results"][0]["AccountId"], second.as_str());
    app.stop().await;
}

#[tokio::test]
async fn body_properties_match_any_case_and_unknown_ones_are_ignored() {
    let app = TestApp::start().await;
    let body = json!({
        "accountname": "Lower Case",
        "ACCOUNTADMIN": "Lower.Case@Example.com",
        "billingaddress": {"street1": "1 Main St", "CITY": "Lehi", "Zip": "84043"},
        "SomethingElse": {"Nested": [1, 2, {"x": null}]},
        "Extra": 42
    });
    let created = app.call(ACCOUNT_CREATE, body).await.ok();
    assert_eq!(created["AccountName"], "Lower Case");
    assert!(
        created["AccountAdmin"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case("lower.case@example.com"),
        "{created}"
    );
    assert_eq!(created["BillingAddress"]["Street1"], "1 Main St");
    assert_eq!(created["BillingAddress"]["City"], "Lehi");
    assert_eq!(created["BillingAddress"]["Zip"], "84043");
    assert!(
        created.get("SomethingElse").is_none() && created.get("Extra").is_none(),
        "{created}"
    );
    let id = created["AccountId"].as_str().unwrap();
    let updated = app
        .call(
            "/v1.0/account/update",
            json!({"ACCOUNTID": id, "aCcOuNtNaMe": "Renamed"}),
        )
        .await
        .ok();
    assert_eq!(updated["AccountName"], "Renamed");
    app.stop().await;
}

#[tokio::test]
async fn null_equals_absent_for_optional_fields() {
    let app = TestApp::start().await;
    let mut body = account_body("Nulls");
    body["BillingAddress"] = Value::Null;
    body["MailingAddress"] = Value::Null;
    let created = app.call(ACCOUNT_CREATE, body).await.ok();
    for key in ["Street1", "Street2", "City", "State", "Zip", "Country"] {
        assert_eq!(created["BillingAddress"][key], Value::Null, "{created}");
        assert_eq!(created["MailingAddress"][key], Value::Null, "{created}");
    }
    let id = created["AccountId"].as_str().unwrap();
    let updated = app
        .call("/v1.0/account/update", json!({"AccountId": id, "AccountName": null, "AccountAdmin": null, "BillingAddress": null}))
        .await
        .ok();
    assert_eq!(updated["AccountName"], "Nulls");
    assert_eq!(updated["AccountAdmin"], created["AccountAdmin"]);
    // Required fields: null is "missing".
    let resp = app
        .call(
            ACCOUNT_CREATE,
            json!({"AccountName": null, "AccountAdmin": "a@example.com"}),
        )
        .await;
    resp.assert_field_error("AccountName", "AccountName is required");
    app.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Request ids and the problem shape.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn every_response_carries_a_request_id_equal_to_trace_id() {
    let app = TestApp::start().await;
    let token = app.token(ACCOUNT_CREATE).await;
    let ok = app.post(ACCOUNT_CREATE, &token, account_body("Ok")).await;
    let bad = app.post(ACCOUNT_CREATE, &token, json!({})).await;
    let unknown = app
        .request(Method::GET, "/v1.0/no/such/endpoint", None, None)
        .await;
    let wrong_method = app.request(Method::GET, ACCOUNT_CREATE, None, None).await;
    let unauthenticated = app
        .request(Method::POST, ACCOUNT_CREATE, None, Some(&json!({})))
        .await;
    let health = app.request(Method::GET, "/healthz", None, None).await;
    let outside = app.request(Method::GET, "/nothing-here", None, None).await;
    let mut seen = Vec::new();
    for (name, resp) in [
        ("200", &ok),
        ("400", &bad),
        ("404", &unknown),
        ("405", &wrong_method),
        ("401", &unauthenticated),
        ("healthz", &health),
        ("404 outside the API", &outside),
    ] {
        let id = resp
            .header("x-request-id")
            .unwrap_or_else(|| panic!("{name}: no X-Request-Id"));
        assert!(
            uuid::Uuid::parse_str(id).is_ok(),
            "{name}: generated id {id} is a UUID"
        );
        if resp.status.as_u16() >= 400 {
            assert_eq!(resp.body["TraceId"], id, "{name}: {}", resp.text);
        }
        seen.push(id.to_string());
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 7, "every request gets its own id");
    assert_eq!(ok.status, 200);
    assert_eq!(unknown.status, 404);
    assert_eq!(wrong_method.status, 405);
    assert_eq!(unauthenticated.status, 401);
    app.stop().await;
}

#[tokio::test]
async fn a_sane_incoming_request_id_is_echoed() {
    let app = TestApp::start().await;
    let token = app.token(ACCOUNT_CREATE).await;
    let req = |id: &str| {
        app.client
            .post(format!("{}{ACCOUNT_CREATE}", app.base))
            .bearer_auth(&token)
            .json(&json!({}))
            .header("x-request-id", id)
    };
    let resp = app.send(req("client-trace.42_ABC")).await;
    assert_eq!(resp.header("x-request-id"), Some("client-trace.42_ABC"));
    resp.assert_field_error("AccountName", "AccountName is required");
    assert_eq!(resp.body["TraceId"], "client-trace.42_ABC");
    let ok = app
        .send(
            app.client
                .get(format!("{}/healthz", app.base))
                .header("x-request-id", "abc-123"),
        )
        .await;
    assert_eq!(ok.header("x-request-id"), Some("abc-123"));
    // Ids that are not sane are replaced by a generated one.
    for insane in ["has space", "semi;colon", &"x".repeat(129), "quote\"d"] {
        let resp = app.send(req(insane)).await;
        let id = resp.header("x-request-id").expect("X-Request-Id");
        assert_ne!(id, insane);
        assert!(uuid::Uuid::parse_str(id).is_ok(), "generated id {id}");
        assert_eq!(resp.body["TraceId"], id);
    }
    app.stop().await;
}

#[tokio::test]
async fn problem_bodies_have_the_contract_shape() {
    let app = TestApp::start().await;
    let token = app.token(ACCOUNT_CREATE).await;
    // 400 with Errors: the validation title.
    let resp = app
        .post(
            ACCOUNT_CREATE,
            &token,
            json!({"AccountAdmin": "a@example.com"}),
        )
        .await;
    assert_problem_shape(
        &resp,
        400,
        "https://tools.ietf.org/html/rfc7231#section-6.5.1",
        VALIDATION_TITLE,
    );
    resp.assert_problem(400, "AccountName is required");
    assert_eq!(
        resp.body["Errors"],
        json!({"$.AccountName": ["AccountName is required"]})
    );
    // Every key is PascalCase and there is nothing else.
    let keys: Vec<&String> = resp.body.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["Detail", "Errors", "Status", "Title", "TraceId", "Type"]
    );
    // 400 about no field: the reason phrase, and no Errors key.
    let resp = app
        .send(
            raw_post(&app, ACCOUNT_CREATE, &token, Some("application/json"), "{}")
                .header("idempotency-key", "bad key"),
        )
        .await;
    assert_problem_shape(
        &resp,
        400,
        "https://tools.ietf.org/html/rfc7231#section-6.5.1",
        "Bad Request",
    );
    assert!(resp.body.get("Errors").is_none(), "{}", resp.text);
    // 404 of an unknown path.
    let resp = app
        .request(
            Method::POST,
            "/v1.0/account/create/more",
            Some(&token),
            Some(&json!({})),
        )
        .await;
    assert_problem_shape(
        &resp,
        404,
        "https://tools.ietf.org/html/rfc7231#section-6.5.4",
        "Not Found",
    );
    assert!(resp.body.get("Errors").is_none());
    // 404 of an unknown id.
    let resp = app
        .fetch("/v1.0/subscribers/get?SubscriberId=TSUID-nope")
        .await;
    assert_problem_shape(
        &resp,
        404,
        "https://tools.ietf.org/html/rfc7231#section-6.5.4",
        "Not Found",
    );
    // 401, 403, 405.
    let resp = app
        .request(Method::POST, ACCOUNT_CREATE, None, Some(&json!({})))
        .await;
    assert_problem_shape(
        &resp,
        401,
        "https://tools.ietf.org/html/rfc7235#section-3.1",
        "Unauthorized",
    );
    let resp = app
        .post(ACCOUNT_CREATE, ADMIN_TOKEN, account_body("x"))
        .await;
    assert_problem_shape(
        &resp,
        403,
        "https://tools.ietf.org/html/rfc7231#section-6.5.3",
        "Forbidden",
    );
    let resp = app
        .request(Method::PUT, ACCOUNT_CREATE, None, Some(&json!({})))
        .await;
    assert_problem_shape(
        &resp,
        405,
        "https://tools.ietf.org/html/rfc7231#section-6.5.5",
        "Method Not Allowed",
    );
    app.stop().await;
}

#[tokio::test]
async fn unknown_paths_and_wrong_methods_are_decided_before_authentication() {
    let app = TestApp::start().await;
    for path in [
        "/v1.0/nothing",
        "/v1.0/account/create/extra",
        "/v1.0/accounts/create",
        "/admin/v1/nothing",
        "/v1.0/voice/calls/CALL-1/hangup",
        "/nowhere",
    ] {
        for method in [Method::GET, Method::POST] {
            let resp = app.request(method.clone(), path, None, None).await;
            assert_problem_shape(
                &resp,
                404,
                "https://tools.ietf.org/html/rfc7231#section-6.5.4",
                "Not Found",
            );
            // A bad token does not change the answer.
            let resp = app
                .request(method.clone(), path, Some("not-a-token"), None)
                .await;
            assert_eq!(resp.status, 404, "{method} {path}: {}", resp.text);
        }
    }
    let cases = [
        (Method::GET, ACCOUNT_CREATE),
        (Method::DELETE, ACCOUNT_CREATE),
        (Method::PUT, "/V1.0/Account/Update/"),
        (Method::POST, ACCOUNTS),
        (Method::POST, "/v1.0/account"),
        (Method::GET, "/v1.0/oauth2/tokens"),
        (Method::GET, "/admin/v1/signing-key/rotate"),
        (Method::DELETE, "/admin/v1/distributors"),
        (Method::PATCH, "/admin/v1/distributors/DID-x/rate-limit"),
    ];
    for (method, path) in cases {
        for token in [None, Some("garbage"), Some(ADMIN_TOKEN)] {
            let resp = app.request(method.clone(), path, token, None).await;
            assert_problem_shape(
                &resp,
                405,
                "https://tools.ietf.org/html/rfc7231#section-6.5.5",
                "Method Not Allowed",
            );
        }
    }
    app.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Bodies: malformed JSON, wrong types, media type, size.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn malformed_and_non_object_bodies_are_400_at_the_root() {
    let app = TestApp::start().await;
    let token = app.token(ACCOUNT_CREATE).await;
    for raw in [
        r#"{"AccountName":"#,
        "{",
        "not json",
        r#"{"a":1,}"#,
        "\u{feff}{}",
        r#"{"AccountName":"x" "AccountAdmin":"y"}"#,
    ] {
        let resp = app
            .send(raw_post(
                &app,
                ACCOUNT_CREATE,
                &token,
                Some("application/json"),
                raw,
            ))
            .await;
        assert_problem_shape(
            &resp,
            400,
            "https://tools.ietf.org/html/rfc7231#section-6.5.1",
            VALIDATION_TITLE,
        );
        assert!(
            resp.body["Errors"]["$"]
                .as_array()
                .is_some_and(|m| !m.is_empty()),
            "{raw:?}: {}",
            resp.text
        );
    }
    for raw in [
        "[]",
        r#"[{"AccountName":"x"}]"#,
        "\"text\"",
        "42",
        "true",
        "null",
    ] {
        let resp = app
            .send(raw_post(
                &app,
                ACCOUNT_CREATE,
                &token,
                Some("application/json"),
                raw,
            ))
            .await;
        assert_problem_shape(
            &resp,
            400,
            "https://tools.ietf.org/html/rfc7231#section-6.5.1",
            VALIDATION_TITLE,
        );
        assert!(
            resp.body["Errors"]["$"]
                .as_array()
                .is_some_and(|m| !m.is_empty()),
            "{raw:?}: {}",
            resp.text
        );
    }
    // Same on the token endpoint, which adds its own fields.
    let resp = app
        .send(
            app.client
                .post(format!("{}/v1.0/oauth2/tokens", app.base))
                .header("content-type", "application/json")
                .body("[1]"),
        )
        .await;
    assert_eq!(resp.status, 400, "{}", resp.text);
    assert_eq!(resp.body["successful"], false);
    assert!(resp.body["Errors"]["$"].is_array(), "{}", resp.text);
    assert_eq!(total_accounts(&app).await, 0);
    app.stop().await;
}

#[tokio::test]
async fn wrong_json_types_name_the_expected_type() {
    let app = TestApp::start().await;
    let token = app.token(ACCOUNT_CREATE).await;
    let resp = app.post(ACCOUNT_CREATE, &token, json!({"AccountName": 5, "AccountAdmin": true, "BillingAddress": "x", "MailingAddress": {"City": 7}})).await;
    resp.assert_field_error("AccountName", "AccountName must be a string");
    resp.assert_field_error("AccountAdmin", "AccountAdmin must be a string");
    resp.assert_field_error("BillingAddress", "BillingAddress must be an object");
    resp.assert_field_error(
        "MailingAddress.City",
        "MailingAddress.City must be a string",
    );
    assert_eq!(
        resp.body["Detail"], "AccountName must be a string",
        "Detail repeats the first message"
    );
    let resp = app
        .post(
            ACCOUNT_CREATE,
            &token,
            json!({"AccountName": ["a"], "AccountAdmin": {"x": 1}}),
        )
        .await;
    resp.assert_field_error("AccountName", "AccountName must be a string");
    resp.assert_field_error("AccountAdmin", "AccountAdmin must be a string");
    let rate = app
        .admin_post(
            &format!("/admin/v1/distributors/{KEY}/rate-limit"),
            json!({"RateLimitPerMinute": "10"}),
        )
        .await;
    rate.assert_field_error(
        "RateLimitPerMinute",
        "RateLimitPerMinute must be an integer",
    );
    let subscriber = app.call("/v1.0/subscribers/create", json!({"Name": "N", "Email": "n@example.com", "Password": "Passw0rd!x", "PhoneNumbers": "+18015551234"})).await;
    subscriber.assert_field_error("PhoneNumbers", "PhoneNumbers must be an array");
    let subscriber = app.call("/v1.0/subscribers/create", json!({"Name": "N", "Email": "n@example.com", "Password": "Passw0rd!x", "PhoneNumbers": [18015551234_i64]})).await;
    subscriber.assert_field_error("PhoneNumbers[0]", "PhoneNumbers[0] must be a string");
    assert_eq!(total_accounts(&app).await, 0);
    app.stop().await;
}

#[tokio::test]
async fn nul_characters_are_refused_on_both_backends() {
    // Text columns cannot hold U+0000 (PostgreSQL refuses it; SQLite's length() stops at it).
    let app = TestApp::start().await;
    let resp = app.call(ACCOUNT_CREATE, json!({"AccountName": "\u{0}Doe", "AccountAdmin": "a@example.com", "BillingAddress": {"City": "Le\u{0}hi"}})).await;
    resp.assert_field_error("AccountName", "AccountName must not contain NUL characters");
    resp.assert_field_error(
        "BillingAddress.City",
        "BillingAddress.City must not contain NUL characters",
    );
    let resp = app
        .admin_post(
            "/admin/v1/distributors",
            json!({"DistributorName": "a\u{0}b"}),
        )
        .await;
    resp.assert_field_error(
        "DistributorName",
        "DistributorName must not contain NUL characters",
    );
    let resp = app
        .call(
            ACCOUNT_CREATE,
            json!({"AccountName": "Doe", "AccountAdmin": "a\u{0}@example.com"}),
        )
        .await;
    assert_eq!(resp.status, 400, "{}", resp.text);
    assert!(
        resp.body["Errors"]["$.AccountAdmin"].is_array(),
        "{}",
        resp.text
    );
    assert_eq!(total_accounts(&app).await, 0);
    let account = app.new_account("Nul").await;
    app.new_subscriber(&account, "nul@example.com").await;
    for email in ["nul@example.com%00", "%00", "nul%00@example.com"] {
        let resp = app
            .fetch(&format!("/v1.0/subscribers/get?Email={email}"))
            .await;
        resp.assert_field_error("Email", "Email must not contain NUL characters");
    }
    let resp = app.fetch(&format!("{ACCOUNTS}?pagesize=1%00")).await;
    resp.assert_field_error("pagesize", "pagesize must not contain NUL characters");
    assert_eq!(
        app.fetch("/v1.0/subscribers/get?Email=nul@example.com")
            .await
            .status,
        200
    );
    app.stop().await;
}

#[tokio::test]
async fn bodies_must_be_json_415() {
    let app = TestApp::start().await;
    let token = app.token(ACCOUNT_CREATE).await;
    let body = account_body("Typed").to_string();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("application/xml"),
        None,
    ] {
        let resp = app
            .send(raw_post(
                &app,
                ACCOUNT_CREATE,
                &token,
                content_type,
                body.clone(),
            ))
            .await;
        resp.assert_problem(415, "Content-Type must be application/json");
        assert_problem_shape(
            &resp,
            415,
            "https://tools.ietf.org/html/rfc7231#section-6.5.13",
            "Unsupported Media Type",
        );
    }
    assert_eq!(total_accounts(&app).await, 0);
    for content_type in ["application/json; charset=utf-8", "Application/JSON"] {
        let resp = app
            .send(raw_post(
                &app,
                ACCOUNT_CREATE,
                &token,
                Some(content_type),
                account_body(content_type).to_string(),
            ))
            .await;
        assert_eq!(resp.status, 200, "{content_type}: {}", resp.text);
    }
    assert_eq!(total_accounts(&app).await, 2);
    app.stop().await;
}

#[tokio::test]
async fn bodies_over_one_mebibyte_are_413() {
    let app = TestApp::start().await;
    let token = app.token(ACCOUNT_CREATE).await;
    const MIB: usize = 1024 * 1024;
    let make = |total: usize| {
        let prefix = r#"{"AccountAdmin":"big@example.com","AccountName":"Big","Padding":""#;
        let suffix = r#""}"#;
        let mut s = String::with_capacity(total);
        s.push_str(prefix);
        s.push_str(&"x".repeat(total - prefix.len() - suffix.len()));
        s.push_str(suffix);
        assert_eq!(s.len(), total);
        s
    };
    let resp = app
        .send(raw_post(
            &app,
            ACCOUNT_CREATE,
            &token,
            Some("application/json"),
            make(MIB + 1),
        ))
        .await;
    assert_problem_shape(
        &resp,
        413,
        "https://tools.ietf.org/html/rfc7231#section-6.5.11",
        "Payload Too Large",
    );
    let resp = app
        .send(
            raw_post(
                &app,
                ACCOUNT_CREATE,
                &token,
                Some("application/json"),
                make(3 * MIB),
            )
            .header("idempotency-key", "big-one"),
        )
        .await;
    assert_eq!(resp.status, 413, "{}", resp.text);
    assert_eq!(total_accounts(&app).await, 0);
    // Exactly 1 MiB is accepted (the padding property is unknown and ignored).
    let resp = app
        .send(raw_post(
            &app,
            ACCOUNT_CREATE,
            &token,
            Some("application/json"),
            make(MIB),
        ))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.status);
    assert_eq!(total_accounts(&app).await, 1);
    app.stop().await;
}

#[tokio::test]
async fn paging_errors_use_the_contract_messages() {
    let app = TestApp::start().await;
    for (query, field, message) in [
        (
            "PageNumber=0",
            "PageNumber",
            "PageNumber must be 1 or greater",
        ),
        (
            "PageNumber=-1",
            "PageNumber",
            "PageNumber must be 1 or greater",
        ),
        (
            "pagenumber=abc",
            "PageNumber",
            "PageNumber must be 1 or greater",
        ),
        (
            "PageSize=0",
            "PageSize",
            "PageSize must be between 1 and 1000",
        ),
        (
            "PageSize=1001",
            "PageSize",
            "PageSize must be between 1 and 1000",
        ),
        (
            "PAGESIZE=x",
            "PageSize",
            "PageSize must be between 1 and 1000",
        ),
    ] {
        for path in [ACCOUNTS, "/v1.0/distributor/subscribers"] {
            let resp = app.fetch(&format!("{path}?{query}")).await;
            resp.assert_problem(400, message);
            resp.assert_field_error(field, message);
        }
    }
    for query in ["TotalPerPage=0", "TotalPerPage=5000", "totalperpage=-3"] {
        let resp = app.fetch(&format!("{ACCOUNTS}?{query}")).await;
        resp.assert_problem(400, "PageSize must be between 1 and 1000");
        assert_eq!(resp.body["Title"], VALIDATION_TITLE);
    }
    let admin = app
        .get("/admin/v1/distributors?PageSize=1001", ADMIN_TOKEN)
        .await;
    admin.assert_problem(400, "PageSize must be between 1 and 1000");
    // The bounds themselves are fine.
    for query in [
        "PageNumber=1&PageSize=1",
        "PageSize=1000",
        "TotalPerPage=1000&PageNumber=99",
    ] {
        let page = app.fetch(&format!("{ACCOUNTS}?{query}")).await.ok();
        assert_eq!(page["TotalAccounts"], 0, "{query}");
    }
    app.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Endpoints not in this version.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn every_endpoint_of_the_501_list_answers_not_implemented() {
    let app = TestApp::start().await;
    let events_before = app.events(KEY).await.len();
    let other_scope = app.token(ACCOUNT_CREATE).await;
    for (method, path) in NOT_IMPLEMENTED {
        let method: Method = method.parse().unwrap();
        let body = (method == Method::POST).then(|| json!({"Anything": 1}));
        let token = app.token(path).await;
        let resp = app
            .request(method.clone(), path, Some(&token), body.as_ref())
            .await;
        resp.assert_problem(501, "Not implemented in this version");
        assert_problem_shape(
            &resp,
            501,
            "https://tools.ietf.org/html/rfc7231#section-6.6.2",
            "Not Implemented",
        );
        // Case-insensitive like any route.
        let resp = app
            .request(
                method.clone(),
                &path.to_uppercase().replace("V1.0", "v1.0"),
                Some(&token),
                body.as_ref(),
            )
            .await;
        assert_eq!(
            resp.status, 501,
            "{method} {path} upper case: {}",
            resp.text
        );
        // Authentication and scope run first.
        let resp = app.request(method.clone(), path, None, body.as_ref()).await;
        resp.assert_problem(401, "Bearer token is required");
        let resp = app
            .request(method.clone(), path, Some(&other_scope), body.as_ref())
            .await;
        resp.assert_problem(
            403,
            &format!("Token scope '/v1.0/account/create' does not cover '{path}'"),
        );
        // A wrong method is 405, token or not.
        let documented: Vec<&str> = NOT_IMPLEMENTED
            .iter()
            .filter(|(_, p)| *p == path)
            .map(|(m, _)| *m)
            .collect();
        let wrong = if documented.len() == 2 {
            Method::PUT
        } else if method == Method::GET {
            Method::POST
        } else {
            Method::GET
        };
        for t in [None, Some(token.as_str())] {
            let resp = app.request(wrong.clone(), path, t, None).await;
            assert_eq!(resp.status, 405, "{wrong} {path}: {}", resp.text);
        }
    }
    assert_eq!(
        app.events(KEY).await.len(),
        events_before,
        "a 501 writes no event"
    );
    assert_eq!(total_accounts(&app).await, 0);
    app.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Idempotency keys.
// ---------------------------------------------------------------------------------------------

fn keyed(app: &TestApp, path: &str, token: &str, key: &str, body: &str) -> reqwest::RequestBuilder {
    raw_post(app, path, token, Some("application/json"), body.to_string())
        .header("idempotency-key", key)
}

#[tokio::test]
async fn the_same_key_and_body_replay_the_first_answer() {
    let app = TestApp::start().await;
    let token = app.token(ACCOUNT_CREATE).await;
    let first_body = r#"{"AccountName":"Doe Family","AccountAdmin":"jane.doe@example.com","BillingAddress":{"City":"Lehi","Zip":"84043"}}"#;
    let first = app
        .send(keyed(&app, ACCOUNT_CREATE, &token, "order-1", first_body))
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert!(first.header("idempotent-replayed").is_none());
    assert_eq!(total_accounts(&app).await, 1);
    // Whitespace and key order do not matter; neither does the case of the path.
    let same = "{ \"BillingAddress\" : { \"Zip\":\"84043\", \"City\":\"Lehi\" },\n  \"AccountAdmin\":\"jane.doe@example.com\", \"AccountName\" : \"Doe Family\" }";
    for path in [ACCOUNT_CREATE, "/V1.0/Account/Create/"] {
        let replay = app.send(keyed(&app, path, &token, "order-1", same)).await;
        assert_eq!(replay.status, 200, "{}", replay.text);
        assert_eq!(replay.header("idempotent-replayed"), Some("true"));
        assert_eq!(replay.body, first.body, "same body");
        assert_eq!(replay.header("content-type"), Some("application/json"));
        assert!(replay.header("x-request-id").is_some());
    }
    assert_eq!(total_accounts(&app).await, 1, "a replay creates nothing");
    assert_eq!(
        app.events(KEY)
            .await
            .iter()
            .filter(|(t, _, _)| t == "account.created")
            .count(),
        1
    );
    // A different body with the same key: 422, nothing created.
    let other = app
        .send(keyed(
            &app,
            ACCOUNT_CREATE,
            &token,
            "order-1",
            r#"{"AccountName":"Other","AccountAdmin":"o@example.com"}"#,
        ))
        .await;
    other.assert_problem(
        422,
        "Idempotency-Key was already used with a different request body",
    );
    assert_eq!(total_accounts(&app).await, 1);
    // Another key is another request.
    let fresh = app
        .send(keyed(&app, ACCOUNT_CREATE, &token, "order-2", first_body))
        .await;
    assert_eq!(fresh.status, 200);
    assert!(fresh.header("idempotent-replayed").is_none());
    assert_ne!(fresh.body["AccountId"], first.body["AccountId"]);
    assert_eq!(total_accounts(&app).await, 2);
    // The key space is per path: the same key elsewhere is not a replay.
    let update_token = app.token("/v1.0/account/update").await;
    let update_body =
        json!({"AccountId": first.body["AccountId"], "AccountName": "Renamed"}).to_string();
    let update = app
        .send(keyed(
            &app,
            "/v1.0/account/update",
            &update_token,
            "order-1",
            &update_body,
        ))
        .await;
    assert_eq!(update.status, 200, "{}", update.text);
    assert!(update.header("idempotent-replayed").is_none());
    assert_eq!(update.body["AccountName"], "Renamed");
    app.stop().await;
}

#[tokio::test]
async fn error_answers_are_replayed_too() {
    let app = TestApp::start().await;
    let token = app.token(ACCOUNT_CREATE).await;
    let first = app
        .send(keyed(
            &app,
            ACCOUNT_CREATE,
            &token,
            "bad-1",
            r#"{"AccountAdmin":"a@example.com"}"#,
        ))
        .await;
    first.assert_field_error("AccountName", "AccountName is required");
    let replay = app
        .send(keyed(
            &app,
            ACCOUNT_CREATE,
            &token,
            "bad-1",
            r#"{ "AccountAdmin" : "a@example.com" }"#,
        ))
        .await;
    assert_eq!(replay.status, 400);
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    assert_eq!(
        replay.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(
        replay.body, first.body,
        "the stored problem is replayed as it was"
    );
    // Even a correct body cannot reuse the key: it is a different request.
    let fixed = app
        .send(keyed(
            &app,
            ACCOUNT_CREATE,
            &token,
            "bad-1",
            r#"{"AccountName":"A","AccountAdmin":"a@example.com"}"#,
        ))
        .await;
    fixed.assert_problem(
        422,
        "Idempotency-Key was already used with a different request body",
    );
    assert_eq!(total_accounts(&app).await, 0);
    app.stop().await;
}

#[tokio::test]
async fn malformed_idempotency_keys_are_400() {
    let app = TestApp::start().await;
    let token = app.token(ACCOUNT_CREATE).await;
    let body = account_body("Keyed").to_string();
    let too_long = "k".repeat(256);
    for key in [
        too_long.as_str(),
        "has space",
        "",
        "a/b",
        "semi;colon",
        "quote\"d",
        "tab\there",
    ] {
        let resp = app
            .send(keyed(&app, ACCOUNT_CREATE, &token, key, &body))
            .await;
        resp.assert_problem(400, "Invalid Idempotency-Key");
        assert!(resp.body.get("Errors").is_none(), "{}", resp.text);
    }
    assert_eq!(total_accounts(&app).await, 0);
    // The longest key and every allowed character are fine.
    for key in ["k".repeat(255), "A-z_0:9.x".to_string()] {
        let resp = app
            .send(keyed(
                &app,
                ACCOUNT_CREATE,
                &token,
                &key,
                &account_body(&key[..9]).to_string(),
            ))
            .await;
        assert_eq!(resp.status, 200, "{key}: {}", resp.text);
    }
    assert_eq!(total_accounts(&app).await, 2);
    app.stop().await;
}

#[tokio::test]
async fn a_key_still_in_flight_is_409() {
    let app = TestApp::start().await;
    let key = IdempotencyKey {
        principal: KEY.to_lowercase(),
        path: ACCOUNT_CREATE.to_string(),
        key: "in-flight-1".to_string(),
    };
    let claim = app
        .server()
        .services
        .claim_idempotency_key(&key, "hash")
        .await
        .expect("claim");
    assert_eq!(claim, IdempotencyClaim::Acquired);
    let token = app.token(ACCOUNT_CREATE).await;
    let body = account_body("Racing").to_string();
    for path in [ACCOUNT_CREATE, "/V1.0/ACCOUNT/CREATE"] {
        let resp = app
            .send(keyed(&app, path, &token, "in-flight-1", &body))
            .await;
        resp.assert_problem(
            409,
            "A request with this Idempotency-Key is still in progress",
        );
        assert_problem_shape(
            &resp,
            409,
            "https://tools.ietf.org/html/rfc7231#section-6.5.8",
            "Conflict",
        );
    }
    assert_eq!(
        total_accounts(&app).await,
        0,
        "the second request did not run"
    );
    // The first request completes: later requests get its answer.
    app.server()
        .services
        .complete_idempotency_key(&key, 200, r#"{"Done":true}"#)
        .await
        .expect("complete");
    let resp = app
        .send(keyed(&app, ACCOUNT_CREATE, &token, "in-flight-1", &body))
        .await;
    assert_eq!(
        resp.status, 422,
        "the stored request had another body: {}",
        resp.text
    );
    app.stop().await;
}

#[tokio::test]
async fn keys_are_scoped_per_distributor() {
    let app = TestApp::start().await;
    let (key2, secret2) = app.new_distributor("Second Distributor").await;
    let body = account_body("Shared").to_string();
    let token1 = app.token(ACCOUNT_CREATE).await;
    let token2 = app.token_for(&key2, &secret2, ACCOUNT_CREATE).await;
    let first = app
        .send(keyed(&app, ACCOUNT_CREATE, &token1, "shared-key", &body))
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    let second = app
        .send(keyed(&app, ACCOUNT_CREATE, &token2, "shared-key", &body))
        .await;
    assert_eq!(second.status, 200, "{}", second.text);
    assert!(
        second.header("idempotent-replayed").is_none(),
        "not a replay of another distributor's answer"
    );
    assert_ne!(second.body["AccountId"], first.body["AccountId"]);
    assert_eq!(second.body["DistributorId"], key2.as_str());
    // Each one replays its own.
    let again = app
        .send(keyed(&app, ACCOUNT_CREATE, &token2, "shared-key", &body))
        .await;
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.body, second.body);
    // The admin principal has its own key space too.
    let admin_body = json!({"DistributorName": "Keyed By Admin"}).to_string();
    let created = app
        .send(keyed(
            &app,
            "/admin/v1/distributors",
            ADMIN_TOKEN,
            "shared-key",
            &admin_body,
        ))
        .await;
    assert_eq!(created.status, 200, "{}", created.text);
    assert!(created.header("idempotent-replayed").is_none());
    let replayed = app
        .send(keyed(
            &app,
            "/admin/v1/distributors",
            ADMIN_TOKEN,
            "shared-key",
            &admin_body,
        ))
        .await;
    assert_eq!(replayed.header("idempotent-replayed"), Some("true"));
    assert_eq!(
        replayed.body["DistributorId"],
        created.body["DistributorId"]
    );
    let list = app.get("/admin/v1/distributors", ADMIN_TOKEN).await.ok();
    assert_eq!(
        list["TotalDistributors"], 3,
        "bootstrap, second and one admin-created: {list}"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_token_endpoint_ignores_idempotency_keys() {
    let app = TestApp::start().await;
    let body =
        json!({"AccountKey": KEY, "AccountSecret": SECRET, "ApiEndpoint": ACCOUNTS}).to_string();
    let mint = |key: &str| {
        app.client
            .post(format!("{}/v1.0/oauth2/tokens", app.base))
            .header("content-type", "application/json")
            .header("idempotency-key", key)
            .body(body.clone())
    };
    let first = app.send(mint("same")).await;
    assert_eq!(first.status, 200, "{}", first.text);
    let second = app.send(mint("same")).await;
    assert_eq!(second.status, 200);
    assert!(second.header("idempotent-replayed").is_none());
    assert_ne!(
        first.body["token"], second.body["token"],
        "a new token every time"
    );
    let bad = app.send(mint("not valid")).await;
    assert_eq!(
        bad.status, 200,
        "the header is ignored, even malformed: {}",
        bad.text
    );
    app.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Rate limits.
// ---------------------------------------------------------------------------------------------

fn wall_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

/// Rate-limit windows are fixed wall-clock minutes. Returns the window to run in: the current
/// one when at least 10 s are left in it and `fresh` is false, else the next one (after sleeping
/// into it). Sleeping only avoids a boundary; nothing asserts on timing.
async fn settle_window(fresh: bool) -> u64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970");
    let into = now.as_secs_f64() % 60.0;
    if fresh || into > 50.0 {
        tokio::time::sleep(Duration::from_secs_f64(60.0 - into + 0.25)).await;
    }
    wall_secs() / 60
}

#[track_caller]
fn header_secs(resp: &Resp, name: &str) -> u64 {
    let v = resp
        .header(name)
        .unwrap_or_else(|| panic!("{name} missing: {:?}", resp.headers));
    let n: u64 = v.parse().unwrap_or_else(|_| panic!("{name}: {v}"));
    assert!(
        (1..=60).contains(&n),
        "{name} = {n} seconds left in the window"
    );
    n
}

#[tokio::test]
async fn rate_limits_are_per_distributor_and_answer_429() {
    let app = TestApp::start().await;
    let (other_key, other_secret) = app.new_distributor("Unlimited Neighbour").await;
    let set = app
        .admin_post(
            &format!("/admin/v1/distributors/{KEY}/rate-limit"),
            json!({"RateLimitPerMinute": 3}),
        )
        .await
        .ok();
    assert_eq!(set["RateLimitPerMinute"], 3);
    let path = ACCOUNTS;
    for attempt in 0..3 {
        let window = settle_window(attempt > 0).await;
        let token = app.token(path).await;
        let first = app.get(path, &token).await;
        // Minting is not counted, even many times.
        for _ in 0..5 {
            app.token(path).await;
        }
        let second = app.get(path, &token).await;
        let third = app.get(path, &token).await;
        let fourth = app.get(path, &token).await;
        let mint_after = app.mint(KEY, SECRET, path).await;
        let other_token = app.token_for(&other_key, &other_secret, path).await;
        let other = app.get(path, &other_token).await;
        if wall_secs() / 60 != window {
            continue; // A minute boundary fell in between: counters restarted. Try again.
        }
        for (n, resp) in [(2, &first), (1, &second), (0, &third)] {
            assert_eq!(resp.status, 200, "{}", resp.text);
            assert_eq!(resp.header("ratelimit-limit"), Some("3"));
            assert_eq!(
                resp.header("ratelimit-remaining"),
                Some(n.to_string().as_str())
            );
            header_secs(resp, "ratelimit-reset");
        }
        fourth.assert_problem(429, "Rate limit exceeded");
        assert_problem_shape(
            &fourth,
            429,
            "https://tools.ietf.org/html/rfc6585#section-4",
            "Too Many Requests",
        );
        assert_eq!(fourth.header("ratelimit-limit"), Some("3"));
        assert_eq!(fourth.header("ratelimit-remaining"), Some("0"));
        let retry = header_secs(&fourth, "retry-after");
        let reset = header_secs(&fourth, "ratelimit-reset");
        assert_eq!(
            retry, reset,
            "Retry-After and RateLimit-Reset give the seconds left"
        );
        assert_eq!(
            mint_after.status, 200,
            "the token endpoint is never limited: {}",
            mint_after.text
        );
        assert_eq!(
            other.status, 200,
            "another distributor is not affected: {}",
            other.text
        );
        assert!(
            other.header("ratelimit-limit").is_none(),
            "unlimited: no RateLimit headers"
        );
        // The admin API is not rate limited, and lifting the limit is effective at once.
        let lifted = app
            .admin_post(
                &format!("/admin/v1/distributors/{KEY}/rate-limit"),
                json!({"RateLimitPerMinute": 0}),
            )
            .await
            .ok();
        assert_eq!(lifted["RateLimitPerMinute"], 0);
        let after = app.get(path, &token).await;
        assert_eq!(after.status, 200, "{}", after.text);
        assert!(after.header("ratelimit-limit").is_none());
        app.stop().await;
        return;
    }
    panic!("three attempts each crossed a minute boundary");
}

#[tokio::test]
async fn the_platform_default_rate_limit_applies() {
    let app = TestApp::start_with(|c| c.default_rate_limit = 2).await;
    let exempt = app
        .admin_post(
            "/admin/v1/distributors",
            json!({"DistributorName": "Exempt", "RateLimitPerMinute": 0}),
        )
        .await
        .ok();
    let (exempt_key, exempt_secret) = (
        exempt["AccountKey"].as_str().unwrap(),
        exempt["Secret"].as_str().unwrap(),
    );
    let path = ACCOUNTS;
    for attempt in 0..3 {
        let window = settle_window(attempt > 0).await;
        let token = app.token(path).await;
        let exempt_token = app.token_for(exempt_key, exempt_secret, path).await;
        let first = app.get(path, &token).await;
        let second = app.get(path, &token).await;
        let third = app.get(path, &token).await;
        let mut exempt_statuses = Vec::new();
        for _ in 0..4 {
            exempt_statuses.push(app.get(path, &exempt_token).await.status.as_u16());
        }
        if wall_secs() / 60 != window {
            continue; // A minute boundary fell in between: counters restarted. Try again.
        }
        assert_eq!(first.status, 200, "{}", first.text);
        assert_eq!(first.header("ratelimit-limit"), Some("2"));
        assert_eq!(first.header("ratelimit-remaining"), Some("1"));
        assert_eq!(second.status, 200);
        assert_eq!(second.header("ratelimit-remaining"), Some("0"));
        third.assert_problem(429, "Rate limit exceeded");
        header_secs(&third, "retry-after");
        assert_eq!(third.header("ratelimit-limit"), Some("2"));
        assert_eq!(
            exempt_statuses, [200; 4],
            "RateLimitPerMinute 0 is unlimited whatever the default"
        );
        app.stop().await;
        return;
    }
    panic!("three attempts each crossed a minute boundary");
}

// ---------------------------------------------------------------------------------------------
// Randomised garbage bodies on every POST endpoint.
// ---------------------------------------------------------------------------------------------

const BODIES_PER_ENDPOINT: usize = 30;

/// Generates hostile request bodies as raw bytes (so that they can hold what `serde_json::Value`
/// cannot: invalid UTF-8, numbers out of range, nesting beyond parser limits).
struct Garbage {
    rng: StdRng,
}

impl Garbage {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.rng.gen_range(0..items.len())]
    }

    fn text(&mut self) -> String {
        const CHARS: [char; 24] = [
            'a', 'Z', '0', '9', ' ', '-', '@', '.', '+', '\0', '\u{1}', '\u{7f}', '\n', '\t', '"',
            '\\', '/', 'é', 'ß', '中', '\u{202e}', '\u{fffd}', '😀', '\u{301}',
        ];
        match self.rng.gen_range(0..12) {
            0 => String::new(),
            1 => " ".repeat(self.rng.gen_range(1..5)),
            2 => "x".repeat(self.rng.gen_range(190..320)),
            3 => format!("user{}@example.com", self.rng.gen::<u32>()),
            4 => format!(
                "+1{}",
                (0..self.rng.gen_range(0..16))
                    .map(|_| char::from(b'0' + self.rng.gen_range(0..10u8)))
                    .collect::<String>()
            ),
            5 => format!(
                "{}-{}",
                self.pick(&["DID", "AID", "TSUID", "SID", "MRID", "did", "aid"]),
                uuid::Uuid::new_v4()
            ),
            6 => self
                .pick(&[
                    "' OR 1=1 --",
                    "%00",
                    "null",
                    "true",
                    "0",
                    "-1",
                    "${jndi:x}",
                    "../../etc/passwd",
                    "<script>",
                    "Account Admin",
                    "Manager",
                ])
                .to_string(),
            7 => format!("{}\0{}", "a", "b"),
            _ => (0..self.rng.gen_range(0..24))
                .map(|_| CHARS[self.rng.gen_range(0..CHARS.len())])
                .collect(),
        }
    }

    fn string(&mut self) -> String {
        serde_json::to_string(&self.text()).expect("a string serialises")
    }

    fn number(&mut self) -> String {
        match self.rng.gen_range(0..6) {
            0 => self.rng.gen::<i64>().to_string(),
            1 => self.rng.gen_range(-5..2000).to_string(),
            2 => format!(
                "{}",
                self.rng.gen::<f64>() * 10f64.powi(self.rng.gen_range(-10..30))
            ),
            _ => self
                .pick(&[
                    "0",
                    "-0",
                    "1e308",
                    "1e999",
                    "-1e-999",
                    "18446744073709551616",
                    "9223372036854775807",
                    "-9223372036854775808",
                    "123456789012345678901234567890123456789",
                    "0.00001",
                    "3.14159",
                    "1000000.00001",
                    "1E2",
                    "-0.0",
                ])
                .to_string(),
        }
    }

    fn value(&mut self, depth: u32, props: &[String]) -> String {
        let kinds = if depth >= 4 { 4 } else { 7 };
        match self.rng.gen_range(0..kinds) {
            0 => self.pick(&["null", "true", "false"]).to_string(),
            1 => self.number(),
            2 | 3 => self.string(),
            4 => {
                let n = if self.rng.gen_bool(0.1) {
                    self.rng.gen_range(100..180)
                } else {
                    self.rng.gen_range(0..5)
                };
                let items: Vec<String> = (0..n).map(|_| self.value(depth + 1, props)).collect();
                format!("[{}]", items.join(","))
            }
            5 => self.object(depth + 1, props),
            _ => self.deep(),
        }
    }

    fn key(&mut self, props: &[String]) -> String {
        if !props.is_empty() && self.rng.gen_bool(0.7) {
            let p = &props[self.rng.gen_range(0..props.len())];
            let p = match self.rng.gen_range(0..3) {
                0 => p.to_lowercase(),
                1 => p.to_uppercase(),
                _ => p.clone(),
            };
            serde_json::to_string(&p).expect("a key serialises")
        } else {
            self.string()
        }
    }

    fn object(&mut self, depth: u32, props: &[String]) -> String {
        let n = self.rng.gen_range(0..(props.len() + 4).min(12));
        let members: Vec<String> = (0..n)
            .map(|_| format!("{}:{}", self.key(props), self.value(depth, props)))
            .collect();
        format!("{{{}}}", members.join(","))
    }

    fn deep(&mut self) -> String {
        let depth = *[10usize, 120, 127, 128, 129, 500, 5000]
            .get(self.rng.gen_range(0..7))
            .expect("in range");
        if self.rng.gen_bool(0.5) {
            format!("{}{}", "[".repeat(depth), "]".repeat(depth))
        } else {
            format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth))
        }
    }

    fn body(&mut self, props: &[String]) -> Vec<u8> {
        match self.rng.gen_range(0..10) {
            0 => (0..self.rng.gen_range(0..200))
                .map(|_| self.rng.gen::<u8>())
                .collect(),
            1 => self.value(0, props).into_bytes(),
            2 => self.deep().into_bytes(),
            3 => {
                let key = self.key(props);
                format!("{{{key}:{}}}", self.number()).into_bytes()
            }
            4 => {
                let key = self.key(props);
                format!("{{{key}:{}}}", self.deep()).into_bytes()
            }
            _ => self.object(0, props).into_bytes(),
        }
    }
}

/// `POST` paths of the served OpenAPI document with the property names of their request body and
/// whether the endpoint is one of the 501 list.
fn post_endpoints(doc: &Value) -> Vec<(String, Vec<String>, bool)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let Some(op) = item.get("post") else { continue };
        let mut schema = &op["requestBody"]["content"]["application/json"]["schema"];
        if let Some(reference) = schema["$ref"].as_str() {
            let name = reference.rsplit('/').next().unwrap_or_default();
            schema = &doc["components"]["schemas"][name];
        }
        let props = schema["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        let not_implemented = op["tags"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t == "Not implemented"));
        out.push((path.clone(), props, not_implemented));
    }
    out.sort();
    out
}

#[tokio::test]
async fn random_garbage_bodies_never_cause_a_server_error() {
    let seed: u64 = std::env::var("MPAAS_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6d70_6161_735f_3031);
    let app = TestApp::start().await;
    let doc = app
        .request(Method::GET, "/openapi.json", None, None)
        .await
        .ok();
    let endpoints = post_endpoints(&doc);
    assert!(endpoints.len() >= 20, "POST endpoints found: {endpoints:?}");
    // Admin paths act on a distributor of their own, so rotations and limits do not disturb the rest.
    let target = app
        .admin_post(
            "/admin/v1/distributors",
            json!({"DistributorName": "Garbage Target"}),
        )
        .await
        .ok();
    let target_id = target["DistributorId"].as_str().unwrap().to_string();
    let mut gen = Garbage {
        rng: StdRng::seed_from_u64(seed),
    };
    let mut failures = Vec::new();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for (template, props, not_implemented) in &endpoints {
        let path = template.replace("{id}", &target_id);
        let admin = path.starts_with("/admin/")
            || path.starts_with("/sandbox/")
            || path == "/v1.0/distributor/create";
        for i in 0..BODIES_PER_ENDPOINT {
            let body = gen.body(props);
            let content_type = match gen.rng.gen_range(0..20) {
                0 => "text/plain",
                1 => "application/merge-patch+json",
                _ => "application/json",
            };
            let mut req = app
                .client
                .post(format!("{}{path}", app.base))
                .header("content-type", content_type)
                .body(body.clone());
            if gen.rng.gen_bool(0.25) {
                req = req.header(
                    "idempotency-key",
                    format!("garbage-{i}-{}", gen.rng.gen::<u32>()),
                );
            }
            if path != "/v1.0/oauth2/tokens" {
                // Minted per request: a random body may rotate the signing key.
                let token = if admin {
                    ADMIN_TOKEN.to_string()
                } else {
                    app.token(&path).await
                };
                req = req.bearer_auth(token);
            }
            let resp = app.send(req).await;
            *statuses.entry(resp.status.as_u16()).or_default() += 1;
            let content_type = resp.header("content-type").unwrap_or_default();
            let json_like = matches!(
                content_type,
                "application/json" | "application/problem+json"
            );
            let parsed = serde_json::from_str::<Value>(&resp.text).is_ok();
            // The endpoints of the 501 list answer 501 (or a 4xx about the request itself, such as
            // 413); no other 5xx is fine.
            let server_error = if *not_implemented {
                resp.status != 501 && !resp.status.is_client_error()
            } else {
                resp.status.is_server_error()
            };
            if server_error || !json_like || !parsed {
                let shown = String::from_utf8_lossy(&body);
                let shown: String = shown.chars().take(2000).collect();
                let failure = format!(
                    "seed {seed:#x}, POST {path} body #{i} ({content_type} answer {}): {shown:?}\n  -> {}",
                    resp.status,
                    resp.text.chars().take(500).collect::<String>()
                );
                eprintln!("{failure}");
                failures.push(failure);
            }
        }
    }
    eprintln!("garbage sweep with seed {seed:#x}: statuses {statuses:?}");
    assert!(
        failures.is_empty(),
        "{} garbage bodies got a bad answer (rerun with MPAAS_FUZZ_SEED={seed}):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        statuses.keys().any(|s| *s == 400),
        "the sweep reached validation: {statuses:?}"
    );
    // The server is still healthy and the bootstrap distributor still works.
    assert_eq!(
        app.request(Method::GET, "/healthz", None, None)
            .await
            .status,
        200
    );
    assert_eq!(app.fetch(ACCOUNTS).await.status, 200);
    app.stop().await;
}

/// `GET` paths of the served OpenAPI document with their query parameter names and whether the
/// endpoint is one of the 501 list.
fn get_endpoints(doc: &Value) -> Vec<(String, Vec<String>, bool)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let Some(op) = item.get("get") else { continue };
        let mut params: Vec<String> = op["parameters"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .filter(|p| p["in"] == "query")
                    .filter_map(|p| p["name"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        params.extend(["PageNumber", "PageSize", "TotalPerPage"].map(String::from));
        let not_implemented = op["tags"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t == "Not implemented"));
        out.push((path.clone(), params, not_implemented));
    }
    out.sort();
    out
}

#[tokio::test]
async fn random_garbage_queries_never_cause_a_server_error() {
    let seed: u64 = std::env::var("MPAAS_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6d70_6161_735f_3032);
    let app = TestApp::start().await;
    let doc = app
        .request(Method::GET, "/openapi.json", None, None)
        .await
        .ok();
    let endpoints = get_endpoints(&doc);
    assert!(endpoints.len() >= 8, "GET endpoints found: {endpoints:?}");
    // Something to find, so that look-ups reach the database.
    let account = app.new_account("Queried").await;
    app.new_subscriber(&account, "queried@example.com").await;
    let target = app
        .admin_post(
            "/admin/v1/distributors",
            json!({"DistributorName": "Query Target"}),
        )
        .await
        .ok();
    let target_id = target["DistributorId"].as_str().unwrap().to_string();
    let raw_queries = [
        "%",
        "%zz",
        "%C3%28=%C3%28",
        "Email=%00",
        "AccountId=%FF%FE",
        "=&=&",
        "PageSize=%2B5",
        "PageNumber=1e3&PageNumber=2",
        "a=b=c",
    ];
    let mut gen = Garbage {
        rng: StdRng::seed_from_u64(seed),
    };
    let mut failures = Vec::new();
    for (template, params, not_implemented) in &endpoints {
        let path = template.replace("{id}", &target_id);
        let token = if path.starts_with("/admin/") || path.starts_with("/sandbox/") {
            ADMIN_TOKEN.to_string()
        } else {
            app.token(&path).await
        };
        // Fixed oddities, then a NUL in each parameter (text columns cannot hold one), then random.
        let fixed: Vec<String> = raw_queries
            .iter()
            .map(|q| q.to_string())
            .chain(params.iter().map(|p| format!("{p}=x%00y")))
            .collect();
        for i in 0..fixed.len() + BODIES_PER_ENDPOINT {
            let shown;
            let req = if let Some(query) = fixed.get(i) {
                shown = query.clone();
                app.client.get(format!("{}{path}?{shown}", app.base))
            } else {
                let mut pairs = Vec::new();
                for name in params {
                    if gen.rng.gen_bool(0.5) {
                        let value = match gen.rng.gen_range(0..4) {
                            0 => gen.number(),
                            1 => gen
                                .pick(&[
                                    "queried@example.com\0",
                                    "QUERIED@example.com",
                                    "queried\0@example.com",
                                    "%00",
                                ])
                                .to_string(),
                            _ => gen.text(),
                        };
                        pairs.push((name.clone(), value));
                    }
                }
                shown = format!("{pairs:?}");
                app.client.get(format!("{}{path}", app.base)).query(&pairs)
            };
            let resp = app.send(req.bearer_auth(&token)).await;
            let server_error = if *not_implemented {
                resp.status != 501
            } else {
                resp.status.is_server_error()
            };
            let json_like = matches!(
                resp.header("content-type"),
                Some("application/json" | "application/problem+json")
            );
            if server_error || !json_like || serde_json::from_str::<Value>(&resp.text).is_err() {
                let failure = format!(
                    "seed {seed:#x}, GET {path} query #{i} {shown}: {} {}",
                    resp.status,
                    resp.text.chars().take(500).collect::<String>()
                );
                eprintln!("{failure}");
                failures.push(failure);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} garbage queries got a bad answer (rerun with MPAAS_FUZZ_SEED={seed}):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        app.fetch(&format!(
            "/v1.0/subscribers/get?Email=queried@example.com&AccountId={account}"
        ))
        .await
        .status,
        200
    );
    app.stop().await;
}
