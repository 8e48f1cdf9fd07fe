//! Voice route create and get: the documented shape, route types, trunk defaults and checks,
//! and both spellings of the vendor's misspelled properties.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::support::{
    assert_invalid, assert_voice_shape, create_voice, crid, events_of, get_voice, voice_body,
    voice_not_found, with, MASK,
};

/// The voice object the contract answers to its create example.
pub fn expected_voice(id: &str, account: &str) -> Value {
    json!({
        "CallRouteId": id, "AccountId": account, "RouteName": "Main SIP Trunk", "RouteType": "Trunk",
        "VoiceUrl": null, "VoiceUrlMethod": "POST", "VoiceAuthenticationType": "Bearer", "VoiceUsername": null,
        "VoicePasswordToken": MASK, "CallbackVoiceUrl": "https://hooks.acmemobile.com/voice/events",
        "CallbackVoiceUrlMethod": "POST", "TrunkIp1": "203.0.113.10", "TrunkIp2": "203.0.113.20",
        "TrunkPort1": "5061", "TrunkPort2": "5060", "TrunkTransport1": "TLS", "TrunkTransport2": "UDP",
        "TrunkUri1": "sip:sbc1.acmemobile.com", "TrunkUri2": null, "TrunkEnabled1": true, "TrunkEnabled2": true,
        "Trunk1Priortiy": 10, "Trunk1Weight": 10, "Trunk2Priortiy": 20, "Trunk2Weight": 10,
        "HeaderManipulation": null, "EnableSipRefer": false, "TransferCallerId": "Transferee", "SymmetricRtp": false,
        "EnableTrpSecureTrunk": false, "EnablePstnTransfer": false, "CnamLookup": true,
        "TerminationUriSubdomain": null, "EnableCallStreaming": false, "WssUri": null,
        "IntelligentRouteEnabled": true, "RouteEnabled": true,
        "IpWhiteList": [{"IpAddress": "203.0.113.10"}, {"IpAddress": "203.0.113.20"}]
    })
}

#[tokio::test]
async fn creates_and_reads_a_voice_route_with_the_documented_shape() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let route = create_voice(&app, voice_body(&account)).await.ok();
    assert_voice_shape(&route);
    let id = crid(&route);
    assert!(id.starts_with("CRID-"), "{route}");
    let expected = expected_voice(&id, &account);
    assert_eq!(route, expected);
    assert_eq!(get_voice(&app, &id).await.ok(), expected);
    // `CallRouteID` matches: parameter names are case-insensitive.
    let resp = app
        .fetch(&format!("/v1.0/voice/routes?CallRouteID={id}"))
        .await;
    assert_eq!(resp.ok(), expected);
    let created = events_of(&app, "voice_route.created").await;
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].0, id);
    assert_eq!(created[0].1.as_deref(), Some(account.as_str()));
    assert_eq!(created[0].2, expected, "Data is the masked route");
    app.stop().await;
}

