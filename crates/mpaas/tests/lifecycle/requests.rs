//! Request rules of `POST /v1.0/numbers/status`: field errors, the `ChangeType` alias, plain
//! strings, all-or-nothing checks, unknown numbers, tenant isolation and the port-out guard.

use mpaas_store::orders::{OrderItemRow, OrderRow};
use serde_json::json;

use crate::common::{TestApp, KEY};
use crate::support::{
    another_line, change, details, events_of, line, not_in_inventory, start, status, STATUS,
};

const ACTIONS: &str =
    "Invalid status change type. Must be one of: activate, cancel, park, swap, swap-sim, replace.";
const COUNT: &str = "PhoneNumbers must contain 1 to 100 numbers";

#[tokio::test]
async fn bodies_are_checked_field_by_field() {
    let app = start().await;
    let resp = status(&app, json!({})).await;
    resp.assert_field_error("StatusChange", ACTIONS);
    resp.assert_field_error("PhoneNumbers", COUNT);
    let a = line(&app, json!({})).await;
    let n = a.number.as_str();
    for bad in [json!("reactivate"), json!(""), json!(3), json!(null)] {
        let body = json!({"StatusChange": bad, "PhoneNumbers": [n]});
        status(&app, body)
            .await
            .assert_field_error("StatusChange", ACTIONS);
    }
    for list in [json!([]), json!("+12013780002"), json!(vec![n; 101])] {
        let body = json!({"StatusChange": "park", "PhoneNumbers": list});
        status(&app, body)
            .await
            .assert_field_error("PhoneNumbers", COUNT);
    }
    let body = json!({"StatusChange": "park", "PhoneNumbers": [n, {"Number": n}, "12", {}]});
    let resp = status(&app, body).await;
    resp.assert_field_error(
        "PhoneNumbers[1].Number",
        "Duplicate phone number in request",
    );
    resp.assert_field_error(
        "PhoneNumbers[2].Number",
        "PhoneNumbers[2].Number must be a valid phone number",
    );
    resp.assert_field_error(
        "PhoneNumbers[3].Number",
        "PhoneNumbers[3].Number is required",
    );
    let swap = json!({"StatusChange": "replace", "AreaCode": "2x1", "ZipCode": "123", "PhoneNumbers": [n]});
    let resp = status(&app, swap).await;
    resp.assert_field_error("AreaCode", "Area code must be a valid 3-digit code");
    resp.assert_field_error("ZipCode", "Zip code must be a valid 5-digit code");
    let ignored = json!({"StatusChange": "park", "AreaCode": "2x1", "PhoneNumbers": [n]});
    status(&app, ignored).await.ok();
    assert!(events_of(&app, "number.status_changed").await.len() == 1);
}

#[tokio::test]
async fn change_type_is_an_alias_and_numbers_may_be_plain_strings() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    let body = json!({"changetype": "PARK", "phonenumbers": [a.number.replace("+1", "")]});
    let parked = status(&app, body).await.ok();
    assert_eq!(parked["ChangeType"], "park");
    assert_eq!(parked["NumbersChanged"][0]["Number"], a.number.as_str());
    assert_eq!(details(&app, &a.number).await.ok()["Status"], "Parked");
}

#[tokio::test]
async fn every_number_is_checked_before_any_changes() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    let b = another_line(&app, &a.account, &a.route, json!({})).await;
    status(&app, change("park", &[&b.number], json!({})))
        .await
        .ok();
    let before = events_of(&app, "order.status_changed").await.len();

    let resp = status(&app, change("park", &[&a.number, &b.number], json!({}))).await;
    resp.assert_problem(
        422,
        &format!("Cannot park number '{}' in status Parked", b.number),
    );
    let unknown = "+12015550123";
    let resp = status(&app, change("cancel", &[&a.number, unknown], json!({}))).await;
    resp.assert_problem(404, &not_in_inventory(unknown));
    assert_eq!(details(&app, &a.number).await.ok()["Status"], "Active");
    assert_eq!(
        events_of(&app, "order.status_changed").await.len(),
        before,
        "no order was created"
    );
}

#[tokio::test]
async fn another_distributor_cannot_see_the_numbers_or_orders() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    let own = status(
        &app,
        change("park", &[&a.number], json!({"EffectiveDate": "03/20/2026"})),
    )
    .await
    .ok();
    let (key, secret) = app.new_distributor("Other MVNO").await;
    let token = app.token_for(&key, &secret, STATUS).await;
    for action in ["park", "cancel", "swap", "swap-sim"] {
        let resp = app
            .post(STATUS, &token, change(action, &[&a.number], json!({})))
            .await;
        resp.assert_problem(404, &not_in_inventory(&a.number));
    }
    let id = own["OrderId"].as_str().unwrap_or_default();
    let order_token = app.token_for(&key, &secret, "/v1.0/numbers/order").await;
    let resp = app
        .get(&format!("/v1.0/numbers/order?OrderId={id}"), &order_token)
        .await;
    resp.assert_problem(404, &format!("Order with ID '{id}' was not found."));
    assert_eq!(details(&app, &a.number).await.ok()["Status"], "Active");
}

/// Records an open port-out of `number` as the port-out flow will (06).
async fn open_port_out(app: &TestApp, number: &str) {
    let store = app.server().services.store();
    let mut tx = store.begin().await.expect("begin");
    let order = OrderRow {
        id: format!("JNUOID-{}", uuid::Uuid::now_v7()),
        distributor_id: KEY.to_string(),
        account_id: None,
        order_type: "PortOut".into(),
        status: "Pending".into(),
        status_message: String::new(),
        change_type: None,
        effective_date: None,
        details: "{}".into(),
        created_on: 0,
        updated_on: 0,
    };
    mpaas_store::orders::insert(&mut tx, &order)
        .await
        .expect("order");
    let item = OrderItemRow {
        number: number.to_string(),
        status: "Pending".into(),
        ..OrderItemRow::default()
    };
    mpaas_store::orders::put_item(&mut tx, &order.id, &item)
        .await
        .expect("item");
    mpaas_store::commit(tx).await.expect("commit");
}

#[tokio::test]
async fn an_open_port_out_allows_only_activate() {
    let app = start().await;
    let a = line(&app, json!({})).await;
    status(&app, change("park", &[&a.number], json!({})))
        .await
        .ok();
    open_port_out(&app, &a.number).await;
    let refused = format!("Number '{}' has an open port-out request", a.number);
    for action in ["cancel", "swap", "replace", "swap-sim"] {
        let resp = status(&app, change(action, &[&a.number], json!({}))).await;
        resp.assert_problem(409, &refused);
    }
    let future = json!({"EffectiveDate": "03/20/2026"});
    status(&app, change("cancel", &[&a.number], future))
        .await
        .assert_problem(409, &refused);
    status(&app, change("activate", &[&a.number], json!({})))
        .await
        .ok();
    status(&app, change("park", &[&a.number], json!({})))
        .await
        .assert_problem(409, &refused);
    assert_eq!(details(&app, &a.number).await.ok()["Status"], "Active");
}
