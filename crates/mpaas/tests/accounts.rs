//! Accounts: create, update, get, the distributor's account list, the `AccountId` tenancy rule,
//! addresses, trimming, live subscriber counts and events.

mod common;

use common::{TestApp, KEY};
use serde_json::{json, Value};

const ADDRESS_KEYS: [&str; 6] = ["Street1", "Street2", "City", "State", "Zip", "Country"];

fn empty_address() -> Value {
    json!({"Street1": null, "Street2": null, "City": null, "State": null, "Zip": null, "Country": null})
}

fn billing() -> Value {
    json!({"Street1": "2701 N Thanksgiving Way", "Street2": "Apt 4", "City": "Lehi", "State": "UT", "Zip": "84043", "Country": "USA"})
}

#[track_caller]
fn assert_six_keys(address: &Value) {
    let map = address
        .as_object()
        .unwrap_or_else(|| panic!("address is not an object: {address}"));
    let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut expected = ADDRESS_KEYS.to_vec();
    expected.sort_unstable();
    assert_eq!(keys, expected, "address keys of {address}");
}

async fn create(app: &TestApp, body: Value) -> Value {
    app.call("/v1.0/account/create", body).await.ok()
}

fn id(v: &Value) -> String {
    v["AccountId"].as_str().expect("AccountId").to_string()
}

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
    let fetched = app
        .fetch(&format!("/v1.0/account?AccountId={}", id(&partial)))
        .await
        .ok();
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
        resp.assert_problem(400, message);
        resp.assert_field_error(field, message);
        assert_eq!(
            resp.body["Type"],
            "https://tools.ietf.org/html/rfc7231#section-6.5.1"
        );
    }
    // Both required fields missing: both reported, Detail repeats the first.
    let resp = app.call("/v1.0/account/create", json!({})).await;
    resp.assert_problem(400, "AccountName is required");
    resp.assert_field_error("AccountName", "AccountName is required");
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

#[tokio::test]
async fn get_returns_one_account_by_id() {
    let app = TestApp::start().await;
    let first = create(&app, json!({"AccountName": "Doe Family", "AccountAdmin": "jane@example.com", "BillingAddress": billing()})).await;
    let account_id = id(&first);
    let fetched = app
        .fetch(&format!("/v1.0/account?AccountId={account_id}"))
        .await
        .ok();
    assert_eq!(fetched, first);
    // Ids compare case-insensitively; query parameter names too.
    let upper = account_id.to_uppercase();
    assert_eq!(
        app.fetch(&format!("/v1.0/account?accountid={upper}"))
            .await
            .ok(),
        first
    );
    let lower = account_id.to_lowercase();
    assert_eq!(
        app.fetch(&format!("/v1.0/account?ACCOUNTID={lower}"))
            .await
            .ok(),
        first
    );
    // The only account is the default.
    assert_eq!(app.fetch("/v1.0/account").await.ok(), first);
    let second = create(
        &app,
        json!({"AccountName": "Roe Family", "AccountAdmin": "alex@example.com"}),
    )
    .await;
    let fetched = app
        .fetch(&format!("/v1.0/account?AccountId={}", id(&second)))
        .await
        .ok();
    assert_eq!(fetched, second);
    assert_eq!(account_events(&app).await.len(), 2, "reads write no event");
    app.stop().await;
}

/// The bootstrap distributor's account events (its own `distributor.created` left out).
async fn account_events(app: &TestApp) -> Vec<(String, String, Value)> {
    app.events(KEY)
        .await
        .into_iter()
        .filter(|(t, _, _)| t.starts_with("account."))
        .collect()
}

#[track_caller]
fn assert_account_id_error(resp: &common::Resp, message: &str) {
    resp.assert_problem(400, message);
    resp.assert_field_error("AccountId", message);
}

