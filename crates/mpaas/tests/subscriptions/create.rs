//! Create: the documented object, id aliases, the number forms, the `Type` default and casing,
//! the number's assignment, the events, and the subscriber's derived holdings.

use serde_json::json;

use crate::common::TestApp;
use crate::lines::{active_number, events_of, number_by_id, number_updates, subscribe, text};
use crate::support::{assert_subscription_shape, get, sub_id, subscriber, Line};

#[tokio::test]
async fn creates_a_subscription_with_the_documented_object() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let request = json!({
        "SubscriberId": line.subscriber.replacen("TSUID-", "SID-", 1),
        "TNID": line.tnid.replacen("NID-", "TNID-", 1),
        "PackageId": line.package.replacen("PID-", "PKID-", 1),
        "AccountId": line.account,
    });
    let created = subscribe(&app, request).await.ok();
    assert_subscription_shape(&created);
    let id = sub_id(&created);
    assert!(id.starts_with("SUB-"), "{created}");
    assert_eq!(
        created["SubscriberId"],
        line.subscriber.as_str(),
        "TSUID- answered"
    );
    assert_eq!(created["TNID"], line.tnid.as_str(), "NID- answered");
    assert_eq!(created["PackageId"], line.package.as_str(), "PID- answered");
    assert_eq!(
        created["Type"], "Mvno",
        "default: the number's classification"
    );
    assert_eq!(created["Active"], true);
    assert_eq!(created["AccountId"], line.account.as_str());
    assert_eq!(created["PhoneNumber"], line.phone.as_str());
    assert_eq!(created["ICCID"], line.esim.as_str(), "the number's eSIM");
    assert!(text(&created, "StartedOn").ends_with("+00:00"), "{created}");
    assert_eq!(created["EndedOn"], json!(null));
    assert_eq!(created["EndReason"], json!(null));
    assert_eq!(
        get(&app, &format!("SubscriptionId={id}")).await.ok(),
        created
    );

    // The number is now the subscriber's.
    let number = number_by_id(&app, &line.tnid).await;
    assert_eq!(number["AssignedSubscriberId"], line.subscriber.as_str());
    assert_eq!(number["Iccid"], line.esim.as_str(), "SIM unchanged");

    let holder = subscriber(&app, &line.subscriber).await;
    assert_eq!(holder["PhoneNumbers"], json!([line.phone]));
    let listed = json!([{"SubscriptionId": id, "PhoneNumber": line.phone,
        "PackageId": line.package, "Iccid": line.esim}]);
    assert_eq!(holder["Subscriptions"], listed);

    let events = events_of(&app, "subscription.created").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].1, id);
    assert_eq!(
        events[0].2, created,
        "event Data is the subscription object"
    );
    let updates = number_updates(&app, &line.tnid).await;
    assert_eq!(updates.len(), 1, "{updates:?}");
    assert_eq!(updates[0]["Number"], line.phone.as_str());
    assert_eq!(
        updates[0]["Changes"],
        json!({"AssignedSubscriberId": [null, line.subscriber]})
    );
    app.stop().await;
}

#[tokio::test]
async fn the_number_can_be_named_by_phone_number_or_both() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    // NANP input without `+` is normalised.
    let national = line.phone.trim_start_matches('+').to_string();
    let by_phone = line.with(json!({"TNID": null, "PhoneNumber": national}));
    let created = subscribe(&app, by_phone).await.ok();
    assert_eq!(created["TNID"], line.tnid.as_str());
    assert_eq!(created["PhoneNumber"], line.phone.as_str());

    let second = active_number(&app, &line.account, &line.route, json!({})).await;
    let tnid = text(&second, "PhoneNumberId");
    let phone = text(&second, "PhoneNumberAssigned");
    let both = line.with(json!({"TNID": tnid.to_uppercase(), "PhoneNumber": phone}));
    let created = subscribe(&app, both).await.ok();
    assert_eq!(
        created["TNID"],
        tnid.as_str(),
        "ids compare case-insensitively"
    );
    assert_eq!(created["PhoneNumber"], phone.as_str());

    let holder = subscriber(&app, &line.subscriber).await;
    let mut phones = vec![line.phone.clone(), phone];
    phones.sort();
    assert_eq!(holder["PhoneNumbers"], json!(phones), "ascending");
    assert_eq!(holder["Subscriptions"].as_array().map(Vec::len), Some(2));
    app.stop().await;
}

#[tokio::test]
async fn type_defaults_to_the_classification_and_is_read_in_any_case() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let created = subscribe(&app, line.with(json!({"Type": "MVNO"})))
        .await
        .ok();
    assert_eq!(created["Type"], "Mvno");

    let iot = json!({"NumberType": "IoT"});
    for (i, requested) in [Some("IOT"), Some("iot"), Some("IoT"), None]
        .into_iter()
        .enumerate()
    {
        let number = active_number(&app, &line.account, &line.route, iot.clone()).await;
        assert_eq!(number["Classification"], "IoT", "{number}");
        let tnid = text(&number, "PhoneNumberId");
        let request = line.with(json!({"TNID": tnid, "Type": requested}));
        let created = subscribe(&app, request).await.ok();
        assert_eq!(created["Type"], "Iot", "case {i}: {requested:?}");
    }
    let resp = subscribe(&app, line.with(json!({"Type": "voip"}))).await;
    resp.assert_problem(400, "Invalid Type. Must be one of: Mvno, Iot.");
    resp.assert_field_error("Type", "Invalid Type. Must be one of: Mvno, Iot.");
    app.stop().await;
}

#[tokio::test]
async fn a_number_already_held_by_the_subscriber_is_not_updated() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let extra = json!({"AssignedSubscriberId": line.subscriber});
    let held = active_number(&app, &line.account, &line.route, extra).await;
    let tnid = text(&held, "PhoneNumberId");
    let before = number_updates(&app, &tnid).await.len();
    let created = subscribe(&app, line.with(json!({"TNID": tnid}))).await.ok();
    assert_eq!(created["SubscriberId"], line.subscriber.as_str());
    assert_eq!(
        number_updates(&app, &tnid).await.len(),
        before,
        "no number.updated when nothing on the number changed"
    );
    assert_eq!(events_of(&app, "subscription.created").await.len(), 1);
    app.stop().await;
}
