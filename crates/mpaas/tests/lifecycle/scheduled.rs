//! Changes on a future date: run at 00:00 of that date in New York and not before, one per
//! number, re-checked when they run, and cancellable until then.

use serde_json::{json, Value};

use crate::support::{
    another_line, cancel_order, change, details, fresh_iccid, line, order, sim_status, start,
    status, DAY, ORDER_CANCEL,
};

/// Seconds from the start (12:00 EDT on 03/10) to 00:00 EDT on 03/20 (04:00 UTC).
const TO_MARCH_20: i64 = 9 * DAY + 12 * 3600;

fn statuses(order: &Value, key: &str) -> Vec<String> {
    order[key]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|h| h["Status"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_scheduled_park_runs_at_midnight_in_new_york_and_not_before() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    let body = change("park", &[&a.number], json!({"EffectiveDate": "03/20/2026"}));
    let scheduled = status(&app, body).await.ok();
    assert_eq!(scheduled["OrderStatus"], "Scheduled");
    assert_eq!(scheduled["EffectiveDate"], "2026-03-20T00:00:00");
    assert_eq!(
        scheduled["NumbersChanged"],
        json!([{"Number": a.number, "ChangeFee": 0}])
    );
    let id = scheduled["OrderId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        statuses(&order(&app, &id).await, "PhoneNumbersOrdered"),
        ["Scheduled"]
    );

    app.advance(TO_MARCH_20 - 1).await;
    assert_eq!(details(&app, &a.number).await.ok()["Status"], "Active");
    assert_eq!(order(&app, &id).await["OrderStatus"], "Scheduled");
    app.advance(1).await;
    assert_eq!(details(&app, &a.number).await.ok()["Status"], "Parked");
    let done = order(&app, &id).await;
    assert_eq!(done["OrderStatus"], "Complete");
    assert_eq!(
        statuses(&done, "History"),
        ["Scheduled", "Processing", "Complete"]
    );
    assert_eq!(statuses(&done, "PhoneNumbersOrdered"), ["Complete"]);
    assert_eq!(done["History"][1]["At"], "2026-03-20T04:00:00.000000+00:00");
}

#[tokio::test]
async fn effective_dates_accept_three_forms_and_refuse_the_past() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    let b = another_line(&app, &a.account, &a.route, json!({})).await;
    let c = another_line(&app, &a.account, &a.route, json!({})).await;
    for (line, date) in [(&a, "3/21/2026"), (&b, "2026-03-22")] {
        let body = change("park", &[&line.number], json!({ "EffectiveDate": date }));
        assert_eq!(status(&app, body).await.ok()["OrderStatus"], "Scheduled");
    }
    let today = change("park", &[&c.number], json!({"EffectiveDate": "03/10/2026"}));
    assert_eq!(status(&app, today).await.ok()["OrderStatus"], "Complete");
    let past = change(
        "activate",
        &[&c.number],
        json!({"EffectiveDate": "03/09/2026"}),
    );
    status(&app, past)
        .await
        .assert_field_error("EffectiveDate", "EffectiveDate must not be in the past");
    for bad in ["2026/03/20", "02/30/2026", "tomorrow"] {
        let body = change("activate", &[&c.number], json!({ "EffectiveDate": bad }));
        status(&app, body)
            .await
            .assert_field_error("EffectiveDate", "EffectiveDate must be a valid date");
    }
}

#[tokio::test]
async fn one_scheduled_change_per_number_until_it_is_cancelled() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    let on_20th =
        |action: &str| change(action, &[&a.number], json!({"EffectiveDate": "2026-03-20"}));
    let first = status(&app, on_20th("park")).await.ok();
    let id = first["OrderId"].as_str().unwrap_or_default().to_string();
    let resp = status(&app, on_20th("cancel")).await;
    resp.assert_problem(
        409,
        &format!(
            "A status change is already scheduled for number '{}'",
            a.number
        ),
    );

    let cancelled = cancel_order(&app, &id.to_uppercase().replace("JNUOID", "jnuoid"))
        .await
        .ok();
    assert_eq!(
        cancelled,
        json!({"OrderId": id, "OrderStatus": "Cancelled"})
    );
    let stored = order(&app, &id).await;
    assert_eq!(stored["OrderStatus"], "Cancelled");
    assert_eq!(statuses(&stored, "PhoneNumbersOrdered"), ["Cancelled"]);
    cancel_order(&app, &id)
        .await
        .assert_problem(422, "Order cannot be cancelled in status Cancelled");

    let second = status(&app, on_20th("cancel")).await.ok();
    assert_eq!(
        second["NumbersChange"],
        json!([{"Number": a.number, "ChargeFee": 0}])
    );
    app.advance(TO_MARCH_20).await;
    let number = details(&app, &a.number).await.ok();
    assert_eq!(
        number["Status"], "Cancelled",
        "the cancelled park never ran"
    );
    assert_eq!(order(&app, &id).await["OrderStatus"], "Cancelled");
    let ran = second["OrderId"].as_str().unwrap_or_default();
    cancel_order(&app, ran)
        .await
        .assert_problem(422, "Order cannot be cancelled in status Complete");
}

