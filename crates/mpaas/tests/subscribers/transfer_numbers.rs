//! Transfer with numbers: the numbers, their routes, their SIMs and the subscriptions follow the
//! subscriber; the route rules of the target account.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::lines::{
    active_number, cancel, force_status, iccid, number_by_id, number_updates, sim_account,
    subscribe, text,
};
use crate::support::{assert_invalid, foreign_account, sid, transfer};

/// The Doe family's subscriber Sam with two numbers: a voice line with its eSIM and an
/// `Sms-Only` line that got a pSIM through its subscription.
struct Holder {
    doe: String,
    sam: String,
    voice_line: Value,
    sms_line: Value,
    psim: String,
    subscriptions: Vec<String>,
}

async fn holder(app: &TestApp) -> Holder {
    let doe = app.new_account("Doe Family").await;
    let route = app.new_message_route(&doe).await;
    let voice = app.new_voice_route(&doe).await;
    let sam = sid(&app.new_subscriber(&doe, "sam@example.com").await);
    let extra = json!({"ProductType": "Sms+Data+Voice", "VoiceRouteId": voice, "AssignedSubscriberId": sam});
    let voice_line = active_number(app, &doe, &route, extra).await;
    let extra = json!({"ProductType": "Sms-Only", "AssignedSubscriberId": sam});
    let sms_line = active_number(app, &doe, &route, extra).await;
    let package = app.new_package("20").await;
    let psim = iccid(42);
    let mut subscriptions = Vec::new();
    for (line, sim) in [(&voice_line, None), (&sms_line, Some(psim.clone()))] {
        let request = json!({"SubscriberId": sam, "TNID": line["PhoneNumberId"], "PackageId": package, "ICCID": sim});
        subscriptions.push(text(&subscribe(app, request).await.ok(), "SubscriptionId"));
    }
    Holder {
        doe,
        sam,
        voice_line,
        sms_line,
        psim,
        subscriptions,
    }
}

impl Holder {
    fn to(&self, target: &str, routes: Value) -> Value {
        let mut request =
            json!({"SubscriberId": self.sam, "FromAccountId": self.doe, "ToAccountId": target});
        for (k, v) in routes.as_object().expect("object") {
            request[k] = v.clone();
        }
        request
    }

    fn ids(&self) -> [String; 2] {
        [
            text(&self.voice_line, "PhoneNumberId"),
            text(&self.sms_line, "PhoneNumberId"),
        ]
    }
}

