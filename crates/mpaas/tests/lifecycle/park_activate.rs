//! `park` and `activate`: answer shapes, the SIM following the number, events, orders, fees and
//! the lifecycle's refusals.

use serde_json::json;

use crate::support::{
    change, details, events_of, line, order, sim_status, start, start_with, status, TODAY,
};

#[tokio::test]
async fn park_suspends_the_line_and_activate_resumes_it() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    let iccid = a.iccid.clone().expect("an eSIM was issued");

    let parked = status(&app, change("park", &[&a.number], json!({})))
        .await
        .ok();
    let order_id = parked["OrderId"].as_str().expect("OrderId").to_string();
    assert!(order_id.starts_with("JNUOID-"));
    assert_eq!(parked["OrderDate"], "2026-03-10T16:00:00.000000+00:00");
    assert_eq!(parked["OrderStatus"], "Complete");
    assert_eq!(parked["ChangeType"], "park");
    assert_eq!(parked["EffectiveDate"], TODAY);
    assert_eq!(
        parked["NumbersChanged"],
        json!([{"Number": a.number, "ChangeFee": 0}])
    );
    assert!(parked.get("Numbers").is_none() && parked.get("NumbersChange").is_none());
    assert_eq!(details(&app, &a.number).await.ok()["Status"], "Parked");
    assert_eq!(sim_status(&app, &iccid).await, "Suspended");

    let stored = order(&app, &order_id).await;
    assert_eq!(stored["OrderType"], "StatusChange");
    assert_eq!(stored["OrderStatus"], "Complete");
    assert_eq!(stored["ChangeType"], "park");
    assert_eq!(stored["EffectiveDate"], TODAY);
    assert_eq!(
        stored["PhoneNumbersOrdered"][0]["Number"],
        a.number.as_str()
    );
    assert_eq!(stored["PhoneNumbersOrdered"][0]["Status"], "Complete");
    let history: Vec<_> = stored["History"]
        .as_array()
        .expect("History")
        .iter()
        .map(|h| h["Status"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(history, ["Submitted", "Processing", "Complete"]);

    let activated = status(&app, change("ACTIVATE", &[&a.number], json!({})))
        .await
        .ok();
    assert_eq!(activated["ChangeType"], "activate");
    assert_eq!(
        activated["Numbers"],
        json!([{"Number": a.number, "QrCode": a.qr_code, "ChargeFee": 0}])
    );
    assert_eq!(details(&app, &a.number).await.ok()["Status"], "Active");
    assert_eq!(sim_status(&app, &iccid).await, "Active");

    let changes = events_of(&app, "number.status_changed").await;
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].0, a.id);
    assert_eq!(
        changes[0].1,
        json!({"Number": a.number, "From": "Active", "To": "Parked", "ChangeType": "park", "OrderId": order_id})
    );
    assert_eq!(changes[1].1["From"], "Parked");
    assert_eq!(changes[1].1["To"], "Active");
    let sims: Vec<_> = events_of(&app, "sim.status_changed")
        .await
        .into_iter()
        .filter(|(resource, _)| *resource == iccid)
        .map(|(_, d)| (d["From"].clone(), d["To"].clone(), d["PhoneNumber"].clone()))
        .collect();
    assert!(sims.contains(&(json!("Active"), json!("Suspended"), json!(a.number))));
    assert!(sims.contains(&(json!("Suspended"), json!("Active"), json!(a.number))));
    let orders = events_of(&app, "order.status_changed").await;
    let of_park: Vec<_> = orders.iter().filter(|(id, _)| *id == order_id).collect();
    assert_eq!(of_park.len(), 3, "Submitted, Processing, Complete");
    assert_eq!(of_park[2].1["OrderType"], "StatusChange");
    assert_eq!(of_park[2].1["To"], "Complete");
}

#[tokio::test]
async fn the_lifecycle_refuses_what_its_table_does_not_allow() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    let n = a.number.as_str();
    let resp = status(&app, change("activate", &[n], json!({}))).await;
    resp.assert_problem(
        422,
        &format!("Cannot activate number '{n}' in status Active"),
    );
    status(&app, change("park", &[n], json!({}))).await.ok();
    let resp = status(&app, change("park", &[n], json!({}))).await;
    resp.assert_problem(422, &format!("Cannot park number '{n}' in status Parked"));
    status(&app, change("cancel", &[n], json!({}))).await.ok();
    for (action, extra) in [
        ("park", ""),
        ("cancel", ""),
        ("swap", ""),
        ("replace", ""),
        ("swap-sim", ""),
        ("activate", "; use /v1.0/numbers/reactivate"),
    ] {
        let resp = status(&app, change(action, &[n], json!({}))).await;
        resp.assert_problem(
            422,
            &format!("Cannot {action} number '{n}' in status Cancelled{extra}"),
        );
    }
    assert_eq!(details(&app, n).await.ok()["Status"], "Cancelled");
}

#[tokio::test]
async fn fees_come_from_the_configuration() {
    let app = start_with(|c| c.numbers.status_change_fees = "cancel=2.25,park=1.00".into()).await;
    let a = line(&app, json!({})).await;
    let b = line(&app, json!({})).await;
    let n = a.number.as_str();

    let parked = status(&app, change("park", &[n], json!({}))).await.ok();
    assert_eq!(
        parked["NumbersChanged"],
        json!([{"Number": n, "ChangeFee": 1}])
    );
    let activated = status(&app, change("activate", &[n], json!({}))).await.ok();
    assert_eq!(activated["Numbers"][0]["ChargeFee"], 0, "no fee configured");
    let cancelled = status(&app, change("cancel", &[n], json!({}))).await.ok();
    assert_eq!(
        cancelled["NumbersChange"],
        json!([{"Number": n, "ChargeFee": 2.25}])
    );

    let scheduled = change("park", &[&b.number], json!({"EffectiveDate": "03/20/2026"}));
    let scheduled = status(&app, scheduled).await.ok();
    assert_eq!(scheduled["OrderStatus"], "Scheduled");
    assert_eq!(scheduled["EffectiveDate"], "2026-03-20T00:00:00");
    assert_eq!(
        scheduled["NumbersChanged"],
        json!([{"Number": b.number, "ChangeFee": 1}])
    );
}
