//! What the route tests share: the contract's example bodies, the calls they make, shape
//! checks, raw reads of the store and numbers attached behind the API's back.

use serde_json::{json, Value};

use crate::common::{Resp, TestApp, KEY};

pub const MESSAGE_URL_INVALID: &str = "A valid URL is required for the message webhook.";
pub const CALLBACK_URL_INVALID: &str = "A valid URL is required for the callback webhook.";
pub const INVALID_FILTER: &str = "Invalid Filter. Must be one of: All, Active, Inactive.";
pub const MASK: &str = "********";

/// Keys of the message route object.
pub const MESSAGE_KEYS: [&str; 17] = [
    "AccountId",
    "CallbackMessageAuthenticationType",
    "CallbackMessagePasswordToken",
    "CallbackMessageUrl",
    "CallbackMessageUrlMethod",
    "CallbackMessageUsername",
    "InboundBypass",
    "IntelligentRouteEnabled",
    "MessageAuthenticationType",
    "MessagePasswordToken",
    "MessageRouteEnabled",
    "MessageRouteId",
    "MessageUrl",
    "MessageUrlMethod",
    "MessageUsername",
    "OutboundBypass",
    "RouteName",
];

/// Keys of the voice route object.
pub const VOICE_KEYS: [&str; 38] = [
    "AccountId",
    "CallRouteId",
    "CallbackVoiceUrl",
    "CallbackVoiceUrlMethod",
    "CnamLookup",
    "EnableCallStreaming",
    "EnablePstnTransfer",
    "EnableSipRefer",
    "EnableTrpSecureTrunk",
    "HeaderManipulation",
    "IntelligentRouteEnabled",
    "IpWhiteList",
    "RouteEnabled",
    "RouteName",
    "RouteType",
    "SymmetricRtp",
    "TerminationUriSubdomain",
    "TransferCallerId",
    "Trunk1Priortiy",
    "Trunk1Weight",
    "Trunk2Priortiy",
    "Trunk2Weight",
    "TrunkEnabled1",
    "TrunkEnabled2",
    "TrunkIp1",
    "TrunkIp2",
    "TrunkPort1",
    "TrunkPort2",
    "TrunkTransport1",
    "TrunkTransport2",
    "TrunkUri1",
    "TrunkUri2",
    "VoiceAuthenticationType",
    "VoicePasswordToken",
    "VoiceUrl",
    "VoiceUrlMethod",
    "VoiceUsername",
    "WssUri",
];

/// The message route create example of `03-routes.md`.
pub fn message_body(account: &str) -> Value {
    json!({
        "RouteName": "Main SMS Webhook",
        "MessageUrl": "https://hooks.acmemobile.com/sms/inbound",
        "MessageUrlMethod": "POST",
        "MessageRouteEnabled": true,
        "MessageAuthenticationType": "Basic",
        "MessageUsername": "acme-hooks",
        "MessagePasswordToken": "s3cr3t-basic-pass",
        "CallbackMessageUrl": "https://hooks.acmemobile.com/sms/status",
        "CallbackMessageUrlMethod": "POST",
        "CallbackMessageAuthenticationType": "Bearer",
        "CallbackMessagePasswordToken": "tok_2f9c41d7e0",
        "InboundBypass": false,
        "OutboundBypass": false,
        "IntelligentRouteEnabled": true,
        "AccountId": account
    })
}

/// The voice route create example of `03-routes.md` (with the vendor's misspelled auth key).
pub fn voice_body(account: &str) -> Value {
    json!({
        "RouteName": "Main SIP Trunk", "RouteType": "Trunk",
        "TrunkIp1": "203.0.113.10", "TrunkPort1": "5061", "TrunkTransport1": "TLS", "TrunkUri1": "sip:sbc1.acmemobile.com",
        "TrunkEnabled1": true, "Trunk1Priortiy": 10, "Trunk1Weight": 10,
        "TrunkIp2": "203.0.113.20", "TrunkPort2": "5060", "TrunkTransport2": "UDP", "TrunkEnabled2": true,
        "Trunk2Priortiy": 20, "Trunk2Weight": 10,
        "CallbackVoiceUrl": "https://hooks.acmemobile.com/voice/events", "CallbackVoiceUrlMethod": "POST",
        "VocieAuthenticationType": "Bearer", "VoicePasswordToken": "tok_77ad0b1e93",
        "IpWhitelist": [{"IpAddress": "203.0.113.10"}, {"IpAddress": "203.0.113.20"}],
        "TransferCallerId": "Transferee", "CnamLookup": true,
        "IntelligentRouteEnabled": true, "RouteEnabled": true,
        "AccountId": account
    })
}

/// `base` with the properties of `changes` set (a `null` sets `null`).
pub fn with(base: &Value, changes: Value) -> Value {
    let mut out = base.clone();
    for (k, v) in changes.as_object().expect("object") {
        out[k] = v.clone();
    }
    out
}

/// `base` without the named properties.
pub fn without(base: &Value, names: &[&str]) -> Value {
    let mut out = base.clone();
    for name in names {
        out.as_object_mut().expect("object").remove(*name);
    }
    out
}

pub fn mrid(route: &Value) -> String {
    route["MessageRouteId"]
        .as_str()
        .expect("MessageRouteId")
        .to_string()
}

pub fn crid(route: &Value) -> String {
    route["CallRouteId"]
        .as_str()
        .expect("CallRouteId")
        .to_string()
}

pub fn message_not_found(id: &str) -> String {
    format!("Message route with ID '{id}' was not found.")
}

pub fn voice_not_found(id: &str) -> String {
    format!("Voice route with ID '{id}' was not found.")
}

