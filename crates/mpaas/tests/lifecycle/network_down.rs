//! Number swapping down on the network (05 §2.7 503): `swap` and `replace` are refused and
//! change nothing, other actions go on, a scheduled swap fails its item when it runs, and the
//! sandbox switch (`/sandbox/v1/network/services`) that takes the service down and back.

use serde_json::{json, Value};

use crate::common::{TestApp, ADMIN_TOKEN};
use crate::support::{
    change, details, events_of, line, not_in_inventory, order, start, status, DAY,
};

const SERVICES: &str = "/sandbox/v1/network/services";
const SWITCH: &str = "/sandbox/v1/network/services/status";
const DOWN: &str = "Number-swap is currently unavailable";

/// Sets the number-swap switch with the admin token; returns the answer.
async fn number_swap(app: &TestApp, up: bool) -> Value {
    app.admin_post(SWITCH, json!({"Service": "NumberSwap", "Up": up}))
        .await
        .ok()
}

#[tokio::test]
async fn swap_and_replace_are_refused_while_number_swap_is_down() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    let switched = number_swap(&app, false).await;
    assert_eq!(switched["Service"], "NumberSwap");
    assert_eq!(switched["Up"], false);
    assert_eq!(switched["ChangedOn"], "2026-03-10T16:00:00.000000+00:00");

    for action in ["swap", "replace"] {
        let resp = status(&app, change(action, &[&a.number], json!({}))).await;
        resp.assert_problem(503, DOWN);
    }
    // The number's own checks come first.
    let unknown = "+12015550100";
    status(&app, change("swap", &[unknown], json!({})))
        .await
        .assert_problem(404, &not_in_inventory(unknown));
    let kept = details(&app, &a.number).await.ok();
    assert_eq!(kept["Status"], "Active");
    assert!(events_of(&app, "order.status_changed")
        .await
        .iter()
        .all(|(_, data)| data["ChangeType"] != "swap" && data["ChangeType"] != "replace"));
    assert!(events_of(&app, "number.status_changed").await.is_empty());

    // Actions that keep the number are not affected.
    let parked = status(&app, change("park", &[&a.number], json!({}))).await;
    assert_eq!(parked.ok()["OrderStatus"], "Complete");
    status(&app, change("activate", &[&a.number], json!({})))
        .await
        .ok();

    number_swap(&app, true).await;
    let swapped = status(&app, change("swap", &[&a.number], json!({}))).await;
    assert_eq!(swapped.ok()["OrderStatus"], "Complete");
    assert_eq!(details(&app, &a.number).await.ok()["Status"], "Cancelled");
}

#[tokio::test]
async fn a_scheduled_swap_fails_its_item_when_number_swap_is_down_as_it_runs() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    number_swap(&app, false).await;
    // Scheduling is accepted: the service may be back by the effective date.
    let body = change("swap", &[&a.number], json!({"EffectiveDate": "03/12/2026"}));
    let scheduled = status(&app, body).await.ok();
    assert_eq!(scheduled["OrderStatus"], "Scheduled");
    app.advance(2 * DAY).await;

    let id = scheduled["OrderId"].as_str().unwrap_or_default();
    let failed = order(&app, id).await;
    assert_eq!(failed["OrderStatus"], "Error");
    assert_eq!(failed["OrderStatusMessage"], DOWN);
    assert_eq!(failed["PhoneNumbersOrdered"][0]["Status"], "Error");
    assert_eq!(failed["PhoneNumbersOrdered"][0]["Message"], DOWN);
    assert_eq!(failed["PhoneNumbersOrdered"][0]["NewNumber"], json!(null));
    assert_eq!(details(&app, &a.number).await.ok()["Status"], "Active");
}

#[tokio::test]
async fn the_switch_is_global_validated_and_kept_until_changed() {
    let app = start().await;
    let initial = app.get(SERVICES, ADMIN_TOKEN).await.ok();
    assert_eq!(
        initial,
        json!({"Services": [{"Service": "NumberSwap", "Up": true, "ChangedOn": null}]})
    );

    // A distributor token may use the sandbox like the clock; the switch applies to everyone.
    let down = app
        .call(SWITCH, json!({"service": "numberswap", "up": false}))
        .await
        .ok();
    assert_eq!(down["Service"], "NumberSwap");
    let listed = app.fetch(SERVICES).await.ok();
    assert_eq!(listed["Services"][0]["Up"], false);
    assert_eq!(listed["Services"][0]["ChangedOn"], down["ChangedOn"]);
    let seen_by_admin = app.get(SERVICES, ADMIN_TOKEN).await.ok();
    assert_eq!(seen_by_admin, listed);

    let bad = [
        (json!({"Up": true}), "Service", "Service is required"),
        (
            json!({"Service": "SimSwap", "Up": true}),
            "Service",
            "Service must be one of: NumberSwap",
        ),
        (json!({"Service": "NumberSwap"}), "Up", "Up is required"),
        (
            json!({"Service": "NumberSwap", "Up": null}),
            "Up",
            "Up is required",
        ),
        (
            json!({"Service": "NumberSwap", "Up": "no"}),
            "Up",
            "Up must be a boolean",
        ),
    ];
    for (body, field, message) in bad {
        app.admin_post(SWITCH, body)
            .await
            .assert_field_error(field, message);
    }
    let unchanged = app.get(SERVICES, ADMIN_TOKEN).await.ok();
    assert_eq!(unchanged, listed, "refused requests change nothing");
}

#[tokio::test]
async fn a_switch_left_behind_does_not_count_once_the_sandbox_is_off() {
    let app = crate::support::start_with(|c| c.sandbox = false).await;
    let a = line(&app, json!({})).await;
    let mut tx = app.server().services.store().begin().await.expect("begin");
    let down = mpaas_store::network_services::ServiceSwitchRow {
        service: "NumberSwap".into(),
        up: false,
        changed_on: 0,
    };
    mpaas_store::network_services::set(&mut tx, &down)
        .await
        .expect("switch row");
    tx.commit().await.expect("commit");

    app.get(SERVICES, ADMIN_TOKEN)
        .await
        .assert_problem(404, "The requested resource was not found.");
    let swapped = status(&app, change("swap", &[&a.number], json!({}))).await;
    assert_eq!(swapped.ok()["OrderStatus"], "Complete");
}
