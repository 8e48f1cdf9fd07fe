//! What the network tests share: a server with a frozen clock, a provisioned line, the calls
//! they make and the shape of a recorded command.

use serde_json::{json, Value};

use crate::common::{Resp, TestApp};

/// The platform clock starts here.
pub const START: &str = "2026-03-10T16:00:00Z";
/// `START` as the API writes it.
pub const START_WIRE: &str = "2026-03-10T16:00:00.000000+00:00";
/// The endpoint under test.
pub const POLICIES: &str = "/sandbox/v1/network/policies";

/// A server whose clock is frozen at [`START`].
pub async fn start() -> TestApp {
    TestApp::start_with(|c| c.clock_start = Some(START.into())).await
}

/// A provisioned number: (account, number, ICCID).
pub async fn line(app: &TestApp, extra: Value) -> (String, String, String) {
    let account = app.new_account("Doe Family").await;
    let mut body = json!({"AreaCode": "201"});
    if let (Some(b), Value::Object(e)) = (body.as_object_mut(), extra) {
        b.extend(e);
    }
    let answer = app.new_number(&account, body).await;
    let text = |key: &str| answer[key].as_str().expect(key).to_string();
    (account, text("PhoneNumberAssigned"), text("ICCID"))
}

/// The query string of a number.
pub fn query(number: &str) -> String {
    format!("{POLICIES}?PhoneNumber={}", number.replace('+', "%2B"))
}

/// The policies of `number` as the bootstrap distributor, asserted 200.
pub async fn policies(app: &TestApp, number: &str) -> Value {
    app.fetch(&query(number)).await.ok()
}

/// `POST /v1.0/numbers/status` with one number.
pub async fn status(app: &TestApp, action: &str, number: &str) -> Resp {
    let body = json!({"StatusChange": action, "PhoneNumbers": [{ "Number": number }]});
    app.call("/v1.0/numbers/status", body).await
}

/// `(Operation, Details)` of every command listed.
pub fn commands(policies: &Value) -> Vec<(String, String)> {
    policies["Commands"]
        .as_array()
        .expect("Commands")
        .iter()
        .map(|c| {
            (
                c["Operation"].as_str().expect("Operation").to_string(),
                c["Details"].as_str().expect("Details").to_string(),
            )
        })
        .collect()
}

/// A `(Operation, Details)` pair.
pub fn command(operation: &str, details: &str) -> (String, String) {
    (operation.to_string(), details.to_string())
}
