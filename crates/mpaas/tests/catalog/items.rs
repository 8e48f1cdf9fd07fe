//! Package items: add, update, delete, the items of a package, and their events.

use serde_json::json;

use crate::common::{TestApp, KEY};
use crate::support::{
    add_item, assert_invalid, assert_keys, assert_not_found, column, delete_item, events_of,
    get_package, new_package, text, typed_product, update_item, update_product, FILTER_MESSAGE,
    ITEM_KEYS,
};

/// A package with no items and an NRC product: (package id, product id).
async fn package_and_product(app: &TestApp) -> (String, String) {
    let product = typed_product(app, "ESIM", "esim", "NRC").await;
    let package = new_package(app, "Family 10GB", json!([])).await;
    (text(&package, "PackageId"), product)
}

#[tokio::test]
async fn add_puts_a_product_in_a_package() {
    let app = TestApp::start().await;
    let (package, product) = package_and_product(&app).await;
    let alias = package.replacen("PID-", "PKID-", 1);
    let body = json!({"PackageId": alias, "ProductId": product, "Price": "1.12", "Monthly": false, "Type": "addon"});
    let item = add_item(&app, body).await.ok();
    assert_keys(&item, &ITEM_KEYS);
    assert!(text(&item, "PackageItemId").starts_with("PIID-"));
    assert_eq!(item["PackageId"], package);
    assert_eq!(item["ProductId"], product);
    assert_eq!(item["DistributorId"], KEY);
    assert_eq!(item["Type"], "addon");
    assert_eq!(item["Price"], json!(1.12));
    assert_eq!(item["Monthly"], false);
    assert_eq!(item["Active"], true);
    // Defaults from the product: NRC is not monthly, the type is the product's.
    let second = add_item(
        &app,
        json!({"PackageId": package, "ProductId": product, "Price": 0}),
    )
    .await
    .ok();
    assert_eq!(
        (&second["Monthly"], &second["Type"]),
        (&json!(false), &json!("esim"))
    );
    let monthly = typed_product(&app, "DATA", "data", "MRC").await;
    let third = add_item(
        &app,
        json!({"PackageId": package, "ProductId": monthly, "Price": 30}),
    )
    .await
    .ok();
    assert_eq!(third["Monthly"], true);
    let read = get_package(&app, &package).await.ok();
    assert_eq!(read["PackageItems"], json!([item, second, third]));
    let events = events_of(&app, "package.item_added").await;
    assert_eq!(events.len(), 3);
    assert_eq!(events[0], (text(&item, "PackageItemId"), item));
    app.stop().await;
}

