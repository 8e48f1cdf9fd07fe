//! Get by id and the `AccountId` tenancy rule: none, one (the default) or several accounts.

use serde_json::json;

use crate::common::TestApp;
use crate::support::{
    account_events, assert_account_id_error, billing, create, get_account, id, update,
};

#[tokio::test]
async fn get_returns_one_account_by_id() {
    let app = TestApp::start().await;
    let first = create(&app, json!({"AccountName": "Doe Family", "AccountAdmin": "jane@example.com", "BillingAddress": billing()})).await;
    let account_id = id(&first);
    let fetched = get_account(&app, &account_id).await.ok();
    assert_eq!(fetched, first);
    // Ids compare case-insensitively; query parameter names too.
    let upper = account_id.to_uppercase();
    assert_eq!(
        app.fetch(&format!("/v1.0/account?accountid={upper}"))
            .await
            .ok(),
        first
    );
    let lower = account_id.to_lowercase();
    assert_eq!(
        app.fetch(&format!("/v1.0/account?ACCOUNTID={lower}"))
            .await
            .ok(),
        first
    );
    // The only account is the default.
    assert_eq!(app.fetch("/v1.0/account").await.ok(), first);
    let second = create(
        &app,
        json!({"AccountName": "Roe Family", "AccountAdmin": "alex@example.com"}),
    )
    .await;
    let fetched = get_account(&app, &id(&second)).await.ok();
    assert_eq!(fetched, second);
    assert_eq!(account_events(&app).await.len(), 2, "reads write no event");
    app.stop().await;
}

#[tokio::test]
async fn account_id_follows_the_tenancy_rule() {
    let app = TestApp::start().await;
    // No account at all.
    assert_account_id_error(&app.fetch("/v1.0/account").await, "AccountId is required");
    let resp = update(&app, json!({"AccountName": "X"})).await;
    assert_account_id_error(&resp, "AccountId is required");
    // Exactly one: it is the default.
    let only = create(
        &app,
        json!({"AccountName": "Only", "AccountAdmin": "only@example.com"}),
    )
    .await;
    let updated = update(&app, json!({"AccountName": "Only One"})).await.ok();
    assert_eq!(updated["AccountId"], only["AccountId"]);
    assert_eq!(updated["AccountName"], "Only One");
    assert_eq!(
        app.fetch("/v1.0/account").await.ok()["AccountName"],
        "Only One"
    );
    // Several: required.
    create(
        &app,
        json!({"AccountName": "Second", "AccountAdmin": "second@example.com"}),
    )
    .await;
    assert_account_id_error(&app.fetch("/v1.0/account").await, "AccountId is required");
    let resp = update(&app, json!({"AccountName": "X"})).await;
    assert_account_id_error(&resp, "AccountId is required");
    let resp = update(&app, json!({"AccountId": null, "AccountName": "X"})).await;
    assert_account_id_error(&resp, "AccountId is required");
    // Unknown, malformed and foreign ids are all 400 Invalid AccountId, never 404.
    let (key, secret) = app.new_distributor("Other Mobile").await;
    let token = app.token_for(&key, &secret, "/v1.0/account/create").await;
    let body = json!({"AccountName": "Theirs", "AccountAdmin": "t@example.com"});
    let foreign = app.post("/v1.0/account/create", &token, body).await.ok();
    let unknown = format!("AID-{}", uuid::Uuid::now_v7());
    let subscriber_like = format!("TSUID-{}", uuid::Uuid::now_v7());
    for bad in [
        unknown.as_str(),
        "AID-123",
        "garbage",
        subscriber_like.as_str(),
        foreign["AccountId"].as_str().unwrap(),
    ] {
        assert_account_id_error(&get_account(&app, bad).await, "Invalid AccountId");
        let resp = update(&app, json!({"AccountId": bad, "AccountName": "X"})).await;
        assert_account_id_error(&resp, "Invalid AccountId");
    }
    let resp = update(&app, json!({"AccountId": 12, "AccountName": "X"})).await;
    assert_account_id_error(&resp, "AccountId must be a string");
    // The foreign account is untouched.
    let their_token = app.token_for(&key, &secret, "/v1.0/account").await;
    let theirs = app.get("/v1.0/account", &their_token).await.ok();
    assert_eq!(theirs, foreign);
    app.stop().await;
}
