//! Voice route properties with formats of their own: the whitelist, the termination subdomain,
//! call streaming, the transfer caller id, header manipulation, and private URLs.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::support::{
    assert_invalid, assert_voice_shape, create_voice, events_of, voice_body, with, without,
};

#[tokio::test]
async fn whitelist_subdomain_streaming_and_other_properties() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let base = voice_body(&account);
    let body = with(
        &base,
        json!({"IpWhitelist": [{"IpAddress": "203.0.113.10"}, {"ipaddress": "198.51.100.0/24"},
            {"IpAddress": " 203.0.113.10 "}, {"IpAddress": "2001:DB8::/32"}],
            "TerminationUriSubdomain": " Acme-Voice ", "EnableCallStreaming": true,
            "WssUri": "wss://stream.acme.com/calls", "TransferCallerId": "transferee/TRANSFEROR",
            "HeaderManipulation": "X-Acme: 1", "EnableSipRefer": true, "SymmetricRtp": true,
            "EnableTrpSecureTrunk": true, "EnablePstnTransfer": true, "RouteEnabled": false}),
    );
    let route = create_voice(&app, body).await.ok();
    assert_voice_shape(&route);
    assert_eq!(
        route["IpWhiteList"],
        json!([{"IpAddress": "203.0.113.10"}, {"IpAddress": "198.51.100.0/24"}, {"IpAddress": "2001:db8::/32"}]),
        "duplicates collapsed"
    );
    assert_eq!(route["TerminationUriSubdomain"], "acme-voice");
    assert_eq!(route["EnableCallStreaming"], true);
    assert_eq!(route["WssUri"], "wss://stream.acme.com/calls");
    assert_eq!(route["TransferCallerId"], "Transferee/Transferor");
    assert_eq!(route["HeaderManipulation"], "X-Acme: 1");
    for flag in [
        "EnableSipRefer",
        "SymmetricRtp",
        "EnableTrpSecureTrunk",
        "EnablePstnTransfer",
    ] {
        assert_eq!(route[flag], true, "{flag}");
    }
    assert_eq!(route["RouteEnabled"], false);
    // The subdomain is unique among live routes, in any case.
    let resp = create_voice(
        &app,
        with(&base, json!({"TerminationUriSubdomain": "ACME-VOICE"})),
    )
    .await;
    resp.assert_problem(409, "TerminationUriSubdomain already in use");
    let fifty_one: Vec<Value> = (0..51)
        .map(|i| json!({"IpAddress": format!("192.0.2.{i}")}))
        .collect();
    let mut fifty = fifty_one.clone();
    fifty.push(json!({"IpAddress": "192.0.2.0"}));
    fifty.remove(50);
    let route = create_voice(&app, with(&base, json!({"IpWhitelist": fifty})))
        .await
        .ok();
    assert_eq!(route["IpWhiteList"].as_array().map(Vec::len), Some(50));
    let subdomain = "TerminationUriSubdomain must be 1 to 63 characters of a-z, 0-9 and -, not starting or ending with -";
    let cases = [
        (
            json!({"IpWhitelist": fifty_one}),
            "IpWhitelist",
            "IpWhitelist must contain at most 50 items".to_string(),
        ),
        (
            json!({"IpWhitelist": [{"IpAddress": "10.0.0.0/33"}]}),
            "IpWhitelist[0].IpAddress",
            "IpWhitelist[0].IpAddress must be an IPv4 or IPv6 address or CIDR block".into(),
        ),
        (
            json!({"IpWhitelist": [{"IpAddress": "10.0.0.1"}, {"Ip": "10.0.0.2"}]}),
            "IpWhitelist[1].IpAddress",
            "IpWhitelist[1].IpAddress must be a string".into(),
        ),
        (
            json!({"IpWhitelist": "10.0.0.1"}),
            "IpWhitelist",
            "IpWhitelist must be an array".into(),
        ),
        (
            json!({"TerminationUriSubdomain": "-acme"}),
            "TerminationUriSubdomain",
            subdomain.into(),
        ),
        (
            json!({"TerminationUriSubdomain": "acme.voice"}),
            "TerminationUriSubdomain",
            subdomain.into(),
        ),
        (
            json!({"TerminationUriSubdomain": "a".repeat(64)}),
            "TerminationUriSubdomain",
            subdomain.into(),
        ),
        (
            json!({"EnableCallStreaming": true}),
            "WssUri",
            "WssUri is required when EnableCallStreaming is true".into(),
        ),
        (
            json!({"WssUri": "https://stream.acme.com"}),
            "WssUri",
            "WssUri must be an absolute wss:// URL".into(),
        ),
        (
            json!({"TransferCallerId": "Caller"}),
            "TransferCallerId",
            "TransferCallerId must be one of: Transferee, Transferor, Transferee/Transferor".into(),
        ),
        (
            json!({"HeaderManipulation": "h".repeat(65)}),
            "HeaderManipulation",
            "HeaderManipulation must be between 1 and 64 characters".into(),
        ),
        (
            json!({"VoiceUrlMethod": "PATCH"}),
            "VoiceUrlMethod",
            "VoiceUrlMethod must be one of: GET, POST".into(),
        ),
        (
            json!({"CallbackVoiceUrl": "nope"}),
            "CallbackVoiceUrl",
            "A valid URL is required for the callback webhook.".into(),
        ),
        (
            json!({"AccountId": "AID-nope"}),
            "AccountId",
            "Invalid AccountId".into(),
        ),
    ];
    for (changes, field, message) in cases {
        assert_invalid(
            &create_voice(&app, with(&base, changes)).await,
            field,
            &message,
        );
    }
    let resp = create_voice(&app, without(&base, &["VoicePasswordToken"])).await;
    assert_invalid(
        &resp,
        "VoicePasswordToken",
        "VoicePasswordToken is required for Bearer authentication",
    );
    assert_eq!(events_of(&app, "voice_route.created").await.len(), 2);
    app.stop().await;
}

#[tokio::test]
async fn private_voice_urls_are_refused_unless_allowed() {
    let app = TestApp::start_with(|c| c.allow_private_webhooks = Some(false)).await;
    let account = app.new_account("Acme Mobile").await;
    let base = voice_body(&account);
    let resp = create_voice(
        &app,
        with(&base, json!({"CallbackVoiceUrl": "http://127.0.0.1/x"})),
    )
    .await;
    assert_invalid(
        &resp,
        "CallbackVoiceUrl",
        "CallbackVoiceUrl must not point to a private address",
    );
    let body = json!({"RouteName": "Hook", "RouteType": "URL", "VoiceUrl": "http://localhost/v"});
    let resp = create_voice(&app, body).await;
    assert_invalid(
        &resp,
        "VoiceUrl",
        "VoiceUrl must not point to a private address",
    );
    let resp = create_voice(&app, with(&base, json!({"WssUri": "wss://10.0.0.1/s"}))).await;
    assert_invalid(
        &resp,
        "WssUri",
        "WssUri must not point to a private address",
    );
    app.stop().await;
}