#[tokio::test]
async fn numbers_subscriptions_and_sims_follow_the_subscriber() {
    let app = TestApp::start().await;
    let h = holder(&app).await;
    // An ended subscription follows too, and so does a cancelled number.
    let third = active_number(
        &app,
        &h.doe,
        &app.new_message_route(&h.doe).await,
        json!({"AssignedSubscriberId": h.sam}),
    )
    .await;
    let third_id = text(&third, "PhoneNumberId");
    let package = app.new_package("1").await;
    let request = json!({"SubscriberId": h.sam, "TNID": third_id, "PackageId": package});
    let ended = text(&subscribe(&app, request).await.ok(), "SubscriptionId");
    cancel(&app, &ended).await.ok();
    force_status(&app, &third_id, "Cancelled").await;
    let esim = text(&h.voice_line, "ICCID");
    assert_eq!(
        sim_account(&app, &esim).await.as_deref(),
        Some(h.doe.as_str())
    );
    assert_eq!(
        sim_account(&app, &h.psim).await.as_deref(),
        Some(h.doe.as_str())
    );

    let roe = app.new_account("Roe Family").await;
    let roe_route = app.new_message_route(&roe).await;
    let roe_voice = app.new_voice_route(&roe).await;
    // Without route ids: the target's only routes.
    let moved = transfer(&app, h.to(&roe, json!({}))).await.ok();
    assert_eq!(moved["Account"]["AccountId"], roe.as_str());
    let mut phones = vec![
        text(&h.voice_line, "PhoneNumberAssigned"),
        text(&h.sms_line, "PhoneNumberAssigned"),
        text(&third, "PhoneNumberAssigned"),
    ];
    phones.sort();
    assert_eq!(moved["PhoneNumbers"], json!(phones));
    assert_eq!(moved["Subscriptions"].as_array().map(Vec::len), Some(2));

    let [voice_id, sms_id] = h.ids();
    let voice = number_by_id(&app, &voice_id).await;
    assert_eq!(
        (
            voice["AccountId"].clone(),
            voice["MessageRouteId"].clone(),
            voice["VoiceRouteId"].clone()
        ),
        (json!(roe), json!(roe_route), json!(roe_voice))
    );
    assert_eq!(voice["AssignedSubscriberId"], h.sam.as_str());
    let sms = number_by_id(&app, &sms_id).await;
    assert_eq!(
        (sms["AccountId"].clone(), sms["MessageRouteId"].clone()),
        (json!(roe), json!(roe_route))
    );
    assert_eq!(
        sms["VoiceRouteId"],
        json!(null),
        "a number without voice gets no voice route"
    );
    let cancelled = number_by_id(&app, &third_id).await;
    assert_eq!(
        (
            cancelled["Status"].clone(),
            cancelled["AccountId"].clone(),
            cancelled["MessageRouteId"].clone()
        ),
        (json!("Cancelled"), json!(roe), json!(roe_route))
    );
    let updates = number_updates(&app, &voice_id).await;
    let changes = &updates.last().expect("number.updated")["Changes"];
    assert_eq!(changes["AccountId"], json!([h.doe, roe]));
    assert_eq!(changes["MessageRouteId"][1], json!(roe_route));
    assert_eq!(changes["VoiceRouteId"][1], json!(roe_voice));
    for id in [&sms_id, &third_id] {
        let updates = number_updates(&app, id).await;
        let last = updates.last().expect("number.updated");
        assert_eq!(last["Changes"]["AccountId"], json!([h.doe, roe]), "{id}");
    }

    assert_eq!(
        sim_account(&app, &esim).await.as_deref(),
        Some(roe.as_str()),
        "eSIM moved"
    );
    assert_eq!(
        sim_account(&app, &h.psim).await.as_deref(),
        Some(roe.as_str()),
        "pSIM moved"
    );
    for id in h.subscriptions.iter().chain([&ended]) {
        let s = app
            .fetch(&format!("/v1.0/subscriptions?SubscriptionId={id}"))
            .await
            .ok();
        assert_eq!(s["AccountId"], roe.as_str(), "{s}");
    }
    let listed = app
        .fetch(&format!("/v1.0/account/subscriptions?AccountId={roe}"))
        .await
        .ok();
    assert_eq!(listed["TotalSubscriptions"], 3);
    let left = app
        .fetch(&format!("/v1.0/account/subscriptions?AccountId={}", h.doe))
        .await
        .ok();
    assert_eq!(left["TotalSubscriptions"], 0);
    app.stop().await;
}

