//! `POST /v1.0/sims/update-status` (its transition table, barring) and
//! `POST /v1.0/sims/clear-status`.

use serde_json::json;

use crate::common::TestApp;
use crate::support::{
    assert_invalid, clear, events_of, force_status, iccid, import, number_details, set_status, sim,
    sim_not_found, text, Line, BOUND, RETIRED,
};

const STATUS_MESSAGE: &str =
    "Invalid Status. Must be one of: Empty, Assigned, Active, Suspended, Retired.";

fn transition(from: &str, to: &str) -> String {
    format!("Invalid SIM status transition from {from} to {to}")
}

#[tokio::test]
async fn active_and_suspended_bar_and_unbar_a_sim() {
    let app = TestApp::start().await;
    let line = Line::new(&app, "Acme Mobile").await;
    let provisioned = line.number(&app, json!({})).await;
    let (number, esim) = (
        text(&provisioned, "PhoneNumberAssigned"),
        text(&provisioned, "ICCID"),
    );
    let answer = set_status(&app, &esim, "suspended").await.ok();
    assert_eq!(
        answer,
        json!({"ICCID": esim, "Status": "Suspended", "PreviousStatus": "Active", "Successful": true})
    );
    assert_eq!(sim(&app, &esim).await.ok()["Status"], "Suspended");
    assert_eq!(
        number_details(&app, &number).await["Status"],
        "Active",
        "the line stays Active"
    );
    // The same status again: a no-op.
    let answer = set_status(&app, &esim, "Suspended").await.ok();
    assert_eq!(
        (&answer["Status"], &answer["PreviousStatus"]),
        (&json!("Suspended"), &json!("Suspended"))
    );
    let answer = set_status(&app, &esim, "ACTIVE").await.ok();
    assert_eq!(
        (&answer["Status"], &answer["PreviousStatus"]),
        (&json!("Active"), &json!("Suspended"))
    );
    let events: Vec<(String, String, String)> = events_of(&app, "sim.status_changed")
        .await
        .into_iter()
        .filter(|(r, d)| *r == esim && d["Reason"] == "update-status")
        .map(|(_, d)| (text(&d, "From"), text(&d, "To"), text(&d, "PhoneNumber")))
        .collect();
    assert_eq!(
        events,
        [
            ("Active".into(), "Suspended".into(), number.clone()),
            ("Suspended".into(), "Active".into(), number.clone())
        ]
    );
    app.stop().await;
}

#[tokio::test]
async fn update_status_table() {
    let app = TestApp::start().await;
    let line = Line::new(&app, "Acme Mobile").await;
    let active = text(&line.number(&app, json!({})).await, "ICCID");
    // A SIM in service cannot go back to stock or be retired by hand.
    for to in ["Empty", "Retired"] {
        set_status(&app, &active, to)
            .await
            .assert_problem(409, BOUND);
    }
    set_status(&app, &active, "Assigned")
        .await
        .assert_problem(422, &transition("Active", "Assigned"));
    // Stock: only Retired.
    let stock = iccid(10);
    import(&app, json!({"Sims": [{"ICCID": stock}]})).await.ok();
    for to in ["Assigned", "Active", "Suspended"] {
        set_status(&app, &stock, to)
            .await
            .assert_problem(422, &transition("Empty", to));
    }
    let answer = set_status(&app, &stock, "Retired").await.ok();
    assert_eq!(
        (&answer["Status"], &answer["PreviousStatus"]),
        (&json!("Retired"), &json!("Empty"))
    );
    for to in ["Empty", "Assigned", "Active", "Suspended", "Retired"] {
        set_status(&app, &stock, to)
            .await
            .assert_problem(422, RETIRED);
    }
    // Suspended by a park: Active only once the number is Active.
    let parked = line.number(&app, json!({})).await;
    let parked_sim = text(&parked, "ICCID");
    force_status(
        &app,
        &text(&parked, "PhoneNumberId"),
        "Parked",
        Some((&parked_sim, "Suspended")),
    )
    .await;
    set_status(&app, &parked_sim, "Active")
        .await
        .assert_problem(422, &transition("Suspended", "Active"));
    set_status(&app, &parked_sim, "Retired")
        .await
        .assert_problem(409, BOUND);
    // A Pending number's SIM stays.
    let pending = line.number(&app, json!({})).await;
    let pending_sim = text(&pending, "ICCID");
    force_status(
        &app,
        &text(&pending, "PhoneNumberId"),
        "Pending",
        Some((&pending_sim, "Assigned")),
    )
    .await;
    set_status(&app, &pending_sim, "Empty")
        .await
        .assert_problem(409, BOUND);
    // A Cancelled number's SIM may go to stock or be retired; either unbinds it.
    for (n, to) in [(0, "Empty"), (1, "Retired")] {
        let cancelled = line.number(&app, json!({"ICCID": iccid(20 + n)})).await;
        let (id, number, psim) = (
            text(&cancelled, "PhoneNumberId"),
            text(&cancelled, "PhoneNumberAssigned"),
            text(&cancelled, "ICCID"),
        );
        force_status(&app, &id, "Cancelled", Some((&psim, "Assigned"))).await;
        set_status(&app, &psim, "Active")
            .await
            .assert_problem(422, &transition("Assigned", "Active"));
        let answer = set_status(&app, &psim, to).await.ok();
        assert_eq!(
            (&answer["Status"], &answer["PreviousStatus"]),
            (&json!(to), &json!("Assigned"))
        );
        assert_eq!(number_details(&app, &number).await["Iccid"], json!(null));
        assert_eq!(sim(&app, &psim).await.ok()["PhoneNumber"], json!(null));
    }
    app.stop().await;
}

