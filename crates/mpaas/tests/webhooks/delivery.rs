//! Signed deliveries to a real local receiver, retries driven by the sandbox clock, dead
//! letters, replay, cancellation, rotation grace, the test event and fan-out under a burst.

use std::collections::BTreeSet;

use mpaas_core::Timestamp;
use serde_json::{json, Value};

use crate::receiver::Receiver;
use crate::{
    advance, advance_until, create_webhook, deliveries, delivery, frozen_app, last_event, settle,
    signatures, signed_with,
};

fn at(v: &Value) -> Timestamp {
    Timestamp::parse_rfc3339(v.as_str().unwrap_or_else(|| panic!("not a timestamp: {v}"))).unwrap()
}

fn seconds_between(from: &Value, to: &Value) -> f64 {
    (at(to).micros() - at(from).micros()) as f64 / 1e6
}

/// One microsecond before an RFC 3339 instant.
fn just_before(v: &Value) -> String {
    Timestamp::from_micros(at(v).micros() - 1).to_rfc3339()
}

#[tokio::test]
async fn events_are_delivered_signed_to_matching_endpoints() {
    let app = frozen_app().await;
    let rx = Receiver::start().await;
    let all = create_webhook(&app, json!({"Url": rx.url("/all")})).await;
    let secret = all["Secret"].as_str().unwrap().to_string();
    let first = app.new_account("First").await;
    let second = app.new_account("Second").await;
    let only_first =
        json!({"Url": rx.url("/first"), "EventTypes": ["account.updated"], "AccountId": first});
    let filtered = create_webhook(&app, only_first).await;
    for account in [&first, &second] {
        app.call(
            "/v1.0/account/update",
            json!({"AccountId": account, "AccountName": "Renamed"}),
        )
        .await
        .ok();
    }
    settle(&app).await;

    let created = last_event(&app, "account.created").await;
    let id = created["EventId"].as_str().unwrap();
    let got = rx.of_event(id);
    assert_eq!(got.len(), 1, "delivered once: {got:?}");
    let req = &got[0];
    assert_eq!(req.path, "/all");
    assert_eq!(req.header("content-type"), "application/json");
    assert_eq!(
        req.header("user-agent"),
        concat!("mpaas/", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(req.json, created, "the body is the envelope");
    assert!(
        req.body.starts_with("{\"EventId\":") && !req.body.contains('\n'),
        "compact: {}",
        req.body
    );
    // webhook-timestamp is wall-clock time, not the frozen platform time.
    let stamp: i64 = req.header("webhook-timestamp").parse().unwrap();
    let wall = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!(
        (wall - stamp).abs() < 600,
        "timestamp {stamp} vs wall {wall}"
    );
    assert_eq!(signatures(req).len(), 1);
    assert!(
        signed_with(req, 0, &secret),
        "signature verifies: {}",
        req.header("webhook-signature")
    );
    assert!(!signed_with(
        req,
        0,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    ));

    // Account and type filters: only the first account's update reaches /first.
    let at_first: Vec<String> = rx
        .requests()
        .into_iter()
        .filter(|r| r.path == "/first")
        .map(|r| r.json["AccountId"].to_string())
        .collect();
    assert_eq!(at_first, vec![json!(first).to_string()]);
    let page = deliveries(
        &app,
        &format!("WebhookId={}", filtered["WebhookId"].as_str().unwrap()),
    )
    .await;
    assert_eq!(page["TotalDeliveries"], 1);
    let d = &page["Results"][0];
    let keys: BTreeSet<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    let expected = [
        "Attempts",
        "CreatedOn",
        "EventId",
        "EventType",
        "Kind",
        "NextAttemptOn",
        "State",
        "Url",
        "WebhookId",
    ];
    assert_eq!(keys, expected.into_iter().collect());
    assert_eq!(
        (
            d["Kind"].as_str(),
            d["State"].as_str(),
            d["EventType"].as_str()
        ),
        (Some("Event"), Some("Succeeded"), Some("account.updated"))
    );
    assert_eq!(d["NextAttemptOn"], Value::Null);
    assert_eq!(d["Url"], rx.url("/first"));
    let attempt = &d["Attempts"][0];
    assert_eq!(
        (
            attempt["Attempt"].clone(),
            attempt["ResponseStatus"].clone(),
            attempt["Error"].clone()
        ),
        (json!(1), json!(204), Value::Null)
    );
    assert!(attempt["DurationMs"].as_i64().unwrap() >= 0);
    let succeeded = deliveries(&app, "State=Succeeded").await["TotalDeliveries"]
        .as_i64()
        .unwrap();
    assert_eq!(succeeded, rx.requests().len() as i64);
    app.stop().await;
}

#[tokio::test]
async fn failed_attempts_are_retried_on_schedule_as_the_clock_advances() {
    let app = frozen_app().await;
    let rx = Receiver::start().await;
    // A redirect is a failure (not followed), then 429 asks for fifteen minutes (longer than the 5 min step), then success.
    rx.plan(&[(302, None), (429, Some("900"))]);
    let hook = create_webhook(
        &app,
        json!({"Url": rx.url("/hook"), "EventTypes": ["account.created"]}),
    )
    .await;
    let hook_id = hook["WebhookId"].as_str().unwrap();
    app.new_account("Retry").await;
    settle(&app).await;
    let event = last_event(&app, "account.created").await;
    let event_id = event["EventId"].as_str().unwrap();

    let d = delivery(&app, hook_id, event_id).await;
    assert_eq!(
        (d["State"].as_str(), d["Attempts"].as_array().unwrap().len()),
        (Some("Pending"), 1)
    );
    assert_eq!(d["Attempts"][0]["ResponseStatus"], 302);
    let first_try = &d["Attempts"][0]["AttemptedOn"];
    let wait = seconds_between(first_try, &d["NextAttemptOn"]);
    assert!((4.0..=6.0).contains(&wait), "5 s +/-20 %: {wait}");
    assert!(
        rx.requests().iter().all(|r| r.path != "/moved"),
        "redirects are not followed"
    );

    advance_until(&app, &just_before(&d["NextAttemptOn"])).await;
    assert_eq!(rx.of_event(event_id).len(), 1, "not before the retry time");
    advance_until(&app, d["NextAttemptOn"].as_str().unwrap()).await;
    assert_eq!(rx.of_event(event_id).len(), 2, "retried at the retry time");
    let d = delivery(&app, hook_id, event_id).await;
    assert_eq!(d["Attempts"][1]["ResponseStatus"], 429);
    assert_eq!(
        seconds_between(&d["Attempts"][1]["AttemptedOn"], &d["NextAttemptOn"]),
        900.0,
        "Retry-After honoured"
    );

    advance_until(&app, &just_before(&d["NextAttemptOn"])).await;
    assert_eq!(rx.of_event(event_id).len(), 2);
    advance(&app, 1).await;
    let d = delivery(&app, hook_id, event_id).await;
    assert_eq!(d["State"], "Succeeded");
    assert_eq!(d["NextAttemptOn"], Value::Null);
    let statuses: Vec<i64> = d["Attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["ResponseStatus"].as_i64().unwrap())
        .collect();
    assert_eq!(statuses, [302, 429, 204]);
    let ids: BTreeSet<String> = rx
        .of_event(event_id)
        .iter()
        .map(|r| r.webhook_id().to_string())
        .collect();
    assert_eq!(ids.len(), 1, "same webhook-id on every retry");
    app.stop().await;
}

#[tokio::test]
async fn a_delivery_is_dead_lettered_after_the_schedule_and_replay_sends_it_again() {
    let app = frozen_app().await;
    let rx = Receiver::start().await;
    rx.answer(500);
    let hook = create_webhook(
        &app,
        json!({"Url": rx.url("/down"), "EventTypes": ["account.created"]}),
    )
    .await;
    let hook_id = hook["WebhookId"].as_str().unwrap();
    app.new_account("Doomed").await;
    settle(&app).await;
    let event_id = last_event(&app, "account.created").await["EventId"]
        .as_str()
        .unwrap()
        .to_string();
    advance(&app, 45 * 3600).await;
    let d = delivery(&app, hook_id, &event_id).await;
    assert_eq!(d["State"], "DeadLettered");
    assert_eq!(d["NextAttemptOn"], Value::Null);
    let attempts = d["Attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 8);
    assert!(attempts.iter().all(|a| a["ResponseStatus"] == 500));
    let gaps: Vec<f64> = attempts
        .windows(2)
        .map(|w| seconds_between(&w[0]["AttemptedOn"], &w[1]["AttemptedOn"]))
        .collect();
    for (gap, base) in gaps
        .iter()
        .zip([5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0])
    {
        assert!(
            *gap >= base * 0.8 && *gap <= base * 1.2,
            "gap {gap} for {base}"
        );
    }
    assert_eq!(rx.of_event(&event_id).len(), 8);
    let dead = deliveries(&app, &format!("State=DeadLettered&WebhookId={hook_id}")).await;
    assert_eq!(dead["TotalDeliveries"], 1);

    rx.answer(204);
    let replayed = app
        .call("/v1.0/webhooks/replay", json!({"EventId": event_id}))
        .await
        .ok();
    assert_eq!(replayed, json!({"Replayed": 1}));
    settle(&app).await;
    let d = delivery(&app, hook_id, &event_id).await;
    assert_eq!(
        (d["State"].as_str(), d["Attempts"].as_array().unwrap().len()),
        (Some("Succeeded"), 9)
    );
    assert_eq!(d["Attempts"][8]["Attempt"], 9);
    let got = rx.of_event(&event_id);
    assert_eq!(got.len(), 9, "the replay went out with the same webhook-id");
    // Nothing failed any more: a Since replay (OnlyFailed by default) finds nothing; forcing it resends.
    let since = json!({"Since": "2025-11-07T00:00:00Z", "WebhookId": hook_id});
    assert_eq!(
        app.call("/v1.0/webhooks/replay", since).await.ok()["Replayed"],
        0
    );
    let forced =
        json!({"Since": "2025-11-07T00:00:00Z", "WebhookId": hook_id, "OnlyFailed": false});
    assert_eq!(
        app.call("/v1.0/webhooks/replay", forced).await.ok()["Replayed"],
        1
    );
    settle(&app).await;
    assert_eq!(rx.of_event(&event_id).len(), 10);
    let metrics = app
        .request(reqwest::Method::GET, "/metrics", None, None)
        .await
        .text;
    assert!(
        metrics.contains("mpaas_webhook_attempts_total{kind=\"Event\",outcome=\"5xx\"}"),
        "{metrics}"
    );
    assert!(metrics.contains("mpaas_webhook_dead_letters_total{kind=\"Event\"}"));
    app.stop().await;
}
