//! Create: the documented shape, addresses with all six keys, and every field error.

use serde_json::{json, Value};

use crate::common::{TestApp, KEY};
use crate::support::{
    account_events, assert_invalid, assert_six_keys, billing, create, empty_address, get_account,
    id,
};

#[tokio::test]
async fn creates_an_account_with_the_documented_shape() {
    let app = TestApp::start().await;
    let body = json!({
        "AccountName": "  Doe Family  ",
        "AccountAdmin": " jane.doe@example.com ",
        "BillingAddress": {"Street1": "  2701 N Thanksgiving Way ", "Street2": "Apt 4", "City": "Lehi", "State": "UT", "Zip": "84043", "Country": "USA"},
        "MailingAddress": {"Street1": null, "City": null, "State": null, "Zip": null}
    });
    let account = create(&app, body).await;
    let account_id = id(&account);
    assert!(account_id.starts_with("AID-"), "{account_id}");
    assert_eq!(account_id.len(), 40, "AID- plus a hyphenated UUID");
    assert_eq!(account["AccountName"], "Doe Family", "name trimmed");
    assert_eq!(
        account["AccountAdmin"], "jane.doe@example.com",
        "admin trimmed"
    );
    assert_eq!(
        account["BillingAddress"],
        billing(),
        "address values trimmed"
    );
    assert_eq!(account["MailingAddress"], empty_address());
    assert_eq!(account["TotalSubscribers"], 0);
    assert_eq!(account["DistributorId"], KEY);
    assert!(
        account["CreatedOn"]
            .as_str()
            .is_some_and(|t| t.ends_with("+00:00")),
        "{account}"
    );
    let keys: Vec<&String> = account.as_object().unwrap().keys().collect();
    assert_eq!(
        keys.len(),
        8,
        "exactly the documented properties: {account}"
    );

    let events = app.events(KEY).await;
    let created: Vec<_> = events
        .iter()
        .filter(|(t, _, _)| t == "account.created")
        .collect();
    assert_eq!(created.len(), 1, "{events:?}");
    assert_eq!(created[0].1, account_id);
    assert_eq!(created[0].2, account, "event Data is the account object");
    app.stop().await;
}

#[tokio::test]
async fn addresses_always_carry_all_six_keys() {
    let app = TestApp::start().await;
    let account = create(
        &app,
        json!({"AccountName": "Bare", "AccountAdmin": "bare@example.com"}),
    )
    .await;
    assert_eq!(account["BillingAddress"], empty_address());
    assert_eq!(account["MailingAddress"], empty_address());
    let partial = json!({"AccountName": "Partial", "AccountAdmin": "p@example.com", "BillingAddress": {"city": "Provo"}, "MailingAddress": {}});
    let partial = create(&app, partial).await;
    assert_six_keys(&partial["BillingAddress"]);
    assert_eq!(
        partial["BillingAddress"]["City"], "Provo",
        "address keys match case-insensitively"
    );
    assert_eq!(partial["BillingAddress"]["Street1"], Value::Null);
    assert_eq!(partial["MailingAddress"], empty_address());
    let listed = app.fetch("/v1.0/distributor/accounts").await.ok();
    for account in listed["Results"].as_array().unwrap() {
        assert_six_keys(&account["BillingAddress"]);
        assert_six_keys(&account["MailingAddress"]);
    }
    let fetched = get_account(&app, &id(&partial)).await.ok();
    assert_six_keys(&fetched["BillingAddress"]);
    assert_six_keys(&fetched["MailingAddress"]);
    for (_, _, data) in app.events(KEY).await {
        assert_six_keys(&data["BillingAddress"]);
        assert_six_keys(&data["MailingAddress"]);
    }
    app.stop().await;
}

