//! Route secrets: masked in every answer and event, stored only sealed (versioned AES-GCM
//! text, a fresh nonce per value), replaced on update.

use serde_json::json;

use crate::common::{TestApp, KEY};
use crate::support::{
    create_message, create_voice, crid, get_message, get_voice, message_body, mrid, stored,
    update_message, update_voice, voice_body, MASK,
};

const SECRETS: [&str; 4] = [
    "s3cr3t-basic-pass",
    "tok_2f9c41d7e0",
    "tok_77ad0b1e93",
    "n3w-rotated-pass",
];

#[track_caller]
fn assert_no_secret(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret} leaked in {text}");
    }
}

#[track_caller]
fn assert_sealed(value: Option<String>, clear: &str) -> String {
    let value = value.expect("a sealed value is stored");
    assert!(value.starts_with("v1:"), "versioned: {value}");
    assert!(!value.contains(clear), "not in clear: {value}");
    value
}

#[tokio::test]
async fn secrets_are_masked_everywhere_and_stored_sealed() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let created = create_message(&app, message_body(&account)).await;
    assert_no_secret(&created.text);
    let route = created.ok();
    let id = mrid(&route);
    assert_eq!(route["MessagePasswordToken"], MASK);
    assert_eq!(route["CallbackMessagePasswordToken"], MASK);
    let message = stored(&app, "message_routes", "message_password_sealed", &id).await;
    let first = assert_sealed(message, "s3cr3t-basic-pass");
    let callback = stored(&app, "message_routes", "callback_password_sealed", &id).await;
    assert_sealed(callback, "tok_2f9c41d7e0");
    // The same secret on another route is sealed differently (fresh nonce, bound to the route).
    let other = mrid(&create_message(&app, message_body(&account)).await.ok());
    let again = stored(&app, "message_routes", "message_password_sealed", &other).await;
    assert_ne!(assert_sealed(again, "s3cr3t-basic-pass"), first);
    // A new password replaces the sealed value; the answer stays masked.
    let body = json!({"MessageRouteId": id, "MessagePasswordToken": "n3w-rotated-pass"});
    let updated = update_message(&app, body).await;
    assert_no_secret(&updated.text);
    assert_eq!(updated.ok()["MessagePasswordToken"], MASK);
    let rotated = stored(&app, "message_routes", "message_password_sealed", &id).await;
    assert_ne!(assert_sealed(rotated, "n3w-rotated-pass"), first);
    assert_no_secret(&get_message(&app, &id).await.text);

    let voice = create_voice(&app, voice_body(&account)).await;
    assert_no_secret(&voice.text);
    let cid = crid(&voice.ok());
    let sealed = stored(&app, "voice_routes", "voice_password_sealed", &cid).await;
    assert_sealed(sealed, "tok_77ad0b1e93");
    let updated = update_voice(&app, json!({"CallRouteId": cid, "RouteName": "Renamed"})).await;
    assert_no_secret(&updated.text);
    assert_eq!(updated.ok()["VoicePasswordToken"], MASK);
    assert_no_secret(&get_voice(&app, &cid).await.text);

    for path in ["/v1.0/account/message/routes", "/v1.0/account/voice/routes"] {
        let list = app.fetch(path).await;
        assert_no_secret(&list.text);
        assert!(list.text.contains(MASK), "{}", list.text);
    }
    for (event_type, _, data) in app.events(KEY).await {
        assert_no_secret(&data.to_string());
        assert!(!event_type.is_empty());
    }
    app.stop().await;
}
