//! Packages: create with items in one transaction, get, update, subscriber scope and events.

use serde_json::{json, Value};

use crate::common::{TestApp, KEY};
use crate::support::{
    aggregator_id, assert_invalid, assert_keys, assert_not_found, create_package, event_types,
    events_of, get_package, new_package, text, typed_product, update_package, update_product,
    ITEM_KEYS, PACKAGE_KEYS,
};

/// The three products of the contract's example: eSIM (NRC), data and SMS (MRC).
async fn example_products(app: &TestApp) -> [String; 3] {
    [
        typed_product(app, "ESIM", "esim", "NRC").await,
        typed_product(app, "DATA-10GB", "data", "MRC").await,
        typed_product(app, "SMS-UNL", "sms", "MRC").await,
    ]
}

#[tokio::test]
async fn create_with_items_answers_the_package_and_writes_events() {
    let app = TestApp::start().await;
    let [esim, data, sms] = example_products(&app).await;
    let body = json!({"PackageName": "Family 10GB", "Description": "10 GB data + unlimited SMS",
        "Type": "esim", "Price": 39.99, "Monthly": true, "PackageItems": [
            {"ProductId": esim, "Price": "0.00", "Monthly": false, "Type": "esim"},
            {"ProductId": data, "Price": "30.00", "Monthly": true, "Type": "data"},
            {"ProductId": sms, "Price": "9.99", "Monthly": true, "Type": "sms"}]});
    let package = create_package(&app, body).await.ok();
    assert_keys(&package, &PACKAGE_KEYS);
    let id = text(&package, "PackageId");
    assert!(id.starts_with("PID-"));
    assert_eq!(package["PackageName"], "Family 10GB");
    assert_eq!(package["Description"], "10 GB data + unlimited SMS");
    assert_eq!(package["DistributorId"], KEY);
    assert_eq!(package["AggregatorId"], aggregator_id(&app).await);
    assert_eq!(package["SubscriberId"], json!(null));
    assert_eq!(package["Type"], "esim");
    assert_eq!(package["Price"], json!(39.99));
    assert_eq!(package["Monthly"], true);
    assert_eq!(package["Active"], true);
    let items = package["PackageItems"].as_array().expect("items");
    assert_eq!(items.len(), 3);
    for (item, (product, price)) in
        items
            .iter()
            .zip([(&esim, json!(0)), (&data, json!(30)), (&sms, json!(9.99))])
    {
        assert_keys(item, &ITEM_KEYS);
        assert!(text(item, "PackageItemId").starts_with("PIID-"));
        assert_eq!(item["PackageId"], id);
        assert_eq!(item["ProductId"], *product);
        assert_eq!(item["Price"], price);
        assert_eq!(item["AggregatorId"], package["AggregatorId"]);
        assert_eq!(item["DistributorId"], KEY);
        assert_eq!(item["Active"], true);
    }
    assert!(app
        .fetch(&format!("/v1.0/packages?PackageId={id}"))
        .await
        .text
        .contains("\"Price\":0,"));
    assert_eq!(items[0]["Monthly"], false);
    assert_eq!(get_package(&app, &id).await.ok(), package);
    let types = event_types(&app, "package.").await;
    assert_eq!(
        types,
        [
            "package.created",
            "package.item_added",
            "package.item_added",
            "package.item_added"
        ]
    );
    assert_eq!(
        events_of(&app, "package.created").await[0],
        (id, package.clone())
    );
    let added: Vec<Value> = events_of(&app, "package.item_added")
        .await
        .into_iter()
        .map(|e| e.1)
        .collect();
    assert_eq!(added, *items);
    app.stop().await;
}

#[tokio::test]
async fn item_defaults_come_from_the_product() {
    let app = TestApp::start().await;
    let [esim, data, _] = example_products(&app).await;
    let body = json!({"PackageName": "Defaults", "Type": "sip", "Price": "12",
        "PackageItems": [{"ProductId": esim, "Price": 1}, {"ProductId": data, "Price": 2}, {"ProductId": data, "Price": 3}]});
    let package = create_package(&app, body).await.ok();
    assert_eq!(package["Monthly"], true, "a package is monthly by default");
    assert_eq!(package["Description"], json!(null));
    let items = package["PackageItems"].as_array().unwrap();
    assert_eq!(
        (&items[0]["Monthly"], &items[0]["Type"]),
        (&json!(false), &json!("esim"))
    );
    assert_eq!(
        (&items[1]["Monthly"], &items[1]["Type"]),
        (&json!(true), &json!("data"))
    );
    assert_eq!(
        items[2]["ProductId"], data,
        "the same product may appear twice"
    );
    // Without items: an empty list.
    let empty = create_package(
        &app,
        json!({"PackageName": "Bare", "Type": "esim", "Price": 0, "Monthly": false}),
    )
    .await
    .ok();
    assert_eq!(empty["PackageItems"], json!([]));
    assert_eq!(empty["Monthly"], false);
    app.stop().await;
}

