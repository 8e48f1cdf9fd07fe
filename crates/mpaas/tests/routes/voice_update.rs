//! Voice route update: the contract's example, `null` semantics on trunks and optional
//! properties, changing the route type, the subdomain conflict and the fixed account.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::support::{
    assert_invalid, assert_voice_shape, create_voice, crid, events_of, get_voice, update_voice,
    voice_body, voice_not_found, with, MASK,
};
use crate::voice::expected_voice;

#[tokio::test]
async fn update_changes_only_what_is_sent() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let id = crid(&create_voice(&app, voice_body(&account)).await.ok());
    let body = json!({"CallRouteId": id, "TrunkEnabled1": false, "Trunk2Priortiy": 5});
    let updated = update_voice(&app, body).await.ok();
    assert_voice_shape(&updated);
    let expected = with(
        &expected_voice(&id, &account),
        json!({"TrunkEnabled1": false, "Trunk2Priortiy": 5}),
    );
    assert_eq!(updated, expected);
    assert_eq!(get_voice(&app, &id).await.ok(), expected);
    let events = events_of(&app, "voice_route.updated").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, id);
    assert_eq!(events[0].1.as_deref(), Some(account.as_str()));
    assert_eq!(events[0].2, expected);
    app.stop().await;
}

#[tokio::test]
async fn null_clears_optional_properties_and_restores_defaults() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let body = with(
        &voice_body(&account),
        json!({"HeaderManipulation": "X-A: 1", "TerminationUriSubdomain": "acme",
            "EnableCallStreaming": true, "WssUri": "wss://s.acme.com/", "VoiceUrlMethod": "GET",
            "TrunkUri2": "sip:sbc2.acme.com"}),
    );
    let id = crid(&create_voice(&app, body).await.ok());
    let body = json!({"callrouteid": id, "TrunkIp2": null, "TrunkUri2": null, "TrunkPort1": null,
        "Trunk1Priortiy": null, "Trunk1Weight": null, "TrunkTransport1": null, "TrunkEnabled1": null,
        "HeaderManipulation": null, "TransferCallerId": null, "IpWhitelist": null,
        "TerminationUriSubdomain": null, "EnableCallStreaming": false, "WssUri": null,
        "VoiceUrlMethod": null, "CallbackVoiceUrl": null, "RouteName": null, "RouteType": null,
        "CnamLookup": null, "RouteEnabled": null});
    let r = update_voice(&app, body).await.ok();
    assert_voice_shape(&r);
    // Trunk 2 lost its addresses: every field null and disabled.
    for prop in [
        "TrunkIp2",
        "TrunkPort2",
        "TrunkTransport2",
        "TrunkUri2",
        "Trunk2Priortiy",
        "Trunk2Weight",
    ] {
        assert_eq!(r[prop], Value::Null, "{prop}");
    }
    assert_eq!(r["TrunkEnabled2"], false);
    // Trunk 1 properties with defaults return to them; its boolean is unchanged.
    assert_eq!(
        [
            &r["TrunkPort1"],
            &r["TrunkTransport1"],
            &r["Trunk1Priortiy"],
            &r["Trunk1Weight"],
            &r["TrunkEnabled1"]
        ],
        [
            &json!("5060"),
            &json!("UDP"),
            &json!(1),
            &json!(1),
            &json!(true)
        ]
    );
    for prop in [
        "HeaderManipulation",
        "TransferCallerId",
        "TerminationUriSubdomain",
        "WssUri",
        "CallbackVoiceUrl",
    ] {
        assert_eq!(r[prop], Value::Null, "{prop}");
    }
    assert_eq!(r["IpWhiteList"], json!([]));
    assert_eq!(r["VoiceUrlMethod"], "POST");
    assert_eq!(
        (&r["RouteName"], &r["RouteType"]),
        (&json!("Main SIP Trunk"), &json!("Trunk"))
    );
    assert_eq!(
        (&r["CnamLookup"], &r["RouteEnabled"]),
        (&json!(true), &json!(true))
    );
    assert_eq!(r["VoicePasswordToken"], MASK);
    // A trunk configured again gets its defaults, enabled.
    let r = update_voice(&app, json!({"CallRouteId": id, "TrunkIp2": "203.0.113.99"}))
        .await
        .ok();
    assert_eq!(
        [
            &r["TrunkPort2"],
            &r["TrunkTransport2"],
            &r["Trunk2Priortiy"],
            &r["Trunk2Weight"],
            &r["TrunkEnabled2"]
        ],
        [
            &json!("5060"),
            &json!("UDP"),
            &json!(2),
            &json!(1),
            &json!(true)
        ]
    );
    app.stop().await;
}

