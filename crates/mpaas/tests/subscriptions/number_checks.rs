//! Checks 6 to 10 of the ordered table of 04 (the number's account, status, assignment, active
//! subscription and classification), each with its exact text, and the order between them.

use serde_json::json;

use crate::common::{Resp, TestApp};
use crate::lines::{
    active_number, events_of, force_status, number_by_id, pending_number, subscribe, text,
};
use crate::support::Line;

const NOT_IN_ACCOUNT: &str = "Phone number does not belong to account";
const NOT_ACTIVE: &str = "Phone number is not active";
const OTHER_SUBSCRIBER: &str = "Phone number is assigned to another subscriber";
const ALREADY: &str = "Phone number already has an active subscription";
const TYPE_MISMATCH: &str = "Type does not match the number's classification";

#[track_caller]
fn assert_on(resp: &Resp, status: u16, field: &str, message: &str) {
    resp.assert_problem(status, message);
    if status == 400 {
        resp.assert_field_error(field, message);
    }
}

#[tokio::test]
async fn check_6_number_is_in_the_subscribers_account() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let roe = app.new_account("Roe Family").await;
    let roe_route = app.new_message_route(&roe).await;
    let theirs = active_number(&app, &roe, &roe_route, json!({})).await;
    let request = line.with(json!({"TNID": theirs["PhoneNumberId"]}));
    assert_on(&subscribe(&app, request).await, 400, "TNID", NOT_IN_ACCOUNT);
    let request = line.with(json!({"TNID": null, "PhoneNumber": theirs["PhoneNumberAssigned"]}));
    assert_on(
        &subscribe(&app, request).await,
        400,
        "PhoneNumber",
        NOT_IN_ACCOUNT,
    );
    // Check 6 answers before check 7.
    let pending = pending_number(&app, &roe, &roe_route).await;
    let request = line.with(json!({"TNID": pending["TNID"]}));
    assert_on(&subscribe(&app, request).await, 400, "TNID", NOT_IN_ACCOUNT);
    let number = number_by_id(&app, &text(&theirs, "PhoneNumberId")).await;
    assert_eq!(
        number["AccountId"],
        roe.as_str(),
        "the number stayed where it was"
    );
    assert_eq!(number["AssignedSubscriberId"], json!(null));
    assert!(events_of(&app, "subscription.created").await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn check_7_number_is_active_or_parked() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let pending = pending_number(&app, &line.account, &line.route).await;
    let request = line.with(json!({"TNID": pending["TNID"]}));
    assert_on(&subscribe(&app, request).await, 409, "TNID", NOT_ACTIVE);
    let request = line.with(json!({"TNID": null, "PhoneNumber": pending["Number"]}));
    assert_on(
        &subscribe(&app, request).await,
        409,
        "PhoneNumber",
        NOT_ACTIVE,
    );

    // Check 7 answers before check 8: a cancelled number of another subscriber.
    let sam = app.new_subscriber(&line.account, "sam@example.com").await;
    let extra = json!({"AssignedSubscriberId": sam["SubscriberId"]});
    let sams = active_number(&app, &line.account, &line.route, extra).await;
    let sams = text(&sams, "PhoneNumberId");
    force_status(&app, &sams, "Cancelled").await;
    let request = line.with(json!({"TNID": sams}));
    assert_on(&subscribe(&app, request).await, 409, "TNID", NOT_ACTIVE);
    assert!(events_of(&app, "subscription.created").await.is_empty());

    // A parked number keeps its service plan: it can be subscribed.
    force_status(&app, &line.tnid, "Parked").await;
    let created = subscribe(&app, line.request()).await.ok();
    assert_eq!(created["Active"], true);
    app.stop().await;
}

#[tokio::test]
async fn checks_8_and_9_number_is_free_and_unsubscribed() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let sam = app.new_subscriber(&line.account, "sam@example.com").await;
    let extra = json!({"AssignedSubscriberId": sam["SubscriberId"]});
    let sams = active_number(&app, &line.account, &line.route, extra).await;
    let request = line.with(json!({"TNID": sams["PhoneNumberId"]}));
    assert_on(
        &subscribe(&app, request).await,
        409,
        "TNID",
        OTHER_SUBSCRIBER,
    );

    // Check 8 answers before check 9: the number carries Sam's subscription.
    let request =
        line.with(json!({"SubscriberId": sam["SubscriberId"], "TNID": sams["PhoneNumberId"]}));
    subscribe(&app, request).await.ok();
    let request = line.with(json!({"TNID": sams["PhoneNumberId"]}));
    assert_on(
        &subscribe(&app, request).await,
        409,
        "TNID",
        OTHER_SUBSCRIBER,
    );

    let first = subscribe(&app, line.request()).await.ok();
    assert_on(&subscribe(&app, line.request()).await, 409, "TNID", ALREADY);
    let request = line.with(json!({"TNID": null, "PhoneNumber": line.phone}));
    assert_on(&subscribe(&app, request).await, 409, "PhoneNumber", ALREADY);
    // Check 9 answers before checks 10 and 11.
    let request =
        line.with(json!({"Type": "Iot", "ICCID": "123", "PackageId": app.new_package("1").await}));
    assert_on(&subscribe(&app, request).await, 409, "TNID", ALREADY);

    let created = events_of(&app, "subscription.created").await;
    assert_eq!(created.len(), 2, "Sam's and Jane's only");
    assert_eq!(created[1].2, first);
    let number = number_by_id(&app, &text(&sams, "PhoneNumberId")).await;
    assert_eq!(number["AssignedSubscriberId"], sam["SubscriberId"]);
    app.stop().await;
}

#[tokio::test]
async fn check_10_type_matches_the_classification() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let iot = json!({"NumberType": "iot"});
    let iot = active_number(&app, &line.account, &line.route, iot).await;
    for requested in ["Mvno", "MVNO", "mvno"] {
        let request = line.with(json!({"TNID": iot["PhoneNumberId"], "Type": requested}));
        assert_on(&subscribe(&app, request).await, 400, "Type", TYPE_MISMATCH);
    }
    let request = line.with(json!({"Type": "iot"}));
    assert_on(&subscribe(&app, request).await, 400, "Type", TYPE_MISMATCH);
    // Check 10 answers before check 11.
    let request = line.with(json!({"Type": "Iot", "ICCID": "123"}));
    assert_on(&subscribe(&app, request).await, 400, "Type", TYPE_MISMATCH);
    assert!(events_of(&app, "subscription.created").await.is_empty());
    let number = number_by_id(&app, &text(&iot, "PhoneNumberId")).await;
    assert_eq!(number["AssignedSubscriberId"], json!(null));
    app.stop().await;
}
