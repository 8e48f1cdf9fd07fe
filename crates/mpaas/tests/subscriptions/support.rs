//! Helpers of the subscription tests: a ready line (account, route, subscriber, number,
//! package), reads, and the shape of the subscription object.

use serde_json::{json, Value};

use crate::common::{Resp, TestApp};
use crate::lines::{active_number, text};

/// Properties of the subscription object, sorted.
pub const SUBSCRIPTION_KEYS: [&str; 12] = [
    "AccountId",
    "Active",
    "EndReason",
    "EndedOn",
    "ICCID",
    "PackageId",
    "PhoneNumber",
    "StartedOn",
    "SubscriberId",
    "SubscriptionId",
    "TNID",
    "Type",
];

/// Everything a subscription needs, in one account of the bootstrap distributor.
pub struct Line {
    /// `AID-…`.
    pub account: String,
    /// Message route of the account.
    pub route: String,
    /// `TSUID-…` of the subscriber.
    pub subscriber: String,
    /// `NID-…` of an `Active`, unassigned `MVNO` number with an eSIM.
    pub tnid: String,
    /// Its E.164.
    pub phone: String,
    /// Its eSIM.
    pub esim: String,
    /// An active, unscoped package.
    pub package: String,
}

impl Line {
    /// Creates the account "Doe Family" and what a subscription needs in it.
    pub async fn new(app: &TestApp) -> Self {
        let account = app.new_account("Doe Family").await;
        Self::in_account(app, &account, "jane@example.com").await
    }

    /// Creates a route, a subscriber with `email`, a number and a package in `account`.
    pub async fn in_account(app: &TestApp, account: &str, email: &str) -> Self {
        let route = app.new_message_route(account).await;
        let subscriber = app.new_subscriber(account, email).await;
        let number = active_number(app, account, &route, json!({})).await;
        let package = app.new_package("39.99").await;
        Self {
            account: account.to_string(),
            route,
            subscriber: text(&subscriber, "SubscriberId"),
            tnid: text(&number, "PhoneNumberId"),
            phone: text(&number, "PhoneNumberAssigned"),
            esim: text(&number, "ICCID"),
            package,
        }
    }

    /// The minimal create request for this line.
    pub fn request(&self) -> Value {
        json!({"SubscriberId": self.subscriber, "TNID": self.tnid, "PackageId": self.package})
    }

    /// The create request with `changes` applied (`null` removes a property).
    pub fn with(&self, changes: Value) -> Value {
        let mut body = self.request();
        let map = body.as_object_mut().expect("object");
        for (k, v) in changes.as_object().expect("object") {
            if v.is_null() {
                map.remove(k);
            } else {
                map.insert(k.clone(), v.clone());
            }
        }
        body
    }
}

/// `GET /v1.0/subscriptions?…` as the bootstrap distributor.
pub async fn get(app: &TestApp, query: &str) -> Resp {
    app.fetch(&format!("/v1.0/subscriptions?{query}")).await
}

/// `GET /v1.0/subscribers/get?SubscriberId=…`.
pub async fn subscriber(app: &TestApp, id: &str) -> Value {
    app.fetch(&format!("/v1.0/subscribers/get?SubscriberId={id}"))
        .await
        .ok()
}

/// The subscription's `SubscriptionId`.
pub fn sub_id(s: &Value) -> String {
    text(s, "SubscriptionId")
}

/// `SubscriptionId` of every item of a page's `key` array.
pub fn ids_in(page: &Value, key: &str) -> Vec<String> {
    page[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} in {page}"))
        .iter()
        .map(sub_id)
        .collect()
}

/// Asserts the exact properties of a subscription object.
#[track_caller]
pub fn assert_subscription_shape(s: &Value) {
    let mut keys: Vec<&str> = s
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {s}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, SUBSCRIPTION_KEYS, "properties of {s}");
}

/// Deactivates a package through the extension update.
pub async fn deactivate_package(app: &TestApp, package: &str) {
    let body = json!({"PackageId": package, "Active": false});
    let updated = app.call("/v1.0/packages/update", body).await.ok();
    assert_eq!(updated["Active"], false);
}

/// A second distributor, "Other Mobile", with one account of its own.
pub struct Other {
    key: String,
    secret: String,
    /// Its account.
    pub account: String,
}

impl Other {
    /// Creates the distributor and its account.
    pub async fn new(app: &TestApp) -> Self {
        let (key, secret) = app.new_distributor("Other Mobile").await;
        let other = Self {
            key,
            secret,
            account: String::new(),
        };
        let body = json!({"AccountName": "Theirs", "AccountAdmin": "t@example.com"});
        let account = other.call(app, "/v1.0/account/create", body).await.ok();
        Self {
            account: text(&account, "AccountId"),
            ..other
        }
    }

    /// `POST path` as this distributor.
    pub async fn call(&self, app: &TestApp, path: &str, body: Value) -> Resp {
        let token = app.token_for(&self.key, &self.secret, path).await;
        app.post(path, &token, body).await
    }

    /// `GET path_and_query` as this distributor.
    pub async fn fetch(&self, app: &TestApp, path_and_query: &str) -> Resp {
        let path = path_and_query.split('?').next().unwrap_or_default();
        let token = app.token_for(&self.key, &self.secret, path).await;
        app.get(path_and_query, &token).await
    }
}
