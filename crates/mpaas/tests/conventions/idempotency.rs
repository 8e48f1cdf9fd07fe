//! Idempotency keys: replays of answers and errors, other bodies, malformed keys, keys still in
//! flight, one key space per principal, and the token endpoint that ignores them.

use mpaas_service::idempotency::{IdempotencyClaim, IdempotencyKey};
use serde_json::json;

use crate::common::{TestApp, ADMIN_TOKEN, KEY, SECRET};
use crate::support::{
    account_body, assert_problem_shape, raw_post, total_accounts, ACCOUNTS, ACCOUNT_CREATE,
};

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
