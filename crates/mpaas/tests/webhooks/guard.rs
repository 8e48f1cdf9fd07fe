//! The SSRF guard with private webhooks not allowed: refused at registration for `localhost` and
//! literal private addresses, and at delivery for names that resolve to them.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::receiver::Receiver;
use crate::{advance, create_webhook, deliveries, settle, START};

async fn guarded_app() -> TestApp {
    let app = TestApp::start_with(|c| {
        c.clock_start = Some(START.into());
        c.allow_private_webhooks = Some(false);
    })
    .await;
    advance(&app, 1).await;
    app
}

/// Points a registered endpoint at `url` behind the API's back (registration would refuse it).
async fn set_url(app: &TestApp, id: &str, url: &str) {
    let mut tx = app.server().services.store().begin().await.unwrap();
    sqlx::query("UPDATE webhooks SET url = $1 WHERE id = $2")
        .bind(url)
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn private_addresses_are_refused_at_registration() {
    let app = guarded_app().await;
    let private = "Url must not point to a private address";
    for url in [
        "http://127.0.0.1:1/x",
        "http://localhost/x",
        "http://LOCALHOST:8080/x",
        "http://[::1]/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://10.1.2.3/x",
        "https://169.254.169.254/latest/meta-data",
        "http://192.168.1.1/",
        "http://0.0.0.0/",
    ] {
        let resp = app.call("/v1.0/webhooks", json!({"Url": url})).await;
        resp.assert_problem(400, private);
        resp.assert_field_error("Url", private);
    }
    // Names are checked at delivery, not at registration.
    let hook = create_webhook(
        &app,
        json!({"Url": "https://hooks.example.com/x", "Enabled": false}),
    )
    .await;
    let update = json!({"WebhookId": hook["WebhookId"], "Url": "http://127.0.0.1:9/x"});
    app.call("/v1.0/webhooks/update", update)
        .await
        .assert_field_error("Url", private);
    app.stop().await;
}

#[tokio::test]
async fn deliveries_to_refused_addresses_are_dead_lettered_at_once() {
    let app = guarded_app().await;
    let rx = Receiver::start().await;
    // Registered disabled with a public name (never contacted), then pointed at the receiver.
    let hook = create_webhook(
        &app,
        json!({"Url": "https://hooks.example.com/x", "Enabled": false}),
    )
    .await;
    let id = hook["WebhookId"].as_str().unwrap();
    for url in [
        format!("http://localhost:{}/by-name", rx.port),
        rx.url("/by-literal"),
    ] {
        set_url(&app, id, &url).await;
        app.call(
            "/v1.0/webhooks/update",
            json!({"WebhookId": id, "Enabled": true}),
        )
        .await
        .ok();
        let sent = app
            .call("/v1.0/webhooks/test", json!({"WebhookId": id}))
            .await
            .ok();
        settle(&app).await;
        let event_id = sent["EventId"].as_str().unwrap();
        let page = deliveries(&app, &format!("WebhookId={id}&EventId={event_id}")).await;
        let d = &page["Results"][0];
        assert_eq!(d["State"], "DeadLettered", "{url}: {d}");
        assert_eq!(d["Url"], url.as_str());
        assert_eq!(d["NextAttemptOn"], Value::Null);
        let attempts = d["Attempts"].as_array().unwrap();
        assert_eq!(attempts.len(), 1, "never retried");
        assert_eq!(attempts[0]["Error"], "blocked by SSRF guard");
        assert_eq!(attempts[0]["ResponseStatus"], Value::Null);
        app.call(
            "/v1.0/webhooks/update",
            json!({"WebhookId": id, "Enabled": false}),
        )
        .await
        .ok();
    }
    advance(&app, 48 * 3600).await;
    assert!(rx.requests().is_empty(), "the receiver was never contacted");
    let metrics = app
        .request(reqwest::Method::GET, "/metrics", None, None)
        .await
        .text;
    assert!(
        metrics.contains("mpaas_webhook_attempts_total{kind=\"Event\",outcome=\"ssrf\"}"),
        "{metrics}"
    );
    app.stop().await;
}