#[tokio::test]
async fn route_types_and_their_requirements() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let minimal = json!({"RouteName": "Calls", "AccountId": account});
    let url = with(
        &minimal,
        json!({"RouteType": "webhook", "VoiceUrl": "https://hooks.acme.com/voice"}),
    );
    let route = create_voice(&app, url).await.ok();
    assert_voice_shape(&route);
    assert_eq!(route["RouteType"], "URL", "Webhook is read as URL");
    assert_eq!(route["VoiceUrl"], "https://hooks.acme.com/voice");
    for (raw, stored) in [
        ("8015551234", "tel:+18015551234"),
        ("TEL:+1 (801) 555-1234", "tel:+18015551234"),
        ("+442079460000", "tel:+442079460000"),
    ] {
        let body = with(&minimal, json!({"RouteType": "FORWARD", "VoiceUrl": raw}));
        let route = create_voice(&app, body).await.ok();
        assert_eq!(route["RouteType"], "Forward");
        assert_eq!(route["VoiceUrl"], stored, "{raw}");
    }
    // An unconfigured trunk: its fields are null and it is disabled.
    let route = create_voice(
        &app,
        with(
            &minimal,
            json!({"RouteType": "URL", "VoiceUrl": "https://h.example.com/v"}),
        ),
    )
    .await
    .ok();
    for n in [1, 2] {
        for prop in ["TrunkIp", "TrunkPort", "TrunkTransport", "TrunkUri"] {
            assert_eq!(route[format!("{prop}{n}")], Value::Null, "{prop}{n}");
        }
        assert_eq!(route[format!("Trunk{n}Priortiy")], Value::Null);
        assert_eq!(route[format!("Trunk{n}Weight")], Value::Null);
        assert_eq!(route[format!("TrunkEnabled{n}")], false);
    }
    assert_eq!(route["IpWhiteList"], json!([]));
    let forward = "VoiceUrl must be a tel: URI or phone number for route type Forward";
    let cases = [
        (minimal.clone(), "RouteType", "RouteType is required"),
        (
            with(&minimal, json!({"RouteType": "SIP"})),
            "RouteType",
            "Route type must be one of: Trunk, URL, Forward",
        ),
        (
            with(&minimal, json!({"RouteType": "Trunk"})),
            "TrunkIp1",
            "TrunkIp1 or TrunkUri1 is required for route type Trunk",
        ),
        (
            with(
                &minimal,
                json!({"RouteType": "Trunk", "TrunkIp2": "203.0.113.2"}),
            ),
            "TrunkIp1",
            "TrunkIp1 or TrunkUri1 is required for route type Trunk",
        ),
        (
            with(&minimal, json!({"RouteType": "URL"})),
            "VoiceUrl",
            "VoiceUrl is required for route type URL",
        ),
        (
            with(
                &minimal,
                json!({"RouteType": "URL", "VoiceUrl": "tel:+18015551234"}),
            ),
            "VoiceUrl",
            "A valid URL is required for the voice webhook.",
        ),
        (
            with(&minimal, json!({"RouteType": "Forward"})),
            "VoiceUrl",
            forward,
        ),
        (
            with(
                &minimal,
                json!({"RouteType": "Forward", "VoiceUrl": "https://h.example.com/"}),
            ),
            "VoiceUrl",
            forward,
        ),
        (
            with(
                &minimal,
                json!({"RouteType": "Forward", "VoiceUrl": "tel:12"}),
            ),
            "VoiceUrl",
            forward,
        ),
    ];
    for (body, field, message) in cases {
        assert_invalid(&create_voice(&app, body).await, field, message);
    }
    app.stop().await;
}

