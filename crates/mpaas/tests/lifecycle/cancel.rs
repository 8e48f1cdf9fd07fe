//! `cancel`, reactivation within 30 days and the release of cancelled numbers after aging.

use serde_json::json;

use crate::support::{
    another_line, change, details, events_of, fresh_iccid, line, not_in_inventory, pool,
    reactivate, sim_status, start, start_with, status, subscribe, subscription, DAY, TODAY,
};

#[tokio::test]
async fn cancel_keeps_the_sim_and_ends_the_subscription() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    let iccid = a.iccid.clone().expect("eSIM");
    let sub = subscribe(&app, &a).await;

    let cancelled = status(&app, change("Cancel", &[&a.number], json!({})))
        .await
        .ok();
    assert_eq!(cancelled["OrderStatus"], "Complete");
    assert_eq!(cancelled["ChangeType"], "cancel");
    assert_eq!(cancelled["EffectiveDate"], TODAY);
    assert_eq!(
        cancelled["NumbersChange"],
        json!([{"Number": a.number, "ChargeFee": 0}])
    );
    let number = details(&app, &a.number).await.ok();
    assert_eq!(number["Status"], "Cancelled");
    assert_eq!(number["Iccid"], iccid.as_str(), "the SIM stays bound");
    assert_eq!(
        number["ReactivatableUntil"],
        "2026-04-09T16:00:00.000000+00:00"
    );
    assert_eq!(sim_status(&app, &iccid).await, "Assigned");

    let ended = subscription(&app, &sub).await;
    assert_eq!(ended["Active"], false);
    assert_eq!(ended["EndReason"], "NumberCancelled");
    assert_eq!(ended["EndedOn"], "2026-03-10T16:00:00.000000+00:00");
    let events = events_of(&app, "subscription.cancelled").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, sub);
    assert_eq!(events[0].1["EndReason"], "NumberCancelled");
    let changes = events_of(&app, "number.status_changed").await;
    assert_eq!(changes[0].1["From"], "Active");
    assert_eq!(changes[0].1["To"], "Cancelled");
    assert_eq!(changes[0].1["ChangeType"], "cancel");

    let inactive = app
        .fetch(&format!(
            "/v1.0/numbers/inventory?Filter=Inactive&AccountId={}",
            a.account
        ))
        .await
        .ok();
    assert_eq!(inactive["PhoneNumbers"][0]["Number"], a.number.as_str());
}

#[tokio::test]
async fn reactivation_works_on_day_29_and_not_on_day_31() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    let b = another_line(&app, &a.account, &a.route, json!({})).await;
    let sub = subscribe(&app, &a).await;
    let both = change("cancel", &[&a.number, &b.number], json!({}));
    status(&app, both).await.ok();

    app.advance(29 * DAY).await;
    let restored = reactivate(&app, json!({"PhoneNumbers": [{"Number": a.number}]}))
        .await
        .ok();
    assert_eq!(restored["OrderStatus"], "Complete");
    assert_eq!(restored["ChangeType"], "reactivate");
    assert_eq!(restored["EffectiveDate"], "2026-04-08T00:00:00");
    assert_eq!(
        restored["Numbers"],
        json!([{"Number": a.number, "ICCID": a.iccid, "QrCode": a.qr_code, "ChargeFee": 0}])
    );
    let number = details(&app, &a.number).await.ok();
    assert_eq!(number["Status"], "Active");
    assert_eq!(number["ReactivatableUntil"], json!(null));
    assert_eq!(
        sim_status(&app, a.iccid.as_deref().unwrap_or_default()).await,
        "Active"
    );
    assert_eq!(
        subscription(&app, &sub).await["Active"],
        false,
        "not revived"
    );
    let order = crate::support::order(&app, restored["OrderId"].as_str().unwrap_or_default()).await;
    assert_eq!(order["OrderType"], "StatusChange");
    assert_eq!(order["ChangeType"], "reactivate");

    let resp = reactivate(&app, json!({"Number": a.number})).await;
    resp.assert_problem(422, &format!("Number '{}' is not cancelled", a.number));

    app.advance(2 * DAY).await;
    let resp = app
        .call("/v1.0/numbers/reactivation", json!({"Number": b.number}))
        .await;
    resp.assert_problem(
        422,
        &format!(
            "Number '{}' cannot be reactivated more than 30 days after cancellation",
            b.number
        ),
    );
    assert_eq!(details(&app, &b.number).await.ok()["Status"], "Cancelled");
}

