//! Money on the wire: numbers or numeric strings in, exact shortest JSON numbers out.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::support::{
    assert_invalid, create_package, create_product, get_package, get_product, product_body, text,
    typed_product, update_item, update_product,
};

const RULE: &str =
    "must be a number or numeric string from 0 to 999999999.9999 with at most 4 decimal places";

/// The raw text of a `"<key>":<number>` pair as the server wrote it.
fn raw_pair(key: &str, value: &str) -> String {
    format!("\"{key}\":{value},")
}

#[tokio::test]
async fn prices_read_back_exactly() {
    let app = TestApp::start().await;
    let product = typed_product(&app, "DATA", "data", "MRC").await;
    let body = json!({"PackageName": "Exact", "Type": "esim", "Price": 0.3, "PackageItems": [
        {"ProductId": product, "Price": 0.1}, {"ProductId": product, "Price": 0.2},
        {"ProductId": product, "Price": "1.12"}, {"ProductId": product, "Price": 0.0045},
        {"ProductId": product, "Price": "999999999.9999"}, {"ProductId": product, "Price": "30.00"}]});
    let package = create_package(&app, body).await.ok();
    let read = get_package(&app, &text(&package, "PackageId")).await;
    for value in ["0.1", "0.2", "1.12", "0.0045", "999999999.9999", "30"] {
        assert!(
            read.text.contains(&raw_pair("Price", value)),
            "{value} in {}",
            read.text
        );
    }
    assert!(
        read.text.contains(&raw_pair("Price", "0.3")),
        "package price in {}",
        read.text
    );
    let prices: Vec<Value> = read.body["PackageItems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["Price"].clone())
        .collect();
    let expected = [
        json!(0.1),
        json!(0.2),
        json!(1.12),
        json!(0.0045),
        json!(999999999.9999),
        json!(30),
    ];
    assert_eq!(prices, expected);
    app.stop().await;
}

#[tokio::test]
async fn costs_accept_numbers_and_numeric_strings() {
    let app = TestApp::start().await;
    for (sku, cost, shown) in [
        ("A", json!("1.12"), "1.12"),
        ("B", json!(0.0045), "0.0045"),
        ("C", json!("007.50"), "7.5"),
        ("D", json!(0), "0"),
        ("E", json!(999999999.9999), "999999999.9999"),
    ] {
        let mut body = product_body(sku, "MRC");
        body["Cost"] = cost;
        let product = create_product(&app, body).await.ok();
        let read = get_product(&app, &text(&product, "ProductId")).await;
        assert!(
            read.text.contains(&raw_pair("Cost", shown)),
            "{shown} in {}",
            read.text
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn invalid_amounts_are_refused() {
    let app = TestApp::start().await;
    let product = typed_product(&app, "DATA", "data", "MRC").await;
    let invalid = [
        json!(-1),
        json!("-0.5"),
        json!(0.00001),
        json!("1.23456"),
        json!(1000000000),
        json!("1e3"),
        json!("abc"),
        json!(""),
        json!(true),
        json!([1]),
        json!({"v": 1}),
    ];
    for value in invalid {
        let mut body = product_body("BAD", "MRC");
        body["Cost"] = value.clone();
        assert_invalid(
            &create_product(&app, body).await,
            "Cost",
            &format!("Cost {RULE}"),
        );
        let resp = update_product(&app, json!({"ProductId": product, "Cost": value})).await;
        assert_invalid(&resp, "Cost", &format!("Cost {RULE}"));
        let body = json!({"PackageName": "P", "Type": "esim", "Price": value});
        assert_invalid(
            &create_package(&app, body).await,
            "Price",
            &format!("Price {RULE}"),
        );
    }
    let resp = update_item(&app, json!({"PackageItemId": "PIID-x", "Price": "0.12345"})).await;
    assert_invalid(&resp, "Price", &format!("Price {RULE}"));
    let read = get_product(&app, &product).await.ok();
    assert_eq!(read["Cost"], json!(1), "unchanged");
    app.stop().await;
}
