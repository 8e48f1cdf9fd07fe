//! `POST /v1.0/numbers/provision`, single form (05 §2.2): the answer, eSIM issue, `Sms-Only`
//! lines without SIM, a given ICCID, voice, the assigned subscriber and the search order.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::support::{
    assert_esim, availability, keys_of, line, number, numbers_of, provision, search, sim_row,
    single, sorted, text, with_luhn, Foreign, ICCID_IN_USE, PROVISION,
};

const SINGLE_KEYS: [&str; 13] = [
    "OrderDate",
    "OrderId",
    "OrderStatus",
    "PhoneNumberAssigned",
    "PhoneNumberId",
    "QRCode",
    "ZipCode",
    "ICCID",
    "SubscriberId",
    "ErrorMessage",
    "ActivationCode",
    "NumberType",
    "Classification",
];

#[tokio::test]
async fn provisions_the_first_number_in_search_order_with_an_esim() {
    let app = TestApp::start().await;
    let line = line(&app, "Doe Family").await;
    let voice_route = app.new_voice_route(&line.account).await;
    let jane = app.new_subscriber(&line.account, "jane@example.com").await;
    let jane_id = text(&jane, "SubscriberId");
    let query = search(json!({"AreaCode": "201", "ZipCode": "07030", "TotalNumbersRequested": 2}));
    let before = availability(&app, query.clone()).await.ok();
    let expected = numbers_of(&before);

    let body = single(
        &line,
        json!({"NumberType": "MVNO", "MessageType": "p2p", "ProductType": "Sms+Data+Voice",
            "MessageEnabled": true, "VoiceEnabled": true, "DataEnabled": true, "VoiceRouteId": voice_route,
            "AreaCode": "201", "ZipCode": "07030", "AssignedSubscriberId": jane_id}),
    );
    let answer = provision(&app, body).await.ok();
    assert_eq!(keys_of(&answer), sorted(&SINGLE_KEYS), "{answer}");
    assert_eq!(answer["OrderStatus"], "Complete");
    assert!(text(&answer, "OrderId").starts_with("JNUOID-"));
    assert!(text(&answer, "PhoneNumberId").starts_with("NID-"));
    assert!(text(&answer, "OrderDate").ends_with("+00:00"));
    assert_eq!(answer["PhoneNumberAssigned"], expected[0].as_str());
    assert_eq!(
        answer["ZipCode"], "07030",
        "inside the area code, the requested ZIP's pool is searched first"
    );
    assert_eq!(answer["SubscriberId"], jane_id.as_str());
    assert_eq!(answer["ErrorMessage"], Value::Null);
    assert_eq!(answer["NumberType"], "mvno");
    assert_eq!(answer["Classification"], "MVNO");
    assert_esim(&app, &answer);
    let iccid = text(&answer, "ICCID");
    assert_eq!(
        sim_row(&app, &iccid).await,
        ("eSIM".into(), "Active".into(), Some(line.account.clone()))
    );

    let after = availability(&app, query).await.ok();
    assert_eq!(
        after["ResultsTotal"].as_i64(),
        before["ResultsTotal"].as_i64().map(|t| t - 1)
    );
    assert_eq!(
        numbers_of(&after)[0],
        expected[1],
        "the next one is offered now"
    );

    let details = number(&app, &expected[0]).await;
    assert_eq!(details["Status"], "Active");
    assert_eq!(details["TNID"], answer["PhoneNumberId"]);
    assert_eq!(details["OrderId"], answer["OrderId"]);
    assert_eq!(details["ProductType"], "Sms+Data+Voice");
    assert_eq!(details["VoiceEnabled"], true);
    assert_eq!(details["VoiceRouteId"], voice_route.as_str());
    assert_eq!(details["MessageRouteId"], line.route.as_str());
    assert_eq!(details["AssignedSubscriberId"], jane_id.as_str());
    assert_eq!(details["Iccid"], iccid.as_str());
    assert_eq!(details["QRCode"], answer["QRCode"]);
    let jane = app
        .fetch(&format!("/v1.0/subscribers/get?SubscriberId={jane_id}"))
        .await
        .ok();
    assert_eq!(jane["PhoneNumbers"], json!([expected[0]]), "{jane}");
    app.stop().await;
}

