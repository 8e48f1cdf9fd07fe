//! `swap` and `replace`: a new number takes over the line, its SIM and its subscription.

use serde_json::json;

use crate::support::{
    another_line, change, details, events_of, line, order, pool, sim_status, start, start_with,
    status, subscribe, subscription, Line,
};

#[tokio::test]
async fn swap_moves_the_line_to_a_new_number_of_the_same_area() {
    let app = start().await;
    let account = app.new_account("Doe Family").await;
    let voice = app.new_voice_route(&account).await;
    let route = app.new_message_route(&account).await;
    let extra = json!({"ProductType": "Sms+Data+Voice", "VoiceRouteId": voice, "AreaCode": "201"});
    let answer = app.provision(&account, &route, extra).await.ok();
    let a = Line::of(&account, &route, &answer);
    let sub = subscribe(&app, &a).await;
    let before = details(&app, &a.number).await.ok();

    let body = json!({"StatusChange": "swap", "EffectiveDate": "03/10/2026", "AreaCode": "201",
        "PhoneNumbers": [{"Number": a.number}]});
    let swapped = status(&app, body).await.ok();
    assert_eq!(swapped["OrderStatus"], "Complete");
    assert_eq!(swapped["ChangeType"], "swap");
    assert_eq!(swapped["EffectiveDate"], "2026-03-10T00:00:00");
    let new_number = swapped["NumbersChange"][0]["NewNumber"]
        .as_str()
        .expect("NewNumber")
        .to_string();
    assert_eq!(
        swapped["NumbersChange"],
        json!([{"OriginalNumber": a.number, "NewNumber": new_number, "ChargeFee": 0}])
    );
    assert!(new_number.starts_with("+1201") && new_number != a.number);

    let new = details(&app, &new_number).await.ok();
    assert_ne!(new["TNID"], before["TNID"]);
    assert_eq!(new["OrderId"], swapped["OrderId"]);
    for key in [
        "Status",
        "AssignedSubscriberId",
        "MessageRouteId",
        "VoiceRouteId",
        "ProductType",
        "MessageType",
        "Classification",
        "Cnam",
        "Iccid",
        "AccountId",
        "VoiceEnabled",
        "DataEnabled",
        "MessageEnabled",
        "QRCode",
    ] {
        assert_eq!(new[key], before[key], "{key} is inherited");
    }
    assert_eq!(new["OriginalDatePurchased"], "03/10/2026");
    let old = details(&app, &a.number).await.ok();
    assert_eq!(old["Status"], "Cancelled");
    assert_eq!(old["Iccid"], json!(null));
    assert!(old["ReactivatableUntil"].is_string());
    assert_eq!(
        sim_status(&app, a.iccid.as_deref().unwrap_or_default()).await,
        "Active"
    );

    let moved = subscription(&app, &sub).await;
    assert_eq!(moved["Active"], true);
    assert_eq!(moved["TNID"], new["TNID"]);
    assert_eq!(moved["PhoneNumber"], new_number.as_str());
    assert!(events_of(&app, "subscription.cancelled").await.is_empty());

    let change_events = events_of(&app, "number.status_changed").await;
    assert_eq!(change_events.len(), 1);
    assert_eq!(change_events[0].0, a.id);
    assert_eq!(change_events[0].1["ChangeType"], "swap");
    let provisioned = events_of(&app, "number.provisioned").await;
    let last = provisioned.last().expect("number.provisioned");
    assert_eq!(last.0, new["TNID"].as_str().unwrap_or_default());
    assert_eq!(last.1["OrderId"], swapped["OrderId"]);
    let stored = order(&app, swapped["OrderId"].as_str().unwrap_or_default()).await;
    assert_eq!(
        stored["PhoneNumbersOrdered"][0]["NewNumber"],
        new_number.as_str()
    );
}

#[tokio::test]
async fn swap_prefers_the_zip_code_when_it_is_a_pool_of_the_area() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    let b = another_line(&app, &a.account, &a.route, json!({})).await;
    let c = another_line(&app, &a.account, &a.route, json!({})).await;
    let available = |zip: &'static str| {
        let app = &app;
        async move {
            pool(app, "201", zip).await["Available"]
                .as_i64()
                .unwrap_or_default()
        }
    };
    let (first, preferred_pool) = (available("07024").await, available("07410").await);

    let preferred = change("swap", &[&a.number], json!({"ZipCode": "07410"}));
    let swapped = status(&app, preferred).await.ok();
    let new = swapped["NumbersChange"][0]["NewNumber"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(new.starts_with("+1201"), "{new}");
    assert_eq!(available("07410").await, preferred_pool - 1);
    assert_eq!(
        available("07024").await,
        first,
        "the old number stays taken while cancelled"
    );

    let elsewhere = change("swap", &[&b.number], json!({"ZipCode": "10001"}));
    status(&app, elsewhere).await.ok();
    assert_eq!(
        available("07024").await,
        first - 1,
        "a ZIP of another area is ignored"
    );
    assert_eq!(available("07410").await, preferred_pool - 1);

    let mismatch = change("swap", &[&c.number], json!({"AreaCode": "202"}));
    let resp = status(&app, mismatch).await;
    resp.assert_field_error(
        "AreaCode",
        &format!(
            "AreaCode must match the area code of '{}' for swap",
            c.number
        ),
    );
    assert_eq!(details(&app, &c.number).await.ok()["Status"], "Active");
}

#[tokio::test]
async fn replace_searches_like_availability_and_keeps_a_parked_line_parked() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    let iccid = a.iccid.clone().unwrap_or_default();
    status(&app, change("park", &[&a.number], json!({})))
        .await
        .ok();
    let body = change("replace", &[&a.number], json!({"AreaCode": "212"}));
    let replaced = status(&app, body).await.ok();
    assert_eq!(replaced["ChangeType"], "replace");
    let new = replaced["NumbersChange"][0]["NewNumber"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(new.starts_with("+1212"), "{new}");
    let new = details(&app, &new).await.ok();
    assert_eq!(new["Status"], "Parked");
    assert_eq!(new["Iccid"], iccid.as_str());
    assert_eq!(
        sim_status(&app, &iccid).await,
        "Suspended",
        "the SIM status is unchanged"
    );

    let b = another_line(&app, &a.account, &a.route, json!({})).await;
    let by_zip = change("replace", &[&b.number], json!({"ZipCode": "20001"}));
    let replaced = status(&app, by_zip).await.ok();
    let new = replaced["NumbersChange"][0]["NewNumber"]
        .as_str()
        .unwrap_or_default();
    assert!(new.starts_with("+1202"), "{new}");
}

#[tokio::test]
async fn a_swap_without_numbers_left_in_the_area_changes_nothing() {
    let app = start_with(|c| c.numbers.sandbox_numbers_per_zip = 1).await;
    let account = app.new_account("Doe Family").await;
    let route = app.new_message_route(&account).await;
    let answer = app
        .provision(&account, &route, json!({"AreaCode": "202"}))
        .await
        .ok();
    let number = answer["PhoneNumberAssigned"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let resp = status(&app, change("swap", &[&number], json!({}))).await;
    resp.assert_problem(409, "No numbers available in the requested area");
    let kept = details(&app, &number).await.ok();
    assert_eq!(kept["Status"], "Active");
    assert_eq!(kept["Iccid"], answer["ICCID"]);
    assert!(events_of(&app, "number.status_changed").await.is_empty());
}
