//! `POST /v1.0/numbers/update`: partial updates, the capability, route, IoT and `NumberType`
//! rules, `Cnam`, statuses, the `Update` order and its events.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::support::{
    assert_invalid, events_of, force_status, keys_of, not_in_inventory, number_details, text,
    update, Line, UPDATE_KEYS,
};

const UNSUPPORTED: &str = "Unsupported combination of MessageEnabled, DataEnabled and VoiceEnabled";
const IOT_MESSAGE_TYPE: &str =
    "Invalid MessageType for the specified Classification. IOT numbers can only use p2p MessageType.";
const IOT_VOICE: &str = "IOT numbers cannot be voice enabled.";
const VOICE_ROUTE_REQUIRED: &str = "VoiceRouteId is required when VoiceEnabled is true";
const CNAM: &str = "Cnam must be 1 to 15 characters";

#[tokio::test]
async fn update_changes_only_the_fields_sent() {
    let app = TestApp::start().await;
    let line = Line::new(&app, "Acme Mobile").await;
    let provisioned = line.number(&app, json!({})).await;
    let number = text(&provisioned, "PhoneNumberAssigned");
    let iccid = text(&provisioned, "ICCID");
    // The contract's example: voice on with its route, a caller name.
    let body = json!({"Number": number, "MessageType": "p2p", "Classification": "MVNO", "VoiceEnabled": true,
        "VoiceRouteId": line.voice_route, "Cnam": "  ACME MOBILE "});
    let answer = update(&app, body).await.ok();
    assert_eq!(keys_of(&answer), UPDATE_KEYS, "{answer}");
    let expected = json!({"Number": number, "Tnid": provisioned["PhoneNumberId"], "UpdateOrderStatus": "Complete",
        "MessageType": "p2p", "MessageEnabled": true, "Classification": "MVNO", "VoiceEnabled": true,
        "MessageRouteId": line.message_route, "VoiceRouteId": line.voice_route, "Iccid": iccid,
        "Cnam": "ACME MOBILE", "DataEnabled": true, "ProductType": "Sms+Data+Voice",
        "AssignedSubscriberId": null, "QRCode": null});
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(&answer[key], value, "{key} of {answer}");
    }
    let order_id = text(&answer, "UpdateOrderId");
    assert!(order_id.starts_with("JNUOID-"), "{answer}");
    // The number reads back changed; what was not sent stayed.
    let details = number_details(&app, &number).await;
    assert_eq!(
        (
            &details["VoiceEnabled"],
            &details["Cnam"],
            &details["Iccid"],
            &details["Status"]
        ),
        (
            &json!(true),
            &json!("ACME MOBILE"),
            &json!(iccid),
            &json!("Active")
        )
    );
    // The order completed in the request, with its history.
    let order = app
        .fetch(&format!("/v1.0/numbers/order?OrderId={order_id}"))
        .await
        .ok();
    assert_eq!(
        (&order["OrderType"], &order["OrderStatus"]),
        (&json!("Update"), &json!("Complete"))
    );
    let history: Vec<&Value> = order["History"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| &h["Status"])
        .collect();
    assert_eq!(
        history,
        [
            &json!("Submitted"),
            &json!("Processing"),
            &json!("Complete")
        ]
    );
    assert_eq!(order["PhoneNumbersOrdered"][0]["Status"], "Complete");
    // number.updated names the order and every change as [old, new].
    let updated = events_of(&app, "number.updated").await;
    let (resource, data) = updated.last().expect("number.updated");
    assert_eq!(resource, provisioned["PhoneNumberId"].as_str().unwrap());
    assert_eq!(data["OrderId"], json!(order_id));
    assert_eq!(
        data["Changes"],
        json!({"VoiceEnabled": [false, true], "ProductType": ["Sms+Data", "Sms+Data+Voice"],
            "VoiceRouteId": [null, line.voice_route], "Cnam": [null, "ACME MOBILE"]})
    );
    let order_events: Vec<Value> = events_of(&app, "order.status_changed")
        .await
        .into_iter()
        .filter(|(r, _)| *r == order_id)
        .map(|(_, d)| d["To"].clone())
        .collect();
    assert_eq!(
        order_events,
        [json!("Submitted"), json!("Processing"), json!("Complete")]
    );
    app.stop().await;
}

