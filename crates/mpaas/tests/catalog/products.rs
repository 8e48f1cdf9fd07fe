//! Products: create, get and update, their validation, SKU uniqueness and events.

use mpaas_core::Timestamp;
use serde_json::json;

use crate::common::{TestApp, KEY};
use crate::support::{
    aggregator_id, assert_invalid, assert_keys, assert_not_found, create_product, events_of,
    get_product, new_product, product_body, text, update_product, FREQUENCY_MESSAGE, PRODUCT_KEYS,
};

#[tokio::test]
async fn create_answers_the_product_object_and_writes_its_event() {
    let app = TestApp::start().await;
    let body = json!({"SKU": "DATA-10GB", "Description": "10 GB data, monthly", "Type": "data",
        "SubType": "10gb", "Cost": 6.25, "BillingFrequency": "mrc"});
    let product = create_product(&app, body).await.ok();
    assert_keys(&product, &PRODUCT_KEYS);
    assert!(text(&product, "ProductId").starts_with("PRID-"));
    assert_eq!(product["SKU"], "DATA-10GB");
    assert_eq!(product["Description"], "10 GB data, monthly");
    assert_eq!(product["AggregatorId"], aggregator_id(&app).await);
    assert_eq!(product["DistributorId"], KEY);
    assert_eq!(product["Type"], "data");
    assert_eq!(product["SubType"], "10gb");
    assert_eq!(product["Cost"], json!(6.25));
    assert_eq!(product["BillingFrequency"], "MRC", "canonical spelling");
    assert_eq!(product["Active"], true);
    assert!(Timestamp::parse_rfc3339(&text(&product, "CreatedOn")).is_some());
    // Case-insensitive property names; no SubType is null.
    let body = json!({"sku": "ESIM", "description": "eSIM profile", "TYPE": "esim", "cost": "1.5",
        "billingfrequency": "Nrc"});
    let esim = create_product(&app, body).await.ok();
    assert_eq!(esim["SubType"], json!(null));
    assert_eq!(esim["Cost"], json!(1.5));
    assert_eq!(esim["BillingFrequency"], "NRC");
    let events = events_of(&app, "product.created").await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[0], (text(&product, "ProductId"), product.clone()));
    assert_eq!(events[1].1, esim);
    app.stop().await;
}

