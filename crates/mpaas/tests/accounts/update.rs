//! Update: only the fields sent change; field errors change nothing.

use serde_json::json;

use crate::common::{TestApp, KEY};
use crate::support::{assert_invalid, billing, create, empty_address, get_account, id, update};

#[tokio::test]
async fn update_changes_only_the_fields_sent() {
    let app = TestApp::start().await;
    let mailing = json!({"Street1": "PO Box 7", "Street2": null, "City": "Orem", "State": "UT", "Zip": "84057", "Country": "USA"});
    let body = json!({"AccountName": "Doe Family", "AccountAdmin": "jane@example.com", "BillingAddress": billing(), "MailingAddress": mailing});
    let account = create(&app, body).await;
    let account_id = id(&account);
    create(
        &app,
        json!({"AccountName": "Other", "AccountAdmin": "other@example.com"}),
    )
    .await;

    let renamed = update(
        &app,
        json!({"AccountId": account_id, "accountname": "  Doe Household "}),
    )
    .await
    .ok();
    assert_eq!(
        renamed["AccountName"], "Doe Household",
        "property names case-insensitive, value trimmed"
    );
    assert_eq!(renamed["AccountAdmin"], "jane@example.com");
    assert_eq!(renamed["BillingAddress"], billing());
    assert_eq!(renamed["MailingAddress"], mailing);
    assert_eq!(renamed["CreatedOn"], account["CreatedOn"]);
    assert_eq!(renamed["DistributorId"], KEY);

    // An address given replaces the stored one entirely; absent or null leaves it.
    let body = json!({"AccountId": account_id, "BillingAddress": {"City": " Provo ", "Street2": ""}, "MailingAddress": null});
    let moved = update(&app, body).await.ok();
    let expected = json!({"Street1": null, "Street2": "", "City": "Provo", "State": null, "Zip": null, "Country": null});
    assert_eq!(
        moved["BillingAddress"], expected,
        "replaced entirely; an empty string stays empty"
    );
    assert_eq!(moved["MailingAddress"], mailing);
    assert_eq!(moved["AccountName"], "Doe Household");

    let admin = update(
        &app,
        json!({"AccountId": account_id, "AccountAdmin": " sam@example.com "}),
    )
    .await
    .ok();
    assert_eq!(admin["AccountAdmin"], "sam@example.com");
    let cleared = update(&app, json!({"AccountId": account_id, "MailingAddress": {}}))
        .await
        .ok();
    assert_eq!(cleared["MailingAddress"], empty_address());
    assert_eq!(cleared["BillingAddress"], expected);

    // Nothing sent but the id: nothing changes.
    let same = update(&app, json!({"AccountId": account_id})).await.ok();
    assert_eq!(same["AccountName"], "Doe Household");
    let fetched = get_account(&app, &account_id).await.ok();
    assert_eq!(fetched, same);

    let events = app.events(KEY).await;
    let updates: Vec<_> = events
        .iter()
        .filter(|(t, _, _)| t == "account.updated")
        .collect();
    assert_eq!(updates.len(), 5, "one event per update: {events:?}");
    assert!(updates.iter().all(|(_, r, _)| *r == account_id));
    assert_eq!(updates[0].2, renamed, "event Data is the account object");
    assert_eq!(updates[1].2, moved);
    assert_eq!(updates[4].2, same);
    app.stop().await;
}

#[tokio::test]
async fn update_reports_field_errors_and_changes_nothing() {
    let app = TestApp::start().await;
    let account = create(
        &app,
        json!({"AccountName": "Doe", "AccountAdmin": "jane@example.com"}),
    )
    .await;
    let account_id = id(&account);
    let cases = [
        (
            json!({"AccountName": ""}),
            "AccountName",
            "AccountName must be between 1 and 200 characters",
        ),
        (
            json!({"AccountName": "n".repeat(201)}),
            "AccountName",
            "AccountName must be between 1 and 200 characters",
        ),
        (
            json!({"AccountName": 1}),
            "AccountName",
            "AccountName must be a string",
        ),
        (
            json!({"AccountAdmin": "jane"}),
            "AccountAdmin",
            "AccountAdmin must be a valid email address",
        ),
        (
            json!({"AccountAdmin": false}),
            "AccountAdmin",
            "AccountAdmin must be a string",
        ),
        (
            json!({"BillingAddress": {"Zip": "z".repeat(101)}}),
            "BillingAddress.Zip",
            "BillingAddress.Zip must be between 0 and 100 characters",
        ),
        (
            json!({"MailingAddress": {"State": 1}}),
            "MailingAddress.State",
            "MailingAddress.State must be a string",
        ),
        (
            json!({"MailingAddress": [1]}),
            "MailingAddress",
            "MailingAddress must be an object",
        ),
    ];
    for (mut body, field, message) in cases {
        body["AccountId"] = json!(account_id);
        let resp = update(&app, body).await;
        assert_invalid(&resp, field, message);
    }
    let fetched = get_account(&app, &account_id).await.ok();
    assert_eq!(fetched, account);
    assert!(app
        .events(KEY)
        .await
        .iter()
        .all(|(t, _, _)| t != "account.updated"));
    app.stop().await;
}