#[tokio::test]
async fn account_id_follows_the_tenancy_rule() {
    let app = TestApp::start().await;
    // No account at all.
    assert_account_id_error(&app.fetch("/v1.0/account").await, "AccountId is required");
    let resp = app
        .call("/v1.0/account/update", json!({"AccountName": "X"}))
        .await;
    assert_account_id_error(&resp, "AccountId is required");
    // Exactly one: it is the default.
    let only = create(
        &app,
        json!({"AccountName": "Only", "AccountAdmin": "only@example.com"}),
    )
    .await;
    let updated = app
        .call("/v1.0/account/update", json!({"AccountName": "Only One"}))
        .await
        .ok();
    assert_eq!(updated["AccountId"], only["AccountId"]);
    assert_eq!(updated["AccountName"], "Only One");
    assert_eq!(
        app.fetch("/v1.0/account").await.ok()["AccountName"],
        "Only One"
    );
    // Several: required.
    create(
        &app,
        json!({"AccountName": "Second", "AccountAdmin": "second@example.com"}),
    )
    .await;
    assert_account_id_error(&app.fetch("/v1.0/account").await, "AccountId is required");
    let resp = app
        .call("/v1.0/account/update", json!({"AccountName": "X"}))
        .await;
    assert_account_id_error(&resp, "AccountId is required");
    let resp = app
        .call(
            "/v1.0/account/update",
            json!({"AccountId": null, "AccountName": "X"}),
        )
        .await;
    assert_account_id_error(&resp, "AccountId is required");
    // Unknown, malformed and foreign ids are all 400 Invalid AccountId, never 404.
    let (key, secret) = app.new_distributor("Other Mobile").await;
    let token = app.token_for(&key, &secret, "/v1.0/account/create").await;
    let foreign = app
        .post(
            "/v1.0/account/create",
            &token,
            json!({"AccountName": "Theirs", "AccountAdmin": "t@example.com"}),
        )
        .await
        .ok();
    let unknown = format!("AID-{}", uuid::Uuid::now_v7());
    let subscriber_like = format!("TSUID-{}", uuid::Uuid::now_v7());
    for bad in [
        unknown.as_str(),
        "AID-123",
        "garbage",
        subscriber_like.as_str(),
        foreign["AccountId"].as_str().unwrap(),
    ] {
        assert_account_id_error(
            &app.fetch(&format!("/v1.0/account?AccountId={bad}")).await,
            "Invalid AccountId",
        );
        let resp = app
            .call(
                "/v1.0/account/update",
                json!({"AccountId": bad, "AccountName": "X"}),
            )
            .await;
        assert_account_id_error(&resp, "Invalid AccountId");
    }
    let resp = app
        .call(
            "/v1.0/account/update",
            json!({"AccountId": 12, "AccountName": "X"}),
        )
        .await;
    assert_account_id_error(&resp, "AccountId must be a string");
    // The foreign account is untouched.
    let their_token = app.token_for(&key, &secret, "/v1.0/account").await;
    let theirs = app.get("/v1.0/account", &their_token).await.ok();
    assert_eq!(theirs, foreign);
    app.stop().await;
}

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

    let renamed = app
        .call(
            "/v1.0/account/update",
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
    let moved = app.call("/v1.0/account/update", body).await.ok();
    let expected = json!({"Street1": null, "Street2": "", "City": "Provo", "State": null, "Zip": null, "Country": null});
    assert_eq!(
        moved["BillingAddress"], expected,
        "replaced entirely; an empty string stays empty"
    );
    assert_eq!(moved["MailingAddress"], mailing);
    assert_eq!(moved["AccountName"], "Doe Household");

    let admin = app
        .call(
            "/v1.0/account/update",
            json!({"AccountId": account_id, "AccountAdmin": " sam@example.com "}),
        )
        .await
        .ok();
    assert_eq!(admin["AccountAdmin"], "sam@example.com");
    let cleared = app
        .call(
            "/v1.0/account/update",
            json!({"AccountId": account_id, "MailingAddress": {}}),
        )
        .await
        .ok();
    assert_eq!(cleared["MailingAddress"], empty_address());
    assert_eq!(cleared["BillingAddress"], expected);

    // Nothing sent but the id: nothing changes.
    let same = app
        .call("/v1.0/account/update", json!({"AccountId": account_id}))
        .await
        .ok();
    assert_eq!(same["AccountName"], "Doe Household");
    let fetched = app
        .fetch(&format!("/v1.0/account?AccountId={account_id}"))
        .await
        .ok();
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
        let resp = app.call("/v1.0/account/update", body).await;
        resp.assert_problem(400, message);
        resp.assert_field_error(field, message);
    }
    let fetched = app
        .fetch(&format!("/v1.0/account?AccountId={account_id}"))
        .await
        .ok();
    assert_eq!(fetched, account);
    assert!(app
        .events(KEY)
        .await
        .iter()
        .all(|(t, _, _)| t != "account.updated"));
    app.stop().await;
}

