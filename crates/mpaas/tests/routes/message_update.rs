//! Message route update: partial changes, `null` semantics, stored credentials counting for the
//! auth rules, the create rules on the merged route, and the account that cannot change.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::support::{
    assert_invalid, assert_message_shape, create_message, events_of, get_message, message_body,
    message_not_found, mrid, update_message, MASK, MESSAGE_URL_INVALID,
};

#[tokio::test]
async fn update_changes_only_what_is_sent() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let route = create_message(&app, message_body(&account)).await.ok();
    let id = mrid(&route);
    // The contract's example.
    let body = json!({"MessageRouteId": id, "MessageUrlMethod": "GET",
        "CallbackMessageAuthenticationType": null, "CallbackMessagePasswordToken": null});
    let updated = update_message(&app, body).await.ok();
    assert_message_shape(&updated);
    let expected = json!({
        "MessageRouteId": id, "AccountId": account, "RouteName": "Main SMS Webhook",
        "MessageUrl": "https://hooks.acmemobile.com/sms/inbound", "MessageUrlMethod": "GET",
        "MessageRouteEnabled": true, "MessageAuthenticationType": "Basic", "MessageUsername": "acme-hooks",
        "MessagePasswordToken": MASK, "CallbackMessageUrl": "https://hooks.acmemobile.com/sms/status",
        "CallbackMessageUrlMethod": "POST", "CallbackMessageAuthenticationType": "None",
        "CallbackMessageUsername": null, "CallbackMessagePasswordToken": null, "InboundBypass": false,
        "OutboundBypass": false, "IntelligentRouteEnabled": true
    });
    assert_eq!(updated, expected);
    assert_eq!(get_message(&app, &id).await.ok(), expected);
    // `null` on a property that cannot be empty leaves it; on one with a default returns to it;
    // on an optional one clears it. The account may be repeated.
    let body = json!({"messagerouteid": id, "RouteName": null, "MessageUrl": null, "MessageRouteEnabled": null,
        "InboundBypass": null, "MessageUrlMethod": null, "CallbackMessageUrl": null, "AccountId": account,
        "OutboundBypass": true});
    let updated = update_message(&app, body).await.ok();
    assert_eq!(updated["RouteName"], "Main SMS Webhook");
    assert_eq!(
        updated["MessageUrl"],
        "https://hooks.acmemobile.com/sms/inbound"
    );
    assert_eq!(updated["MessageRouteEnabled"], true);
    assert_eq!(updated["InboundBypass"], false);
    assert_eq!(updated["MessageUrlMethod"], "POST");
    assert_eq!(updated["CallbackMessageUrl"], Value::Null);
    assert_eq!(updated["OutboundBypass"], true);
    assert_eq!(
        updated["MessagePasswordToken"], MASK,
        "credentials untouched"
    );
    // An empty update is valid and changes nothing.
    let same = update_message(&app, json!({"MessageRouteId": id}))
        .await
        .ok();
    assert_eq!(same, updated);

    let events = events_of(&app, "message_route.updated").await;
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].0, id);
    assert_eq!(events[0].1.as_deref(), Some(account.as_str()));
    assert_eq!(events[0].2, expected, "Data is the masked route");
    app.stop().await;
}

#[tokio::test]
async fn auth_rules_count_stored_credentials() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let route = create_message(&app, message_body(&account)).await.ok();
    let id = mrid(&route);
    let update = |changes: Value| {
        let mut body = changes;
        body["MessageRouteId"] = json!(id);
        update_message(&app, body)
    };
    // Basic -> Bearer keeps the stored password as the token and drops the username.
    let r = update(json!({"MessageAuthenticationType": "bearer"}))
        .await
        .ok();
    assert_eq!(r["MessageAuthenticationType"], "Bearer");
    assert_eq!(r["MessageUsername"], Value::Null);
    assert_eq!(r["MessagePasswordToken"], MASK);
    // Back to Basic needs the username again (it was discarded).
    let resp = update(json!({"MessageAuthenticationType": "Basic"})).await;
    assert_invalid(
        &resp,
        "MessageUsername",
        "MessageUsername is required for Basic authentication",
    );
    let r = update(json!({"MessageAuthenticationType": "Basic", "MessageUsername": "again"}))
        .await
        .ok();
    assert_eq!(r["MessageUsername"], "again");
    assert_eq!(r["MessagePasswordToken"], MASK, "the stored secret counts");
    // Clearing the password of a Basic route is refused; clearing the type erases both.
    let resp = update(json!({"MessagePasswordToken": null})).await;
    assert_invalid(
        &resp,
        "MessagePasswordToken",
        "MessagePasswordToken is required for Basic authentication",
    );
    let r = update(json!({"MessageAuthenticationType": null}))
        .await
        .ok();
    assert_eq!(r["MessageAuthenticationType"], "None");
    assert_eq!(r["MessageUsername"], Value::Null);
    assert_eq!(r["MessagePasswordToken"], Value::Null);
    // A None route needs a new secret to become Bearer.
    let resp = update(json!({"MessageAuthenticationType": "Bearer"})).await;
    assert_invalid(
        &resp,
        "MessagePasswordToken",
        "MessagePasswordToken is required for Bearer authentication",
    );
    // Credentials sent to a None route are discarded.
    let r = update(json!({"MessageUsername": "x", "MessagePasswordToken": "y"}))
        .await
        .ok();
    assert_eq!(r["MessageUsername"], Value::Null);
    assert_eq!(r["MessagePasswordToken"], Value::Null);
    app.stop().await;
}

#[tokio::test]
async fn update_checks_the_merged_route_and_the_account() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let other = app.new_account("Other").await;
    let route = create_message(&app, message_body(&account)).await.ok();
    let id = mrid(&route);
    let cases = [
        (
            json!({"MessageUrl": ""}),
            "MessageUrl",
            MESSAGE_URL_INVALID.to_string(),
        ),
        (
            json!({"MessageUrl": "mailto:a@b.c"}),
            "MessageUrl",
            MESSAGE_URL_INVALID.into(),
        ),
        (
            json!({"RouteName": ""}),
            "RouteName",
            "RouteName must be between 1 and 100 characters".into(),
        ),
        (
            json!({"CallbackMessageUrlMethod": "DELETE"}),
            "CallbackMessageUrlMethod",
            "CallbackMessageUrlMethod must be one of: GET, POST".into(),
        ),
        (
            json!({"AccountId": other}),
            "AccountId",
            "AccountId cannot be changed".into(),
        ),
        (
            json!({"AccountId": "AID-nope"}),
            "AccountId",
            "AccountId cannot be changed".into(),
        ),
    ];
    for (mut body, field, message) in cases {
        body["MessageRouteId"] = json!(id);
        assert_invalid(&update_message(&app, body).await, field, &message);
    }
    assert_eq!(get_message(&app, &id).await.ok(), route, "nothing changed");
    let resp = update_message(&app, json!({"RouteName": "x"})).await;
    assert_invalid(&resp, "MessageRouteId", "MessageRouteId is required");
    let unknown = "MRID-019a49e7-7429-7385-ab65-a6a48b8148f6";
    update_message(&app, json!({"MessageRouteId": unknown, "RouteName": "x"}))
        .await
        .assert_problem(404, &message_not_found(unknown));
    assert!(events_of(&app, "message_route.updated").await.is_empty());
    app.stop().await;
}