#[tokio::test]
async fn flags_default_to_the_current_values() {
    let app = TestApp::start().await;
    let line = Line::new(&app, "Acme Mobile").await;
    let number = text(&line.number(&app, json!({})).await, "PhoneNumberAssigned");
    // Sms+Data with data off: Sms-Only.
    let answer = update(&app, json!({"Number": number, "DataEnabled": false}))
        .await
        .ok();
    assert_eq!(
        (&answer["ProductType"], &answer["MessageEnabled"]),
        (&json!("Sms-Only"), &json!(true))
    );
    // Sms-Only with messaging off: no row of the table.
    let resp = update(&app, json!({"Number": number, "MessageEnabled": false})).await;
    assert_invalid(&resp, "MessageEnabled", UNSUPPORTED);
    // A ProductType sets every flag not sent, and must agree with those sent.
    let answer = update(&app, json!({"Number": number, "ProductType": "data-only"}))
        .await
        .ok();
    assert_eq!(
        (
            &answer["ProductType"],
            &answer["MessageEnabled"],
            &answer["DataEnabled"],
            &answer["VoiceEnabled"]
        ),
        (
            &json!("Data-Only"),
            &json!(false),
            &json!(true),
            &json!(false)
        )
    );
    let resp = update(
        &app,
        json!({"Number": number, "ProductType": "Sms+Data", "VoiceEnabled": true}),
    )
    .await;
    assert_invalid(
        &resp,
        "ProductType",
        "ProductType Sms+Data requires MessageEnabled=true, DataEnabled=true, VoiceEnabled=false",
    );
    let resp = update(&app, json!({"Number": number, "ProductType": "Sms"})).await;
    assert_invalid(
        &resp,
        "ProductType",
        "Invalid ProductType. Must be one of: Sms-Only, Data-Only, Sms+Data, Sms+Data+Voice.",
    );
    // Nothing sent: nothing changes, yet an order records the request.
    let answer = update(&app, json!({"Number": number})).await.ok();
    assert_eq!(answer["ProductType"], "Data-Only");
    assert_eq!(answer["UpdateOrderStatus"], "Complete");
    app.stop().await;
}