#[tokio::test]
async fn create_reports_every_documented_field_error() {
    let app = TestApp::start().await;
    let admin = "jane@example.com";
    let long_name = "n".repeat(201);
    let long_street = "s".repeat(101);
    let cases = [
        (
            json!({"AccountAdmin": admin}),
            "AccountName",
            "AccountName is required",
        ),
        (
            json!({"AccountName": null, "AccountAdmin": admin}),
            "AccountName",
            "AccountName is required",
        ),
        (
            json!({"AccountName": "", "AccountAdmin": admin}),
            "AccountName",
            "AccountName is required",
        ),
        (
            json!({"AccountName": "   ", "AccountAdmin": admin}),
            "AccountName",
            "AccountName is required",
        ),
        (
            json!({"AccountName": long_name, "AccountAdmin": admin}),
            "AccountName",
            "AccountName must be between 1 and 200 characters",
        ),
        (
            json!({"AccountName": 42, "AccountAdmin": admin}),
            "AccountName",
            "AccountName must be a string",
        ),
        (
            json!({"AccountName": true, "AccountAdmin": admin}),
            "AccountName",
            "AccountName must be a string",
        ),
        (
            json!({"AccountName": ["Doe"], "AccountAdmin": admin}),
            "AccountName",
            "AccountName must be a string",
        ),
        (
            json!({"AccountName": "Doe"}),
            "AccountAdmin",
            "AccountAdmin is required",
        ),
        (
            json!({"AccountName": "Doe", "AccountAdmin": null}),
            "AccountAdmin",
            "AccountAdmin is required",
        ),
        (
            json!({"AccountName": "Doe", "AccountAdmin": ""}),
            "AccountAdmin",
            "AccountAdmin is required",
        ),
        (
            json!({"AccountName": "Doe", "AccountAdmin": "not-an-email"}),
            "AccountAdmin",
            "AccountAdmin must be a valid email address",
        ),
        (
            json!({"AccountName": "Doe", "AccountAdmin": "jane@example"}),
            "AccountAdmin",
            "AccountAdmin must be a valid email address",
        ),
        (
            json!({"AccountName": "Doe", "AccountAdmin": 7}),
            "AccountAdmin",
            "AccountAdmin must be a string",
        ),
        (
            json!({"AccountName": "Doe", "AccountAdmin": admin, "BillingAddress": {"Street1": long_street}}),
            "BillingAddress.Street1",
            "BillingAddress.Street1 must be between 0 and 100 characters",
        ),
        (
            json!({"AccountName": "Doe", "AccountAdmin": admin, "MailingAddress": {"Country": "c".repeat(101)}}),
            "MailingAddress.Country",
            "MailingAddress.Country must be between 0 and 100 characters",
        ),
        (
            json!({"AccountName": "Doe", "AccountAdmin": admin, "MailingAddress": {"City": 5}}),
            "MailingAddress.City",
            "MailingAddress.City must be a string",
        ),
        (
            json!({"AccountName": "Doe", "AccountAdmin": admin, "BillingAddress": "Main St"}),
            "BillingAddress",
            "BillingAddress must be an object",
        ),
    ];
    for (body, field, message) in cases {
        let resp = app.call("/v1.0/account/create", body.clone()).await;
        assert_invalid(&resp, field, message);
        assert_eq!(
            resp.body["Type"],
            "https://tools.ietf.org/html/rfc7231#section-6.5.1"
        );
    }
    // Both required fields missing: both reported, Detail repeats the first.
    let resp = app.call("/v1.0/account/create", json!({})).await;
    assert_invalid(&resp, "AccountName", "AccountName is required");
    resp.assert_field_error("AccountAdmin", "AccountAdmin is required");
    // Boundaries are accepted: 200 characters of name, 100 of address value.
    let edge = json!({"AccountName": "n".repeat(200), "AccountAdmin": admin, "BillingAddress": {"Street1": "s".repeat(100)}});
    let edge = create(&app, edge).await;
    assert_eq!(edge["AccountName"].as_str().unwrap().len(), 200);
    assert_eq!(
        edge["BillingAddress"]["Street1"].as_str().unwrap().len(),
        100
    );
    // Only the valid create stored anything.
    let listed = app.fetch("/v1.0/distributor/accounts").await.ok();
    assert_eq!(listed["TotalAccounts"], 1);
    assert_eq!(
        account_events(&app).await.len(),
        1,
        "failed creates write no event"
    );
    app.stop().await;
}