#[tokio::test]
async fn create_refuses_invalid_fields_with_item_paths() {
    let app = TestApp::start().await;
    let [esim, ..] = example_products(&app).await;
    let resp = create_package(&app, json!({})).await;
    for field in ["PackageName", "Type", "Price"] {
        resp.assert_field_error(field, &format!("{field} is required"));
    }
    let body = json!({"PackageName": "P", "Type": "esim", "Price": 1, "Monthly": "yes",
        "PackageItems": [{"ProductId": esim, "Price": 1}, {"ProductId": esim}, "nope",
            {"Price": "abc", "Type": ""}]});
    let resp = create_package(&app, body).await;
    resp.assert_field_error("Monthly", "Monthly must be a boolean");
    resp.assert_field_error("PackageItems[1].Price", "PackageItems[1].Price is required");
    resp.assert_field_error("PackageItems[2]", "PackageItems[2] must be an object");
    resp.assert_field_error(
        "PackageItems[3].ProductId",
        "PackageItems[3].ProductId is required",
    );
    resp.assert_field_error(
        "PackageItems[3].Type",
        "PackageItems[3].Type must be between 1 and 50 characters",
    );
    let money = "PackageItems[3].Price must be a number or numeric string from 0 to 999999999.9999 with at most 4 decimal places";
    resp.assert_field_error("PackageItems[3].Price", money);
    let many: Vec<Value> = (0..101)
        .map(|_| json!({"ProductId": esim, "Price": 1}))
        .collect();
    let body = json!({"PackageName": "P", "Type": "esim", "Price": 1, "PackageItems": many});
    assert_invalid(
        &create_package(&app, body).await,
        "PackageItems",
        "PackageItems must contain at most 100 items",
    );
    let hundred: Vec<Value> = (0..100)
        .map(|_| json!({"ProductId": esim, "Price": 1}))
        .collect();
    let body = json!({"PackageName": "Full", "Type": "esim", "Price": 1, "PackageItems": hundred});
    let full = create_package(&app, body).await.ok();
    assert_eq!(full["PackageItems"].as_array().unwrap().len(), 100);
    assert_invalid(
        &create_package(
            &app,
            json!({"PackageName": "n".repeat(101), "Type": "esim", "Price": 1}),
        )
        .await,
        "PackageName",
        "PackageName must be between 1 and 100 characters",
    );
    assert_eq!(events_of(&app, "package.created").await.len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn a_bad_item_rolls_the_whole_package_back() {
    let app = TestApp::start().await;
    let [esim, data, _] = example_products(&app).await;
    update_product(&app, json!({"ProductId": data, "Active": false}))
        .await
        .ok();
    let unknown = "PRID-019a4a55-5ecc-7614-97be-31111a2a73ed";
    let body = json!({"PackageName": "P", "Type": "esim", "Price": 1,
        "PackageItems": [{"ProductId": esim, "Price": 1}, {"ProductId": unknown, "Price": 1}]});
    assert_not_found(&create_package(&app, body).await, "Product", unknown);
    let body = json!({"PackageName": "P", "Type": "esim", "Price": 1,
        "PackageItems": [{"ProductId": esim, "Price": 1}, {"ProductId": data, "Price": 1}]});
    let resp = create_package(&app, body).await;
    resp.assert_problem(409, "Product is inactive");
    assert_eq!(
        resp.body["Errors"]["$.PackageItems[1].ProductId"],
        json!(["Product is inactive"])
    );
    let listed = app.fetch("/v1.0/account/packages").await.ok();
    assert_eq!(listed["TotalPackages"], 0, "nothing was created");
    assert!(event_types(&app, "package.").await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn a_package_can_be_scoped_to_a_subscriber_of_the_caller() {
    let app = TestApp::start().await;
    let account = app.new_account("Doe Family").await;
    let subscriber = app.new_subscriber(&account, "jane@example.com").await;
    let sid = text(&subscriber, "SubscriberId");
    let alias = sid.replacen("TSUID-", "SID-", 1);
    let body =
        json!({"PackageName": "Jane only", "Type": "esim", "Price": 5, "SubscriberId": alias});
    let package = create_package(&app, body).await.ok();
    assert_eq!(
        package["SubscriberId"], sid,
        "answered with the canonical prefix"
    );
    let unknown = "TSUID-019a4985-032d-737c-97fc-695a07a0ca6e";
    let body = json!({"PackageName": "P", "Type": "esim", "Price": 5, "SubscriberId": unknown});
    assert_not_found(&create_package(&app, body).await, "Subscriber", unknown);
    // Events of a scoped package name the subscriber's account.
    let store = app.server().services.store();
    let mut conn = store.reader().await.unwrap();
    let scoped: Option<String> =
        sqlx::query_scalar("SELECT account_id FROM events WHERE type = 'package.created'")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    // Closing the store waits for every connection to come back.
    drop(conn);
    assert_eq!(scoped, Some(account));
    app.stop().await;
}

#[tokio::test]
async fn get_accepts_the_pkid_alias_and_checks_its_query() {
    let app = TestApp::start().await;
    let package = new_package(&app, "Family", json!([])).await;
    let id = text(&package, "PackageId");
    let alias = id.replacen("PID-", "PKID-", 1);
    assert_eq!(get_package(&app, &alias).await.ok(), package);
    let lower = app
        .fetch(&format!(
            "/v1.0/packages?packageid={}",
            alias.to_lowercase()
        ))
        .await;
    assert_eq!(lower.ok()["PackageId"], id);
    assert_invalid(
        &app.fetch("/v1.0/packages").await,
        "PackageId",
        "PackageId is required",
    );
    let unknown = "PKID-019a4a84-0797-70b3-8e9f-f57f43b7a3a6";
    assert_not_found(&get_package(&app, unknown).await, "Package", unknown);
    assert_not_found(&get_package(&app, "PID-x").await, "Package", "PID-x");
    app.stop().await;
}

#[tokio::test]
async fn update_changes_only_the_fields_sent() {
    let app = TestApp::start().await;
    let [esim, ..] = example_products(&app).await;
    let package = new_package(
        &app,
        "Family 10GB",
        json!([{"ProductId": esim, "Price": 1}]),
    )
    .await;
    let id = text(&package, "PackageId");
    let updated = update_package(&app, json!({"PackageId": id, "Price": 34.99}))
        .await
        .ok();
    let mut expected = package.clone();
    expected["Price"] = json!(34.99);
    assert_eq!(updated, expected, "items kept, nothing else changed");
    let account = app.new_account("Doe Family").await;
    let sid = text(
        &app.new_subscriber(&account, "jane@example.com").await,
        "SubscriberId",
    );
    let alias = id.replacen("PID-", "PKID-", 1);
    let body = json!({"PackageId": alias, "PackageName": "Renamed", "Description": "About", "Type": "sip",
        "Monthly": false, "Active": false, "SubscriberId": sid, "Price": null});
    let updated = update_package(&app, body).await.ok();
    assert_eq!(updated["PackageName"], "Renamed");
    assert_eq!(updated["Description"], "About");
    assert_eq!(updated["Type"], "sip");
    assert_eq!(updated["Monthly"], false);
    assert_eq!(updated["Active"], false);
    assert_eq!(updated["SubscriberId"], sid);
    assert_eq!(updated["Price"], json!(34.99), "null means unchanged");
    // Absent SubscriberId keeps the scope; null removes it.
    let kept = update_package(&app, json!({"PackageId": id, "Active": true}))
        .await
        .ok();
    assert_eq!(kept["SubscriberId"], sid);
    let cleared = update_package(&app, json!({"PackageId": id, "SubscriberId": null}))
        .await
        .ok();
    assert_eq!(cleared["SubscriberId"], json!(null));
    assert_eq!(get_package(&app, &id).await.ok(), cleared);
    let events = events_of(&app, "package.updated").await;
    assert_eq!(events.len(), 4);
    assert_eq!(events[3], (id, cleared));
    app.stop().await;
}

#[tokio::test]
async fn update_checks_its_fields_and_targets() {
    let app = TestApp::start().await;
    let package = new_package(&app, "Family", json!([])).await;
    let id = text(&package, "PackageId");
    assert_invalid(
        &update_package(&app, json!({"Price": 1})).await,
        "PackageId",
        "PackageId is required",
    );
    assert_invalid(
        &update_package(&app, json!({"PackageId": id, "PackageName": ""})).await,
        "PackageName",
        "PackageName must be between 1 and 100 characters",
    );
    let unknown = "PID-019a4a84-0797-70b3-8e9f-f57f43b7a3a6";
    let resp = update_package(&app, json!({"PackageId": unknown, "Price": 1})).await;
    assert_not_found(&resp, "Package", unknown);
    let subscriber = "SID-019a4985-032d-737c-97fc-695a07a0ca6e";
    let resp = update_package(&app, json!({"PackageId": id, "SubscriberId": subscriber})).await;
    assert_not_found(&resp, "Subscriber", subscriber);
    assert_eq!(get_package(&app, &id).await.ok(), package, "unchanged");
    assert!(events_of(&app, "package.updated").await.is_empty());
    app.stop().await;
}
