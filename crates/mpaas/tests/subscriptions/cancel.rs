//! Cancel (once, idempotently, without touching the number) and reuse of the number afterwards.

use serde_json::json;

use crate::common::TestApp;
use crate::lines::{cancel, events_of, number_by_id, subscribe, text};
use crate::support::{get, sub_id, subscriber, Line};

#[tokio::test]
async fn cancel_ends_a_subscription_once() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let created = subscribe(&app, line.request()).await.ok();
    let id = sub_id(&created);
    app.advance(3600).await;

    let ended = cancel(&app, &id.to_uppercase()).await.ok();
    assert_eq!(ended["Active"], false);
    assert_eq!(ended["EndReason"], "Cancelled");
    let ended_on = text(&ended, "EndedOn");
    assert!(ended_on.ends_with("+00:00"), "{ended}");
    assert!(ended_on > text(&created, "StartedOn"), "{ended}");
    let mut unchanged = ended.clone();
    unchanged["Active"] = json!(true);
    unchanged["EndedOn"] = json!(null);
    unchanged["EndReason"] = json!(null);
    assert_eq!(unchanged, created, "nothing else changes");
    assert_eq!(get(&app, &format!("SubscriptionId={id}")).await.ok(), ended);

    let events = events_of(&app, "subscription.cancelled").await;
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].1.as_str(), &events[0].2), (id.as_str(), &ended));

    // Again: the same answer, no second event.
    app.advance(60).await;
    assert_eq!(cancel(&app, &id).await.ok(), ended);
    assert_eq!(events_of(&app, "subscription.cancelled").await.len(), 1);

    // The number keeps its assignment and SIM; the subscriber no longer lists the subscription.
    let number = number_by_id(&app, &line.tnid).await;
    assert_eq!(number["AssignedSubscriberId"], line.subscriber.as_str());
    assert_eq!(number["Iccid"], line.esim.as_str());
    let holder = subscriber(&app, &line.subscriber).await;
    assert_eq!(holder["PhoneNumbers"], json!([line.phone]));
    assert_eq!(holder["Subscriptions"], json!([]));

    let missing = format!("SUB-{}", uuid::Uuid::now_v7());
    for bad in [missing.as_str(), "SUB-1", line.tnid.as_str()] {
        cancel(&app, bad)
            .await
            .assert_problem(404, &format!("Subscription with ID '{bad}' was not found."));
    }
    let resp = app.call("/v1.0/subscriptions/delete", json!({})).await;
    resp.assert_problem(400, "SubscriptionId is required");
    resp.assert_field_error("SubscriptionId", "SubscriptionId is required");
    app.stop().await;
}

#[tokio::test]
async fn an_ended_subscription_frees_the_number_and_sim_for_a_new_one() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let first = subscribe(&app, line.request()).await.ok();
    cancel(&app, &sub_id(&first)).await.ok();
    let again = subscribe(&app, line.with(json!({"ICCID": line.esim})))
        .await
        .ok();
    assert_ne!(sub_id(&again), sub_id(&first));
    assert_eq!(again["Active"], true);
    assert_eq!(again["TNID"], line.tnid.as_str());
    assert_eq!(again["ICCID"], line.esim.as_str());
    let holder = subscriber(&app, &line.subscriber).await;
    let listed = json!([{"SubscriptionId": sub_id(&again), "PhoneNumber": line.phone,
        "PackageId": line.package, "Iccid": line.esim}]);
    assert_eq!(holder["Subscriptions"], listed);
    let all = get(&app, &format!("SubscriberId={}", line.subscriber))
        .await
        .ok();
    assert_eq!(all["TotalSubscriptions"], 2);
    assert_eq!(events_of(&app, "subscription.created").await.len(), 2);
    app.stop().await;
}