#[tokio::test]
async fn changing_the_type_needs_the_new_types_fields() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let id = crid(&create_voice(&app, voice_body(&account)).await.ok());
    let update = |changes: Value| {
        let mut body = changes;
        body["CallRouteId"] = json!(id);
        update_voice(&app, body)
    };
    let resp = update(json!({"RouteType": "URL"})).await;
    assert_invalid(&resp, "VoiceUrl", "VoiceUrl is required for route type URL");
    let r = update(json!({"RouteType": "url", "VoiceUrl": "https://h.acme.com/v"}))
        .await
        .ok();
    assert_eq!(
        (&r["RouteType"], &r["VoiceUrl"]),
        (&json!("URL"), &json!("https://h.acme.com/v"))
    );
    let resp = update(json!({"RouteType": "Forward"})).await;
    assert_invalid(
        &resp,
        "VoiceUrl",
        "VoiceUrl must be a tel: URI or phone number for route type Forward",
    );
    let r = update(json!({"RouteType": "Forward", "VoiceUrl": "18015551234"}))
        .await
        .ok();
    assert_eq!(r["VoiceUrl"], "tel:+18015551234");
    // Trunk 1 is still stored, so going back to Trunk needs nothing more.
    let r = update(json!({"RouteType": "Trunk"})).await.ok();
    assert_eq!(
        (&r["RouteType"], &r["VoiceUrl"]),
        (&json!("Trunk"), &json!("tel:+18015551234"))
    );
    let resp = update(json!({"TrunkIp1": null, "TrunkUri1": null})).await;
    assert_invalid(
        &resp,
        "TrunkIp1",
        "TrunkIp1 or TrunkUri1 is required for route type Trunk",
    );
    let resp = update(json!({"VoiceUrl": null, "RouteType": "URL"})).await;
    assert_invalid(&resp, "VoiceUrl", "VoiceUrl is required for route type URL");
    app.stop().await;
}

#[tokio::test]
async fn update_errors() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let other = app.new_account("Other").await;
    let taken = with(
        &voice_body(&account),
        json!({"TerminationUriSubdomain": "taken"}),
    );
    create_voice(&app, taken).await.ok();
    let route = create_voice(&app, voice_body(&account)).await.ok();
    let id = crid(&route);
    let resp = update_voice(
        &app,
        json!({"CallRouteId": id, "TerminationUriSubdomain": "TAKEN"}),
    )
    .await;
    resp.assert_problem(409, "TerminationUriSubdomain already in use");
    assert_eq!(
        resp.body["Errors"]["$.TerminationUriSubdomain"],
        json!(["TerminationUriSubdomain already in use"])
    );
    let cases = [
        (
            json!({"AccountId": other}),
            "AccountId",
            "AccountId cannot be changed",
        ),
        (
            json!({"VoiceAuthenticationType": "Basic"}),
            "VoiceUsername",
            "VoiceUsername is required for Basic authentication",
        ),
        (
            json!({"EnableCallStreaming": true}),
            "WssUri",
            "WssUri is required when EnableCallStreaming is true",
        ),
        (
            json!({"RouteName": " "}),
            "RouteName",
            "RouteName must be between 1 and 100 characters",
        ),
        (
            json!({"RouteType": "Webhooks"}),
            "RouteType",
            "Route type must be one of: Trunk, URL, Forward",
        ),
    ];
    for (mut body, field, message) in cases {
        body["CallRouteId"] = json!(id);
        assert_invalid(&update_voice(&app, body).await, field, message);
    }
    assert_eq!(get_voice(&app, &id).await.ok(), route, "nothing changed");
    // The same account may be repeated.
    update_voice(&app, json!({"CallRouteId": id, "AccountId": account}))
        .await
        .ok();
    let resp = update_voice(&app, json!({"RouteName": "x"})).await;
    assert_invalid(&resp, "CallRouteId", "CallRouteId is required");
    let unknown = "CRID-019a4a05-1e60-7cf1-8737-819096da1dac";
    update_voice(&app, json!({"CallRouteId": unknown}))
        .await
        .assert_problem(404, &voice_not_found(unknown));
    app.stop().await;
}