#[tokio::test]
async fn update_status_request_errors() {
    let app = TestApp::start().await;
    let stock = iccid(11);
    import(&app, json!({"Sims": [{"ICCID": stock}]})).await.ok();
    let resp = app
        .call("/v1.0/sims/update-status", json!({"Status": "Empty"}))
        .await;
    assert_invalid(&resp, "ICCID", "ICCID is required");
    let resp = set_status(&app, "8901240397190002081", "Empty").await;
    assert_invalid(&resp, "ICCID", "Invalid ICCID");
    assert_invalid(
        &set_status(&app, &stock, "Lost").await,
        "Status",
        STATUS_MESSAGE,
    );
    let resp = app
        .call("/v1.0/sims/update-status", json!({"ICCID": stock}))
        .await;
    assert_invalid(&resp, "Status", "Status is required");
    let unknown = iccid(12);
    set_status(&app, &unknown, "Retired")
        .await
        .assert_problem(404, &sim_not_found(&unknown));
    app.stop().await;
}

#[tokio::test]
async fn clear_status_returns_a_sim_to_stock() {
    let app = TestApp::start().await;
    let line = Line::new(&app, "Acme Mobile").await;
    // Already in stock: no change.
    let stock = iccid(30);
    import(&app, json!({"Sims": [{"ICCID": stock}]})).await.ok();
    let before = events_of(&app, "sim.status_changed").await.len();
    let answer = clear(&app, &stock).await.ok();
    assert_eq!(
        answer,
        json!({"ICCID": stock, "Status": "Empty", "Successful": true})
    );
    assert_eq!(events_of(&app, "sim.status_changed").await.len(), before);
    // In service (Active, Parked, Pending): refused.
    let provisioned = line.number(&app, json!({"ICCID": iccid(31)})).await;
    let (id, number, psim) = (
        text(&provisioned, "PhoneNumberId"),
        text(&provisioned, "PhoneNumberAssigned"),
        text(&provisioned, "ICCID"),
    );
    clear(&app, &psim).await.assert_problem(409, BOUND);
    for (status, sim_status) in [("Parked", "Suspended"), ("Pending", "Assigned")] {
        force_status(&app, &id, status, Some((&psim, sim_status))).await;
        clear(&app, &psim).await.assert_problem(409, BOUND);
    }
    // Bound to a Cancelled number: unbound and back in stock.
    force_status(&app, &id, "Cancelled", Some((&psim, "Assigned"))).await;
    let answer = clear(&app, &psim).await.ok();
    assert_eq!(answer["Status"], "Empty");
    assert_eq!(number_details(&app, &number).await["Iccid"], json!(null));
    let details = sim(&app, &psim).await.ok();
    assert_eq!(
        (&details["Status"], &details["PhoneNumber"]),
        (&json!("Empty"), &json!(null))
    );
    let (_, changed) = events_of(&app, "sim.status_changed")
        .await
        .pop()
        .expect("event");
    assert_eq!(
        changed,
        json!({"From": "Assigned", "To": "Empty", "PhoneNumber": number, "Reason": "cleared"})
    );
    let (resource, updated) = events_of(&app, "number.updated")
        .await
        .pop()
        .expect("event");
    assert_eq!(
        (resource, &updated["Changes"]),
        (id, &json!({"Iccid": [psim, null]}))
    );
    // Back in stock, it can be bound again.
    let again = line.number(&app, json!({"ICCID": psim})).await;
    assert_eq!(again["ICCID"], json!(psim));
    // Retired: refused; request errors.
    set_status(&app, &stock, "Retired").await.ok();
    clear(&app, &stock).await.assert_problem(422, RETIRED);
    let resp = app.call("/v1.0/sims/clear-status", json!({})).await;
    assert_invalid(&resp, "ICCID", "ICCID is required");
    assert_invalid(&clear(&app, "89012403").await, "ICCID", "Invalid ICCID");
    let unknown = iccid(32);
    clear(&app, &unknown)
        .await
        .assert_problem(404, &sim_not_found(&unknown));
    app.stop().await;
}
