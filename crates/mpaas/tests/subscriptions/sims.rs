//! Check 11 and the SIM side effects: confirming the number's SIM, binding a new one to a number
//! without SIM, and every refusal.

use serde_json::json;

use crate::common::{TestApp, KEY};
use crate::lines::{
    active_number, events_of, iccid, number_by_id, number_updates, subscribe, text,
};
use crate::support::{subscriber, Line};

/// A number without SIM (`Sms-Only` gets no eSIM) in the line's account; returns its id.
async fn simless_number(app: &TestApp, line: &Line) -> String {
    let extra = json!({"ProductType": "Sms-Only"});
    let number = active_number(app, &line.account, &line.route, extra).await;
    assert_eq!(number["ICCID"], json!(null), "{number}");
    text(&number, "PhoneNumberId")
}

/// Registers a retired pSIM of the bootstrap distributor straight in the store (no endpoint of
/// this version retires a SIM that is not bound).
async fn retired_sim(app: &TestApp, iccid: &str) {
    let store = app.server().services.store();
    let mut tx = store.begin().await.expect("transaction");
    sqlx::query(
        "INSERT INTO sims (iccid, distributor_id, account_id, sim_type, status, barred, \
         activation_code, qr_token_hash, created_on, updated_on) \
         VALUES ($1, $2, NULL, 'pSIM', 'Retired', 0, NULL, NULL, 0, 0)",
    )
    .bind(iccid)
    .bind(KEY)
    .execute(&mut *tx)
    .await
    .expect("sim inserted");
    mpaas_store::commit(tx).await.expect("commit");
}

#[tokio::test]
async fn the_numbers_own_sim_may_be_confirmed() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let sims_before = events_of(&app, "sim.status_changed").await.len();
    let created = subscribe(&app, line.with(json!({"ICCID": line.esim})))
        .await
        .ok();
    assert_eq!(created["ICCID"], line.esim.as_str());
    let updates = number_updates(&app, &line.tnid).await;
    assert_eq!(
        updates[0]["Changes"],
        json!({"AssignedSubscriberId": [null, line.subscriber]}),
        "the SIM did not change"
    );
    assert_eq!(
        events_of(&app, "sim.status_changed").await.len(),
        sims_before,
        "no SIM transition"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_new_sim_is_bound_to_a_number_without_one() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let tnid = simless_number(&app, &line).await;
    let sims_before = events_of(&app, "sim.status_changed").await.len();

    // Without ICCID the subscription shows no SIM.
    let bare = simless_number(&app, &line).await;
    let created = subscribe(&app, line.with(json!({"TNID": bare}))).await.ok();
    assert_eq!(created["ICCID"], json!(null));

    let psim = iccid(1);
    let created = subscribe(&app, line.with(json!({"TNID": tnid, "ICCID": psim})))
        .await
        .ok();
    assert_eq!(created["ICCID"], psim.as_str());
    assert_eq!(number_by_id(&app, &tnid).await["Iccid"], psim.as_str());
    let updates = number_updates(&app, &tnid).await;
    assert_eq!(
        updates.last().expect("number.updated")["Changes"],
        json!({"AssignedSubscriberId": [null, line.subscriber], "Iccid": [null, psim]})
    );
    let sims: Vec<_> = events_of(&app, "sim.status_changed").await;
    assert_eq!(sims.len(), sims_before + 1, "{sims:?}");
    let (_, sim, data) = sims.last().expect("sim event");
    assert_eq!(sim, &psim);
    assert_eq!(data["From"], "Empty");
    assert_eq!(data["To"], "Active");

    let holder = subscriber(&app, &line.subscriber).await;
    let iccids: Vec<_> = holder["Subscriptions"]
        .as_array()
        .expect("Subscriptions")
        .iter()
        .map(|s| s["Iccid"].clone())
        .collect();
    assert!(iccids.contains(&json!(null)), "{holder}");
    assert!(iccids.contains(&json!(psim)), "{holder}");
    app.stop().await;
}

#[tokio::test]
async fn unusable_sims_are_refused() {
    let app = TestApp::start().await;
    let line = Line::new(&app).await;
    let tnid = simless_number(&app, &line).await;
    for bad in ["123", "8901240397190002081", "8801240397190195850", "89ABC"] {
        let resp = subscribe(&app, line.with(json!({"TNID": tnid, "ICCID": bad}))).await;
        resp.assert_problem(400, "Invalid ICCID");
        resp.assert_field_error("ICCID", "Invalid ICCID");
    }
    // The number already has its eSIM.
    let other = line.with(json!({"ICCID": iccid(7)}));
    subscribe(&app, other)
        .await
        .assert_problem(409, "Phone number already has a different SIM");
    // Another number's SIM.
    let taken = line.with(json!({"TNID": tnid, "ICCID": line.esim}));
    subscribe(&app, taken)
        .await
        .assert_problem(409, "ICCID already in use");
    let retired = iccid(8);
    retired_sim(&app, &retired).await;
    let request = line.with(json!({"TNID": tnid, "ICCID": retired}));
    subscribe(&app, request)
        .await
        .assert_problem(422, "SIM is retired");

    // Nothing was written by the refusals.
    assert_eq!(number_by_id(&app, &tnid).await["Iccid"], json!(null));
    assert!(events_of(&app, "subscription.created").await.is_empty());
    let listed = app.fetch("/v1.0/distributor/subscriptions").await.ok();
    assert_eq!(listed["TotalSubscriptions"], 0);
    app.stop().await;
}
