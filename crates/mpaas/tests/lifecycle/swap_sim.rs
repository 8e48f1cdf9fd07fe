//! `swap-sim`: a new eSIM or a given SIM replaces the number's SIM, which is retired.

use serde_json::json;

use crate::support::{
    another_line, change, details, events_of, fresh_iccid, line, order, sim_status, start, status,
    subscribe, subscription,
};

/// The path of a QR image URL (the base is the server's public URL).
fn qr_path(url: &str) -> String {
    let start = url.find("/esim/qr/").expect("a QR image URL");
    url[start..].to_string()
}

#[tokio::test]
async fn swap_sim_issues_a_new_esim_and_retires_the_old_one() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    let old = a.iccid.clone().expect("eSIM");
    let old_qr = a.qr_code.clone().expect("QR");
    let sub = subscribe(&app, &a).await;

    let body = json!({"StatusChange": "swap-sim", "PhoneNumbers": [a.number]});
    let swapped = status(&app, body).await.ok();
    assert_eq!(swapped["ChangeType"], "swap-sim");
    let item = &swapped["Numbers"][0];
    let new = item["ICCID"].as_str().expect("ICCID").to_string();
    let new_qr = item["QrCode"].as_str().expect("QrCode").to_string();
    assert_ne!(new, old);
    assert_ne!(new_qr, old_qr);
    assert_eq!(
        swapped["Numbers"],
        json!([{"Number": a.number, "ICCID": new, "QrCode": new_qr, "ChargeFee": 0}])
    );
    let number = details(&app, &a.number).await.ok();
    assert_eq!(number["Status"], "Active");
    assert_eq!(number["Iccid"], new.as_str());
    assert_eq!(number["QRCode"], new_qr.as_str());
    assert_eq!(sim_status(&app, &old).await, "Retired");
    assert_eq!(sim_status(&app, &new).await, "Active");
    assert_eq!(subscription(&app, &sub).await["ICCID"], new.as_str());
    let dead = app
        .request(reqwest::Method::GET, &qr_path(&old_qr), None, None)
        .await;
    assert_eq!(dead.status, 404, "the retired profile's QR is gone");
    let live = app
        .request(reqwest::Method::GET, &qr_path(&new_qr), None, None)
        .await;
    assert_eq!(live.status, 200);

    let sims = events_of(&app, "sim.status_changed").await;
    let retired = sims
        .iter()
        .rfind(|(id, _)| *id == old)
        .expect("old SIM event");
    assert_eq!(retired.1["From"], "Active");
    assert_eq!(retired.1["To"], "Retired");
    assert_eq!(retired.1["Reason"], "replaced");
    let issued = sims
        .iter()
        .find(|(id, _)| *id == new)
        .expect("new SIM event");
    assert_eq!(issued.1["To"], "Active");
    let updated: Vec<_> = events_of(&app, "number.updated")
        .await
        .into_iter()
        .filter(|(_, d)| d["OrderId"] == swapped["OrderId"])
        .collect();
    assert_eq!(updated.len(), 1);
    assert_eq!(updated[0].0, a.id);
    assert_eq!(updated[0].1["Changes"], json!({"Iccid": [old, new]}));
    let stored = order(&app, swapped["OrderId"].as_str().unwrap_or_default()).await;
    assert_eq!(stored["PhoneNumbersOrdered"][0]["ICCID"], new.as_str());
}

#[tokio::test]
async fn swap_sim_binds_a_given_sim() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    status(&app, change("park", &[&a.number], json!({})))
        .await
        .ok();
    let iccid = fresh_iccid(7);
    let body =
        json!({"StatusChange": "swap-sim", "PhoneNumbers": [{"Number": a.number, "iccid": iccid}]});
    let swapped = status(&app, body).await.ok();
    assert_eq!(
        swapped["Numbers"],
        json!([{"Number": a.number, "ICCID": iccid, "QrCode": null, "ChargeFee": 0}])
    );
    let number = details(&app, &a.number).await.ok();
    assert_eq!(number["Status"], "Parked");
    assert_eq!(number["Iccid"], iccid.as_str());
    assert_eq!(
        sim_status(&app, &iccid).await,
        "Suspended",
        "a parked line's SIM"
    );
    assert_eq!(
        sim_status(&app, a.iccid.as_deref().unwrap_or_default()).await,
        "Retired"
    );
}

#[tokio::test]
async fn swap_sim_refuses_sims_it_cannot_bind() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    let b = another_line(&app, &a.account, &a.route, json!({})).await;
    let with_sim = |iccid: &str| json!({"StatusChange": "swap-sim", "PhoneNumbers": [{"Number": a.number, "ICCID": iccid}]});
    let b_sim = b.iccid.clone().unwrap_or_default();
    let resp = status(&app, with_sim(&b_sim)).await;
    resp.assert_problem(409, "ICCID already in use");
    let own = a.iccid.clone().unwrap_or_default();
    status(&app, with_sim(&own))
        .await
        .assert_problem(409, "ICCID already in use");
    status(&app, with_sim("8901240397190002081"))
        .await
        .assert_field_error("PhoneNumbers[0].ICCID", "Invalid ICCID");
    let park = json!({"StatusChange": "park", "PhoneNumbers": [{"Number": a.number, "ICCID": fresh_iccid(8)}]});
    status(&app, park).await.assert_field_error(
        "PhoneNumbers[0].ICCID",
        "ICCID is only allowed for swap-sim",
    );

    // b's SIM is retired by its own swap: naming it again is refused.
    status(&app, change("swap-sim", &[&b.number], json!({})))
        .await
        .ok();
    status(&app, with_sim(&b_sim))
        .await
        .assert_problem(422, "SIM is retired");
    assert_eq!(
        details(&app, &a.number).await.ok()["Iccid"],
        own.as_str(),
        "unchanged"
    );
    assert_eq!(sim_status(&app, &own).await, "Active");
}
