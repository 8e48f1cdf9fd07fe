//! Update: only the fields sent change; field errors change nothing.

use serde_json::json;

use crate::common::TestApp;
use crate::support::{
    assert_invalid, assert_subscriber_shape, body, create, events_of, get, sid, update,
};

#[tokio::test]
async fn update_changes_only_the_fields_sent() {
    let app = TestApp::start().await;
    let doe = app.new_account("Doe Family").await;
    let roe = app.new_account("Roe Family").await;
    let mut request = body(&doe, "jane@example.com");
    request["Role"] = json!("Manager");
    let jane = create(&app, request).await.ok();
    let id = sid(&jane);

    let renamed = update(&app, json!({"SubscriberId": id, "Name": " Jane Roe "}))
        .await
        .ok();
    assert_subscriber_shape(&renamed);
    assert_eq!(renamed["Name"], "Jane Roe");
    assert_eq!(renamed["Email"], "jane@example.com");
    assert_eq!(renamed["Role"], "Manager");
    assert_eq!(renamed["Account"], jane["Account"]);
    assert_eq!(renamed["CreatedOn"], jane["CreatedOn"]);

    let same = update(
        &app,
        json!({"SubscriberId": id, "Email": "JANE@EXAMPLE.COM"}),
    )
    .await
    .ok();
    assert_eq!(
        same["Email"], "jane@example.com",
        "equal ignoring case: unchanged"
    );
    let nulls = json!({"SubscriberId": id, "Name": null, "Email": null, "Role": null, "Password": null, "PhoneNumbers": null, "AccountId": null});
    assert_eq!(update(&app, nulls).await.ok(), same, "null leaves values");
    let current =
        json!({"SubscriberId": id, "AccountId": doe.to_lowercase(), "Role": "Subscriber"});
    let demoted = update(&app, current).await.ok();
    assert_eq!(demoted["Role"], "Subscriber");
    assert_eq!(demoted["Name"], "Jane Roe");

    let moved = update(
        &app,
        json!({"SubscriberId": id, "Email": "Jane.Roe@Example.com"}),
    )
    .await
    .ok();
    assert_eq!(moved["Email"], "Jane.Roe@Example.com");
    app.new_subscriber(&doe, "jane@example.com").await;

    let resp = update(
        &app,
        json!({"SubscriberId": id, "AccountId": roe, "Name": "X"}),
    )
    .await;
    let transfer_message = "Use /v1.0/subscribers/transfer to move a subscriber to another account";
    assert_invalid(&resp, "AccountId", transfer_message);
    let unknown = format!("AID-{}", uuid::Uuid::now_v7());
    for bad in [unknown.as_str(), "AID-1"] {
        let resp = update(&app, json!({"SubscriberId": id, "AccountId": bad})).await;
        assert_invalid(&resp, "AccountId", "Invalid AccountId");
    }
    let invalid = [
        (
            json!({"SubscriberId": id, "Name": ""}),
            "Name",
            "Name must be between 1 and 200 characters",
        ),
        (
            json!({"SubscriberId": id, "Email": "nope"}),
            "Email",
            "Email must be a valid email address",
        ),
        (
            json!({"Name": "X"}),
            "SubscriberId",
            "SubscriberId is required",
        ),
        (
            json!({"SubscriberId": "", "Name": "X"}),
            "SubscriberId",
            "SubscriberId is required",
        ),
    ];
    for (request, field, message) in invalid {
        update(&app, request)
            .await
            .assert_field_error(field, message);
    }
    let fetched = get(&app, &format!("SubscriberId={id}")).await.ok();
    assert_eq!(fetched, moved, "failed updates changed nothing");

    let updates = events_of(&app, "subscriber.updated").await;
    assert_eq!(updates.len(), 5);
    assert!(updates.iter().all(|(_, r, _)| *r == id));
    assert_eq!(updates[0].2, renamed, "event Data is the subscriber object");
    assert_eq!(updates[4].2, moved);
    app.stop().await;
}
