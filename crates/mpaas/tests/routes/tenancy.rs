//! Tenant isolation: another distributor never sees, changes or deletes a route (404), and may
//! not name an account it does not own (`Invalid AccountId`).

use serde_json::json;

use crate::common::TestApp;
use crate::support::{
    assert_invalid, create_message, create_voice, crid, foreign_account, get_message, get_voice,
    message_body, message_not_found, mrid, voice_body, voice_not_found,
};

#[tokio::test]
async fn another_distributor_cannot_reach_routes() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let message = create_message(&app, message_body(&account)).await.ok();
    let voice = create_voice(&app, voice_body(&account)).await.ok();
    let (m, v) = (mrid(&message), crid(&voice));
    let (key, secret, theirs) = foreign_account(&app).await;
    let call = |path: &'static str, body: serde_json::Value| {
        let (key, secret) = (key.clone(), secret.clone());
        let app = &app;
        async move {
            let token = app.token_for(&key, &secret, path).await;
            app.post(path, &token, body).await
        }
    };
    let fetch = |path_and_query: String| {
        let (key, secret) = (key.clone(), secret.clone());
        let app = &app;
        async move {
            let path = path_and_query
                .split('?')
                .next()
                .unwrap_or_default()
                .to_string();
            let token = app.token_for(&key, &secret, &path).await;
            app.get(&path_and_query, &token).await
        }
    };
    // By id: 404, exactly as for an unknown route.
    fetch(format!("/v1.0/message/routes?MessageRouteId={m}"))
        .await
        .assert_problem(404, &message_not_found(&m));
    call(
        "/v1.0/message/routes/update",
        json!({"MessageRouteId": m, "RouteName": "x"}),
    )
    .await
    .assert_problem(404, &message_not_found(&m));
    call("/v1.0/message/routes/delete", json!({"MessageRouteId": m}))
        .await
        .assert_problem(404, &message_not_found(&m));
    fetch(format!("/v1.0/voice/routes?CallRouteId={v}"))
        .await
        .assert_problem(404, &voice_not_found(&v));
    call(
        "/v1.0/voice/routes/update",
        json!({"CallRouteId": v, "RouteName": "x"}),
    )
    .await
    .assert_problem(404, &voice_not_found(&v));
    call("/v1.0/voice/routes/delete", json!({"CallRouteId": v}))
        .await
        .assert_problem(404, &voice_not_found(&v));
    // Naming our account: Invalid AccountId, on create and list.
    let resp = call("/v1.0/message/routes", message_body(&account)).await;
    assert_invalid(&resp, "AccountId", "Invalid AccountId");
    let resp = call("/v1.0/voice/routes", voice_body(&account)).await;
    assert_invalid(&resp, "AccountId", "Invalid AccountId");
    let resp = fetch(format!("/v1.0/account/message/routes?AccountId={account}")).await;
    assert_invalid(&resp, "AccountId", "Invalid AccountId");
    let resp = fetch(format!("/v1.0/account/voice/routes?AccountId={account}")).await;
    assert_invalid(&resp, "AccountId", "Invalid AccountId");
    // Their own list does not show ours.
    let page = fetch("/v1.0/account/message/routes".to_string()).await.ok();
    assert_eq!(
        (&page["AccountID"], &page["TotalRoutes"]),
        (&json!(theirs), &json!(0))
    );
    let page = fetch(format!("/v1.0/account/voice/routes?AccountId={theirs}"))
        .await
        .ok();
    assert_eq!(page["TotalRoutes"], 0);
    // Ours are untouched.
    assert_eq!(get_message(&app, &m).await.ok(), message);
    assert_eq!(get_voice(&app, &v).await.ok(), voice);
    app.stop().await;
}