#[tokio::test]
async fn add_checks_package_product_and_fields() {
    let app = TestApp::start().await;
    let (package, product) = package_and_product(&app).await;
    let resp = add_item(&app, json!({})).await;
    for field in ["PackageId", "ProductId", "Price"] {
        resp.assert_field_error(field, &format!("{field} is required"));
    }
    let unknown_package = "PKID-019a4a84-0797-70b3-8e9f-f57f43b7a3a6";
    let body = json!({"PackageId": unknown_package, "ProductId": product, "Price": 1});
    assert_not_found(&add_item(&app, body).await, "Package", unknown_package);
    let unknown_product = "PRID-019a4a3e-e9a9-7c37-b50b-ea63371ecd7b";
    let body = json!({"PackageId": package, "ProductId": unknown_product, "Price": 1});
    assert_not_found(&add_item(&app, body).await, "Product", unknown_product);
    update_product(&app, json!({"ProductId": product, "Active": false}))
        .await
        .ok();
    let body = json!({"PackageId": package, "ProductId": product, "Price": 1});
    add_item(&app, body)
        .await
        .assert_problem(409, "Product is inactive");
    assert_invalid(
        &add_item(
            &app,
            json!({"PackageId": package, "ProductId": product, "Price": 1, "Type": ""}),
        )
        .await,
        "Type",
        "Type must be between 1 and 50 characters",
    );
    assert_eq!(
        get_package(&app, &package).await.ok()["PackageItems"],
        json!([])
    );
    assert!(events_of(&app, "package.item_added").await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn update_changes_only_the_fields_sent_and_never_the_product() {
    let app = TestApp::start().await;
    let (package, product) = package_and_product(&app).await;
    let body = json!({"PackageId": package, "ProductId": product, "Price": "1.12", "Monthly": false, "Type": "addon"});
    let item = add_item(&app, body).await.ok();
    let id = text(&item, "PackageItemId");
    let updated = update_item(&app, json!({"PackageItemId": id, "Price": 2}))
        .await
        .ok();
    let mut expected = item.clone();
    expected["Price"] = json!(2);
    assert_eq!(updated, expected);
    // The item's own product may be repeated (any case); another one may not.
    let body = json!({"PackageItemId": id, "ProductId": product.to_uppercase(),
        "Monthly": true, "Type": "data", "Active": false});
    let updated = update_item(&app, body).await.ok();
    assert_eq!(
        (&updated["Monthly"], &updated["Type"], &updated["Active"]),
        (&json!(true), &json!("data"), &json!(false))
    );
    let other = typed_product(&app, "DATA", "data", "MRC").await;
    assert_invalid(
        &update_item(&app, json!({"PackageItemId": id, "ProductId": other})).await,
        "ProductId",
        "ProductId cannot be changed",
    );
    assert_invalid(
        &update_item(&app, json!({"PackageItemId": id, "Price": -1})).await,
        "Price",
        "Price must be a number or numeric string from 0 to 999999999.9999 with at most 4 decimal places",
    );
    assert_invalid(
        &update_item(&app, json!({"Price": 1})).await,
        "PackageItemId",
        "PackageItemId is required",
    );
    let unknown = "PIID-019a4b9a-3c11-7e52-a0d4-61b2f9e07c35";
    let resp = update_item(&app, json!({"PackageItemId": unknown, "Price": 1})).await;
    assert_not_found(&resp, "Package item", unknown);
    let read = get_package(&app, &package).await.ok();
    assert_eq!(read["PackageItems"], json!([updated]));
    let events = events_of(&app, "package.item_updated").await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[1], (id, updated));
    app.stop().await;
}

#[tokio::test]
async fn delete_removes_an_item_for_good() {
    let app = TestApp::start().await;
    let (package, product) = package_and_product(&app).await;
    let keep = add_item(
        &app,
        json!({"PackageId": package, "ProductId": product, "Price": 1}),
    )
    .await
    .ok();
    let gone = add_item(
        &app,
        json!({"PackageId": package, "ProductId": product, "Price": 2}),
    )
    .await
    .ok();
    let id = text(&gone, "PackageItemId");
    let answer = delete_item(&app, &id).await.ok();
    assert_eq!(
        answer,
        json!({"PackageItemId": id, "PackageId": package, "Status": "Deleted"})
    );
    assert_eq!(
        get_package(&app, &package).await.ok()["PackageItems"],
        json!([keep])
    );
    assert_not_found(&delete_item(&app, &id).await, "Package item", &id);
    let resp = update_item(&app, json!({"PackageItemId": id, "Price": 3})).await;
    assert_not_found(&resp, "Package item", &id);
    let resp = app.call("/v1.0/packages/items/delete", json!({})).await;
    assert_invalid(&resp, "PackageItemId", "PackageItemId is required");
    let events = events_of(&app, "package.item_deleted").await;
    assert_eq!(events, [(id, gone)]);
    app.stop().await;
}

#[tokio::test]
async fn items_of_a_package_are_paged_and_filtered() {
    let app = TestApp::start().await;
    let (package, product) = package_and_product(&app).await;
    let mut ids = Vec::new();
    for price in 1..=3 {
        let body = json!({"PackageId": package, "ProductId": product, "Price": price});
        ids.push(text(&add_item(&app, body).await.ok(), "PackageItemId"));
    }
    update_item(&app, json!({"PackageItemId": ids[1], "Active": false}))
        .await
        .ok();
    let alias = package.replacen("PID-", "PKID-", 1);
    let page = app
        .fetch(&format!("/v1.0/packages/items?PackageId={alias}"))
        .await
        .ok();
    let keys: Vec<String> = page.as_object().unwrap().keys().cloned().collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "Filter",
            "PackageId",
            "PackageName",
            "PageNumber",
            "PageSize",
            "Results",
            "TotalPackageItems"
        ]
    );
    assert_eq!(page["PackageId"], package);
    assert_eq!(page["PackageName"], "Family 10GB");
    assert_eq!(
        (&page["TotalPackageItems"], &page["Filter"]),
        (&json!(3), &json!("All"))
    );
    assert_eq!(
        (&page["PageNumber"], &page["PageSize"]),
        (&json!(1), &json!(100))
    );
    assert_eq!(column(&page, "PackageItemId"), ids);
    let query =
        format!("/v1.0/packages/items?PackageId={package}&PageNumber=2&PageSize=1&filter=active");
    let page = app.fetch(&query).await.ok();
    assert_eq!(
        (&page["TotalPackageItems"], &page["Filter"]),
        (&json!(2), &json!("Active"))
    );
    assert_eq!(column(&page, "PackageItemId"), [ids[2].clone()]);
    let page = app
        .fetch(&format!(
            "/v1.0/packages/items?PackageId={package}&Filter=Inactive"
        ))
        .await
        .ok();
    assert_eq!(column(&page, "PackageItemId"), [ids[1].clone()]);
    let resp = app
        .fetch(&format!(
            "/v1.0/packages/items?PackageId={package}&Filter=Some"
        ))
        .await;
    assert_invalid(&resp, "Filter", FILTER_MESSAGE);
    let resp = app
        .fetch(&format!(
            "/v1.0/packages/items?PackageId={package}&PageSize=1001"
        ))
        .await;
    assert_invalid(&resp, "PageSize", "PageSize must be between 1 and 1000");
    assert_invalid(
        &app.fetch("/v1.0/packages/items").await,
        "PackageId",
        "PackageId is required",
    );
    let unknown = "PID-019a4a84-0797-70b3-8e9f-f57f43b7a3a6";
    let resp = app
        .fetch(&format!("/v1.0/packages/items?PackageId={unknown}"))
        .await;
    assert_not_found(&resp, "Package", unknown);
    app.stop().await;
}
