//! `GET /v1.0/numbers` (05 §2.5): details by `PhoneNumber` in every accepted spelling or by
//! `PhoneNumberId`, the business date, the documented errors and tenant isolation.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::support::{
    assert_invalid, details, keys_of, line, pool_number, provision, set_status, single, sorted,
    text, Foreign,
};

const DETAIL_KEYS: [&str; 20] = [
    "Number",
    "TNID",
    "OrderId",
    "NumberType",
    "MessageEnabled",
    "MessageRouteId",
    "VoiceEnabled",
    "Classification",
    "MessageType",
    "VoiceRouteId",
    "Status",
    "OriginalDatePurchased",
    "AssignedSubscriberId",
    "Iccid",
    "Cnam",
    "DataEnabled",
    "ProductType",
    "AccountId",
    "QRCode",
    "ReactivatableUntil",
];

fn n404(number: &str) -> String {
    format!("Phone number '{number}' was not found in your inventory.")
}

#[tokio::test]
async fn finds_a_number_by_any_spelling_or_id() {
    // 03:30 UTC on March 10 is still March 9 in New York.
    let app = TestApp::start_with(|c| c.clock_start = Some("2026-03-10T03:30:00Z".into())).await;
    let line = line(&app, "Doe Family").await;
    let answer = provision(&app, single(&line, json!({"AreaCode": "201"})))
        .await
        .ok();
    let e164 = text(&answer, "PhoneNumberAssigned");
    let id = text(&answer, "PhoneNumberId");
    let digits = e164.trim_start_matches('+');

    let by_encoded = details(&app, &format!("PhoneNumber=%2B{digits}"))
        .await
        .ok();
    assert_eq!(keys_of(&by_encoded), sorted(&DETAIL_KEYS), "{by_encoded}");
    assert_eq!(by_encoded["Number"], e164.as_str());
    assert_eq!(by_encoded["TNID"], id.as_str());
    assert_eq!(by_encoded["OrderId"], answer["OrderId"]);
    assert_eq!(by_encoded["NumberType"], "mobile");
    assert_eq!(by_encoded["Classification"], "MVNO");
    assert_eq!(by_encoded["MessageType"], "p2p");
    assert_eq!(by_encoded["Status"], "Active");
    assert_eq!(by_encoded["OriginalDatePurchased"], "03/09/2026");
    assert_eq!(by_encoded["AccountId"], line.account.as_str());
    assert_eq!(by_encoded["ReactivatableUntil"], Value::Null);
    assert_eq!(by_encoded["QRCode"], answer["QRCode"]);

    let spellings = [
        format!("PhoneNumber={digits}"),
        format!("PhoneNumber={}", &digits[1..]),
        format!("PhoneNumber=+{digits}"),
        format!(
            "phonenumber=%2B1%20({})%20{}-{}",
            &digits[1..4],
            &digits[4..7],
            &digits[7..]
        ),
        format!("PhoneNumberId={id}"),
        format!("PhoneNumberId={}", id.replacen("NID-", "TNID-", 1)),
        format!("phonenumberid={}", id.to_uppercase()),
        format!("PhoneNumber=&PhoneNumberId={id}"),
    ];
    for query in spellings {
        assert_eq!(details(&app, &query).await.ok(), by_encoded, "{query}");
    }

    // A cancelled number shows its reactivation deadline; a released one is gone.
    set_status(&app, &id, "Cancelled").await;
    let cancelled = details(&app, &format!("PhoneNumberId={id}")).await.ok();
    assert_eq!(cancelled["Status"], "Cancelled");
    assert!(text(&cancelled, "ReactivatableUntil").ends_with("+00:00"));
    set_status(&app, &id, "Released").await;
    let gone = details(&app, &format!("PhoneNumber=%2B{digits}")).await;
    gone.assert_problem(404, &n404(&e164));
    app.stop().await;
}

#[tokio::test]
async fn reports_the_documented_errors() {
    let app = TestApp::start().await;
    let line = line(&app, "Doe Family").await;
    let answer = provision(&app, single(&line, json!({}))).await.ok();
    let e164 = text(&answer, "PhoneNumberAssigned");
    let id = text(&answer, "PhoneNumberId");

    for query in ["", "PhoneNumber=", "PhoneNumber=%20%20", "PhoneNumberId="] {
        let resp = details(&app, query).await;
        assert_invalid(&resp, "PhoneNumber", "PhoneNumber is required");
    }
    for bad in ["123", "%2B1", "abc", "%2B12015550"] {
        let resp = details(&app, &format!("PhoneNumber={bad}")).await;
        assert_invalid(
            &resp,
            "PhoneNumber",
            "PhoneNumber must be a valid phone number",
        );
    }
    // A valid number that is not ours, inside or outside the inventory.
    for other in [pool_number(201, 3, 9), pool_number(201, 0, 9950)] {
        let resp = details(&app, &format!("PhoneNumber={}", other.replace('+', "%2B"))).await;
        resp.assert_problem(404, &n404(&other));
    }
    let unknown = format!("NID-{}", uuid::Uuid::now_v7());
    for missing in [unknown.as_str(), "NID-123", "TNID-x", "nope"] {
        let resp = details(&app, &format!("PhoneNumberId={missing}")).await;
        resp.assert_problem(
            404,
            &format!("Phone number with ID '{missing}' was not found."),
        );
    }

    // Another distributor: not found either way.
    let foreign = Foreign::create(&app).await;
    let path = format!("/v1.0/numbers?PhoneNumber={}", e164.replace('+', "%2B"));
    foreign
        .get(&app, &path)
        .await
        .assert_problem(404, &n404(&e164));
    let path = format!("/v1.0/numbers?PhoneNumberId={id}");
    foreign
        .get(&app, &path)
        .await
        .assert_problem(404, &format!("Phone number with ID '{id}' was not found."));
    app.stop().await;
}
