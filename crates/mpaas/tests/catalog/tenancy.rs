//! Tenant isolation: another distributor's products, packages, items and subscribers are 404.

use serde_json::json;

use crate::common::TestApp;
use crate::support::{
    add_item, assert_not_found, get_package, get_product, new_package, text, typed_product, Foreign,
};

#[tokio::test]
async fn another_distributors_catalogue_is_not_found() {
    let app = TestApp::start().await;
    let product = typed_product(&app, "ESIM", "esim", "NRC").await;
    let package = new_package(&app, "Ours", json!([{"ProductId": product, "Price": 1}])).await;
    let package_id = text(&package, "PackageId");
    let item = text(&package["PackageItems"][0], "PackageItemId");
    let account = app.new_account("Doe Family").await;
    let subscriber = text(
        &app.new_subscriber(&account, "jane@example.com").await,
        "SubscriberId",
    );
    let other = Foreign::new(&app).await;
    let theirs = other
        .call("/v1.0/products", json!({"SKU": "ESIM", "Description": "d", "Type": "esim", "Cost": 1, "BillingFrequency": "NRC"}))
        .await
        .ok();
    let their_product = text(&theirs, "ProductId");
    let body = json!({"PackageName": "Theirs", "Type": "esim", "Price": 1});
    let their_package = text(&other.call("/v1.0/packages", body).await.ok(), "PackageId");

    let resp = other
        .fetch(&format!("/v1.0/products?ProductId={product}"))
        .await;
    assert_not_found(&resp, "Product", &product);
    let body = json!({"ProductId": product, "Cost": 2});
    assert_not_found(
        &other.call("/v1.0/products/update", body).await,
        "Product",
        &product,
    );
    let resp = other
        .fetch(&format!("/v1.0/packages?PackageId={package_id}"))
        .await;
    assert_not_found(&resp, "Package", &package_id);
    let body = json!({"PackageId": package_id, "Price": 2});
    assert_not_found(
        &other.call("/v1.0/packages/update", body).await,
        "Package",
        &package_id,
    );
    let resp = other
        .fetch(&format!("/v1.0/packages/items?PackageId={package_id}"))
        .await;
    assert_not_found(&resp, "Package", &package_id);
    let body = json!({"PackageId": package_id, "ProductId": their_product, "Price": 1});
    assert_not_found(
        &other.call("/v1.0/packages/items/add", body).await,
        "Package",
        &package_id,
    );
    let body = json!({"PackageId": their_package, "ProductId": product, "Price": 1});
    assert_not_found(
        &other.call("/v1.0/packages/items/add", body).await,
        "Product",
        &product,
    );
    let body = json!({"PackageName": "X", "Type": "esim", "Price": 1, "PackageItems": [{"ProductId": product, "Price": 1}]});
    assert_not_found(
        &other.call("/v1.0/packages", body).await,
        "Product",
        &product,
    );
    let body = json!({"PackageItemId": item, "Price": 9});
    let resp = other.call("/v1.0/packages/items/update", body).await;
    assert_not_found(&resp, "Package item", &item);
    let body = json!({"PackageItemId": item});
    let resp = other.call("/v1.0/packages/items/delete", body).await;
    assert_not_found(&resp, "Package item", &item);
    let body = json!({"PackageName": "X", "Type": "esim", "Price": 1, "SubscriberId": subscriber});
    assert_not_found(
        &other.call("/v1.0/packages", body).await,
        "Subscriber",
        &subscriber,
    );
    let body = json!({"PackageId": their_package, "SubscriberId": subscriber});
    let resp = other.call("/v1.0/packages/update", body).await;
    assert_not_found(&resp, "Subscriber", &subscriber);

    // Ours are untouched, and theirs are invisible to us.
    assert_eq!(get_package(&app, &package_id).await.ok(), package);
    assert_eq!(get_product(&app, &product).await.ok()["Cost"], json!(1));
    assert_not_found(
        &get_product(&app, &their_product).await,
        "Product",
        &their_product,
    );
    let body = json!({"PackageId": package_id, "ProductId": their_product, "Price": 1});
    assert_not_found(&add_item(&app, body).await, "Product", &their_product);
    app.stop().await;
}