pub async fn create_message(app: &TestApp, body: Value) -> Resp {
    app.call("/v1.0/message/routes", body).await
}

pub async fn update_message(app: &TestApp, body: Value) -> Resp {
    app.call("/v1.0/message/routes/update", body).await
}

pub async fn delete_message(app: &TestApp, body: Value) -> Resp {
    app.call("/v1.0/message/routes/delete", body).await
}

pub async fn get_message(app: &TestApp, id: &str) -> Resp {
    app.fetch(&format!("/v1.0/message/routes?MessageRouteId={id}"))
        .await
}

pub async fn create_voice(app: &TestApp, body: Value) -> Resp {
    app.call("/v1.0/voice/routes", body).await
}

pub async fn update_voice(app: &TestApp, body: Value) -> Resp {
    app.call("/v1.0/voice/routes/update", body).await
}

pub async fn delete_voice(app: &TestApp, body: Value) -> Resp {
    app.call("/v1.0/voice/routes/delete", body).await
}

pub async fn get_voice(app: &TestApp, id: &str) -> Resp {
    app.fetch(&format!("/v1.0/voice/routes?CallRouteId={id}"))
        .await
}

/// The sorted property names of an object.
pub fn keys_of(v: &Value) -> Vec<String> {
    let mut keys: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    keys.sort_unstable();
    keys
}

#[track_caller]
pub fn assert_message_shape(route: &Value) {
    assert_eq!(keys_of(route), MESSAGE_KEYS, "properties of {route}");
}

#[track_caller]
pub fn assert_voice_shape(route: &Value) {
    assert_eq!(keys_of(route), VOICE_KEYS, "properties of {route}");
}

/// A 400 whose `Detail` is `message` and whose `Errors` holds it under `field`.
#[track_caller]
pub fn assert_invalid(resp: &Resp, field: &str, message: &str) {
    resp.assert_problem(400, message);
    resp.assert_field_error(field, message);
}

/// A 400 `Bad Request` about no field.
#[track_caller]
pub fn assert_bad_request(resp: &Resp, detail: &str) {
    resp.assert_problem(400, detail);
    assert_eq!(resp.body["Title"], "Bad Request", "{}", resp.text);
    assert!(resp.body.get("Errors").is_none(), "{}", resp.text);
}

/// Events of one type of the bootstrap distributor: (resource id, account id, data).
pub async fn events_of(app: &TestApp, event_type: &str) -> Vec<(String, Option<String>, Value)> {
    let mut conn = app
        .server()
        .services
        .store()
        .reader()
        .await
        .expect("reader");
    let rows: Vec<(String, Option<String>, String)> = sqlx::query_as(
        "SELECT resource_id, account_id, data FROM events WHERE type = $1 AND distributor_id = $2 \
         ORDER BY occurred_on, id",
    )
    .bind(event_type)
    .bind(KEY)
    .fetch_all(&mut *conn)
    .await
    .expect("events");
    rows.into_iter()
        .map(|(r, a, d)| (r, a, serde_json::from_str(&d).expect("JSON data")))
        .collect()
}

/// One text column of a route row, read straight from the database.
pub async fn stored(app: &TestApp, table: &str, column: &str, id: &str) -> Option<String> {
    let mut conn = app
        .server()
        .services
        .store()
        .reader()
        .await
        .expect("reader");
    sqlx::query_scalar::<_, Option<String>>(&format!("SELECT {column} FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .expect("route row")
}

/// Provisions a number of `account` on the routes (a message route is created when none is
/// given); returns its id. Only `Active` numbers come from the API; [`set_number_status`] moves
/// them on.
pub async fn attach_number(
    app: &TestApp,
    account: &str,
    (message_route, voice_route): (Option<&str>, Option<&str>),
    status: &str,
) -> String {
    assert_eq!(status, "Active", "provisioning makes Active numbers");
    let message_route = match message_route {
        Some(route) => route.to_string(),
        None => app.new_message_route(account).await,
    };
    let extra = match voice_route {
        Some(voice) => json!({"ProductType": "Sms+Data+Voice", "VoiceRouteId": voice}),
        None => json!({}),
    };
    let number = app.provision(account, &message_route, extra).await.ok();
    number["PhoneNumberId"]
        .as_str()
        .expect("PhoneNumberId")
        .to_string()
}

/// Moves a number to another status behind the API's back: `Released` and `PortedOut` are
/// reached through aging and port-out, which these tests do not run (a `Cancelled` number needs
/// a reactivation deadline; any will do here).
pub async fn set_number_status(app: &TestApp, number: &str, status: &str) {
    let mut tx = app.server().services.store().begin().await.expect("begin");
    // A terminal number holds no SIM.
    sqlx::query(
        "UPDATE phone_numbers SET status = $1, reactivatable_until = 1, \
         iccid = CASE WHEN $1 IN ('Released', 'PortedOut') THEN NULL ELSE iccid END WHERE id = $2",
    )
    .bind(status)
    .bind(number)
    .execute(&mut *tx)
    .await
    .expect("update number");
    tx.commit().await.expect("commit");
}

/// A second distributor with one account of its own: its key, its secret and the account id.
pub async fn foreign_account(app: &TestApp) -> (String, String, String) {
    let (key, secret) = app.new_distributor("Other Mobile").await;
    let token = app.token_for(&key, &secret, "/v1.0/account/create").await;
    let body = json!({"AccountName": "Theirs", "AccountAdmin": "t@example.com"});
    let account = app.post("/v1.0/account/create", &token, body).await.ok();
    let id = account["AccountId"]
        .as_str()
        .expect("AccountId")
        .to_string();
    (key, secret, id)
}