#[tokio::test]
async fn order_cancel_errors_and_tenancy() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    let provision_order = details(&app, &a.number).await.ok()["OrderId"].clone();
    let provision_order = provision_order.as_str().unwrap_or_default();
    cancel_order(&app, provision_order)
        .await
        .assert_problem(422, "Order cannot be cancelled in status Complete");
    let unknown = format!("JNUOID-{}", uuid::Uuid::now_v7());
    cancel_order(&app, &unknown)
        .await
        .assert_problem(404, &format!("Order with ID '{unknown}' was not found."));
    cancel_order(&app, "garbage")
        .await
        .assert_problem(404, "Order with ID 'garbage' was not found.");
    app.call(ORDER_CANCEL, json!({}))
        .await
        .assert_field_error("OrderId", "OrderId is required");

    let body = change("park", &[&a.number], json!({"EffectiveDate": "03/20/2026"}));
    let id = status(&app, body).await.ok()["OrderId"].clone();
    let id = id.as_str().unwrap_or_default();
    let (key, secret) = app.new_distributor("Other MVNO").await;
    let token = app.token_for(&key, &secret, ORDER_CANCEL).await;
    let resp = app
        .post(ORDER_CANCEL, &token, json!({ "OrderId": id }))
        .await;
    resp.assert_problem(404, &format!("Order with ID '{id}' was not found."));
    assert_eq!(order(&app, id).await["OrderStatus"], "Scheduled");
}

#[tokio::test]
async fn a_scheduled_order_checks_each_number_again_when_it_runs() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    let b = another_line(&app, &a.account, &a.route, json!({})).await;
    let c = another_line(&app, &a.account, &a.route, json!({})).await;
    let on_20th = json!({"EffectiveDate": "03/20/2026"});
    let both = status(
        &app,
        change("park", &[&a.number, &b.number], on_20th.clone()),
    )
    .await
    .ok();
    let lone = status(&app, change("swap", &[&c.number], on_20th))
        .await
        .ok();
    assert_eq!(
        lone["NumbersChange"],
        json!([{"OriginalNumber": c.number, "NewNumber": null, "ChargeFee": 0}])
    );
    // Cancelled in the meantime: neither b nor c can be parked or swapped any more.
    status(&app, change("cancel", &[&b.number, &c.number], json!({})))
        .await
        .ok();
    app.advance(TO_MARCH_20).await;

    let done = order(&app, both["OrderId"].as_str().unwrap_or_default()).await;
    assert_eq!(done["OrderStatus"], "Complete", "one number succeeded");
    assert_eq!(done["OrderStatusMessage"], "");
    assert_eq!(
        statuses(&done, "PhoneNumbersOrdered"),
        ["Complete", "Error"]
    );
    assert_eq!(
        done["PhoneNumbersOrdered"][1]["Message"],
        format!("Cannot park number '{}' in status Cancelled", b.number)
    );
    assert_eq!(details(&app, &a.number).await.ok()["Status"], "Parked");

    let failed = order(&app, lone["OrderId"].as_str().unwrap_or_default()).await;
    assert_eq!(failed["OrderStatus"], "Error");
    let message = format!("Cannot swap number '{}' in status Cancelled", c.number);
    assert_eq!(failed["OrderStatusMessage"], message.as_str());
    assert_eq!(failed["PhoneNumbersOrdered"][0]["NewNumber"], json!(null));
}

#[tokio::test]
async fn a_scheduled_swap_allocates_the_new_number_when_it_runs() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    let body = change("swap", &[&a.number], json!({"EffectiveDate": "03/20/2026"}));
    let id = status(&app, body).await.ok()["OrderId"].clone();
    let id = id.as_str().unwrap_or_default();
    app.advance(TO_MARCH_20).await;
    let done = order(&app, id).await;
    assert_eq!(done["OrderStatus"], "Complete");
    let new = done["PhoneNumbersOrdered"][0]["NewNumber"]
        .as_str()
        .expect("NewNumber");
    let new = details(&app, new).await.ok();
    assert_eq!(new["Status"], "Active");
    assert_eq!(
        new["Iccid"],
        a.iccid.as_deref().map_or(json!(null), |i| json!(i))
    );
    assert_eq!(details(&app, &a.number).await.ok()["Status"], "Cancelled");
}

#[tokio::test]
async fn a_scheduled_swap_sim_checks_the_sim_now_and_binds_it_when_it_runs() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    let b = another_line(&app, &a.account, &a.route, json!({})).await;
    let on_20th = |iccid: &str| {
        json!({"StatusChange": "swap-sim", "EffectiveDate": "03/20/2026",
            "PhoneNumbers": [{"Number": a.number, "ICCID": iccid}]})
    };
    let taken = b.iccid.clone().unwrap_or_default();
    status(&app, on_20th(&taken))
        .await
        .assert_problem(409, "ICCID already in use");

    let iccid = fresh_iccid(42);
    let scheduled = status(&app, on_20th(&iccid)).await.ok();
    assert_eq!(
        scheduled["Numbers"],
        json!([{"Number": a.number, "ICCID": iccid, "QrCode": null, "ChargeFee": 0}])
    );
    assert_eq!(
        details(&app, &a.number).await.ok()["Iccid"],
        a.iccid.as_deref().map_or(json!(null), |i| json!(i))
    );
    app.advance(TO_MARCH_20).await;
    let done = order(&app, scheduled["OrderId"].as_str().unwrap_or_default()).await;
    assert_eq!(done["OrderStatus"], "Complete");
    assert_eq!(done["PhoneNumbersOrdered"][0]["ICCID"], iccid.as_str());
    assert_eq!(details(&app, &a.number).await.ok()["Iccid"], iccid.as_str());
    assert_eq!(sim_status(&app, &iccid).await, "Active");
}