#[tokio::test]
async fn routes_must_be_live_routes_of_the_number_account() {
    let app = TestApp::start().await;
    let line = Line::new(&app, "Acme Mobile").await;
    let other = Line::new(&app, "Other Family").await;
    let provisioned = line.number(&app, json!({"ProductType": "Data-Only"})).await;
    let number = text(&provisioned, "PhoneNumberAssigned");
    let resp = update(
        &app,
        json!({"Number": number, "VoiceEnabled": true, "MessageEnabled": true}),
    )
    .await;
    assert_invalid(&resp, "VoiceRouteId", VOICE_ROUTE_REQUIRED);
    let ghost = "CRID-019cd88c-95d0-7f6d-a56a-bd72fb710734";
    let resp = update(&app, json!({"Number": number, "VoiceRouteId": ghost})).await;
    resp.assert_problem(
        404,
        &format!("Voice route with ID '{ghost}' was not found."),
    );
    let resp = update(
        &app,
        json!({"Number": number, "VoiceRouteId": other.voice_route}),
    )
    .await;
    assert_invalid(
        &resp,
        "VoiceRouteId",
        "VoiceRouteId does not belong to account",
    );
    let ghost = "MRID-019cd889-4240-7cf6-89e7-d15f17362f25";
    let resp = update(&app, json!({"Number": number, "MessageRouteId": ghost})).await;
    resp.assert_problem(
        404,
        &format!("Message route with ID '{ghost}' was not found."),
    );
    let resp = update(
        &app,
        json!({"Number": number, "MessageRouteId": other.message_route}),
    )
    .await;
    assert_invalid(
        &resp,
        "MessageRouteId",
        "MessageRouteId does not belong to account",
    );
    // A second message route of the account, and voice with a route sent along.
    let second = app.new_message_route(&line.account).await;
    let body = json!({"Number": number, "ProductType": "Sms+Data+Voice", "MessageRouteId": second,
        "VoiceRouteId": line.voice_route});
    let answer = update(&app, body).await.ok();
    assert_eq!(
        (&answer["MessageRouteId"], &answer["VoiceRouteId"]),
        (&json!(second), &json!(line.voice_route))
    );
    // A number without a message route cannot enable messaging until one is sent.
    let data_only = line.number(&app, json!({"ProductType": "Data-Only"})).await;
    let data_only_number = text(&data_only, "PhoneNumberAssigned");
    drop_message_route(&app, &text(&data_only, "PhoneNumberId")).await;
    let resp = update(
        &app,
        json!({"Number": data_only_number, "MessageEnabled": true}),
    )
    .await;
    assert_invalid(&resp, "MessageRouteId", "MessageRouteId is required");
    let body = json!({"Number": data_only_number, "MessageEnabled": true, "MessageRouteId": line.message_route});
    assert_eq!(update(&app, body).await.ok()["ProductType"], "Sms+Data");
    app.stop().await;
}

