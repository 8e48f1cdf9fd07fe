//! Catalogue seeding through the admin API: the seven SKUs, costs, idempotence by SKU.

use serde_json::{json, Value};

use reqwest::Method;

use crate::common::{Resp, TestApp, ADMIN_TOKEN, KEY};
use crate::support::{
    assert_invalid, assert_keys, column, create_product, events_of, product_body, text, Foreign,
    PRODUCT_KEYS,
};

const SKUS: [&str; 7] = [
    "ESIM",
    "DATA-1GB",
    "DATA-5GB",
    "DATA-10GB",
    "DATA-UNL",
    "SMS-UNL",
    "VOICE-UNL",
];

async fn seed(app: &TestApp, distributor: &str, body: Value) -> Resp {
    let path = format!("/admin/v1/distributors/{distributor}/seed-catalog");
    app.admin_post(&path, body).await
}

#[tokio::test]
async fn seeding_creates_the_standard_products_once() {
    let app = TestApp::start().await;
    let costs = json!({"Costs": {"ESIM": 1.5, "data-10gb": "6.25"}});
    let first = seed(&app, KEY, costs.clone()).await.ok();
    assert_eq!(first["DistributorId"], KEY);
    assert_eq!(
        (&first["ProductsCreated"], &first["ProductsSkipped"]),
        (&json!(7), &json!(0))
    );
    assert_eq!(column(&first, "SKU"), SKUS);
    let results = first["Results"].as_array().unwrap();
    for product in results {
        assert_keys(product, &PRODUCT_KEYS);
        assert_eq!(product["DistributorId"], KEY);
        assert_eq!(product["Active"], true);
    }
    let esim = &results[0];
    assert_eq!(
        (
            &esim["Description"],
            &esim["Type"],
            &esim["SubType"],
            &esim["BillingFrequency"]
        ),
        (
            &json!("eSIM profile"),
            &json!("esim"),
            &json!("esim"),
            &json!("NRC")
        )
    );
    assert_eq!(esim["Cost"], json!(1.5));
    assert_eq!(results[3]["Cost"], json!(6.25));
    assert_eq!(results[1]["Cost"], json!(0), "default cost");
    let unl = &results[5];
    assert_eq!(
        (
            &unl["Description"],
            &unl["Type"],
            &unl["SubType"],
            &unl["BillingFrequency"]
        ),
        (
            &json!("Unlimited SMS and MMS, monthly"),
            &json!("sms"),
            &json!("unlimited"),
            &json!("MRC")
        )
    );
    // The products are the distributor's own.
    let listed = app.fetch("/v1.0/account/products").await.ok();
    assert_eq!(listed["Results"], first["Results"]);
    assert_eq!(events_of(&app, "product.created").await.len(), 7);
    // Again: nothing created, nothing changed, same products.
    let second = seed(&app, KEY, json!({"Costs": {"ESIM": 9}})).await.ok();
    assert_eq!(
        (&second["ProductsCreated"], &second["ProductsSkipped"]),
        (&json!(0), &json!(7))
    );
    assert_eq!(second["Results"], first["Results"]);
    assert_eq!(events_of(&app, "product.created").await.len(), 7);
    app.stop().await;
}

#[tokio::test]
async fn existing_skus_in_any_case_are_left_untouched() {
    let app = TestApp::start().await;
    let mine = create_product(&app, product_body("esim", "MRC")).await.ok();
    let answer = seed(&app, KEY, json!({})).await.ok();
    assert_eq!(
        (&answer["ProductsCreated"], &answer["ProductsSkipped"]),
        (&json!(6), &json!(1))
    );
    assert_eq!(answer["Results"][0], mine, "the distributor's own product");
    let created: Vec<String> = events_of(&app, "product.created")
        .await
        .into_iter()
        .map(|(_, data)| text(&data, "SKU"))
        .collect();
    assert_eq!(
        created,
        [
            "esim",
            "DATA-1GB",
            "DATA-5GB",
            "DATA-10GB",
            "DATA-UNL",
            "SMS-UNL",
            "VOICE-UNL"
        ]
    );
    app.stop().await;
}

#[tokio::test]
async fn seeding_another_distributor_fills_its_own_catalogue() {
    let app = TestApp::start().await;
    let other = Foreign::new(&app).await;
    // The id is found in any case and answered as stored; the body is optional.
    let path = format!(
        "/admin/v1/distributors/{}/seed-catalog",
        other.key.to_lowercase()
    );
    let answer = app
        .request(Method::POST, &path, Some(ADMIN_TOKEN), None)
        .await
        .ok();
    assert_eq!(answer["DistributorId"], other.key);
    assert_eq!(answer["ProductsCreated"], 7);
    let theirs = other.fetch("/v1.0/account/products").await.ok();
    assert_eq!(column(&theirs, "SKU"), SKUS);
    let ours = app.fetch("/v1.0/account/products").await.ok();
    assert_eq!(ours["TotalProducts"], 0);
    app.stop().await;
}

#[tokio::test]
async fn seeding_checks_costs_distributor_and_caller() {
    let app = TestApp::start().await;
    let resp = seed(&app, KEY, json!({"Costs": {"ESIM": 1, "DATA-2GB": 2}})).await;
    assert_invalid(&resp, "Costs", "Unknown SKU 'DATA-2GB' in Costs");
    let rule =
        "must be a number or numeric string from 0 to 999999999.9999 with at most 4 decimal places";
    let resp = seed(&app, KEY, json!({"Costs": {"ESIM": -1}})).await;
    assert_invalid(&resp, "Costs.ESIM", &format!("Costs.ESIM {rule}"));
    let resp = seed(&app, KEY, json!({"Costs": [1]})).await;
    assert_invalid(&resp, "Costs", "Costs must be an object");
    let unknown = "DID-019a492e-31b2-7238-b924-000000000000";
    let resp = seed(&app, unknown, json!({})).await;
    resp.assert_problem(
        404,
        &format!("Distributor with ID '{unknown}' was not found."),
    );
    // A distributor token is not the admin token.
    let path = format!("/admin/v1/distributors/{KEY}/seed-catalog");
    let token = app.token("/v1.0/products").await;
    let resp = app.post(&path, &token, json!({})).await;
    resp.assert_problem(401, "Admin token required");
    assert!(events_of(&app, "product.created").await.is_empty());
    app.stop().await;
}
