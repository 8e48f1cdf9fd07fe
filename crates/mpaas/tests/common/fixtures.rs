//! Set-up helpers for routes, numbers and the catalogue, as the bootstrap distributor.

use serde_json::{json, Value};

use super::{Resp, TestApp, ADMIN_TOKEN};

impl TestApp {
    /// Creates a message route (no auth) in `account`; returns its id.
    pub async fn new_message_route(&self, account: &str) -> String {
        let body = json!({"RouteName": "Inbound", "MessageUrl": "https://hooks.example.com/sms", "AccountId": account});
        let route = self.call("/v1.0/message/routes", body).await.ok();
        route["MessageRouteId"]
            .as_str()
            .expect("MessageRouteId")
            .to_string()
    }

    /// Creates a URL voice route in `account`; returns its id.
    pub async fn new_voice_route(&self, account: &str) -> String {
        let body = json!({"RouteName": "Calls", "RouteType": "URL", "VoiceUrl": "https://hooks.example.com/voice", "AccountId": account});
        let route = self.call("/v1.0/voice/routes", body).await.ok();
        route["CallRouteId"]
            .as_str()
            .expect("CallRouteId")
            .to_string()
    }

    /// `POST /v1.0/numbers/provision` (single form, `mvno`) with `extra` merged into the body.
    pub async fn provision(&self, account: &str, route: &str, extra: Value) -> Resp {
        let mut body = json!({"NumberType": "mvno", "MessageRouteId": route, "AccountId": account});
        if let (Some(b), Value::Object(e)) = (body.as_object_mut(), extra) {
            b.extend(e);
        }
        self.call("/v1.0/numbers/provision", body).await
    }

    /// Provisions one number in `account` (creating a message route); returns the answer.
    pub async fn new_number(&self, account: &str, extra: Value) -> Value {
        let route = self.new_message_route(account).await;
        self.provision(account, &route, extra).await.ok()
    }

    /// Creates a product and a package of it priced `price`; returns the package id.
    pub async fn new_package(&self, price: &str) -> String {
        let sku = format!("SKU-{}", uuid::Uuid::new_v4().simple());
        let product = json!({"SKU": sku, "Description": "Data", "Type": "data", "Cost": 1, "BillingFrequency": "MRC"});
        let product = self.call("/v1.0/products", product).await.ok();
        let package = json!({"PackageName": "Plan", "Type": "esim", "Price": price,
            "PackageItems": [{"ProductId": product["ProductId"], "Price": price}]});
        let package = self.call("/v1.0/packages", package).await.ok();
        package["PackageId"]
            .as_str()
            .expect("PackageId")
            .to_string()
    }

    /// Advances the sandbox clock by `seconds` (0 runs the jobs due now).
    pub async fn advance(&self, seconds: i64) -> Value {
        self.post(
            "/sandbox/v1/clock/advance",
            ADMIN_TOKEN,
            json!({ "Seconds": seconds }),
        )
        .await
        .ok()
    }
}
