//! The life of deliveries around the endpoint: cancellation on disable and delete, rotation
//! grace, the test event, and fan-out of a burst exactly once per endpoint.

use std::collections::{BTreeSet, HashMap};

use serde_json::json;

use crate::receiver::Receiver;
use crate::{
    advance, create_webhook, deliveries, frozen_app, last_event, settle, signatures, signed_with,
};

#[tokio::test]
async fn disabling_or_deleting_an_endpoint_cancels_its_pending_deliveries() {
    let app = frozen_app().await;
    let rx = Receiver::start().await;
    rx.answer(503);
    let types = json!(["account.created"]);
    let a = create_webhook(&app, json!({"Url": rx.url("/a"), "EventTypes": types})).await;
    let b = create_webhook(&app, json!({"Url": rx.url("/b"), "EventTypes": types})).await;
    app.new_account("Pending").await;
    settle(&app).await;
    let event_id = last_event(&app, "account.created").await["EventId"]
        .as_str()
        .unwrap()
        .to_string();
    let pending = deliveries(&app, &format!("EventId={event_id}&State=Pending")).await;
    assert_eq!(pending["TotalDeliveries"], 2, "{pending}");

    app.call(
        "/v1.0/webhooks/update",
        json!({"WebhookId": a["WebhookId"], "Enabled": false}),
    )
    .await
    .ok();
    app.call(
        "/v1.0/webhooks/delete",
        json!({"WebhookId": b["WebhookId"]}),
    )
    .await
    .ok();
    let cancelled = deliveries(&app, &format!("EventId={event_id}&State=Cancelled")).await;
    assert_eq!(cancelled["TotalDeliveries"], 2, "{cancelled}");
    assert!(cancelled["Results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["NextAttemptOn"].is_null()));
    advance(&app, 3 * 3600).await;
    assert_eq!(
        rx.of_event(&event_id).len(),
        2,
        "no retry after cancellation"
    );
    // A disabled endpoint receives nothing new, and re-enabling does not resend.
    app.new_account("Later").await;
    settle(&app).await;
    app.call(
        "/v1.0/webhooks/update",
        json!({"WebhookId": a["WebhookId"], "Enabled": true}),
    )
    .await
    .ok();
    advance(&app, 3600).await;
    assert_eq!(rx.requests().len(), 2);
    assert_eq!(
        deliveries(
            &app,
            &format!("WebhookId={}", a["WebhookId"].as_str().unwrap())
        )
        .await["TotalDeliveries"],
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn rotation_signs_with_both_secrets_during_the_grace() {
    let app = frozen_app().await;
    let rx = Receiver::start().await;
    let hook = create_webhook(
        &app,
        json!({"Url": rx.url("/r"), "EventTypes": ["account.created"]}),
    )
    .await;
    let id = hook["WebhookId"].as_str().unwrap();
    let old = hook["Secret"].as_str().unwrap();
    let rotated = app
        .call(
            "/v1.0/webhooks/rotate-secret",
            json!({"WebhookId": id, "GraceSeconds": 3600}),
        )
        .await
        .ok();
    let new = rotated["Secret"].as_str().unwrap();
    assert!(new.starts_with("whsec_") && new != old);
    assert_eq!(rotated["WebhookId"], id);
    assert_eq!(
        rotated["PreviousSecretExpiresOn"],
        "2025-11-07T02:00:01.000000+00:00"
    );
    assert_eq!(
        app.fetch(&format!("/v1.0/webhooks?WebhookId={id}"))
            .await
            .ok()["Secret"],
        "********"
    );

    let sent = app
        .call("/v1.0/webhooks/test", json!({"WebhookId": id}))
        .await
        .ok();
    settle(&app).await;
    let req = rx
        .of_event(sent["EventId"].as_str().unwrap())
        .pop()
        .expect("test delivered");
    assert_eq!(
        signatures(&req).len(),
        2,
        "{}",
        req.header("webhook-signature")
    );
    assert!(
        signed_with(&req, 0, new) && signed_with(&req, 1, old),
        "new first, then old"
    );

    advance(&app, 3600).await;
    let sent = app
        .call("/v1.0/webhooks/test", json!({"WebhookId": id}))
        .await
        .ok();
    settle(&app).await;
    let req = rx
        .of_event(sent["EventId"].as_str().unwrap())
        .pop()
        .expect("test delivered");
    assert_eq!(signatures(&req).len(), 1, "the grace is over");
    assert!(signed_with(&req, 0, new));

    let now = app
        .call(
            "/v1.0/webhooks/rotate-secret",
            json!({"WebhookId": id, "GraceSeconds": 0}),
        )
        .await
        .ok();
    assert_eq!(
        now["PreviousSecretExpiresOn"],
        "2025-11-07T02:00:01.000000+00:00"
    );
    let newest = now["Secret"].as_str().unwrap();
    let sent = app
        .call("/v1.0/webhooks/test", json!({"WebhookId": id}))
        .await
        .ok();
    settle(&app).await;
    let req = rx
        .of_event(sent["EventId"].as_str().unwrap())
        .pop()
        .expect("test delivered");
    assert_eq!(signatures(&req).len(), 1);
    assert!(signed_with(&req, 0, newest));
    app.stop().await;
}

#[tokio::test]
async fn the_test_event_goes_to_that_endpoint_only() {
    let app = frozen_app().await;
    let rx = Receiver::start().await;
    let narrow = create_webhook(
        &app,
        json!({"Url": rx.url("/narrow"), "EventTypes": ["portin.*"]}),
    )
    .await;
    create_webhook(&app, json!({"Url": rx.url("/everything")})).await;
    let sent = app
        .call(
            "/v1.0/webhooks/test",
            json!({"WebhookId": narrow["WebhookId"]}),
        )
        .await
        .ok();
    assert_eq!(sent["WebhookId"], narrow["WebhookId"]);
    let event_id = sent["EventId"].as_str().unwrap();
    assert!(event_id.starts_with("EVT-"));
    settle(&app).await;
    let got = rx.of_event(event_id);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].path, "/narrow");
    assert_eq!(got[0].json["Type"], "webhook.test");
    assert_eq!(got[0].json["ResourceId"], narrow["WebhookId"]);
    assert_eq!(got[0].json["Data"]["WebhookId"], narrow["WebhookId"]);
    assert_eq!(
        deliveries(&app, &format!("EventId={event_id}")).await["TotalDeliveries"],
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn a_burst_of_events_is_delivered_exactly_once_per_endpoint() {
    let app = frozen_app().await;
    let rx = Receiver::start().await;
    for path in ["/one", "/two"] {
        create_webhook(
            &app,
            json!({"Url": rx.url(path), "EventTypes": ["account.*"]}),
        )
        .await;
    }
    let names: Vec<String> = (0..25).map(|i| format!("Burst {i}")).collect();
    futures::future::join_all(names.iter().map(|name| app.new_account(name))).await;
    settle(&app).await;
    let events = app
        .fetch("/v1.0/events?Type=account.created&PageSize=1000")
        .await
        .ok();
    let ids: BTreeSet<String> = events["Results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["EventId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 25);
    let mut per_endpoint: HashMap<(String, String), usize> = HashMap::new();
    for r in rx.requests() {
        *per_endpoint
            .entry((r.path.clone(), r.webhook_id().to_string()))
            .or_default() += 1;
    }
    for path in ["/one", "/two"] {
        for id in &ids {
            assert_eq!(
                per_endpoint.get(&(path.to_string(), id.clone())),
                Some(&1),
                "{path} got {id} once"
            );
        }
    }
    assert_eq!(rx.requests().len(), 50);
    assert_eq!(
        deliveries(&app, "State=Succeeded&PageSize=1000").await["TotalDeliveries"],
        50
    );
    app.stop().await;
}