async fn drop_message_route(app: &TestApp, number_id: &str) {
    let mut tx = app.server().services.store().begin().await.expect("begin");
    sqlx::query("UPDATE phone_numbers SET message_route_id = NULL WHERE id = $1")
        .bind(number_id)
        .execute(&mut *tx)
        .await
        .expect("drop route");
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn iot_and_number_type_rules() {
    let app = TestApp::start().await;
    let line = Line::new(&app, "Acme Mobile").await;
    let a2p = text(
        &line.number(&app, json!({"MessageType": "a2p"})).await,
        "PhoneNumberAssigned",
    );
    let resp = update(&app, json!({"Number": a2p, "Classification": "IoT"})).await;
    assert_invalid(&resp, "MessageType", IOT_MESSAGE_TYPE);
    let resp = update(
        &app,
        json!({"Number": a2p, "Classification": "iot", "VoiceEnabled": true,
        "VoiceRouteId": line.voice_route, "MessageType": "p2p"}),
    )
    .await;
    assert_invalid(&resp, "VoiceEnabled", IOT_VOICE);
    let resp = update(&app, json!({"Number": a2p, "Classification": "VoIP"})).await;
    assert_invalid(
        &resp,
        "Classification",
        "Invalid Classification. Must be one of: MVNO, IoT.",
    );
    let resp = update(&app, json!({"Number": a2p, "MessageType": "sms"})).await;
    assert_invalid(
        &resp,
        "MessageType",
        "Invalid MessageType. Must be one of: p2p, a2p.",
    );
    // NumberType may only repeat what the number is.
    let resp = update(&app, json!({"Number": a2p, "NumberType": "iot"})).await;
    assert_invalid(&resp, "NumberType", "NumberType cannot be changed");
    for same in ["mobile", "MVNO", "mvno"] {
        update(&app, json!({"Number": a2p, "NumberType": same}))
            .await
            .ok();
    }
    // IOT in any case, with p2p: an IoT line (and NumberType iot is then its classification).
    let body =
        json!({"Number": a2p, "Classification": "IOT", "MessageType": "P2P", "NumberType": "iot"});
    let answer = update(&app, body).await.ok();
    assert_eq!(
        (&answer["Classification"], &answer["MessageType"]),
        (&json!("IoT"), &json!("p2p"))
    );
    let resp = update(&app, json!({"Number": a2p, "MessageType": "a2p"})).await;
    assert_invalid(&resp, "MessageType", IOT_MESSAGE_TYPE);
    let resp = update(
        &app,
        json!({"Number": a2p, "VoiceEnabled": true, "VoiceRouteId": line.voice_route}),
    )
    .await;
    assert_invalid(&resp, "VoiceEnabled", IOT_VOICE);
    app.stop().await;
}

#[tokio::test]
async fn field_errors_and_unknown_numbers() {
    let app = TestApp::start().await;
    let line = Line::new(&app, "Acme Mobile").await;
    let number = text(&line.number(&app, json!({})).await, "PhoneNumberAssigned");
    assert_invalid(
        &update(&app, json!({"Cnam": "X"})).await,
        "Number",
        "Number is required",
    );
    assert_invalid(
        &update(&app, json!({"Number": ""})).await,
        "Number",
        "Number is required",
    );
    let resp = update(&app, json!({"Number": "12"})).await;
    assert_invalid(&resp, "Number", "Number must be a valid phone number");
    for cnam in ["", "   ", "ABCDEFGHIJKLMNOP"] {
        assert_invalid(
            &update(&app, json!({"Number": number, "Cnam": cnam})).await,
            "Cnam",
            CNAM,
        );
    }
    let resp = update(&app, json!({"Number": number, "Cnam": "Café"})).await;
    assert_invalid(
        &resp,
        "Cnam",
        "Cnam must contain only printable ASCII characters",
    );
    let resp = update(
        &app,
        json!({"Number": number, "Iccid": "8901240397190002081"}),
    )
    .await;
    assert_invalid(&resp, "ICCID", "Invalid ICCID");
    // Exactly 15 characters after trimming is fine; null leaves the name.
    let answer = update(&app, json!({"Number": number, "Cnam": " ABCDEFGHIJKLMNO "}))
        .await
        .ok();
    assert_eq!(answer["Cnam"], "ABCDEFGHIJKLMNO");
    let answer = update(&app, json!({"Number": number, "Cnam": null}))
        .await
        .ok();
    assert_eq!(answer["Cnam"], "ABCDEFGHIJKLMNO");
    // Another number in the same format (10 digits) that is not ours: N404.
    let unknown = "+12012345678";
    update(&app, json!({"Number": "2012345678"}))
        .await
        .assert_problem(404, &not_in_inventory(unknown));
    app.stop().await;
}

#[tokio::test]
async fn only_active_and_parked_numbers_change() {
    let app = TestApp::start().await;
    let line = Line::new(&app, "Acme Mobile").await;
    let pending = line.number(&app, json!({})).await;
    let number = text(&pending, "PhoneNumberAssigned");
    force_status(
        &app,
        &text(&pending, "PhoneNumberId"),
        "Pending",
        Some((&text(&pending, "ICCID"), "Assigned")),
    )
    .await;
    update(&app, json!({"Number": number, "Cnam": "X"}))
        .await
        .assert_problem(
            422,
            &format!("Cannot update number '{number}' in status Pending"),
        );
    let parked = line.number(&app, json!({})).await;
    let (parked_id, parked_number) = (
        text(&parked, "PhoneNumberId"),
        text(&parked, "PhoneNumberAssigned"),
    );
    force_status(
        &app,
        &parked_id,
        "Parked",
        Some((&text(&parked, "ICCID"), "Suspended")),
    )
    .await;
    let answer = update(&app, json!({"Number": parked_number, "Cnam": "PARKED"}))
        .await
        .ok();
    assert_eq!(answer["Cnam"], "PARKED");
    force_status(
        &app,
        &parked_id,
        "Cancelled",
        Some((&text(&parked, "ICCID"), "Assigned")),
    )
    .await;
    update(&app, json!({"Number": parked_number, "Cnam": "X"}))
        .await
        .assert_problem(
            422,
            &format!("Cannot update number '{parked_number}' in status Cancelled"),
        );
    app.stop().await;
}
