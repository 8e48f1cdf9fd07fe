//! Message route create and get: the documented shape, defaults, canonical enumerations, the
//! authentication and URL rules with their texts, and case-insensitive paths and keys.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::support::{
    assert_invalid, assert_message_shape, create_message, events_of, get_message, message_body,
    message_not_found, mrid, with, without, CALLBACK_URL_INVALID, MASK, MESSAGE_URL_INVALID,
};

#[tokio::test]
async fn creates_and_reads_a_message_route_with_the_documented_shape() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let route = create_message(&app, message_body(&account)).await.ok();
    assert_message_shape(&route);
    let id = mrid(&route);
    assert!(id.starts_with("MRID-"), "{route}");
    let expected = json!({
        "MessageRouteId": id, "AccountId": account, "RouteName": "Main SMS Webhook",
        "MessageUrl": "https://hooks.acmemobile.com/sms/inbound", "MessageUrlMethod": "POST",
        "MessageRouteEnabled": true, "MessageAuthenticationType": "Basic", "MessageUsername": "acme-hooks",
        "MessagePasswordToken": MASK, "CallbackMessageUrl": "https://hooks.acmemobile.com/sms/status",
        "CallbackMessageUrlMethod": "POST", "CallbackMessageAuthenticationType": "Bearer",
        "CallbackMessageUsername": null, "CallbackMessagePasswordToken": MASK,
        "InboundBypass": false, "OutboundBypass": false, "IntelligentRouteEnabled": true
    });
    assert_eq!(route, expected);
    assert_eq!(get_message(&app, &id).await.ok(), expected);
    // Case-insensitive path, query key and id.
    let upper = id.to_uppercase().replace("MRID-", "mrid-");
    let path = format!("/V1.0/Message/Routes?messagerouteID={upper}");
    let token = app.token("/v1.0/message/routes").await;
    assert_eq!(app.get(&path, &token).await.ok(), expected);

    let created = events_of(&app, "message_route.created").await;
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].0, id, "ResourceId");
    assert_eq!(created[0].1.as_deref(), Some(account.as_str()), "AccountId");
    assert_eq!(created[0].2, expected, "Data is the masked route");
    app.stop().await;
}

#[tokio::test]
async fn create_applies_defaults_canonical_spellings_and_discards_credentials() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    // The only account is the default; every optional property takes its default.
    let body = json!({"routename": " Minimal ", "MESSAGEURL": "http://127.0.0.1:9/in", "MessageUrlMethod": null});
    let route = create_message(&app, body).await.ok();
    assert_message_shape(&route);
    let expected = json!({
        "MessageRouteId": mrid(&route), "AccountId": account, "RouteName": "Minimal",
        "MessageUrl": "http://127.0.0.1:9/in", "MessageUrlMethod": "POST", "MessageRouteEnabled": true,
        "MessageAuthenticationType": "None", "MessageUsername": null, "MessagePasswordToken": null,
        "CallbackMessageUrl": null, "CallbackMessageUrlMethod": "POST",
        "CallbackMessageAuthenticationType": "None", "CallbackMessageUsername": null,
        "CallbackMessagePasswordToken": null, "InboundBypass": false, "OutboundBypass": false,
        "IntelligentRouteEnabled": true
    });
    assert_eq!(
        route, expected,
        "private URLs are allowed with the sandbox on"
    );
    // Enumerations in any case come back canonical; None discards, Bearer drops the username.
    let body = with(
        &message_body(&account),
        json!({
            "MessageUrlMethod": "get", "MessageAuthenticationType": "none", "MessageUsername": "ignored",
            "MessagePasswordToken": "ignored", "CallbackMessageUrlMethod": "Post",
            "CallbackMessageAuthenticationType": "BEARER", "CallbackMessageUsername": "dropped",
            "MessageRouteEnabled": false, "InboundBypass": true, "OutboundBypass": true,
            "IntelligentRouteEnabled": false
        }),
    );
    let route = create_message(&app, body).await.ok();
    assert_eq!(route["MessageUrlMethod"], "GET");
    assert_eq!(route["MessageAuthenticationType"], "None");
    assert_eq!(route["MessageUsername"], Value::Null);
    assert_eq!(route["MessagePasswordToken"], Value::Null);
    assert_eq!(route["CallbackMessageUrlMethod"], "POST");
    assert_eq!(route["CallbackMessageAuthenticationType"], "Bearer");
    assert_eq!(route["CallbackMessageUsername"], Value::Null);
    assert_eq!(route["CallbackMessagePasswordToken"], MASK);
    for flag in ["InboundBypass", "OutboundBypass"] {
        assert_eq!(route[flag], true, "{flag}");
    }
    for flag in ["MessageRouteEnabled", "IntelligentRouteEnabled"] {
        assert_eq!(route[flag], false, "{flag}");
    }
    app.stop().await;
}

