//! Every documented error of `POST /v1.0/numbers/provision` (05 §2.2): field rules, route
//! references, the list form's list, exhausted areas and the tenancy rule. A refused request
//! takes nothing.

use serde_json::json;

use crate::common::TestApp;
use crate::support::{
    assert_invalid, count_rows, line, listed, pool_number, provision, single, with_luhn, Foreign,
    AREA_CODE_INVALID, INVALID_ACCOUNT_ID, IOT_A2P, IOT_VOICE, MESSAGE_TYPE_INVALID,
    NONE_AVAILABLE, ZIP_CODE_INVALID,
};

const NUMBER_TYPE: &str = "Invalid NumberType. Must be one of: mvno, iot.";
const PRODUCT_TYPE: &str =
    "Invalid ProductType. Must be one of: Sms-Only, Data-Only, Sms+Data, Sms+Data+Voice.";
const UNSUPPORTED: &str = "Unsupported combination of MessageEnabled, DataEnabled and VoiceEnabled";
const VOICE_ROUTE_REQUIRED: &str = "VoiceRouteId is required when VoiceEnabled is true";
const COUNT: &str = "PhoneNumbers must contain 1 to 100 numbers";

/// `body` with a wrong check digit.
fn bad_luhn(body: &str) -> String {
    let good = with_luhn(body);
    let check = good.as_bytes()[good.len() - 1] - b'0';
    format!("{body}{}", (check + 1) % 10)
}

