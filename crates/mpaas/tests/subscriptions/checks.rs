//! Checks 1 to 5 of the ordered table of 04 (request, subscriber, `AccountId`, package, number
//! lookup), each with its exact text, and the order between them.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::lines::{
    active_number, events_of, not_in_inventory, number_by_id, number_not_found, subscribe, text,
};
use crate::support::{deactivate_package, Line, Other};

fn subscriber_not_found(id: &str) -> String {
    format!("Subscriber with ID '{id}' was not found.")
}

fn package_not_found(id: &str) -> String {
    format!("Package with ID '{id}' was not found.")
}

fn unknown(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::now_v7())
}

/// Asserts a 400 whose `Detail` and field error are both `message`.
#[track_caller]
fn assert_invalid(resp: &crate::common::Resp, field: &str, message: &str) {
    resp.assert_problem(400, message);
    resp.assert_field_error(field, message);
}

#[tokio::test]
async fn check_1_request_fields() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let resp = subscribe(&app, json!({})).await;
    assert_eq!(resp.status.as_u16(), 400, "{}", resp.text);
    resp.assert_field_error("SubscriberId", "SubscriberId is required");
    resp.assert_field_error("TNID", "TNID is required");
    resp.assert_field_error("PackageId", "PackageId is required");

    for absent in [
        json!({"TNID": null}),
        json!({"TNID": null, "PhoneNumber": null}),
    ] {
        assert_invalid(
            &subscribe(&app, line.with(absent)).await,
            "TNID",
            "TNID is required",
        );
    }
    let resp = subscribe(&app, line.with(json!({"TNID": null, "PhoneNumber": "abc"}))).await;
    assert_invalid(
        &resp,
        "PhoneNumber",
        "PhoneNumber must be a valid phone number",
    );
    for (field, value) in [
        ("SubscriberId", json!(7)),
        ("TNID", json!(true)),
        ("PackageId", json!([])),
    ] {
        let resp = subscribe(&app, line.with(json!({ field: value }))).await;
        resp.assert_field_error(field, &format!("{field} must be a string"));
    }

    let other = active_number(&app, &line.account, &line.route, json!({})).await;
    let mismatch = line.with(json!({"PhoneNumber": other["PhoneNumberAssigned"]}));
    let message = "TNID and PhoneNumber do not match";
    assert_invalid(&subscribe(&app, mismatch.clone()).await, "TNID", message);

    // Check 1 answers before check 2.
    let stranger = json!({"SubscriberId": unknown("TSUID")});
    let mut request = mismatch;
    request["SubscriberId"] = stranger["SubscriberId"].clone();
    assert_invalid(&subscribe(&app, request).await, "TNID", message);
    let request = line.with(json!({"SubscriberId": stranger["SubscriberId"], "TNID": null}));
    assert_invalid(&subscribe(&app, request).await, "TNID", "TNID is required");
    assert_nothing_written(&app, &line).await;
    app.stop().await;
}

#[tokio::test]
async fn check_2_subscriber_exists() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let missing = unknown("TSUID");
    let alias = unknown("SID");
    for id in [missing.as_str(), alias.as_str(), "TSUID-1", "garbage"] {
        let resp = subscribe(&app, line.with(json!({"SubscriberId": id}))).await;
        resp.assert_problem(404, &subscriber_not_found(id));
    }
    let gone = app.new_subscriber(&line.account, "gone@example.com").await;
    let gone = text(&gone, "SubscriberId");
    app.call("/v1.0/subscribers/delete", json!({"SubscriberId": gone}))
        .await
        .ok();
    let resp = subscribe(&app, line.with(json!({"SubscriberId": gone}))).await;
    resp.assert_problem(404, &subscriber_not_found(&gone));

    // Check 2 answers before checks 3, 4 and 5.
    let request = json!({"SubscriberId": missing, "TNID": unknown("NID"),
        "PackageId": unknown("PID"), "AccountId": unknown("AID")});
    subscribe(&app, request)
        .await
        .assert_problem(404, &subscriber_not_found(&missing));
    assert_nothing_written(&app, &line).await;
    app.stop().await;
}

