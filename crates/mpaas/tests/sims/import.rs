//! `POST /v1.0/sims/import` (Extension): counts and per-entry results, generated eSIM profiles,
//! account and distributor stock, the `sim.imported` event and a 10,000-entry import.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::{TestApp, KEY};
use crate::support::{
    assert_invalid, events_of, iccid, import, qr, sim, text, Line, Other, IN_USE,
};

const SIZE: &str = "Sims must contain 1 to 10000 entries";

fn result(iccid: &str, status: &str, message: &str) -> Value {
    json!({"ICCID": iccid, "Status": status, "Message": message})
}

#[tokio::test]
async fn the_contract_example() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let body = json!({"AccountId": account,
        "Sims": [{"ICCID": "8901240397190195850", "Type": "pSIM"}, {"ICCID": "8901240397190002080"},
            {"ICCID": "8901240397190002081"}]});
    let answer = import(&app, body).await.ok();
    assert_eq!(
        answer,
        json!({"Imported": 2, "Duplicates": 0, "Failed": 1,
            "Results": [result("8901240397190002081", "Invalid", "Invalid ICCID")]})
    );
    let stock = sim(&app, "8901240397190002080").await.ok();
    assert_eq!(
        (
            &stock["Type"],
            &stock["Status"],
            &stock["AccountId"],
            &stock["PhoneNumber"]
        ),
        (
            &json!("pSIM"),
            &json!("Empty"),
            &json!(account),
            &json!(null)
        )
    );
    let events = events_of(&app, "sim.imported").await;
    assert_eq!(
        events,
        [(account.clone(), json!({"Count": 2, "AccountId": account}))]
    );
    app.stop().await;
}

#[tokio::test]
async fn every_entry_is_reported_in_request_order() {
    let app = TestApp::start().await;
    let theirs = Other::new(&app).await;
    let foreign = iccid(1);
    theirs
        .post(&app, "/v1.0/sims/import", json!({"Sims": [foreign]}))
        .await
        .ok();
    let code = "LPA:1$smdp.example.com$K7Q2M-9XW4D-HT3PL-R8BNZ";
    import(&app, json!({"Sims": [{"ICCID": iccid(2)}, {"ICCID": iccid(3), "Type": "eSIM", "ActivationCode": code}]}))
        .await
        .ok();
    let sims = json!([
        {"iccid": iccid(2)},
        {"ICCID": foreign},
        {"ICCID": iccid(4), "Type": "uicc"},
        {"ICCID": iccid(5), "Type": "pSIM", "ActivationCode": code},
        {"ICCID": iccid(6), "Type": "eSIM", "ActivationCode": "LPA:1$smdp.example.com"},
        {"ICCID": iccid(7), "Type": "eSIM", "ActivationCode": code},
        {"ICCID": iccid(8)},
        iccid(8),
        {"ICCID": 12345},
        {"Type": "pSIM"},
        iccid(9),
    ]);
    let answer = import(&app, json!({ "Sims": sims })).await.ok();
    assert_eq!(
        (
            &answer["Imported"],
            &answer["Duplicates"],
            &answer["Failed"]
        ),
        (&json!(2), &json!(2), &json!(7))
    );
    assert_eq!(
        answer["Results"],
        json!([
            result(&iccid(2), "Duplicate", "SIM already exists"),
            result(&foreign, "Conflict", IN_USE),
            result(
                &iccid(4),
                "Invalid",
                "Invalid Type. Must be one of: pSIM, eSIM."
            ),
            result(
                &iccid(5),
                "Invalid",
                "ActivationCode is only allowed for eSIM"
            ),
            result(&iccid(6), "Invalid", "Invalid ActivationCode"),
            result(&iccid(7), "Conflict", "ActivationCode already in use"),
            result(&iccid(8), "Duplicate", "Duplicate ICCID in request"),
            result("12345", "Invalid", "Invalid ICCID"),
            result("", "Invalid", "Invalid ICCID"),
        ])
    );
    // The plain-string entry was imported as distributor stock.
    let stock = sim(&app, &iccid(9)).await.ok();
    assert_eq!(
        (&stock["Type"], &stock["AccountId"]),
        (&json!("pSIM"), &json!(null))
    );
    let (resource, data) = events_of(&app, "sim.imported").await.pop().expect("event");
    assert_eq!(
        (resource.as_str(), data),
        (KEY, json!({"Count": 2, "AccountId": null}))
    );
    // Nothing new: no event.
    let before = events_of(&app, "sim.imported").await.len();
    let answer = import(&app, json!({"Sims": [iccid(9)]})).await.ok();
    assert_eq!(
        (&answer["Imported"], &answer["Duplicates"]),
        (&json!(0), &json!(1))
    );
    assert_eq!(events_of(&app, "sim.imported").await.len(), before);
    app.stop().await;
}

