//! Hostile values in every property of every catalogue endpoint: always a client error or a
//! success, never a server error.

use serde_json::{json, Value};

use crate::common::{TestApp, ADMIN_TOKEN, KEY};
use crate::support::{new_package, text, typed_product};

fn hostile_values() -> Vec<Value> {
    vec![
        json!(null),
        json!(""),
        json!("\u{0}"),
        json!("x".repeat(600)),
        json!("É\u{301}ß中😀"),
        json!("' OR 1=1 --"),
        json!(-1),
        json!(1e300),
        json!(18446744073709551615u64),
        json!(0.00001),
        json!(true),
        json!([]),
        json!([{"ProductId": null}]),
        json!({"ESIM": "\u{0}"}),
        json!("PRID-019a4a55-5ecc-7614-97be-31111a2a73ed"),
    ]
}

/// Sends every hostile value in each property of `base`, one at a time.
async fn sweep(app: &TestApp, path: &str, token: &str, base: Value) {
    let props: Vec<String> = base.as_object().unwrap().keys().cloned().collect();
    for prop in props {
        for value in hostile_values() {
            let mut body = base.clone();
            body[&prop] = value.clone();
            let resp = app.post(path, token, body).await;
            assert!(
                resp.status.as_u16() < 500,
                "{path} {prop}={value}: {}",
                resp.text
            );
        }
    }
}

#[tokio::test]
async fn hostile_bodies_never_cause_a_server_error() {
    let app = TestApp::start().await;
    let product = typed_product(&app, "ESIM", "esim", "NRC").await;
    let package = new_package(&app, "P", json!([{"ProductId": product, "Price": 1}])).await;
    let package_id = text(&package, "PackageId");
    let item = text(&package["PackageItems"][0], "PackageItemId");
    let item_body = json!({"ProductId": product, "Price": 1, "Monthly": true, "Type": "t"});
    let cases = [
        (
            "/v1.0/products",
            json!({"SKU": "S", "Description": "d", "Type": "t", "SubType": "s", "Cost": 1, "BillingFrequency": "MRC"}),
        ),
        (
            "/v1.0/products/update",
            json!({"ProductId": product, "SKU": "Q", "Description": "d", "Type": "t", "SubType": "s", "Cost": 1, "BillingFrequency": "NRC", "Active": true}),
        ),
        (
            "/v1.0/packages",
            json!({"PackageName": "n", "Description": "d", "Type": "t", "Price": 1, "Monthly": true, "SubscriberId": null, "PackageItems": [item_body]}),
        ),
        (
            "/v1.0/packages/update",
            json!({"PackageId": package_id, "PackageName": "n", "Description": "d", "Type": "t", "Price": 1, "Monthly": true, "SubscriberId": null, "Active": true}),
        ),
        (
            "/v1.0/packages/items/add",
            json!({"PackageId": package_id, "ProductId": product, "Price": 1, "Monthly": true, "Type": "t"}),
        ),
        (
            "/v1.0/packages/items/update",
            json!({"PackageItemId": item, "ProductId": product, "Price": 1, "Monthly": true, "Type": "t", "Active": true}),
        ),
    ];
    for (path, base) in cases {
        let token = app.token(path).await;
        sweep(&app, path, &token, base).await;
    }
    let seed = format!("/admin/v1/distributors/{KEY}/seed-catalog");
    sweep(&app, &seed, ADMIN_TOKEN, json!({"Costs": {"ESIM": 1}})).await;
    let token = app.token("/v1.0/packages/items/delete").await;
    sweep(
        &app,
        "/v1.0/packages/items/delete",
        &token,
        json!({"PackageItemId": item}),
    )
    .await;
    app.stop().await;
}
