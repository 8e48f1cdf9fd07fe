//! Request ids, the problem shape of every error status, and 404/405 decided before
//! authentication.

use reqwest::Method;
use serde_json::json;

use crate::common::{TestApp, ADMIN_TOKEN};
use crate::support::{
    account_body, assert_problem_shape, raw_post, ACCOUNTS, ACCOUNT_CREATE, VALIDATION_TITLE,
};

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
