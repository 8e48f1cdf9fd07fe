//! `GET /v1.0/numbers/order` (05 §2.3): the order object of a provisioning, the required id, ids
//! compared case-insensitively, and other tenants' orders.

use serde_json::json;

use crate::common::TestApp;
use crate::support::{line, order, provision, single, text, Foreign};

#[tokio::test]
async fn reads_a_single_form_order() {
    let app = TestApp::start().await;
    let line = line(&app, "Doe Family").await;
    let answer = provision(&app, single(&line, json!({}))).await.ok();
    let id = text(&answer, "OrderId");
    let order_view = order(&app, &id).await.ok();
    assert_eq!(order_view["OrderId"], id.as_str());
    assert_eq!(order_view["OrderDate"], answer["OrderDate"]);
    assert_eq!(order_view["OrderStatus"], "Complete");
    assert_eq!(order_view["OrderType"], "Provision");
    assert_eq!(order_view["OrderStatusMessage"], "");
    assert!(order_view.get("ChangeType").is_none(), "{order_view}");
    let items = order_view["PhoneNumbersOrdered"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{order_view}");
    assert_eq!(items[0]["Number"], answer["PhoneNumberAssigned"]);
    assert_eq!(items[0]["Status"], "Complete");
    assert_eq!(items[0]["PhoneNumberId"], answer["PhoneNumberId"]);
    let history = order_view["History"].as_array().expect("History");
    let statuses: Vec<&str> = history
        .iter()
        .map(|h| h["Status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["Submitted", "Processing", "Complete"]);
    for entry in history {
        assert_eq!(entry["Message"], "");
        assert!(text(entry, "At").ends_with("+00:00"), "{entry}");
    }

    // Ids are compared case-insensitively; the answer carries the canonical id.
    let upper = order(&app, &id.to_uppercase()).await.ok();
    assert_eq!(upper["OrderId"], id.as_str());
    let lower_key = app
        .fetch(&format!(
            "/v1.0/numbers/order?orderid={}",
            id.to_lowercase()
        ))
        .await
        .ok();
    assert_eq!(lower_key["OrderId"], id.as_str());
    app.stop().await;
}

#[tokio::test]
async fn requires_an_existing_order_of_the_caller() {
    let app = TestApp::start().await;
    let line = line(&app, "Doe Family").await;
    let answer = provision(&app, single(&line, json!({}))).await.ok();
    let id = text(&answer, "OrderId");

    for query in ["", "?OrderId=", "?OrderId=%20"] {
        let resp = app.fetch(&format!("/v1.0/numbers/order{query}")).await;
        resp.assert_problem(400, "OrderId is required");
        resp.assert_field_error("OrderId", "OrderId is required");
    }
    let unknown = format!("JNUOID-{}", uuid::Uuid::now_v7());
    for missing in [unknown.as_str(), "JNUOID-123", "abc"] {
        order(&app, missing)
            .await
            .assert_problem(404, &format!("Order with ID '{missing}' was not found."));
    }
    let foreign = Foreign::create(&app).await;
    let resp = foreign
        .get(&app, &format!("/v1.0/numbers/order?OrderId={id}"))
        .await;
    resp.assert_problem(404, &format!("Order with ID '{id}' was not found."));
    app.stop().await;
}