#[tokio::test]
async fn esim_profiles_are_kept_or_generated() {
    let app = TestApp::start().await;
    let code = "LPA:1$smdp.example.com$ABCDE-12345-FGHIJ-67890";
    let body = json!({"Sims": [{"ICCID": iccid(1), "Type": "esim"}, {"ICCID": iccid(2), "Type": "eSIM", "ActivationCode": code}]});
    assert_eq!(import(&app, body).await.ok()["Imported"], 2);
    let generated = sim(&app, &iccid(1)).await.ok();
    assert_eq!(generated["Type"], "eSIM");
    let activation = text(&generated, "ActivationCode");
    let (prefix, matching) = activation.rsplit_once('$').expect("LPA code");
    assert_eq!(prefix, "LPA:1$smdp.mpaas.test");
    assert!(
        matching.len() == 23 && matching.split('-').all(|g| g.len() == 5),
        "{activation}"
    );
    let image = qr(&app, &text(&generated, "QRCode")).await;
    assert_eq!(
        (image.status, image.header("content-type")),
        (StatusCode::OK, Some("image/png"))
    );
    assert_eq!(sim(&app, &iccid(2)).await.ok()["ActivationCode"], code);
    app.stop().await;
}

#[tokio::test]
async fn imported_stock_serves_provisioning() {
    let app = TestApp::start().await;
    let line = Line::new(&app, "Acme Mobile").await;
    let other = Line::new(&app, "Other Family").await;
    let body = json!({"Sims": [iccid(1)]});
    import(&app, body).await.ok();
    import(
        &app,
        json!({"AccountId": other.account, "Sims": [iccid(2)]}),
    )
    .await
    .ok();
    import(
        &app,
        json!({"AccountId": line.account, "Sims": [{"ICCID": iccid(3), "Type": "eSIM"}]}),
    )
    .await
    .ok();
    // Distributor stock and own-account stock are bound; another account's is in use.
    let first = line.number(&app, json!({"ICCID": iccid(1)})).await;
    assert_eq!(first["ICCID"], json!(iccid(1)));
    let resp = app
        .provision(
            &line.account,
            &line.message_route,
            json!({"ICCID": iccid(2)}),
        )
        .await;
    resp.assert_problem(409, IN_USE);
    let esim = line.number(&app, json!({"ICCID": iccid(3)})).await;
    assert_eq!(sim(&app, &iccid(3)).await.ok()["Status"], "Active");
    assert!(esim["ICCID"] == json!(iccid(3)));
    app.stop().await;
}

#[tokio::test]
async fn request_errors() {
    let app = TestApp::start().await;
    for sims in [
        json!(null),
        json!([]),
        json!("8901240397190195850"),
        json!({}),
    ] {
        assert_invalid(&import(&app, json!({ "Sims": sims })).await, "Sims", SIZE);
    }
    assert_invalid(&import(&app, json!({})).await, "Sims", SIZE);
    let too_many: Vec<String> = (0..10_001).map(iccid).collect();
    assert_invalid(
        &import(&app, json!({ "Sims": too_many })).await,
        "Sims",
        SIZE,
    );
    let resp = import(&app, json!({"AccountId": "AID-nope", "Sims": [iccid(1)]})).await;
    assert_invalid(&resp, "AccountId", "Invalid AccountId");
    let theirs = Other::new(&app).await;
    let foreign = theirs.account(&app).await;
    let resp = import(&app, json!({"AccountId": foreign, "Sims": [iccid(1)]})).await;
    assert_invalid(&resp, "AccountId", "Invalid AccountId");
    assert_eq!(
        sim(&app, &iccid(1)).await.status,
        StatusCode::NOT_FOUND,
        "nothing imported"
    );
    app.stop().await;
}

#[tokio::test]
async fn ten_thousand_sims_in_one_request() {
    let app = TestApp::start().await;
    let account = app.new_account("Acme Mobile").await;
    let sims: Vec<Value> = (0..10_000)
        .map(|n| json!({"ICCID": iccid(n), "Type": "pSIM"}))
        .collect();
    let body = json!({"AccountId": account, "Sims": sims});
    let size = serde_json::to_vec(&body).unwrap().len();
    assert!(size < 1024 * 1024, "{size} bytes fit the body limit");
    let answer = import(&app, body).await.ok();
    assert_eq!(
        answer,
        json!({"Imported": 10_000, "Duplicates": 0, "Failed": 0, "Results": []})
    );
    assert_eq!(
        sim(&app, &iccid(9_999)).await.ok()["AccountId"],
        json!(account)
    );
    let (_, data) = events_of(&app, "sim.imported").await.pop().expect("event");
    assert_eq!(data["Count"], 10_000);
    // The same again: every entry a duplicate, reported in order.
    let sims: Vec<String> = (0..10_000).map(iccid).collect();
    let answer = import(&app, json!({ "Sims": sims })).await.ok();
    assert_eq!(
        (&answer["Imported"], &answer["Duplicates"]),
        (&json!(0), &json!(10_000))
    );
    assert_eq!(answer["Results"][9_999]["ICCID"], json!(iccid(9_999)));
    app.stop().await;
}
