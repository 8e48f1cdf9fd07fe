//! Concurrency: parallel creates on one number, and creates racing subscriber updates that
//! assign the same number.

use futures::future::join_all;
use serde_json::json;

use crate::common::TestApp;
use crate::lines::{active_number, events_of, number_by_id, number_updates, text};
use crate::support::{subscriber, Line};

#[tokio::test]
async fn parallel_creates_on_one_number_end_with_one_subscription() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let token = app.token("/v1.0/subscriptions").await;
    let calls = (0..20).map(|_| app.post("/v1.0/subscriptions", &token, line.request()));
    let answers = join_all(calls).await;
    let (won, lost): (Vec<_>, Vec<_>) = answers.iter().partition(|r| r.status.as_u16() == 200);
    let texts: Vec<&String> = answers.iter().map(|r| &r.text).collect();
    assert_eq!(won.len(), 1, "{texts:?}");
    for resp in lost {
        resp.assert_problem(409, "Phone number already has an active subscription");
    }
    let listed = app.fetch("/v1.0/distributor/subscriptions").await.ok();
    assert_eq!(listed["TotalSubscriptions"], 1);
    assert_eq!(listed["Results"], json!([won[0].body]));
    assert_eq!(events_of(&app, "subscription.created").await.len(), 1);
    let updates = number_updates(&app, &line.tnid).await;
    assert_eq!(updates.len(), 1, "one assignment: {updates:?}");
    app.stop().await;
}

/// A create naming its number by `TNID` and `PhoneNumber` and an update listing the same number
/// for the same subscriber both succeed, in whichever order they commit (no lock-order
/// deadlock between them).
#[tokio::test]
async fn creates_and_subscriber_updates_on_one_number_both_succeed() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let create_token = app.token("/v1.0/subscriptions").await;
    let update_token = app.token("/v1.0/subscribers/update").await;
    let mut held = Vec::new();
    for round in 0..12 {
        let number = active_number(&app, &line.account, &line.route, json!({})).await;
        let phone = text(&number, "PhoneNumberAssigned");
        held.push(phone.clone());
        let create = line.with(json!({"TNID": number["PhoneNumberId"], "PhoneNumber": phone}));
        let update = json!({"SubscriberId": line.subscriber, "PhoneNumbers": held});
        let (created, updated) = tokio::join!(
            app.post("/v1.0/subscriptions", &create_token, create),
            app.post("/v1.0/subscribers/update", &update_token, update),
        );
        assert_eq!(
            created.status.as_u16(),
            200,
            "round {round}: {}",
            created.text
        );
        assert_eq!(
            updated.status.as_u16(),
            200,
            "round {round}: {}",
            updated.text
        );
        let tnid = text(&number, "PhoneNumberId");
        assert_eq!(
            number_by_id(&app, &tnid).await["AssignedSubscriberId"],
            line.subscriber.as_str()
        );
    }
    let holder = subscriber(&app, &line.subscriber).await;
    held.sort();
    assert_eq!(holder["PhoneNumbers"], json!(held));
    assert_eq!(holder["Subscriptions"].as_array().map(Vec::len), Some(12));
    app.stop().await;
}
