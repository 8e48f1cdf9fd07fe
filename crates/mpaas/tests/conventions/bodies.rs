//! Request bodies: malformed JSON, wrong types, NUL characters, the media type (415) and the size
//! limit (413).

use serde_json::json;

use crate::common::{TestApp, KEY};
use crate::support::{
    account_body, assert_problem_shape, raw_post, total_accounts, ACCOUNTS, ACCOUNT_CREATE,
    VALIDATION_TITLE,
};

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