#[tokio::test]
async fn lists_accounts_in_creation_order_with_paging() {
    let app = TestApp::start().await;
    let empty = app.fetch("/v1.0/distributor/accounts").await.ok();
    assert_eq!(
        empty,
        json!({"DistributorId": KEY, "TotalAccounts": 0, "PageNumber": 1, "PageSize": 100, "Results": []})
    );
    let mut ids = Vec::new();
    for name in ["Zulu", "Alpha", "Mike", "Bravo", "Yankee"] {
        ids.push(app.new_account(name).await);
    }
    let all = app.fetch("/v1.0/distributor/accounts").await.ok();
    assert_eq!(all["DistributorId"], KEY);
    assert_eq!(all["TotalAccounts"], 5);
    assert_eq!(all["PageNumber"], 1);
    assert_eq!(all["PageSize"], 100);
    let listed: Vec<&str> = all["Results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["AccountId"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ids, "creation order, not name order");
    let names: Vec<&str> = all["Results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["AccountName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Zulu", "Alpha", "Mike", "Bravo", "Yankee"]);

    let second = list_page(&app, "PageNumber=2&PageSize=2").await;
    assert_eq!(second["TotalAccounts"], 5);
    assert_eq!(second["PageNumber"], 2);
    assert_eq!(second["PageSize"], 2);
    assert_eq!(page_ids(&second), &ids[2..4]);
    let third = list_page(&app, "pagenumber=3&TotalPerPage=2").await;
    assert_eq!(third["PageSize"], 2, "TotalPerPage is an alias of PageSize");
    assert_eq!(page_ids(&third), &ids[4..5]);
    let beyond = list_page(&app, "PageNumber=4&PageSize=2").await;
    assert_eq!(beyond["TotalAccounts"], 5);
    assert_eq!(beyond["Results"], json!([]));
    let max = list_page(&app, "PageSize=1000").await;
    assert_eq!(max["PageSize"], 1000);
    assert_eq!(page_ids(&max), ids);

    let invalid = [
        (
            "PageNumber=0",
            "PageNumber",
            "PageNumber must be 1 or greater",
        ),
        (
            "PageNumber=-1",
            "PageNumber",
            "PageNumber must be 1 or greater",
        ),
        (
            "PageNumber=x",
            "PageNumber",
            "PageNumber must be 1 or greater",
        ),
        (
            "PageSize=0",
            "PageSize",
            "PageSize must be between 1 and 1000",
        ),
        (
            "PageSize=1001",
            "PageSize",
            "PageSize must be between 1 and 1000",
        ),
        (
            "TotalPerPage=abc",
            "PageSize",
            "PageSize must be between 1 and 1000",
        ),
    ];
    for (query, field, message) in invalid {
        let resp = app
            .fetch(&format!("/v1.0/distributor/accounts?{query}"))
            .await;
        resp.assert_problem(400, message);
        resp.assert_field_error(field, message);
    }
    app.stop().await;
}

async fn list_page(app: &TestApp, query: &str) -> Value {
    app.fetch(&format!("/v1.0/distributor/accounts?{query}"))
        .await
        .ok()
}

fn page_ids(page: &Value) -> Vec<String> {
    page["Results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["AccountId"].as_str().unwrap().to_string())
        .collect()
}

async fn total_subscribers(app: &TestApp, account: &str) -> Value {
    app.fetch(&format!("/v1.0/account?AccountId={account}"))
        .await
        .ok()["TotalSubscribers"]
        .clone()
}

#[tokio::test]
async fn total_subscribers_counts_live_subscribers() {
    let app = TestApp::start().await;
    let doe = app.new_account("Doe Family").await;
    let roe = app.new_account("Roe Family").await;
    let jane = app.new_subscriber(&doe, "jane@example.com").await;
    app.new_subscriber(&doe, "sam@example.com").await;
    let alex = app.new_subscriber(&roe, "alex@example.com").await;
    assert_eq!(total_subscribers(&app, &doe).await, 2);
    assert_eq!(total_subscribers(&app, &roe).await, 1);
    let listed = app.fetch("/v1.0/distributor/accounts").await.ok();
    let totals: Vec<&Value> = listed["Results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["TotalSubscribers"])
        .collect();
    assert_eq!(totals, [&json!(2), &json!(1)]);

    let deleted = app
        .call(
            "/v1.0/subscribers/delete",
            json!({"SubscriberId": jane["SubscriberId"]}),
        )
        .await
        .ok();
    assert_eq!(deleted["Status"], "Deleted");
    assert_eq!(
        total_subscribers(&app, &doe).await,
        1,
        "deleted subscribers are excluded"
    );

    let body =
        json!({"SubscriberId": alex["SubscriberId"], "FromAccountId": roe, "ToAccountId": doe});
    app.call("/v1.0/subscribers/transfer", body).await.ok();
    assert_eq!(total_subscribers(&app, &doe).await, 2);
    assert_eq!(total_subscribers(&app, &roe).await, 0);
    let updated = app
        .call(
            "/v1.0/account/update",
            json!({"AccountId": doe, "AccountName": "Doe Household"}),
        )
        .await
        .ok();
    assert_eq!(
        updated["TotalSubscribers"], 2,
        "computed at read time on update too"
    );
    app.stop().await;
}