#[tokio::test]
async fn create_reports_every_documented_error() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let base = message_body(&account);
    let cases = [
        (
            without(&base, &["RouteName"]),
            "RouteName",
            "RouteName is required".to_string(),
        ),
        (
            with(&base, json!({"RouteName": "  "})),
            "RouteName",
            "RouteName is required".into(),
        ),
        (
            with(&base, json!({"RouteName": "n".repeat(101)})),
            "RouteName",
            "RouteName must be between 1 and 100 characters".into(),
        ),
        (
            without(&base, &["MessageUrl"]),
            "MessageUrl",
            MESSAGE_URL_INVALID.into(),
        ),
        (
            with(&base, json!({"MessageUrl": "hooks.acme.com/x"})),
            "MessageUrl",
            MESSAGE_URL_INVALID.into(),
        ),
        (
            with(&base, json!({"MessageUrl": "ftp://hooks.acme.com/"})),
            "MessageUrl",
            MESSAGE_URL_INVALID.into(),
        ),
        (
            with(
                &base,
                json!({"MessageUrl": format!("https://h.example.com/{}", "a".repeat(2030))}),
            ),
            "MessageUrl",
            MESSAGE_URL_INVALID.into(),
        ),
        (
            with(&base, json!({"MessageUrl": 5})),
            "MessageUrl",
            "MessageUrl must be a string".into(),
        ),
        (
            with(&base, json!({"CallbackMessageUrl": "not a url"})),
            "CallbackMessageUrl",
            CALLBACK_URL_INVALID.into(),
        ),
        (
            with(&base, json!({"MessageUrlMethod": "PUT"})),
            "MessageUrlMethod",
            "MessageUrlMethod must be one of: GET, POST".into(),
        ),
        (
            with(
                &base,
                json!({"CallbackMessageAuthenticationType": "Digest"}),
            ),
            "CallbackMessageAuthenticationType",
            "CallbackMessageAuthenticationType must be one of: None, Basic, Bearer".into(),
        ),
        (
            without(&base, &["MessageUsername"]),
            "MessageUsername",
            "MessageUsername is required for Basic authentication".into(),
        ),
        (
            with(&base, json!({"MessagePasswordToken": null})),
            "MessagePasswordToken",
            "MessagePasswordToken is required for Basic authentication".into(),
        ),
        (
            without(&base, &["CallbackMessagePasswordToken"]),
            "CallbackMessagePasswordToken",
            "CallbackMessagePasswordToken is required for Bearer authentication".into(),
        ),
        (
            with(&base, json!({"CallbackMessageAuthenticationType": "Basic"})),
            "CallbackMessageUsername",
            "CallbackMessageUsername is required for Basic authentication".into(),
        ),
        (
            with(&base, json!({"MessageUsername": "u".repeat(257)})),
            "MessageUsername",
            "MessageUsername must be between 1 and 256 characters".into(),
        ),
        (
            with(&base, json!({"MessagePasswordToken": ""})),
            "MessagePasswordToken",
            "MessagePasswordToken must be between 1 and 4096 characters".into(),
        ),
        (
            with(&base, json!({"MessagePasswordToken": "p".repeat(4097)})),
            "MessagePasswordToken",
            "MessagePasswordToken must be between 1 and 4096 characters".into(),
        ),
        (
            with(&base, json!({"InboundBypass": "yes"})),
            "InboundBypass",
            "InboundBypass must be a boolean".into(),
        ),
        (
            with(&base, json!({"AccountId": "AID-nope"})),
            "AccountId",
            "Invalid AccountId".into(),
        ),
    ];
    for (body, field, message) in cases {
        assert_invalid(&create_message(&app, body).await, field, &message);
    }
    // Every problem of one request is reported.
    let resp = create_message(&app, json!({"MessageAuthenticationType": "Bearer"})).await;
    resp.assert_field_error("RouteName", "RouteName is required");
    resp.assert_field_error("MessageUrl", MESSAGE_URL_INVALID);
    resp.assert_field_error(
        "MessagePasswordToken",
        "MessagePasswordToken is required for Bearer authentication",
    );
    // Boundaries are accepted: secrets are not trimmed.
    let body = with(
        &base,
        json!({"RouteName": "n".repeat(100), "MessagePasswordToken": format!(" {} ", "p".repeat(4094)),
               "MessageUsername": "u".repeat(256)}),
    );
    create_message(&app, body).await.ok();
    // With two accounts, AccountId is required.
    app.new_account("Second").await;
    let resp = create_message(&app, without(&base, &["AccountId"])).await;
    assert_invalid(&resp, "AccountId", "AccountId is required");
    assert_eq!(events_of(&app, "message_route.created").await.len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn private_urls_are_refused_unless_allowed() {
    let app = TestApp::start_with(|c| c.allow_private_webhooks = Some(false)).await;
    let account = app.new_account("Acme Mobile").await;
    let base = message_body(&account);
    for url in [
        "http://localhost/x",
        "http://127.0.0.1:8080/x",
        "http://10.1.2.3/",
        "http://[::1]/",
        "https://169.254.169.254/latest",
    ] {
        let resp = create_message(&app, with(&base, json!({"MessageUrl": url}))).await;
        assert_invalid(
            &resp,
            "MessageUrl",
            "MessageUrl must not point to a private address",
        );
        let resp = create_message(&app, with(&base, json!({"CallbackMessageUrl": url}))).await;
        assert_invalid(
            &resp,
            "CallbackMessageUrl",
            "CallbackMessageUrl must not point to a private address",
        );
    }
    let route = create_message(&app, base).await.ok();
    let update = json!({"MessageRouteId": mrid(&route), "MessageUrl": "http://192.168.1.1/in"});
    let resp = app.call("/v1.0/message/routes/update", update).await;
    assert_invalid(
        &resp,
        "MessageUrl",
        "MessageUrl must not point to a private address",
    );
    app.stop().await;
}

#[tokio::test]
async fn get_needs_a_known_live_id() {
    let app = TestApp::start().await;
    app.new_account("Acme Mobile").await;
    let resp = app.fetch("/v1.0/message/routes").await;
    assert_invalid(&resp, "MessageRouteId", "MessageRouteId is required");
    let resp = app.fetch("/v1.0/message/routes?MessageRouteId=").await;
    assert_invalid(&resp, "MessageRouteId", "MessageRouteId is required");
    let unknown = "MRID-019a49e7-7429-7385-ab65-a6a48b8148f6";
    get_message(&app, unknown)
        .await
        .assert_problem(404, &message_not_found(unknown));
    get_message(&app, "MRID-nope")
        .await
        .assert_problem(404, &message_not_found("MRID-nope"));
    let voice_id = "CRID-019a49e7-7429-7385-ab65-a6a48b8148f6";
    get_message(&app, voice_id)
        .await
        .assert_problem(404, &message_not_found(voice_id));
    app.stop().await;
}
