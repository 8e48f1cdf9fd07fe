//! What the catalogue tests share: request bodies, the calls they make, object shapes and
//! reads of the event log.

use serde_json::{json, Value};

use crate::common::{Resp, TestApp, KEY};

pub const PRODUCT_KEYS: [&str; 11] = [
    "Active",
    "AggregatorId",
    "BillingFrequency",
    "Cost",
    "CreatedOn",
    "Description",
    "DistributorId",
    "ProductId",
    "SKU",
    "SubType",
    "Type",
];
pub const PACKAGE_KEYS: [&str; 12] = [
    "Active",
    "AggregatorId",
    "CreatedOn",
    "Description",
    "DistributorId",
    "Monthly",
    "PackageId",
    "PackageItems",
    "PackageName",
    "Price",
    "SubscriberId",
    "Type",
];
pub const ITEM_KEYS: [&str; 9] = [
    "Active",
    "AggregatorId",
    "DistributorId",
    "Monthly",
    "PackageId",
    "PackageItemId",
    "Price",
    "ProductId",
    "Type",
];
pub const FILTER_MESSAGE: &str = "Invalid Filter. Must be one of: All, Active, Inactive.";
pub const FREQUENCY_MESSAGE: &str = "Invalid BillingFrequency. Must be one of: MRC, NRC.";

/// Sorted property names of an object.
pub fn keys(v: &Value) -> Vec<String> {
    let mut keys: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    keys.sort_unstable();
    keys
}

#[track_caller]
pub fn assert_keys(v: &Value, expected: &[&str]) {
    assert_eq!(keys(v), expected, "properties of {v}");
}

/// A string property.
pub fn text(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {v}"))
        .to_string()
}

/// `Results` of a page, by one property.
pub fn column(page: &Value, key: &str) -> Vec<String> {
    page["Results"]
        .as_array()
        .expect("Results")
        .iter()
        .map(|r| text(r, key))
        .collect()
}

pub fn product_body(sku: &str, frequency: &str) -> Value {
    json!({"SKU": sku, "Description": format!("{sku} product"), "Type": "data", "SubType": "10gb",
        "Cost": 6.25, "BillingFrequency": frequency})
}

pub async fn create_product(app: &TestApp, body: Value) -> Resp {
    app.call("/v1.0/products", body).await
}

/// Creates a product of the bootstrap distributor; returns the product object.
pub async fn new_product(app: &TestApp, sku: &str, frequency: &str) -> Value {
    create_product(app, product_body(sku, frequency)).await.ok()
}

/// Creates a product with its own type; returns its id.
pub async fn typed_product(app: &TestApp, sku: &str, kind: &str, frequency: &str) -> String {
    let body = json!({"SKU": sku, "Description": sku, "Type": kind, "Cost": 1, "BillingFrequency": frequency});
    text(&create_product(app, body).await.ok(), "ProductId")
}

pub async fn update_product(app: &TestApp, body: Value) -> Resp {
    app.call("/v1.0/products/update", body).await
}

pub async fn get_product(app: &TestApp, id: &str) -> Resp {
    app.fetch(&format!("/v1.0/products?ProductId={id}")).await
}

pub async fn create_package(app: &TestApp, body: Value) -> Resp {
    app.call("/v1.0/packages", body).await
}

/// Creates a package priced 10 with these items; returns the package object.
pub async fn new_package(app: &TestApp, name: &str, items: Value) -> Value {
    let body = json!({"PackageName": name, "Type": "esim", "Price": 10, "PackageItems": items});
    create_package(app, body).await.ok()
}

pub async fn get_package(app: &TestApp, id: &str) -> Resp {
    app.fetch(&format!("/v1.0/packages?PackageId={id}")).await
}

pub async fn update_package(app: &TestApp, body: Value) -> Resp {
    app.call("/v1.0/packages/update", body).await
}

pub async fn add_item(app: &TestApp, body: Value) -> Resp {
    app.call("/v1.0/packages/items/add", body).await
}

pub async fn update_item(app: &TestApp, body: Value) -> Resp {
    app.call("/v1.0/packages/items/update", body).await
}

pub async fn delete_item(app: &TestApp, id: &str) -> Resp {
    app.call("/v1.0/packages/items/delete", json!({"PackageItemId": id}))
        .await
}

/// The installation's aggregator id, straight from the store.
pub async fn aggregator_id(app: &TestApp) -> String {
    let store = app.server().services.store();
    let mut conn = store.reader().await.expect("reader");
    mpaas_store::platform::load(&mut conn)
        .await
        .expect("platform")
        .expect("bootstrapped")
        .aggregator_id
}

/// Events of the bootstrap distributor of one type, oldest first: (resource id, data).
pub async fn events_of(app: &TestApp, event_type: &str) -> Vec<(String, Value)> {
    app.events(KEY)
        .await
        .into_iter()
        .filter(|(t, _, _)| t == event_type)
        .map(|(_, resource, data)| (resource, data))
        .collect()
}

/// Event types of the bootstrap distributor that start with `prefix`, oldest first.
pub async fn event_types(app: &TestApp, prefix: &str) -> Vec<String> {
    app.events(KEY)
        .await
        .into_iter()
        .map(|(t, _, _)| t)
        .filter(|t| t.starts_with(prefix))
        .collect()
}

/// A second distributor: a caller that speaks for it.
pub struct Foreign<'a> {
    app: &'a TestApp,
    pub key: String,
    secret: String,
}

impl<'a> Foreign<'a> {
    pub async fn new(app: &'a TestApp) -> Self {
        let (key, secret) = app.new_distributor("Other Mobile").await;
        Self { app, key, secret }
    }

    pub async fn call(&self, path: &str, body: Value) -> Resp {
        let token = self.app.token_for(&self.key, &self.secret, path).await;
        self.app.post(path, &token, body).await
    }

    pub async fn fetch(&self, path_and_query: &str) -> Resp {
        let path = path_and_query.split('?').next().unwrap_or_default();
        let token = self.app.token_for(&self.key, &self.secret, path).await;
        self.app.get(path_and_query, &token).await
    }
}

/// A 400 whose `Detail` and field error for `field` are both `message`.
#[track_caller]
pub fn assert_invalid(resp: &Resp, field: &str, message: &str) {
    resp.assert_problem(400, message);
    resp.assert_field_error(field, message);
}

/// A 404 with `<Resource> with ID '<id>' was not found.`
#[track_caller]
pub fn assert_not_found(resp: &Resp, resource: &str, id: &str) {
    resp.assert_problem(404, &format!("{resource} with ID '{id}' was not found."));
}
