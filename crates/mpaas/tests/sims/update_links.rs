//! `POST /v1.0/numbers/update`, what a number is linked to: its subscriber (same account,
//! `""` unassigns, held by an active subscription) and its SIM (bound as on provisioning, the
//! old one retired, the subscription following, refused during an open port-out).

use reqwest::StatusCode;
use serde_json::json;

use crate::common::TestApp;
use crate::support::{
    assert_invalid, events_of, iccid, import, port_out, qr, sim, text, update, Line, Other, IN_USE,
    RETIRED,
};

const ACTIVE_SUBSCRIPTION: &str = "Number has an active subscription";

#[tokio::test]
async fn assigned_subscriber_of_the_number_account() {
    let app = TestApp::start().await;
    let line = Line::new(&app, "Acme Mobile").await;
    let other = Line::new(&app, "Other Family").await;
    let provisioned = line.number(&app, json!({})).await;
    let number = text(&provisioned, "PhoneNumberAssigned");
    let jane = text(
        &app.new_subscriber(&line.account, "jane@example.com").await,
        "SubscriberId",
    );
    let sam = text(
        &app.new_subscriber(&line.account, "sam@example.com").await,
        "SubscriberId",
    );
    let stranger = text(
        &app.new_subscriber(&other.account, "x@example.com").await,
        "SubscriberId",
    );
    let resp = update(
        &app,
        json!({"Number": number, "AssignedSubscriberId": stranger}),
    )
    .await;
    assert_invalid(
        &resp,
        "AssignedSubscriberId",
        "Subscriber does not belong to account",
    );
    let ghost = "TSUID-019cd851-6d48-779e-830c-71c2cdcc6929";
    update(
        &app,
        json!({"Number": number, "AssignedSubscriberId": ghost}),
    )
    .await
    .assert_problem(404, &format!("Subscriber with ID '{ghost}' was not found."));
    // The SID- alias names the same subscriber; the answer uses TSUID-.
    let alias = jane.replacen("TSUID-", "SID-", 1);
    let answer = update(
        &app,
        json!({"Number": number, "AssignedSubscriberId": alias}),
    )
    .await
    .ok();
    assert_eq!(answer["AssignedSubscriberId"], json!(jane));
    let held = app
        .fetch(&format!("/v1.0/subscribers/get?SubscriberId={jane}"))
        .await
        .ok();
    assert_eq!(held["PhoneNumbers"], json!([number]));
    let answer = update(&app, json!({"Number": number, "AssignedSubscriberId": ""}))
        .await
        .ok();
    assert_eq!(answer["AssignedSubscriberId"], json!(null));
    // With an active subscription the number stays with the subscription's subscriber.
    let package = app.new_package("9.99").await;
    let subscription =
        json!({"SubscriberId": jane, "TNID": provisioned["PhoneNumberId"], "PackageId": package});
    app.call("/v1.0/subscriptions", subscription).await.ok();
    for to in [json!(""), json!(sam)] {
        update(&app, json!({"Number": number, "AssignedSubscriberId": to}))
            .await
            .assert_problem(409, ACTIVE_SUBSCRIPTION);
    }
    let answer = update(
        &app,
        json!({"Number": number, "AssignedSubscriberId": jane, "Cnam": "JANE"}),
    )
    .await
    .ok();
    assert_eq!(
        (&answer["AssignedSubscriberId"], &answer["Cnam"]),
        (&json!(jane), &json!("JANE"))
    );
    app.stop().await;
}

#[tokio::test]
async fn a_new_iccid_retires_the_old_sim() {
    let app = TestApp::start().await;
    let line = Line::new(&app, "Acme Mobile").await;
    let provisioned = line.number(&app, json!({})).await;
    let (number, old) = (
        text(&provisioned, "PhoneNumberAssigned"),
        text(&provisioned, "ICCID"),
    );
    let old_qr = text(&provisioned, "QRCode");
    assert_eq!(qr(&app, &old_qr).await.status, StatusCode::OK);
    let jane = text(
        &app.new_subscriber(&line.account, "jane@example.com").await,
        "SubscriberId",
    );
    let package = app.new_package("9.99").await;
    let body =
        json!({"SubscriberId": jane, "TNID": provisioned["PhoneNumberId"], "PackageId": package});
    let subscription = app.call("/v1.0/subscriptions", body).await.ok();
    // An unknown valid ICCID is registered as a pSIM of the account and bound.
    let psim = iccid(1);
    let answer = update(&app, json!({"Number": number, "ICCID": psim}))
        .await
        .ok();
    assert_eq!(
        (&answer["Iccid"], &answer["QRCode"]),
        (&json!(psim), &json!(null))
    );
    let retired = sim(&app, &old).await.ok();
    assert_eq!(
        (
            &retired["Status"],
            &retired["PhoneNumber"],
            &retired["ActivationCode"],
            &retired["QRCode"]
        ),
        (&json!("Retired"), &json!(null), &json!(null), &json!(null))
    );
    qr(&app, &old_qr)
        .await
        .assert_problem(404, "QR code was not found.");
    let bound = sim(&app, &psim).await.ok();
    assert_eq!(
        (
            &bound["Type"],
            &bound["Status"],
            &bound["PhoneNumber"],
            &bound["AccountId"]
        ),
        (
            &json!("pSIM"),
            &json!("Active"),
            &json!(number),
            &json!(line.account)
        )
    );
    let id = text(&subscription, "SubscriptionId");
    let after = app
        .fetch(&format!("/v1.0/subscriptions?SubscriptionId={id}"))
        .await
        .ok();
    assert_eq!(
        after["ICCID"],
        json!(psim),
        "the subscription follows the SIM"
    );
    // Both SIM changes are announced, and the number's.
    let changes: Vec<(String, String, String)> = events_of(&app, "sim.status_changed")
        .await
        .into_iter()
        .map(|(r, d)| (r, text(&d, "To"), text(&d, "Reason")))
        .collect();
    assert!(
        changes.contains(&(old.clone(), "Retired".into(), "replaced".into())),
        "{changes:?}"
    );
    assert!(
        changes.contains(&(psim.clone(), "Active".into(), "bound".into())),
        "{changes:?}"
    );
    let (_, updated) = events_of(&app, "number.updated")
        .await
        .pop()
        .expect("number.updated");
    assert_eq!(updated["Changes"]["Iccid"], json!([old, psim]));
    // The same ICCID again changes nothing.
    let before = events_of(&app, "sim.status_changed").await.len();
    update(&app, json!({"Number": number, "Iccid": psim}))
        .await
        .ok();
    assert_eq!(events_of(&app, "sim.status_changed").await.len(), before);
    // An eSIM from stock: the answer carries its QR code, which serves the image.
    let esim = iccid(2);
    let stock = json!({"AccountId": line.account, "Sims": [{"ICCID": esim, "Type": "eSIM"}]});
    assert_eq!(import(&app, stock).await.ok()["Imported"], 1);
    let answer = update(&app, json!({"Number": number, "Iccid": esim}))
        .await
        .ok();
    let url = text(&answer, "QRCode");
    let image = qr(&app, &url).await;
    assert_eq!(
        (image.status, image.header("content-type")),
        (StatusCode::OK, Some("image/png"))
    );
    assert_eq!(sim(&app, &psim).await.ok()["Status"], "Retired");
    app.stop().await;
}