#[tokio::test]
async fn rejects_invalid_fields_with_the_contract_texts() {
    let app = TestApp::start().await;
    let line = line(&app, "Doe Family").await;
    let voice_route = app.new_voice_route(&line.account).await;
    let free = pool_number(201, 0, 0);
    let cases = [
        (json!({"NumberType": null}), "NumberType", NUMBER_TYPE.to_string()),
        (json!({"NumberType": "mobile"}), "NumberType", NUMBER_TYPE.into()),
        (json!({"MessageType": "sms"}), "MessageType", MESSAGE_TYPE_INVALID.into()),
        (json!({"NumberType": "iot", "MessageType": "a2p"}), "NumberType", IOT_A2P.into()),
        (
            json!({"NumberType": "iot", "VoiceEnabled": true, "VoiceRouteId": voice_route}),
            "VoiceEnabled",
            IOT_VOICE.into(),
        ),
        (
            json!({"NumberType": "IOT", "ProductType": "Sms+Data+Voice", "VoiceRouteId": voice_route}),
            "VoiceEnabled",
            IOT_VOICE.into(),
        ),
        (json!({"ProductType": "Voice-Only"}), "ProductType", PRODUCT_TYPE.into()),
        (
            json!({"ProductType": "Sms+Data", "VoiceEnabled": true}),
            "ProductType",
            "ProductType Sms+Data requires MessageEnabled=true, DataEnabled=true, VoiceEnabled=false".into(),
        ),
        (
            json!({"ProductType": "Sms-Only", "DataEnabled": true}),
            "ProductType",
            "ProductType Sms-Only requires MessageEnabled=true, DataEnabled=false, VoiceEnabled=false".into(),
        ),
        (
            json!({"MessageEnabled": false, "DataEnabled": false}),
            "MessageEnabled",
            UNSUPPORTED.into(),
        ),
        (
            json!({"DataEnabled": false, "VoiceEnabled": true, "VoiceRouteId": voice_route}),
            "MessageEnabled",
            UNSUPPORTED.into(),
        ),
        (json!({"MessageRouteId": null}), "MessageRouteId", "MessageRouteId is required".into()),
        (json!({"MessageRouteId": " "}), "MessageRouteId", "MessageRouteId is required".into()),
        (json!({"VoiceEnabled": true}), "VoiceRouteId", VOICE_ROUTE_REQUIRED.into()),
        (json!({"ProductType": "Sms+Data+Voice"}), "VoiceRouteId", VOICE_ROUTE_REQUIRED.into()),
        (json!({"AreaCode": "20"}), "AreaCode", AREA_CODE_INVALID.into()),
        (json!({"ZipCode": "7030"}), "ZipCode", ZIP_CODE_INVALID.into()),
        (json!({"ICCID": "1234"}), "ICCID", "Invalid ICCID".into()),
        (
            json!({"ICCID": bad_luhn("890124039719019585")}),
            "ICCID",
            "Invalid ICCID".into(),
        ),
        (
            json!({"PhoneNumbers": [{"Number": free}], "ICCID": with_luhn("890124039719019585")}),
            "ICCID",
            "ICCID can only be given when provisioning a single number".into(),
        ),
        (json!({"PhoneNumbers": []}), "PhoneNumbers", COUNT.into()),
    ];
    for (changes, field, message) in cases {
        let resp = provision(&app, single(&line, changes.clone())).await;
        assert_eq!(resp.status.as_u16(), 400, "{changes}: {}", resp.text);
        resp.assert_field_error(field, &message);
    }
    assert_eq!(count_rows(&app, "phone_numbers").await, 0);
    assert_eq!(count_rows(&app, "orders").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn rejects_bad_lists() {
    let app = TestApp::start().await;
    let line = line(&app, "Doe Family").await;
    let (a, b) = (pool_number(201, 0, 0), pool_number(201, 0, 1));
    let too_many: Vec<String> = (0..101).map(|l| pool_number(201, 0, l)).collect();
    let too_many: Vec<&str> = too_many.iter().map(String::as_str).collect();
    assert_invalid(
        &provision(&app, listed(&line, &too_many, json!({}))).await,
        "PhoneNumbers",
        COUNT,
    );

    // The same number twice, the second time without `+`.
    let twice = listed(&line, &[&a, &b, a.trim_start_matches('+')], json!({}));
    assert_invalid(
        &provision(&app, twice).await,
        "PhoneNumbers[2].Number",
        "Duplicate phone number in request",
    );
    // Valid numbers outside the inventory: past the pool's last line, or a porting test line.
    for outside in [pool_number(201, 0, 2500), pool_number(201, 0, 9950)] {
        let resp = provision(&app, listed(&line, &[&a, &outside], json!({}))).await;
        assert_invalid(
            &resp,
            "PhoneNumbers[1].Number",
            &format!("Phone number '{outside}' is not available for provisioning"),
        );
    }
    let resp = provision(&app, listed(&line, &["12"], json!({}))).await;
    assert_invalid(
        &resp,
        "PhoneNumbers[0].Number",
        "PhoneNumbers[0].Number must be a valid phone number",
    );
    assert_eq!(count_rows(&app, "phone_numbers").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn checks_route_references() {
    let app = TestApp::start().await;
    let line = line(&app, "Doe Family").await;
    let other = app.new_account("Roe Family").await;
    let other_route = app.new_message_route(&other).await;
    let other_voice = app.new_voice_route(&other).await;
    let foreign = Foreign::create(&app).await;

    let unknown = format!("MRID-{}", uuid::Uuid::now_v7());
    let not_found = |id: &str| format!("Message route with ID '{id}' was not found.");
    for id in [unknown.as_str(), "MRID-123", foreign.line.route.as_str()] {
        let resp = provision(&app, single(&line, json!({"MessageRouteId": id}))).await;
        resp.assert_problem(404, &not_found(id));
    }
    let resp = provision(&app, single(&line, json!({"MessageRouteId": other_route}))).await;
    assert_invalid(
        &resp,
        "MessageRouteId",
        "MessageRouteId does not belong to account",
    );

    let voice = |id: &str| json!({"ProductType": "Sms+Data+Voice", "VoiceRouteId": id});
    let unknown_voice = format!("CRID-{}", uuid::Uuid::now_v7());
    let resp = provision(&app, single(&line, voice(&unknown_voice))).await;
    resp.assert_problem(
        404,
        &format!("Voice route with ID '{unknown_voice}' was not found."),
    );
    let resp = provision(&app, single(&line, voice(&other_voice))).await;
    assert_invalid(
        &resp,
        "VoiceRouteId",
        "VoiceRouteId does not belong to account",
    );

    // A deleted route counts as not found.
    let body = json!({"MessageRouteId": line.route});
    app.call("/v1.0/message/routes/delete", body).await.ok();
    let resp = provision(&app, single(&line, json!({}))).await;
    resp.assert_problem(404, &not_found(&line.route));
    assert_eq!(count_rows(&app, "phone_numbers").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn answers_409_when_the_area_has_nothing_left() {
    let app = TestApp::start_with(|c| c.numbers.sandbox_numbers_per_zip = 2).await;
    let line = line(&app, "Doe Family").await;
    let unknown = provision(&app, single(&line, json!({"AreaCode": "999"}))).await;
    unknown.assert_problem(409, NONE_AVAILABLE);
    let unknown_zip = provision(&app, single(&line, json!({"ZipCode": "00000"}))).await;
    unknown_zip.assert_problem(409, NONE_AVAILABLE);
    for line_no in 0..2 {
        let answer = provision(&app, single(&line, json!({"AreaCode": 202})))
            .await
            .ok();
        assert_eq!(answer["PhoneNumberAssigned"], pool_number(202, 0, line_no));
    }
    let exhausted = provision(&app, single(&line, json!({"AreaCode": "202"}))).await;
    exhausted.assert_problem(409, NONE_AVAILABLE);
    // The ZIP fallback of the search applies to provisioning too.
    let fallback = single(&line, json!({"AreaCode": "202", "ZipCode": "07030"}));
    let answer = provision(&app, fallback).await.ok();
    assert_eq!(answer["PhoneNumberAssigned"], pool_number(201, 1, 0));
    assert_eq!(answer["ZipCode"], "07030");
    app.stop().await;
}

#[tokio::test]
async fn applies_the_tenancy_rule() {
    let app = TestApp::start().await;
    let line = line(&app, "Doe Family").await;
    // One account: AccountId may be left out.
    let mut body = single(&line, json!({}));
    body.as_object_mut().unwrap().remove("AccountId");
    provision(&app, body.clone()).await.ok();

    app.new_account("Roe Family").await;
    let resp = provision(&app, body).await;
    assert_invalid(&resp, "AccountId", "AccountId is required");

    let foreign = Foreign::create(&app).await;
    for account in [foreign.line.account.as_str(), "AID-nope"] {
        let resp = provision(&app, single(&line, json!({"AccountId": account}))).await;
        assert_invalid(&resp, "AccountId", INVALID_ACCOUNT_ID);
    }
    // Their route in their account, asked by us: still our tenancy error first.
    let theirs = single(&foreign.line, json!({}));
    assert_invalid(
        &provision(&app, theirs).await,
        "AccountId",
        INVALID_ACCOUNT_ID,
    );
    assert_eq!(count_rows(&app, "phone_numbers").await, 1);
    app.stop().await;
}