#[tokio::test]
async fn create_refuses_invalid_fields_with_their_paths() {
    let app = TestApp::start().await;
    let resp = create_product(&app, json!({})).await;
    for field in ["SKU", "Description", "Type", "Cost", "BillingFrequency"] {
        resp.assert_field_error(field, &format!("{field} is required"));
    }
    let mut body = product_body("X", "weekly");
    assert_invalid(
        &create_product(&app, body.clone()).await,
        "BillingFrequency",
        FREQUENCY_MESSAGE,
    );
    body["BillingFrequency"] = json!("MRC");
    body["SKU"] = json!("S".repeat(65));
    assert_invalid(
        &create_product(&app, body.clone()).await,
        "SKU",
        "SKU must be between 1 and 64 characters",
    );
    body["SKU"] = json!("OK");
    body["SubType"] = json!("s".repeat(51));
    assert_invalid(
        &create_product(&app, body.clone()).await,
        "SubType",
        "SubType must be between 0 and 50 characters",
    );
    body["SubType"] = json!(null);
    body["Description"] = json!("d".repeat(501));
    assert_invalid(
        &create_product(&app, body.clone()).await,
        "Description",
        "Description must be between 1 and 500 characters",
    );
    body["Description"] = json!("fine");
    body["Type"] = json!("t".repeat(51));
    assert_invalid(
        &create_product(&app, body).await,
        "Type",
        "Type must be between 1 and 50 characters",
    );
    assert!(events_of(&app, "product.created").await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn sku_is_unique_per_distributor_in_any_case() {
    let app = TestApp::start().await;
    new_product(&app, "DATA-10GB", "MRC").await;
    for sku in ["DATA-10GB", "data-10gb", " Data-10Gb "] {
        let resp = create_product(&app, product_body(sku, "MRC")).await;
        resp.assert_problem(409, "SKU already exists");
    }
    // Another distributor has a catalogue of its own.
    let (key, secret) = app.new_distributor("Other Mobile").await;
    let token = app.token_for(&key, &secret, "/v1.0/products").await;
    let theirs = app
        .post("/v1.0/products", &token, product_body("DATA-10GB", "MRC"))
        .await
        .ok();
    assert_eq!(theirs["DistributorId"], key);
    assert_eq!(events_of(&app, "product.created").await.len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn get_reads_one_product_by_id() {
    let app = TestApp::start().await;
    let product = new_product(&app, "SMS-UNL", "MRC").await;
    let id = text(&product, "ProductId");
    assert_eq!(get_product(&app, &id).await.ok(), product);
    let upper = id.to_uppercase().replacen("PRID-", "prid-", 1);
    let by_upper = app
        .fetch(&format!("/v1.0/products?productid={upper}"))
        .await;
    assert_eq!(by_upper.ok(), product);
    assert_invalid(
        &app.fetch("/v1.0/products").await,
        "ProductId",
        "ProductId is required",
    );
    let unknown = "PRID-019a4a55-5ecc-7614-97be-31111a2a73ed";
    assert_not_found(&get_product(&app, unknown).await, "Product", unknown);
    assert_not_found(
        &get_product(&app, "PRID-nope").await,
        "Product",
        "PRID-nope",
    );
    app.stop().await;
}

#[tokio::test]
async fn update_changes_only_the_fields_sent() {
    let app = TestApp::start().await;
    let product = new_product(&app, "DATA-10GB", "MRC").await;
    let id = text(&product, "ProductId");
    let updated = update_product(
        &app,
        json!({"ProductId": id, "Cost": "5.8", "Active": true}),
    )
    .await
    .ok();
    assert_eq!(updated["Cost"], json!(5.8));
    let mut expected = product.clone();
    expected["Cost"] = json!(5.8);
    assert_eq!(updated, expected, "nothing else changed");
    // Absent SubType is unchanged, null clears it; null elsewhere means unchanged.
    let body =
        json!({"ProductId": id, "Description": null, "Type": "bundle", "BillingFrequency": "nrc"});
    let updated = update_product(&app, body).await.ok();
    assert_eq!(updated["SubType"], "10gb");
    assert_eq!(updated["Description"], product["Description"]);
    assert_eq!(updated["Type"], "bundle");
    assert_eq!(updated["BillingFrequency"], "NRC");
    let updated = update_product(&app, json!({"ProductId": id, "SubType": null}))
        .await
        .ok();
    assert_eq!(updated["SubType"], json!(null));
    let updated = update_product(
        &app,
        json!({"ProductId": id, "SubType": "20gb", "Active": false}),
    )
    .await
    .ok();
    assert_eq!(updated["SubType"], "20gb");
    assert_eq!(updated["Active"], false);
    assert_eq!(get_product(&app, &id).await.ok(), updated);
    let events = events_of(&app, "product.updated").await;
    assert_eq!(events.len(), 4);
    assert_eq!(events[3], (id, updated));
    app.stop().await;
}

#[tokio::test]
async fn update_checks_sku_fields_and_existence() {
    let app = TestApp::start().await;
    let product = new_product(&app, "DATA-10GB", "MRC").await;
    new_product(&app, "DATA-5GB", "MRC").await;
    let id = text(&product, "ProductId");
    let resp = update_product(&app, json!({"ProductId": id, "SKU": "data-5gb"})).await;
    resp.assert_problem(409, "SKU already exists");
    // A product may change the case of its own SKU.
    let renamed = update_product(&app, json!({"ProductId": id, "SKU": "Data-10GB"}))
        .await
        .ok();
    assert_eq!(renamed["SKU"], "Data-10GB");
    assert_invalid(
        &update_product(&app, json!({"ProductId": id, "BillingFrequency": "yearly"})).await,
        "BillingFrequency",
        FREQUENCY_MESSAGE,
    );
    assert_invalid(
        &update_product(&app, json!({"ProductId": id, "SKU": ""})).await,
        "SKU",
        "SKU must be between 1 and 64 characters",
    );
    assert_invalid(
        &update_product(&app, json!({"ProductId": id, "Active": "no"})).await,
        "Active",
        "Active must be a boolean",
    );
    assert_invalid(
        &update_product(&app, json!({"Cost": 1})).await,
        "ProductId",
        "ProductId is required",
    );
    let unknown = "PRID-019a4a55-5ecc-7614-97be-31111a2a73ed";
    let resp = update_product(&app, json!({"ProductId": unknown, "Cost": 1})).await;
    assert_not_found(&resp, "Product", unknown);
    assert_eq!(events_of(&app, "product.updated").await.len(), 1);
    app.stop().await;
}