#[tokio::test]
async fn reactivation_requests_are_validated_and_isolated() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    status(&app, change("cancel", &[&a.number], json!({})))
        .await
        .ok();
    let count = "PhoneNumbers must contain 1 to 100 numbers";
    reactivate(&app, json!({}))
        .await
        .assert_field_error("PhoneNumbers", count);
    reactivate(&app, json!({"PhoneNumbers": []}))
        .await
        .assert_field_error("PhoneNumbers", count);
    reactivate(&app, json!({"Number": "12"}))
        .await
        .assert_field_error("Number", "Number must be a valid phone number");
    let unknown = "+12015550123";
    reactivate(&app, json!({"PhoneNumbers": [unknown]}))
        .await
        .assert_problem(404, &not_in_inventory(unknown));
    let both = json!({"PhoneNumbers": [{"Number": a.number}, {"Number": unknown}]});
    reactivate(&app, both)
        .await
        .assert_problem(404, &not_in_inventory(unknown));
    assert_eq!(
        details(&app, &a.number).await.ok()["Status"],
        "Cancelled",
        "all or nothing"
    );

    let (key, secret) = app.new_distributor("Other MVNO").await;
    let token = app
        .token_for(&key, &secret, "/v1.0/numbers/reactivate")
        .await;
    let resp = app
        .post(
            "/v1.0/numbers/reactivate",
            &token,
            json!({"Number": a.number}),
        )
        .await;
    resp.assert_problem(404, &not_in_inventory(&a.number));
}

#[tokio::test]
async fn cancelled_numbers_return_to_their_pool_after_aging() {
    let app = start().await;
    let account = app.new_account("Doe Family").await;
    let route = app.new_message_route(&account).await;
    let owner = app.new_subscriber(&account, "owner@example.com").await;
    let assigned = json!({"AssignedSubscriberId": owner["SubscriberId"]});
    let esim = another_line(&app, &account, &route, assigned).await;
    let iccid = fresh_iccid(1);
    let psim = another_line(&app, &esim.account, &esim.route, json!({"ICCID": iccid})).await;
    let zip = esim.zip.clone();
    assert_eq!(psim.zip, zip);
    let before = pool(&app, "201", &zip).await["Available"]
        .as_i64()
        .unwrap_or_default();
    let both = change("cancel", &[&esim.number, &psim.number], json!({}));
    status(&app, both).await.ok();

    // Released 60 aging days after the 30-day window: 90 days after the cancellation.
    app.advance(90 * DAY - 1).await;
    assert_eq!(
        details(&app, &esim.number).await.ok()["Status"],
        "Cancelled"
    );
    app.advance(1).await;
    for n in [&esim.number, &psim.number] {
        details(&app, n)
            .await
            .assert_problem(404, &not_in_inventory(n));
    }
    assert_eq!(
        sim_status(&app, esim.iccid.as_deref().unwrap_or_default()).await,
        "Retired"
    );
    assert_eq!(sim_status(&app, &iccid).await, "Empty");
    let released: Vec<_> = events_of(&app, "number.status_changed")
        .await
        .into_iter()
        .filter(|(_, d)| d["To"] == "Released")
        .collect();
    assert_eq!(released.len(), 2);
    assert_eq!(released[0].0, esim.id);
    assert_eq!(
        released[0].1,
        json!({"Number": esim.number, "From": "Cancelled", "To": "Released", "ChangeType": "release", "OrderId": null})
    );

    let after = pool(&app, "201", &zip).await["Available"]
        .as_i64()
        .unwrap_or_default();
    assert_eq!(after, before + 2);
    let search = json!({"NumberType": "mobile", "AreaCode": "201", "TotalNumbersRequested": 2});
    let available = app.call("/v1.0/numbers/availability", search).await.ok();
    assert_eq!(
        available["NumbersAvailable"],
        json!([{"Number": esim.number}, {"Number": psim.number}]),
        "the released lines come first again"
    );
    // The released row keeps no assignment, so its former subscriber can still move.
    let other = app.new_account("Roe Family").await;
    let transfer = json!({"SubscriberId": owner["SubscriberId"], "FromAccountId": account, "ToAccountId": other});
    app.call("/v1.0/subscribers/transfer", transfer).await.ok();
    // The pSIM is stock again and can be bound to a new number.
    let again = app
        .provision(&esim.account, &esim.route, json!({"ICCID": iccid}))
        .await
        .ok();
    assert_eq!(again["PhoneNumberAssigned"], esim.number.as_str());
    assert_eq!(again["ICCID"], iccid.as_str());
}

#[tokio::test]
async fn a_reactivated_number_is_not_released() {
    let app = start_with(|c| c.numbers.number_aging_days = 1).await;
    let a = line(&app, json!({})).await;
    status(&app, change("cancel", &[&a.number], json!({})))
        .await
        .ok();
    app.advance(DAY).await;
    reactivate(&app, json!({"Number": a.number})).await.ok();
    app.advance(40 * DAY).await;
    let number = details(&app, &a.number).await.ok();
    assert_eq!(number["Status"], "Active");
    assert!(events_of(&app, "number.status_changed")
        .await
        .iter()
        .all(|(_, d)| d["To"] != "Released"));

    // A new cancellation gets its own release: 30 + 1 days later.
    status(&app, change("cancel", &[&a.number], json!({})))
        .await
        .ok();
    app.advance(31 * DAY).await;
    details(&app, &a.number)
        .await
        .assert_problem(404, &not_in_inventory(&a.number));
}