#[tokio::test]
async fn check_3_account_is_the_subscribers() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let roe = app.new_account("Roe Family").await;
    let foreign = Other::new(&app).await;
    for account in [
        roe.clone(),
        unknown("AID"),
        "AID-1".into(),
        foreign.account.clone(),
    ] {
        let resp = subscribe(&app, line.with(json!({ "AccountId": account }))).await;
        assert_invalid(&resp, "AccountId", "Invalid AccountId");
    }
    // Check 3 answers before checks 4 and 5.
    let request =
        line.with(json!({"AccountId": roe, "PackageId": unknown("PID"), "TNID": unknown("NID")}));
    assert_invalid(
        &subscribe(&app, request).await,
        "AccountId",
        "Invalid AccountId",
    );
    assert_nothing_written(&app, &line).await;
    // The subscriber's own account, in any case, passes.
    let own = line.with(json!({"AccountId": line.account.to_uppercase()}));
    subscribe(&app, own).await.ok();
    app.stop().await;
}

#[tokio::test]
async fn check_4_package_is_active_and_available() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let missing = unknown("PID");
    let alias = unknown("PKID");
    let product = unknown("PRID");
    for id in [missing.as_str(), alias.as_str(), product.as_str(), "PID-1"] {
        let resp = subscribe(&app, line.with(json!({"PackageId": id}))).await;
        resp.assert_problem(404, &package_not_found(id));
    }
    let retired = app.new_package("10").await;
    deactivate_package(&app, &retired).await;
    let resp = subscribe(&app, line.with(json!({"PackageId": retired}))).await;
    resp.assert_problem(409, "Package is inactive");
    // Check 4 answers before check 5.
    let request = line.with(json!({"PackageId": retired, "TNID": unknown("NID")}));
    subscribe(&app, request)
        .await
        .assert_problem(409, "Package is inactive");

    let sam = app.new_subscriber(&line.account, "sam@example.com").await;
    let body = json!({"PackageName": "Sam only", "Type": "esim", "Price": 5, "SubscriberId": sam["SubscriberId"]});
    let scoped = app.call("/v1.0/packages", body).await.ok();
    let request = line.with(json!({"PackageId": scoped["PackageId"]}));
    assert_invalid(
        &subscribe(&app, request).await,
        "PackageId",
        "Package is not available to this subscriber",
    );
    assert_nothing_written(&app, &line).await;
    // The subscriber it is scoped to may subscribe to it.
    let request =
        line.with(json!({"PackageId": scoped["PackageId"], "SubscriberId": sam["SubscriberId"]}));
    let created = subscribe(&app, request).await.ok();
    assert_eq!(created["PackageId"], scoped["PackageId"]);
    app.stop().await;
}

#[tokio::test]
async fn check_5_number_exists_for_the_caller() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let missing = unknown("NID");
    let alias = unknown("TNID");
    for id in [
        missing.as_str(),
        alias.as_str(),
        "NID-1",
        line.subscriber.as_str(),
    ] {
        let resp = subscribe(&app, line.with(json!({"TNID": id}))).await;
        resp.assert_problem(404, &number_not_found(id));
    }
    // Not in inventory: named in E.164 whatever form was sent.
    for sent in ["8015551234", "+18015551234", "(801) 555-1234"] {
        let request = line.with(json!({"TNID": null, "PhoneNumber": sent}));
        let resp = subscribe(&app, request).await;
        resp.assert_problem(404, &not_in_inventory("+18015551234"));
    }
    // An unknown TNID with a PhoneNumber is reported by this check, not as a mismatch.
    let request = line.with(json!({"TNID": missing, "PhoneNumber": line.phone}));
    subscribe(&app, request)
        .await
        .assert_problem(404, &number_not_found(&missing));
    assert_nothing_written(&app, &line).await;
    app.stop().await;
}

/// No subscription, no event and no assignment came out of refused requests.
pub async fn assert_nothing_written(app: &TestApp, line: &Line) {
    assert!(events_of(app, "subscription.created").await.is_empty());
    let listed = app.fetch("/v1.0/distributor/subscriptions").await.ok();
    assert_eq!(listed["TotalSubscriptions"], 0, "{listed}");
    let number: Value = number_by_id(app, &line.tnid).await;
    assert_eq!(number["AssignedSubscriberId"], json!(null));
}
