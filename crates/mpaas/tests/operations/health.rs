//! Health and readiness.

use reqwest::Method;
use serde_json::json;

use crate::common::{TestApp, ADMIN_TOKEN};

#[tokio::test]
async fn healthz_and_readyz_answer_without_auth() {
    let app = TestApp::start().await;
    let health = app.request(Method::GET, "/healthz", None, None).await;
    assert_eq!(health.status, 200);
    assert_eq!(health.body, json!({"Status": "ok"}));
    assert!(health
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert!(health.header("x-request-id").is_some());
    let ready = app.request(Method::GET, "/readyz", None, None).await;
    assert_eq!(ready.status, 200, "{}", ready.text);
    assert_eq!(
        ready.body,
        json!({"Status": "ready", "Checks": {"Database": "ok", "Migrations": "ok"}})
    );
    // Neither needs nor minds a token.
    for _ in 0..3 {
        assert_eq!(
            app.request(Method::GET, "/healthz", Some("whatever"), None)
                .await
                .status,
            200
        );
        assert_eq!(
            app.request(Method::GET, "/readyz", Some(ADMIN_TOKEN), None)
                .await
                .status,
            200
        );
    }
    let wrong = app
        .request(Method::POST, "/healthz", None, Some(&json!({})))
        .await;
    wrong.assert_problem(405, wrong.detail());
    app.stop().await;
}