#[tokio::test]
async fn defaults_iot_and_sms_only_lines() {
    let app = TestApp::start().await;
    let line = line(&app, "Doe Family").await;
    // Defaults: p2p, messaging and data, no voice: an eSIM.
    let plain = provision(&app, single(&line, json!({}))).await.ok();
    assert_esim(&app, &plain);
    let details = number(&app, &text(&plain, "PhoneNumberAssigned")).await;
    assert_eq!(details["ProductType"], "Sms+Data");
    assert_eq!(details["MessageType"], "p2p");
    assert_eq!(
        (
            &details["MessageEnabled"],
            &details["DataEnabled"],
            &details["VoiceEnabled"]
        ),
        (&json!(true), &json!(true), &json!(false))
    );
    assert_eq!(details["VoiceRouteId"], Value::Null);

    let sms = provision(&app, single(&line, json!({"ProductType": "sms-only"})))
        .await
        .ok();
    for key in ["ICCID", "QRCode", "ActivationCode"] {
        assert_eq!(sms[key], Value::Null, "{key} of an Sms-Only line: {sms}");
    }
    let details = number(&app, &text(&sms, "PhoneNumberAssigned")).await;
    assert_eq!(details["ProductType"], "Sms-Only");
    assert_eq!(details["DataEnabled"], false);
    assert_eq!(details["Iccid"], Value::Null);
    assert_eq!(details["QRCode"], Value::Null);

    let iot = json!({"NumberType": "IoT", "MessageType": "P2P", "DataEnabled": true, "MessageEnabled": false});
    let iot = provision(&app, single(&line, iot)).await.ok();
    assert_eq!(iot["NumberType"], "iot");
    assert_eq!(iot["Classification"], "IoT");
    let details = number(&app, &text(&iot, "PhoneNumberAssigned")).await;
    assert_eq!(details["Classification"], "IoT");
    assert_eq!(details["ProductType"], "Data-Only");
    assert_eq!(details["NumberType"], "mobile");
    app.stop().await;
}

#[tokio::test]
async fn binds_a_given_iccid_once() {
    let app = TestApp::start().await;
    let line = line(&app, "Doe Family").await;
    let iccid = with_luhn("890124039719019585");
    let answer = provision(&app, single(&line, json!({"ICCID": iccid})))
        .await
        .ok();
    assert_eq!(answer["ICCID"], iccid.as_str());
    assert_eq!(answer["QRCode"], Value::Null, "a pSIM has no QR code");
    assert_eq!(answer["ActivationCode"], Value::Null);
    assert_eq!(
        sim_row(&app, &iccid).await,
        ("pSIM".into(), "Active".into(), Some(line.account.clone()))
    );
    let details = number(&app, &text(&answer, "PhoneNumberAssigned")).await;
    assert_eq!(details["Iccid"], iccid.as_str());
    assert_eq!(details["QRCode"], Value::Null);

    // Bound now: a second line cannot have it, and nothing is taken by the failed attempt.
    let total = |a: Value| a["ResultsTotal"].as_i64();
    let before = total(availability(&app, search(json!({}))).await.ok());
    let again = provision(&app, single(&line, json!({"ICCID": iccid}))).await;
    again.assert_problem(409, ICCID_IN_USE);
    let after = total(availability(&app, search(json!({}))).await.ok());
    assert_eq!(before, after, "the failed request took no number");

    // A SIM registered by another distributor counts as in use.
    let foreign = Foreign::create(&app).await;
    let theirs = with_luhn("890124039719019586");
    let body = single(&foreign.line, json!({"ICCID": theirs}));
    foreign.post(&app, PROVISION, body).await.ok();
    let taken = provision(&app, single(&line, json!({"ICCID": theirs}))).await;
    taken.assert_problem(409, ICCID_IN_USE);
    app.stop().await;
}

#[tokio::test]
async fn assigns_subscribers_of_the_account_only() {
    let app = TestApp::start().await;
    let line = line(&app, "Doe Family").await;
    let other_account = app.new_account("Roe Family").await;
    let jane = app.new_subscriber(&line.account, "jane@example.com").await;
    let richard = app
        .new_subscriber(&other_account, "richard@example.com")
        .await;
    let jane_id = text(&jane, "SubscriberId");

    let alias = jane_id.replacen("TSUID-", "SID-", 1).to_uppercase();
    let answer = provision(&app, single(&line, json!({"AssignedSubscriberId": alias})))
        .await
        .ok();
    assert_eq!(
        answer["SubscriberId"],
        jane_id.as_str(),
        "canonical id answered"
    );

    let without = provision(&app, single(&line, json!({}))).await.ok();
    assert_eq!(without["SubscriberId"], Value::Null);

    let richard_id = text(&richard, "SubscriberId");
    let body = single(&line, json!({"AssignedSubscriberId": richard_id}));
    let resp = provision(&app, body).await;
    resp.assert_problem(400, "Subscriber does not belong to account");
    resp.assert_field_error(
        "AssignedSubscriberId",
        "Subscriber does not belong to account",
    );

    let unknown = format!("TSUID-{}", uuid::Uuid::now_v7());
    let resp = provision(
        &app,
        single(&line, json!({"AssignedSubscriberId": unknown})),
    )
    .await;
    resp.assert_problem(
        404,
        &format!("Subscriber with ID '{unknown}' was not found."),
    );
    let resp = provision(
        &app,
        single(&line, json!({"AssignedSubscriberId": "TSUID-nope"})),
    )
    .await;
    resp.assert_problem(404, "Subscriber with ID 'TSUID-nope' was not found.");

    // Another distributor's subscriber does not exist for this caller.
    let foreign = Foreign::create(&app).await;
    let body =
        json!({"Name": "Their Person", "Email": "them@example.net", "Password": "Temp-Passw0rd!"});
    let theirs = foreign
        .post(&app, "/v1.0/subscribers/create", body)
        .await
        .ok();
    let theirs = text(&theirs, "SubscriberId");
    let resp = provision(&app, single(&line, json!({"AssignedSubscriberId": theirs}))).await;
    resp.assert_problem(
        404,
        &format!("Subscriber with ID '{theirs}' was not found."),
    );
    app.stop().await;
}
