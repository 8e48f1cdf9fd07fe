//! The endpoints API: shapes, defaults, every documented error, the limit and tenant isolation.

use base64::Engine;
use serde_json::{json, Value};

use crate::common::{Resp, TestApp, KEY};
use crate::{advance, create_webhook, frozen_app, START};

const HOOK: &str = "https://hooks.acmemobile.example/mpaas";
const UNKNOWN: &str = "WHK-019a3f49-ea1e-7c42-902a-174f11fa2ac0";

fn not_found(id: &str) -> String {
    format!("Webhook with ID '{id}' was not found.")
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

#[tokio::test]
async fn endpoints_are_created_read_updated_and_deleted() {
    let app = frozen_app().await;
    let body = json!({"Url": HOOK, "EventTypes": ["portin.*", "guardian.*", "message.status_changed"], "Description": "ops feed"});
    let created = create_webhook(&app, body).await;
    assert_eq!(
        keys(&created),
        [
            "AccountId",
            "CreatedOn",
            "Description",
            "Enabled",
            "EventTypes",
            "Secret",
            "UpdatedOn",
            "Url",
            "WebhookId"
        ]
    );
    let id = created["WebhookId"].as_str().unwrap().to_string();
    assert!(id.starts_with("WHK-") && id.len() == 40, "{id}");
    assert_eq!(created["Url"], HOOK);
    assert_eq!(
        created["EventTypes"],
        json!(["portin.*", "guardian.*", "message.status_changed"])
    );
    assert_eq!(
        (created["Enabled"].clone(), created["AccountId"].clone()),
        (json!(true), Value::Null)
    );
    assert_eq!(created["CreatedOn"], "2025-11-07T01:00:01.000000+00:00");
    let secret = created["Secret"].as_str().unwrap();
    let raw = base64::engine::general_purpose::STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    assert_eq!(raw.len(), 32);
    // Stored sealed, never in clear.
    let mut conn = app.server().services.store().reader().await.unwrap();
    let stored: String = sqlx::query_scalar("SELECT secret FROM webhooks WHERE id = $1")
        .bind(&id)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    assert!(!stored.contains(secret.strip_prefix("whsec_").unwrap()) && !stored.contains("whsec_"));

    let one = app
        .fetch(&format!(
            "/v1.0/webhooks?webhookid={}",
            id.to_uppercase().replace("WHK-", "whk-")
        ))
        .await
        .ok();
    assert_eq!(one["Secret"], "********");
    assert_eq!(one["Description"], "ops feed");
    let defaults = create_webhook(&app, json!({"Url": "http://other.example/x"})).await;
    assert_eq!(defaults["EventTypes"], json!(["*"]));
    assert_eq!(defaults["Description"], Value::Null);
    let page = app.fetch("/v1.0/webhooks").await.ok();
    assert_eq!(
        keys(&page),
        ["PageNumber", "PageSize", "Results", "TotalWebhooks"]
    );
    assert_eq!(
        (page["TotalWebhooks"].clone(), page["PageSize"].clone()),
        (json!(2), json!(100))
    );
    assert_eq!(page["Results"][0]["WebhookId"], id.as_str());
    assert!(page["Results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|w| w["Secret"] == "********"));
    let second = app
        .fetch("/v1.0/webhooks?PageNumber=2&PageSize=1")
        .await
        .ok();
    assert_eq!(second["Results"][0]["WebhookId"], defaults["WebhookId"]);

    advance(&app, 60).await;
    let account = app.new_account("Filtered").await;
    let update = json!({"WebhookId": id, "Description": "renamed", "EventTypes": ["*.status_changed"], "AccountId": account, "Enabled": false});
    let updated = app.call("/v1.0/webhooks/update", update).await.ok();
    assert_eq!(updated["Description"], "renamed");
    assert_eq!(updated["EventTypes"], json!(["*.status_changed"]));
    assert_eq!(
        (updated["AccountId"].as_str(), updated["Enabled"].clone()),
        (Some(account.as_str()), json!(false))
    );
    assert_eq!(updated["Url"], HOOK, "fields not sent are kept");
    assert_eq!(updated["Secret"], "********");
    assert_eq!(updated["UpdatedOn"], "2025-11-07T01:01:01.000000+00:00");
    assert_eq!(updated["CreatedOn"], created["CreatedOn"]);

    let deleted = app
        .call("/v1.0/webhooks/delete", json!({"WebhookId": id}))
        .await
        .ok();
    assert_eq!(
        deleted,
        json!({"WebhookId": id, "Status": "Deleted", "DateDeleted": "2025-11-07T01:01:01.000000+00:00"})
    );
    app.fetch(&format!("/v1.0/webhooks?WebhookId={id}"))
        .await
        .assert_problem(404, &not_found(&id));
    app.call("/v1.0/webhooks/delete", json!({"WebhookId": id}))
        .await
        .assert_problem(404, &not_found(&id));
    assert_eq!(app.fetch("/v1.0/webhooks").await.ok()["TotalWebhooks"], 1);
    app.stop().await;
}

#[tokio::test]
async fn every_documented_error_is_answered() {
    let app = frozen_app().await;
    let create = |body: Value| app.call("/v1.0/webhooks", body);
    create(json!({}))
        .await
        .assert_field_error("Url", "Url is required");
    create(json!({"Url": " "}))
        .await
        .assert_field_error("Url", "Url is required");
    let invalid = "Url must be an absolute http or https URL";
    let long = format!("https://hooks.example.com/{}", "a".repeat(2030));
    for url in [
        "hooks.example.com/x",
        "/relative",
        "ftp://hooks.example.com/",
        "https://user:pass@hooks.example.com/",
        long.as_str(),
    ] {
        let resp = create(json!({"Url": url})).await;
        resp.assert_problem(400, invalid);
        resp.assert_field_error("Url", invalid);
    }
    create(json!({"Url": HOOK, "EventTypes": ["account.created", "nope.*"]}))
        .await
        .assert_field_error("EventTypes[1]", "Unknown event type 'nope.*'");
    create(json!({"Url": HOOK, "EventTypes": ["acc*"]}))
        .await
        .assert_problem(400, "Unknown event type 'acc*'");
    let between = "EventTypes must contain between 1 and 50 items";
    create(json!({"Url": HOOK, "EventTypes": []}))
        .await
        .assert_field_error("EventTypes", between);
    create(json!({"Url": HOOK, "EventTypes": vec!["*"; 51]}))
        .await
        .assert_field_error("EventTypes", between);
    create(json!({"Url": HOOK, "Description": "d".repeat(257)}))
        .await
        .assert_field_error(
            "Description",
            "Description must be between 0 and 256 characters",
        );
    create(json!({"Url": HOOK, "AccountId": "AID-019a433-nope"}))
        .await
        .assert_field_error("AccountId", "Invalid AccountId");
    create(json!({"Url": HOOK, "Enabled": "yes"}))
        .await
        .assert_field_error("Enabled", "Enabled must be a boolean");

    let id = create_webhook(&app, json!({"Url": HOOK})).await["WebhookId"]
        .as_str()
        .unwrap()
        .to_string();
    let update = |body: Value| app.call("/v1.0/webhooks/update", body);
    update(json!({"Url": HOOK}))
        .await
        .assert_field_error("WebhookId", "WebhookId is required");
    update(json!({"WebhookId": UNKNOWN, "Enabled": false}))
        .await
        .assert_problem(404, &not_found(UNKNOWN));
    update(json!({"WebhookId": "WHK-garbage"}))
        .await
        .assert_problem(404, &not_found("WHK-garbage"));
    update(json!({"WebhookId": id, "Url": "ftp://x.example/"}))
        .await
        .assert_field_error("Url", invalid);
    update(json!({"WebhookId": id, "EventTypes": ["bogus.type"]}))
        .await
        .assert_field_error("EventTypes[0]", "Unknown event type 'bogus.type'");
    update(json!({"WebhookId": id, "AccountId": "AID-x"}))
        .await
        .assert_field_error("AccountId", "Invalid AccountId");

    app.fetch(&format!("/v1.0/webhooks?WebhookId={UNKNOWN}"))
        .await
        .assert_problem(404, &not_found(UNKNOWN));
    app.call("/v1.0/webhooks/delete", json!({}))
        .await
        .assert_field_error("WebhookId", "WebhookId is required");
    app.call("/v1.0/webhooks/delete", json!({"WebhookId": UNKNOWN}))
        .await
        .assert_problem(404, &not_found(UNKNOWN));
    let rotate = |body: Value| app.call("/v1.0/webhooks/rotate-secret", body);
    rotate(json!({"WebhookId": UNKNOWN}))
        .await
        .assert_problem(404, &not_found(UNKNOWN));
    for grace in [-1, 604_801] {
        rotate(json!({"WebhookId": id, "GraceSeconds": grace}))
            .await
            .assert_field_error("GraceSeconds", "GraceSeconds must be between 0 and 604800");
    }
    app.call("/v1.0/webhooks/test", json!({"WebhookId": UNKNOWN}))
        .await
        .assert_problem(404, &not_found(UNKNOWN));
    app.call(
        "/v1.0/webhooks/update",
        json!({"WebhookId": id, "Enabled": false}),
    )
    .await
    .ok();
    app.call("/v1.0/webhooks/test", json!({"WebhookId": id}))
        .await
        .assert_problem(422, "Webhook is disabled");

    app.fetch("/v1.0/webhooks/deliveries?State=Lost")
        .await
        .assert_field_error(
            "State",
            "Invalid State. Must be one of: Pending, Succeeded, DeadLettered, Cancelled.",
        );
    app.fetch(&format!("/v1.0/webhooks/deliveries?WebhookId={UNKNOWN}"))
        .await
        .assert_problem(404, &not_found(UNKNOWN));
    assert_eq!(
        app.fetch("/v1.0/webhooks/deliveries?state=pending")
            .await
            .ok()["TotalDeliveries"],
        0
    );

    let replay = |body: Value| app.call("/v1.0/webhooks/replay", body);
    replay(json!({}))
        .await
        .assert_problem(400, "EventId or Since is required");
    replay(json!({"OnlyFailed": true}))
        .await
        .assert_problem(400, "EventId or Since is required");
    let evt = "EVT-019a5be3-16f4-7d73-ae82-ec3ffee5a5b2";
    replay(json!({"EventId": evt}))
        .await
        .assert_problem(404, &format!("Event with ID '{evt}' was not found."));
    replay(json!({"Since": START, "WebhookId": UNKNOWN}))
        .await
        .assert_problem(404, &not_found(UNKNOWN));
    replay(json!({"Since": "yesterday"}))
        .await
        .assert_field_error("Since", "Since must be an RFC 3339 timestamp");
    assert_eq!(
        replay(json!({"Since": START})).await.ok(),
        json!({"Replayed": 0})
    );
    bulk_events(&app, 10_001).await;
    replay(json!({"Since": "2025-11-06T00:00:00Z"}))
        .await
        .assert_problem(
            422,
            "Replay covers more than 10000 events; narrow Since/Until",
        );
    assert_eq!(
        replay(json!({"Since": "2025-11-06T00:00:00Z", "Until": "2025-11-06T00:00:01Z"}))
            .await
            .ok()["Replayed"],
        0
    );
    app.stop().await;
}

/// Inserts `n` events of the bootstrap distributor at 2025-11-06T12:00:00Z in one statement.
async fn bulk_events(app: &TestApp, n: i64) {
    let mut tx = app.server().services.store().begin().await.unwrap();
    sqlx::query(
        "INSERT INTO events (id, distributor_id, account_id, type, resource_id, occurred_on, data) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         SELECT 'EVT-bulk-' || CAST(i AS TEXT), $2, NULL, 'account.updated', 'AID-bulk', $3, '{}' FROM n",
    )
    .bind(n)
    .bind(KEY)
    .bind(1_762_430_400_000_000_i64)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_distributor_has_at_most_twenty_endpoints() {
    let app = frozen_app().await;
    let mut ids = Vec::new();
    for i in 0..20 {
        ids.push(
            create_webhook(
                &app,
                json!({"Url": format!("https://hooks.example.com/{i}")}),
            )
            .await["WebhookId"]
                .clone(),
        );
    }
    let over = app.call("/v1.0/webhooks", json!({"Url": HOOK})).await;
    over.assert_problem(422, "Webhook endpoint limit of 20 reached");
    app.call("/v1.0/webhooks/delete", json!({"WebhookId": ids[3]}))
        .await
        .ok();
    create_webhook(&app, json!({"Url": HOOK})).await;
    // The limit is per distributor.
    let (key, secret) = app.new_distributor("Other").await;
    let token = app.token_for(&key, &secret, "/v1.0/webhooks").await;
    app.post("/v1.0/webhooks", &token, json!({"Url": HOOK}))
        .await
        .ok();
    app.stop().await;
}

#[tokio::test]
async fn another_distributor_gets_404_for_every_webhook_operation() {
    let app = frozen_app().await;
    let mine = create_webhook(&app, json!({"Url": HOOK})).await;
    let id = mine["WebhookId"].as_str().unwrap();
    app.new_account("Mine").await;
    let event = crate::last_event(&app, "account.created").await;
    let event_id = event["EventId"].as_str().unwrap();
    let (key, secret) = app.new_distributor("Intruder").await;
    let as_other = |path: &'static str, body: Value| {
        let (app, key, secret) = (&app, key.clone(), secret.clone());
        async move {
            let token = app.token_for(&key, &secret, path).await;
            app.post(path, &token, body).await
        }
    };
    let token = app.token_for(&key, &secret, "/v1.0/webhooks").await;
    app.get(&format!("/v1.0/webhooks?WebhookId={id}"), &token)
        .await
        .assert_problem(404, &not_found(id));
    assert_eq!(
        app.get("/v1.0/webhooks", &token).await.ok()["TotalWebhooks"],
        0
    );
    let body = json!({"WebhookId": id, "Enabled": false});
    as_other("/v1.0/webhooks/update", body)
        .await
        .assert_problem(404, &not_found(id));
    as_other("/v1.0/webhooks/delete", json!({"WebhookId": id}))
        .await
        .assert_problem(404, &not_found(id));
    as_other("/v1.0/webhooks/rotate-secret", json!({"WebhookId": id}))
        .await
        .assert_problem(404, &not_found(id));
    as_other("/v1.0/webhooks/test", json!({"WebhookId": id}))
        .await
        .assert_problem(404, &not_found(id));
    let replay: Resp = as_other(
        "/v1.0/webhooks/replay",
        json!({"Since": START, "WebhookId": id}),
    )
    .await;
    replay.assert_problem(404, &not_found(id));
    as_other("/v1.0/webhooks/replay", json!({"EventId": event_id}))
        .await
        .assert_problem(404, &format!("Event with ID '{event_id}' was not found."));
    let token = app
        .token_for(&key, &secret, "/v1.0/webhooks/deliveries")
        .await;
    app.get(&format!("/v1.0/webhooks/deliveries?WebhookId={id}"), &token)
        .await
        .assert_problem(404, &not_found(id));
    let theirs = app
        .get(
            &format!("/v1.0/webhooks/deliveries?EventId={event_id}"),
            &token,
        )
        .await
        .ok();
    assert_eq!(theirs["TotalDeliveries"], 0);
    // An account of another distributor is not a valid filter.
    let account = app.new_account("Not yours").await;
    let token = app.token_for(&key, &secret, "/v1.0/webhooks").await;
    app.post(
        "/v1.0/webhooks",
        &token,
        json!({"Url": HOOK, "AccountId": account}),
    )
    .await
    .assert_field_error("AccountId", "Invalid AccountId");
    // The owner still sees its endpoint unchanged.
    assert_eq!(
        app.fetch(&format!("/v1.0/webhooks?WebhookId={id}"))
            .await
            .ok()["Enabled"],
        true
    );
    app.stop().await;
}
