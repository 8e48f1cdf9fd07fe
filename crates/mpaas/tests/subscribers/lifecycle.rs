//! Transfer to another account and delete.

use serde_json::json;

use crate::common::TestApp;
use crate::support::{
    assert_invalid, assert_subscriber_shape, delete, event_account, events_of, foreign_account,
    get, ids_of, not_found, sid, sid_alias, transfer, update,
};

#[tokio::test]
async fn transfer_moves_a_subscriber_to_another_account() {
    let app = TestApp::start().await;
    let doe = app.new_account("Doe Family").await;
    let roe = app.new_account("Roe Family").await;
    let sam = app.new_subscriber(&doe, "sam@example.com").await;
    let id = sid(&sam);
    let (_, _, foreign) = foreign_account(&app).await;
    let foreign = foreign["AccountId"].as_str().unwrap().to_string();
    let unknown = format!("AID-{}", uuid::Uuid::now_v7());

    let between = |from: &str, to: &str| json!({"SubscriberId": id, "FromAccountId": from, "ToAccountId": to});
    let invalid = [
        (between(&unknown, &roe), "FromAccountId"),
        (between("AID-1", &roe), "FromAccountId"),
        (between(&foreign, &roe), "FromAccountId"),
        (between(&doe, &unknown), "ToAccountId"),
        (between(&doe, "garbage"), "ToAccountId"),
        (between(&doe, &foreign), "ToAccountId"),
    ];
    for (request, field) in invalid {
        let resp = transfer(&app, request).await;
        assert_invalid(&resp, field, "Invalid AccountId");
    }
    let resp = transfer(&app, between(&doe, &doe.to_uppercase())).await;
    resp.assert_problem(400, "FromAccountId and ToAccountId must differ");
    let resp = transfer(&app, between(&roe, &doe)).await;
    resp.assert_problem(409, "Subscriber does not belong to FromAccountId");
    assert_eq!(resp.body["Title"], "Conflict");
    let resp = transfer(&app, json!({})).await;
    resp.assert_problem(400, "SubscriberId is required");
    for field in ["SubscriberId", "FromAccountId", "ToAccountId"] {
        resp.assert_field_error(field, &format!("{field} is required"));
    }
    assert!(events_of(&app, "subscriber.transferred").await.is_empty());

    let request = json!({"SubscriberId": sid_alias(&id), "FromAccountId": doe, "ToAccountId": roe});
    let moved = transfer(&app, request).await.ok();
    assert_subscriber_shape(&moved);
    assert_eq!(moved["SubscriberId"], id.as_str());
    assert_eq!(
        moved["Account"],
        json!({"AccountId": roe, "CompanyName": "Roe Family"})
    );
    assert_eq!(moved["Email"], sam["Email"]);
    assert_eq!(get(&app, &format!("SubscriberId={id}")).await.ok(), moved);
    assert_eq!(
        get(&app, &format!("AccountId={doe}")).await.ok()["TotalSubscribers"],
        0
    );
    let target = get(&app, &format!("AccountId={roe}")).await.ok();
    assert_eq!(ids_of(&target), [id.as_str()]);
    // The subscriber is no longer in the source account.
    let resp = transfer(&app, between(&doe, &roe)).await;
    resp.assert_problem(409, "Subscriber does not belong to FromAccountId");

    let events = events_of(&app, "subscriber.transferred").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].1, id);
    assert_eq!(
        events[0].2,
        json!({"SubscriberId": id, "FromAccountId": doe, "ToAccountId": roe})
    );
    assert_eq!(
        event_account(&app, "subscriber.transferred")
            .await
            .as_deref(),
        Some(roe.as_str()),
        "event AccountId is the target"
    );
    app.stop().await;
}

#[tokio::test]
async fn delete_removes_a_subscriber_from_every_read() {
    let app = TestApp::start().await;
    let doe = app.new_account("Doe Family").await;
    let roe = app.new_account("Roe Family").await;
    let jane = app.new_subscriber(&doe, "Jane@Example.com").await;
    let sam = app.new_subscriber(&doe, "sam@example.com").await;
    let id = sid(&jane);

    let deleted = delete(&app, json!({"SubscriberId": sid_alias(&id)}))
        .await
        .ok();
    let mut keys: Vec<&String> = deleted.as_object().unwrap().keys().collect();
    keys.sort_unstable();
    assert_eq!(keys, ["DateDeleted", "Status", "SubscriberId"], "{deleted}");
    assert_eq!(deleted["SubscriberId"], id.as_str());
    assert_eq!(deleted["Status"], "Deleted");
    assert!(deleted["DateDeleted"]
        .as_str()
        .is_some_and(|t| t.ends_with("+00:00")));

    get(&app, &format!("SubscriberId={id}"))
        .await
        .assert_problem(404, &not_found(&id));
    get(&app, "Email=jane@example.com").await.assert_problem(
        404,
        "Subscriber with email 'jane@example.com' was not found.",
    );
    let update = update(&app, json!({"SubscriberId": id, "Name": "X"})).await;
    update.assert_problem(404, &not_found(&id));
    let request = json!({"SubscriberId": id, "FromAccountId": doe, "ToAccountId": roe});
    transfer(&app, request)
        .await
        .assert_problem(404, &not_found(&id));
    let again = delete(&app, json!({"SubscriberId": id})).await;
    again.assert_problem(404, &not_found(&id));
    let listed = get(&app, &format!("AccountId={doe}")).await.ok();
    assert_eq!(
        (listed["TotalSubscribers"].clone(), ids_of(&listed)),
        (json!(1), vec![sid(&sam)])
    );
    let everyone = app.fetch("/v1.0/distributor/subscribers").await.ok();
    assert_eq!(
        (everyone["TotalSubscribers"].clone(), ids_of(&everyone)),
        (json!(1), vec![sid(&sam)])
    );
    let account = app
        .fetch(&format!("/v1.0/account?AccountId={doe}"))
        .await
        .ok();
    assert_eq!(account["TotalSubscribers"], 1);

    // The email is free again, in any case.
    let reborn = app.new_subscriber(&roe, "JANE@example.com").await;
    assert_ne!(sid(&reborn), id);
    let by_email = get(&app, "Email=jane@example.com").await.ok();
    assert_eq!(by_email["SubscriberId"], reborn["SubscriberId"]);

    let events = events_of(&app, "subscriber.deleted").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].1, id);
    assert_eq!(events[0].2, deleted, "event Data is the delete answer");
    delete(&app, json!({}))
        .await
        .assert_field_error("SubscriberId", "SubscriberId is required");
    app.stop().await;
}