#[tokio::test]
async fn sims_that_cannot_be_bound() {
    let app = TestApp::start().await;
    let line = Line::new(&app, "Acme Mobile").await;
    let number = text(&line.number(&app, json!({})).await, "PhoneNumberAssigned");
    let neighbour = line.number(&app, json!({})).await;
    // Bound to another number.
    let resp = update(&app, json!({"Number": number, "ICCID": neighbour["ICCID"]})).await;
    resp.assert_problem(409, IN_USE);
    // Another distributor's SIM counts as in use.
    let theirs = Other::new(&app).await;
    let foreign = iccid(3);
    theirs
        .post(
            &app,
            "/v1.0/sims/import",
            json!({"Sims": [{"ICCID": foreign}]}),
        )
        .await
        .ok();
    update(&app, json!({"Number": number, "ICCID": foreign}))
        .await
        .assert_problem(409, IN_USE);
    // Stock of another account of ours.
    let other = Line::new(&app, "Other Family").await;
    let elsewhere = iccid(4);
    import(
        &app,
        json!({"AccountId": other.account, "Sims": [{"ICCID": elsewhere}]}),
    )
    .await
    .ok();
    update(&app, json!({"Number": number, "ICCID": elsewhere}))
        .await
        .assert_problem(409, IN_USE);
    // A retired SIM.
    let old = iccid(5);
    import(&app, json!({"Sims": [{"ICCID": old}]})).await.ok();
    app.call(
        "/v1.0/sims/update-status",
        json!({"ICCID": old, "Status": "Retired"}),
    )
    .await
    .ok();
    update(&app, json!({"Number": number, "ICCID": old}))
        .await
        .assert_problem(422, RETIRED);
    app.stop().await;
}

#[tokio::test]
async fn an_open_port_out_blocks_sim_changes_only() {
    let app = TestApp::start().await;
    let line = Line::new(&app, "Acme Mobile").await;
    let provisioned = line.number(&app, json!({})).await;
    let (id, number) = (
        text(&provisioned, "PhoneNumberId"),
        text(&provisioned, "PhoneNumberAssigned"),
    );
    port_out(&app, &line.account, &id, &number, "Completed").await;
    update(&app, json!({"Number": number, "ICCID": iccid(6)}))
        .await
        .ok();
    port_out(&app, &line.account, &id, &number, "Approved").await;
    update(&app, json!({"Number": number, "ICCID": iccid(7)}))
        .await
        .assert_problem(
            409,
            &format!("Number '{number}' has an open port-out request"),
        );
    // Other fields, and the SIM it already has, still go through.
    let answer = update(
        &app,
        json!({"Number": number, "ICCID": iccid(6), "Cnam": "LEAVING"}),
    )
    .await
    .ok();
    assert_eq!(
        (&answer["Iccid"], &answer["Cnam"]),
        (&json!(iccid(6)), &json!("LEAVING"))
    );
    app.stop().await;
}

#[tokio::test]
async fn a_line_without_a_sim_gets_its_first_one() {
    let app = TestApp::start().await;
    let line = Line::new(&app, "Acme Mobile").await;
    // Sms-Only lines get no SIM unless one is given.
    let provisioned = line.number(&app, json!({"ProductType": "Sms-Only"})).await;
    assert_eq!(provisioned["ICCID"], json!(null));
    let number = text(&provisioned, "PhoneNumberAssigned");
    let retired_before = events_of(&app, "sim.status_changed").await.len();
    let answer = update(&app, json!({"Number": number, "ICCID": iccid(8)}))
        .await
        .ok();
    assert_eq!(answer["Iccid"], json!(iccid(8)));
    let events = events_of(&app, "sim.status_changed").await;
    assert_eq!(events.len(), retired_before + 1, "only the new SIM changed");
    let (resource, data) = events.last().expect("event");
    assert_eq!(
        (resource, data),
        (
            &iccid(8),
            &json!({"From": "Empty", "To": "Active", "PhoneNumber": number, "Reason": "bound"})
        )
    );
    app.stop().await;
}
