//! `GET /v1.0/sims?ICCID=` (Extension) and tenant isolation of the SIM endpoints and the
//! number update.

use serde_json::json;

use crate::common::TestApp;
use crate::support::{
    assert_invalid, iccid, import, keys_of, not_in_inventory, set_status, sim, sim_not_found, text,
    update, Line, Other, CLEAR, IMPORT, IN_USE, SET_STATUS, SIM_KEYS, UPDATE,
};

#[tokio::test]
async fn details_of_esims_and_psims() {
    let app = TestApp::start().await;
    let line = Line::new(&app, "Acme Mobile").await;
    let provisioned = line.number(&app, json!({})).await;
    let esim = text(&provisioned, "ICCID");
    let details = sim(&app, &esim).await.ok();
    assert_eq!(keys_of(&details), SIM_KEYS, "{details}");
    let expected = json!({"ICCID": esim, "Type": "eSIM", "Status": "Active",
        "PhoneNumber": provisioned["PhoneNumberAssigned"], "PhoneNumberId": provisioned["PhoneNumberId"],
        "AccountId": line.account, "ActivationCode": provisioned["ActivationCode"],
        "QRCode": provisioned["QRCode"]});
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(&details[key], value, "{key} of {details}");
    }
    assert!(
        details["CreatedOn"].as_str().unwrap().ends_with("+00:00"),
        "{details}"
    );
    // Any case of the query key; a pSIM has no profile.
    let psim = text(
        &line.number(&app, json!({"ICCID": iccid(1)})).await,
        "ICCID",
    );
    let details = app.fetch(&format!("/v1.0/sims?iccid={psim}")).await.ok();
    assert_eq!(
        (
            &details["Type"],
            &details["ActivationCode"],
            &details["QRCode"]
        ),
        (&json!("pSIM"), &json!(null), &json!(null))
    );
    let resp = app.fetch("/v1.0/sims").await;
    assert_invalid(&resp, "ICCID", "ICCID is required");
    let unknown = iccid(2);
    sim(&app, &unknown)
        .await
        .assert_problem(404, &sim_not_found(&unknown));
    sim(&app, "not-an-iccid")
        .await
        .assert_problem(404, &sim_not_found("not-an-iccid"));
    app.stop().await;
}

#[tokio::test]
async fn another_distributor_cannot_reach_our_sims_or_numbers() {
    let app = TestApp::start().await;
    let line = Line::new(&app, "Acme Mobile").await;
    let provisioned = line.number(&app, json!({})).await;
    let (number, esim) = (
        text(&provisioned, "PhoneNumberAssigned"),
        text(&provisioned, "ICCID"),
    );
    let stock = iccid(1);
    import(&app, json!({"AccountId": line.account, "Sims": [stock]}))
        .await
        .ok();
    let theirs = Other::new(&app).await;
    let their_account = theirs.account(&app).await;
    for iccid in [&esim, &stock] {
        theirs
            .get(&app, &format!("/v1.0/sims?ICCID={iccid}"))
            .await
            .assert_problem(404, &sim_not_found(iccid));
        theirs
            .post(&app, CLEAR, json!({ "ICCID": iccid }))
            .await
            .assert_problem(404, &sim_not_found(iccid));
        theirs
            .post(
                &app,
                SET_STATUS,
                json!({"ICCID": iccid, "Status": "Retired"}),
            )
            .await
            .assert_problem(404, &sim_not_found(iccid));
    }
    theirs
        .post(&app, UPDATE, json!({"Number": number, "Cnam": "MINE"}))
        .await
        .assert_problem(404, &not_in_inventory(&number));
    // Our account is not theirs to stock; our ICCIDs are in use for them.
    let resp = theirs
        .post(
            &app,
            IMPORT,
            json!({"AccountId": line.account, "Sims": [iccid(2)]}),
        )
        .await;
    assert_invalid(&resp, "AccountId", "Invalid AccountId");
    let answer = theirs
        .post(
            &app,
            IMPORT,
            json!({"AccountId": their_account, "Sims": [stock, esim]}),
        )
        .await
        .ok();
    assert_eq!(
        (&answer["Imported"], &answer["Failed"]),
        (&json!(0), &json!(2))
    );
    assert!(answer["Results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["Message"] == IN_USE));
    // Nothing of ours changed.
    assert_eq!(sim(&app, &stock).await.ok()["Status"], "Empty");
    assert_eq!(sim(&app, &esim).await.ok()["Status"], "Active");
    set_status(&app, &stock, "Retired").await.ok();
    let mine = update(&app, json!({"Number": number})).await.ok();
    assert_eq!(mine["Cnam"], json!(null));
    app.stop().await;
}