#[tokio::test]
async fn trunks_get_defaults_and_are_checked() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let minimal = json!({"RouteName": "SBC", "RouteType": "trunk", "TrunkUri1": "sbc1.acme.com"});
    let route = create_voice(&app, minimal.clone()).await.ok();
    assert_eq!(route["RouteType"], "Trunk");
    assert_eq!(route["AccountId"], account.as_str(), "the only account");
    assert_eq!(
        (
            &route["TrunkPort1"],
            &route["TrunkTransport1"],
            &route["TrunkEnabled1"]
        ),
        (&json!("5060"), &json!("UDP"), &json!(true))
    );
    assert_eq!(
        (&route["Trunk1Priortiy"], &route["Trunk1Weight"]),
        (&json!(1), &json!(1))
    );
    assert_eq!(route["TrunkEnabled2"], false);
    // TLS defaults to 5061; an integer port is answered as a string; trunk 2 defaults to 2.
    let body = with(
        &minimal,
        json!({"TrunkTransport1": "tls", "TrunkIp2": "2001:DB8::20", "TrunkPort2": 5070, "TrunkTransport2": "Tcp"}),
    );
    let route = create_voice(&app, body).await.ok();
    assert_eq!(
        (&route["TrunkPort1"], &route["TrunkTransport1"]),
        (&json!("5061"), &json!("TLS"))
    );
    assert_eq!(route["TrunkIp2"], "2001:db8::20");
    assert_eq!(
        (&route["TrunkPort2"], &route["TrunkTransport2"]),
        (&json!("5070"), &json!("TCP"))
    );
    assert_eq!(
        (&route["Trunk2Priortiy"], &route["TrunkEnabled2"]),
        (&json!(2), &json!(true))
    );
    // Both spellings: the correct one alone is read; with both, the vendor's `Priortiy` and the
    // correct `VoiceAuthenticationType` win.
    let body = with(
        &minimal,
        json!({"Trunk1Priority": 7, "Trunk2Priority": 9, "TrunkIp2": "203.0.113.2"}),
    );
    let route = create_voice(&app, body).await.ok();
    assert_eq!(
        (&route["Trunk1Priortiy"], &route["Trunk2Priortiy"]),
        (&json!(7), &json!(9))
    );
    let body = with(
        &minimal,
        json!({"Trunk1Priority": 7, "Trunk1Priortiy": 3, "VoiceAuthenticationType": "None",
               "VocieAuthenticationType": "Bearer"}),
    );
    let route = create_voice(&app, body).await.ok();
    assert_eq!(route["Trunk1Priortiy"], 3);
    assert_eq!(route["VoiceAuthenticationType"], "None");
    let body = with(
        &minimal,
        json!({"VocieAuthenticationType": "basic", "VoiceUsername": "u", "VoicePasswordToken": "p"}),
    );
    let route = create_voice(&app, body).await.ok();
    assert_eq!(route["VoiceAuthenticationType"], "Basic");
    assert_eq!(route["VoicePasswordToken"], MASK);
    let cases = [
        (
            json!({"TrunkIp1": "sbc.acme.com"}),
            "TrunkIp1",
            "TrunkIp1 must be an IPv4 or IPv6 address",
        ),
        (
            json!({"TrunkPort1": 0}),
            "TrunkPort1",
            "TrunkPort1 must be between 1 and 65535",
        ),
        (
            json!({"TrunkPort1": "70000"}),
            "TrunkPort1",
            "TrunkPort1 must be between 1 and 65535",
        ),
        (
            json!({"TrunkPort1": true}),
            "TrunkPort1",
            "TrunkPort1 must be a string or an integer",
        ),
        (
            json!({"TrunkTransport2": "SCTP"}),
            "TrunkTransport2",
            "TrunkTransport2 must be one of: UDP, TCP, TLS",
        ),
        (
            json!({"TrunkUri1": format!("sip:{}", "a".repeat(252))}),
            "TrunkUri1",
            "TrunkUri1 must be between 1 and 255 characters",
        ),
        (
            json!({"TrunkUri1": "ftp://sbc.acme.com"}),
            "TrunkUri1",
            "TrunkUri1 must be a sip: or sips: URI, an http(s) URL or a host name",
        ),
        (
            json!({"Trunk1Priortiy": 70000}),
            "Trunk1Priortiy",
            "Trunk1Priortiy must be between 0 and 65535",
        ),
        (
            json!({"Trunk2Priority": -1}),
            "Trunk2Priority",
            "Trunk2Priority must be between 0 and 65535",
        ),
        (
            json!({"Trunk1Weight": 65536}),
            "Trunk1Weight",
            "Trunk1Weight must be between 0 and 65535",
        ),
        (
            json!({"TrunkEnabled1": "yes"}),
            "TrunkEnabled1",
            "TrunkEnabled1 must be a boolean",
        ),
    ];
    for (changes, field, message) in cases {
        assert_invalid(
            &create_voice(&app, with(&minimal, changes)).await,
            field,
            message,
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn get_needs_a_known_live_id() {
    let app = TestApp::start().await;
    app.new_account("Acme Mobile").await;
    let resp = app.fetch("/v1.0/voice/routes").await;
    assert_invalid(&resp, "CallRouteId", "CallRouteId is required");
    let unknown = "CRID-019a4a05-1e60-7cf1-8737-819096da1dac";
    get_voice(&app, unknown)
        .await
        .assert_problem(404, &voice_not_found(unknown));
    get_voice(&app, "nonsense")
        .await
        .assert_problem(404, &voice_not_found("nonsense"));
    app.stop().await;
}
