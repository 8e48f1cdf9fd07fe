//! The 409 guards of a subscriber delete: active subscriptions first, then assigned numbers in
//! any live status.

use serde_json::json;

use crate::common::TestApp;
use crate::lines::{active_number, cancel, force_status, number_by_id, subscribe, text};
use crate::support::{delete, events_of, get, not_found, sid, update};

const HAS_SUBSCRIPTIONS: &str = "Subscriber has active subscriptions";
const HAS_NUMBERS: &str = "Subscriber has assigned phone numbers";

#[tokio::test]
async fn delete_is_refused_while_the_subscriber_holds_anything() {
    let app = TestApp::start().await;
    let account = app.new_account("Doe Family").await;
    let route = app.new_message_route(&account).await;
    let jane = app.new_subscriber(&account, "jane@example.com").await;
    let id = sid(&jane);
    let extra = json!({"AssignedSubscriberId": id});
    let number = active_number(&app, &account, &route, extra).await;
    let tnid = text(&number, "PhoneNumberId");
    let package = app.new_package("10").await;
    let request = json!({"SubscriberId": id, "TNID": tnid, "PackageId": package});
    let subscription = subscribe(&app, request).await.ok();

    // Both hold: the subscriptions guard answers first.
    let resp = delete(&app, json!({"SubscriberId": id})).await;
    resp.assert_problem(409, HAS_SUBSCRIPTIONS);
    assert_eq!(resp.body["Title"], "Conflict");
    assert!(
        resp.body.get("Errors").is_none(),
        "not about a field: {}",
        resp.text
    );

    cancel(&app, &text(&subscription, "SubscriptionId"))
        .await
        .ok();
    delete(&app, json!({"SubscriberId": id}))
        .await
        .assert_problem(409, HAS_NUMBERS);
    // Numbers count in every live status.
    for status in ["Cancelled", "Pending", "Parked"] {
        force_status(&app, &tnid, status).await;
        delete(&app, json!({"SubscriberId": id}))
            .await
            .assert_problem(409, HAS_NUMBERS);
    }
    force_status(&app, &tnid, "Active").await;
    assert_eq!(
        get(&app, &format!("SubscriberId={id}")).await.ok()["PhoneNumbers"],
        json!([text(&number, "PhoneNumberAssigned")])
    );
    assert!(events_of(&app, "subscriber.deleted").await.is_empty());

    update(&app, json!({"SubscriberId": id, "PhoneNumbers": []}))
        .await
        .ok();
    let deleted = delete(&app, json!({"SubscriberId": id})).await.ok();
    assert_eq!(deleted["Status"], "Deleted");
    get(&app, &format!("SubscriberId={id}"))
        .await
        .assert_problem(404, &not_found(&id));
    assert_eq!(
        number_by_id(&app, &tnid).await["AssignedSubscriberId"],
        json!(null)
    );
    // Its ended subscription still names it.
    let ended = app
        .fetch(&format!(
            "/v1.0/subscriptions?SubscriptionId={}",
            text(&subscription, "SubscriptionId")
        ))
        .await
        .ok();
    assert_eq!(ended["SubscriberId"], id.as_str());
    app.stop().await;
}
