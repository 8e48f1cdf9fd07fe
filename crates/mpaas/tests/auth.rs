//! Tokens: minting, scope, expiry, forgery, revocation by rotation; the admin token's reach.

mod common;

use common::{TestApp, ADMIN_TOKEN, KEY, SECRET};
use serde_json::json;

#[tokio::test]
async fn mints_a_token_with_the_vendor_shape() {
    let app = TestApp::start().await;
    let resp = app
        .mint(KEY, SECRET, "https://api.telegent.com/v1.0/account/create")
        .await;
    let body = resp.ok();
    assert_eq!(body["successful"], true);
    assert_eq!(
        body["apiEndpoint"],
        "https://api.telegent.com/v1.0/account/create"
    );
    let expiry = body["tokenExpiry"].as_str().unwrap();
    assert!(chrono_like(expiry), "tokenExpiry {expiry}");
    let token = body["token"].as_str().unwrap();
    assert_eq!(token.split('.').count(), 3);
    // Key compared case-insensitively, path case-insensitively, camelCase/any-case properties.
    let lower = json!({"accountkey": KEY.to_lowercase(), "ACCOUNTSECRET": SECRET, "apiEndpoint": "/V1.0/Account/Create"});
    let resp = app
        .request(
            reqwest::Method::POST,
            "/v1.0/OAuth2/Tokens",
            None,
            Some(&lower),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    app.stop().await;
}

fn chrono_like(s: &str) -> bool {
    // MM/DD/YYYY hh:mm:ss AM|PM
    let bytes = s.as_bytes();
    s.len() == 22
        && bytes[2] == b'/'
        && bytes[5] == b'/'
        && bytes[10] == b' '
        && bytes[13] == b':'
        && bytes[16] == b':'
        && (s.ends_with(" AM") || s.ends_with(" PM"))
}

#[tokio::test]
async fn token_errors_carry_successful_false() {
    let app = TestApp::start().await;
    let cases = [
        (
            json!({"AccountSecret": SECRET, "ApiEndpoint": "/v1.0/account/create"}),
            400,
            "The AccountKey field is required.",
        ),
        (
            json!({"AccountKey": KEY, "ApiEndpoint": "/v1.0/account/create"}),
            400,
            "The AccountSecret field is required.",
        ),
        (
            json!({"AccountKey": KEY, "AccountSecret": SECRET}),
            400,
            "The ApiEndpoint field is required.",
        ),
        (
            json!({"AccountKey": KEY, "AccountSecret": SECRET, "ApiEndpoint": "/v1.0/nothing"}),
            400,
            "ApiEndpoint does not match any API endpoint.",
        ),
        (
            json!({"AccountKey": KEY, "AccountSecret": SECRET, "ApiEndpoint": "/admin/v1/distributors"}),
            400,
            "ApiEndpoint does not match any API endpoint.",
        ),
        (
            json!({"AccountKey": KEY, "AccountSecret": "wrong", "ApiEndpoint": "/v1.0/account/create"}),
            401,
            "Invalid account credentials provided",
        ),
        (
            json!({"AccountKey": "DID-unknown", "AccountSecret": SECRET, "ApiEndpoint": "/v1.0/account/create"}),
            401,
            "Invalid account credentials provided",
        ),
        (
            json!({"AccountKey": "garbage", "AccountSecret": SECRET, "ApiEndpoint": "/v1.0/account/create"}),
            401,
            "Invalid account credentials provided",
        ),
    ];
    for (body, status, detail) in cases {
        let resp = app
            .request(
                reqwest::Method::POST,
                "/v1.0/oauth2/tokens",
                None,
                Some(&body),
            )
            .await;
        resp.assert_problem(status, detail);
        assert_eq!(resp.body["successful"], false, "{}", resp.text);
        assert_eq!(resp.body["error"], detail);
    }
    app.stop().await;
}

#[tokio::test]
async fn wildcard_scopes_cover_a_prefix() {
    let app = TestApp::start().await;
    let token = app.token("/v1.0/account/*").await;
    let created = app
        .post(
            "/v1.0/account/create",
            &token,
            json!({"AccountName": "A", "AccountAdmin": "a@example.com"}),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.text);
    let resp = app.get("/v1.0/distributor/accounts", &token).await;
    resp.assert_problem(
        403,
        "Token scope '/v1.0/account/*' does not cover '/v1.0/distributor/accounts'",
    );
    assert_eq!(
        resp.header("www-authenticate"),
        Some("Bearer error=\"insufficient_scope\"")
    );
    let none = app.mint(KEY, SECRET, "/v1.0/nothing/*").await;
    none.assert_problem(400, "ApiEndpoint does not match any API endpoint.");
    app.stop().await;
}

#[tokio::test]
async fn requests_without_a_valid_token_get_401() {
    let app = TestApp::start().await;
    let path = "/v1.0/distributor/accounts";
    let resp = app.request(reqwest::Method::GET, path, None, None).await;
    resp.assert_problem(401, "Bearer token is required");
    assert_eq!(resp.header("www-authenticate"), Some("Bearer"));
    let resp = app
        .send(
            app.client
                .get(format!("{}{path}", app.base))
                .header("authorization", "Basic abc"),
        )
        .await;
    resp.assert_problem(401, "Bearer token is required");
    for bad in [
        "not-a-jwt",
        "a.b.c",
        &forged_token(&app, path).await,
        &alg_none_token(&app, path).await,
    ] {
        let resp = app.get(path, bad).await;
        resp.assert_problem(401, "Invalid token");
        assert!(resp
            .header("www-authenticate")
            .unwrap()
            .contains("invalid_token"));
    }
    // Scheme in any case.
    let token = app.token(path).await;
    let resp = app
        .send(
            app.client
                .get(format!("{}{path}", app.base))
                .header("authorization", format!("bEaReR {token}")),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    app.stop().await;
}

async fn forged_token(app: &TestApp, path: &str) -> String {
    let token = app.token(path).await;
    let mut parts: Vec<&str> = token.split('.').collect();
    let sig = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    parts[2] = sig;
    parts.join(".")
}

async fn alg_none_token(app: &TestApp, path: &str) -> String {
    let token = app.token(path).await;
    let parts: Vec<&str> = token.split('.').collect();
    // {"alg":"none","typ":"JWT"}
    format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{}.", parts[1])
}

#[tokio::test]
async fn tokens_expire_on_the_platform_clock() {
    let app = TestApp::start_with(|c| c.token_ttl_secs = 60).await;
    let path = "/v1.0/distributor/accounts";
    let token = app.token(path).await;
    assert_eq!(app.get(path, &token).await.status, 200);
    let services = &app.server().services;
    let later = services.clock().now().plus_seconds(61);
    services.clock().set(services.store(), later).await.unwrap();
    let resp = app.get(path, &token).await;
    resp.assert_problem(401, "Token has expired");
    // A token minted now works again.
    let fresh = app.token(path).await;
    assert_eq!(app.get(path, &fresh).await.status, 200);
    app.stop().await;
}

#[tokio::test]
async fn rotating_a_secret_revokes_old_secret_and_tokens() {
    let app = TestApp::start().await;
    let (key, secret) = app.new_distributor("Acme Mobile").await;
    let path = "/v1.0/distributor/accounts";
    let token = app.token_for(&key, &secret, path).await;
    assert_eq!(app.get(path, &token).await.status, 200);
    let rotated = app
        .admin_post(
            &format!("/admin/v1/distributors/{key}/rotate-secret"),
            json!({}),
        )
        .await
        .ok();
    let new_secret = rotated["Secret"].as_str().unwrap();
    assert_eq!(new_secret.len(), 64);
    assert_eq!(rotated["DistributorId"], key.as_str());
    app.get(path, &token)
        .await
        .assert_problem(401, "Token has been revoked");
    app.mint(&key, &secret, path)
        .await
        .assert_problem(401, "Invalid account credentials provided");
    let fresh = app.token_for(&key, new_secret, path).await;
    assert_eq!(app.get(path, &fresh).await.status, 200);
    // The other distributor is untouched.
    let own = app.token(path).await;
    assert_eq!(app.get(path, &own).await.status, 200);
    let events = app.events(&key).await;
    let rotation = events
        .iter()
        .find(|(t, _, _)| t == "distributor.secret_rotated")
        .expect("rotation event");
    assert!(rotation.2.get("Secret").is_none(), "no secret in the event");
    app.stop().await;
}

#[tokio::test]
async fn rotating_the_signing_key_invalidates_every_token() {
    let app = TestApp::start().await;
    let path = "/v1.0/distributor/accounts";
    let token = app.token(path).await;
    let rotated = app
        .admin_post("/admin/v1/signing-key/rotate", json!({}))
        .await
        .ok();
    assert!(rotated["RotatedOn"].is_string());
    app.get(path, &token)
        .await
        .assert_problem(401, "Invalid token");
    let fresh = app.token(path).await;
    assert_eq!(app.get(path, &fresh).await.status, 200);
    app.stop().await;
}

#[tokio::test]
async fn the_admin_token_is_valid_only_where_the_contract_allows() {
    let app = TestApp::start().await;
    let resp = app.get("/v1.0/distributor/accounts", ADMIN_TOKEN).await;
    resp.assert_problem(403, "The admin token is not valid on this endpoint");
    let created = app
        .post(
            "/v1.0/distributor/create",
            ADMIN_TOKEN,
            json!({"DistributorName": "Via v1"}),
        )
        .await
        .ok();
    assert_eq!(created["DistributorId"], created["AccountKey"]);
    assert_eq!(created["Secret"].as_str().unwrap().len(), 64);
    // A distributor token, even scoped right, may not create distributors.
    let token = app.token("/v1.0/distributor/create").await;
    let resp = app
        .post(
            "/v1.0/distributor/create",
            &token,
            json!({"DistributorName": "Nope"}),
        )
        .await;
    resp.assert_problem(403, "Only the platform operator may create distributors");
    app.stop().await;
}

#[tokio::test]
async fn admin_api_requires_the_admin_token() {
    let app = TestApp::start().await;
    let token = app.token("/v1.0/distributor/accounts").await;
    let resp = app.get("/admin/v1/distributors", &token).await;
    resp.assert_problem(401, "Admin token required");
    let resp = app
        .request(reqwest::Method::GET, "/admin/v1/distributors", None, None)
        .await;
    resp.assert_problem(401, "Admin token required");
    app.stop().await;
    let disabled = TestApp::start_with(|c| c.admin_token = None).await;
    let resp = disabled.get("/admin/v1/distributors", ADMIN_TOKEN).await;
    resp.assert_problem(401, "Admin API is disabled");
    disabled.stop().await;
}