#[tokio::test]
async fn target_routes_are_given_or_the_targets_only_ones() {
    let app = TestApp::start().await;
    let h = holder(&app).await;
    let [voice_id, _] = h.ids();
    let roe = app.new_account("Roe Family").await;
    // No message route in the target.
    let resp = transfer(&app, h.to(&roe, json!({}))).await;
    assert_invalid(&resp, "MessageRouteId", "MessageRouteId is required");
    // Several: one must be named.
    let first = app.new_message_route(&roe).await;
    let second = app.new_message_route(&roe).await;
    let resp = transfer(&app, h.to(&roe, json!({}))).await;
    assert_invalid(&resp, "MessageRouteId", "MessageRouteId is required");
    // A voice line needs a voice route of the target.
    let resp = transfer(&app, h.to(&roe, json!({"MessageRouteId": second}))).await;
    assert_invalid(&resp, "VoiceRouteId", "VoiceRouteId is required");
    let roe_voice = app.new_voice_route(&roe).await;

    let doe_route = text(&number_by_id(&app, &voice_id).await, "MessageRouteId");
    let doe_voice = text(&number_by_id(&app, &voice_id).await, "VoiceRouteId");
    let resp = transfer(&app, h.to(&roe, json!({"MessageRouteId": doe_route}))).await;
    assert_invalid(
        &resp,
        "MessageRouteId",
        "MessageRouteId does not belong to account",
    );
    let request = h.to(
        &roe,
        json!({"MessageRouteId": first, "VoiceRouteId": doe_voice}),
    );
    assert_invalid(
        &transfer(&app, request).await,
        "VoiceRouteId",
        "VoiceRouteId does not belong to account",
    );
    let unknown_route = format!("MRID-{}", uuid::Uuid::now_v7());
    let resp = transfer(&app, h.to(&roe, json!({"MessageRouteId": unknown_route}))).await;
    resp.assert_problem(
        404,
        &format!("Message route with ID '{unknown_route}' was not found."),
    );
    let unknown_voice = format!("CRID-{}", uuid::Uuid::now_v7());
    let request = h.to(
        &roe,
        json!({"MessageRouteId": first, "VoiceRouteId": unknown_voice}),
    );
    let resp = transfer(&app, request).await;
    resp.assert_problem(
        404,
        &format!("Voice route with ID '{unknown_voice}' was not found."),
    );
    let deleted = app.new_message_route(&roe).await;
    app.call(
        "/v1.0/message/routes/delete",
        json!({"MessageRouteId": deleted}),
    )
    .await
    .ok();
    let resp = transfer(&app, h.to(&roe, json!({"MessageRouteId": deleted}))).await;
    resp.assert_problem(
        404,
        &format!("Message route with ID '{deleted}' was not found."),
    );
    let (_, _, foreign) = foreign_account(&app).await;
    let resp = transfer(
        &app,
        h.to(
            text(&foreign, "AccountId").as_str(),
            json!({"MessageRouteId": first}),
        ),
    )
    .await;
    assert_invalid(&resp, "ToAccountId", "Invalid AccountId");

    // Nothing moved so far.
    let still = number_by_id(&app, &voice_id).await;
    assert_eq!(
        (still["AccountId"].clone(), still["MessageRouteId"].clone()),
        (json!(h.doe), json!(doe_route))
    );
    let sub = app
        .fetch(&format!(
            "/v1.0/subscriptions?SubscriptionId={}",
            h.subscriptions[0]
        ))
        .await
        .ok();
    assert_eq!(sub["AccountId"], h.doe.as_str());

    let moved = transfer(&app, h.to(&roe, json!({"MessageRouteId": second})))
        .await
        .ok();
    assert_eq!(moved["Account"]["AccountId"], roe.as_str());
    let voice = number_by_id(&app, &voice_id).await;
    assert_eq!(
        (
            voice["MessageRouteId"].clone(),
            voice["VoiceRouteId"].clone()
        ),
        (json!(second), json!(roe_voice))
    );
    app.stop().await;
}

#[tokio::test]
async fn a_subscriber_without_numbers_needs_no_route() {
    let app = TestApp::start().await;
    let doe = app.new_account("Doe Family").await;
    let roe = app.new_account("Roe Family").await;
    let sam = sid(&app.new_subscriber(&doe, "sam@example.com").await);
    let request = json!({"SubscriberId": sam, "FromAccountId": doe, "ToAccountId": roe});
    let moved = transfer(&app, request.clone()).await.ok();
    assert_eq!(moved["Account"]["AccountId"], roe.as_str());
    // A route that is given is still checked.
    let doe_route = app.new_message_route(&doe).await;
    let mut back = json!({"SubscriberId": sam, "FromAccountId": roe, "ToAccountId": doe, "MessageRouteId": doe_route});
    transfer(&app, back.clone()).await.ok();
    back["FromAccountId"] = json!(doe);
    back["ToAccountId"] = json!(roe);
    let resp = transfer(&app, back).await;
    assert_invalid(
        &resp,
        "MessageRouteId",
        "MessageRouteId does not belong to account",
    );
    app.stop().await;
}
