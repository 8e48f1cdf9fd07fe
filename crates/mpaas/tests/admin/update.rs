//! Distributor update with the admin token.

use serde_json::json;

use crate::common::TestApp;
use crate::support::{assert_invalid, billing, empty_address, events_of, update};

#[tokio::test]
async fn the_admin_token_updates_any_distributor() {
    let app = TestApp::start().await;
    let (id, _) = app.new_distributor("Acme Mobile").await;
    let body = json!({"DistributorId": id, "DistributorName": "Acme Mobile LLC", "BillingAddress": billing()});
    let updated = update(&app, body).await.ok();
    assert_eq!(updated["DistributorName"], "Acme Mobile LLC");
    assert_eq!(updated["BillingAddress"], billing());
    assert!(updated.get("Secret").is_none());
    // An address given replaces the stored one entirely.
    let body = json!({"DistributorId": id, "BillingAddress": {"City": "Provo"}});
    let replaced = update(&app, body).await.ok();
    let mut expected = empty_address();
    expected["City"] = json!("Provo");
    assert_eq!(replaced["BillingAddress"], expected);
    assert_eq!(replaced["DistributorName"], "Acme Mobile LLC");

    let resp = update(&app, json!({"DistributorName": "X"})).await;
    assert_invalid(&resp, "DistributorId", "DistributorId is required");
    let resp = update(&app, json!({"DistributorId": "DID-nobody"})).await;
    resp.assert_problem(404, "Distributor with ID 'DID-nobody' was not found.");
    let body = json!({"DistributorId": id, "DistributorName": "d".repeat(201)});
    let resp = update(&app, body).await;
    resp.assert_field_error(
        "DistributorName",
        "DistributorName must be between 1 and 200 characters",
    );

    let events = events_of(&app, &id, "distributor.updated").await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].2, updated);
    assert_eq!(events[1].2, replaced);
    app.stop().await;
}
