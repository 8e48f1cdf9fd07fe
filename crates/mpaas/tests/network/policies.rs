//! `GET /sandbox/v1/network/policies`: errors, tenancy and the admin's view.

use serde_json::json;

use crate::common::{TestApp, ADMIN_TOKEN};
use crate::support::{commands, line, query, start, POLICIES};

fn not_in_inventory(number: &str) -> String {
    format!("Phone number '{number}' was not found in your inventory.")
}

#[tokio::test]
async fn phone_number_is_required_and_valid() {
    let app = start().await;
    let token = app.token(POLICIES).await;
    for path in [
        POLICIES.to_string(),
        format!("{POLICIES}?PhoneNumber="),
        format!("{POLICIES}?phonenumber=%20"),
    ] {
        let resp = app.get(&path, &token).await;
        resp.assert_field_error("PhoneNumber", "PhoneNumber is required");
    }
    let resp = app
        .get(&format!("{POLICIES}?PhoneNumber=abc"), &token)
        .await;
    resp.assert_field_error("PhoneNumber", "PhoneNumber must be a valid phone number");
    let resp = app
        .get(&format!("{POLICIES}?PhoneNumber=abc"), ADMIN_TOKEN)
        .await;
    resp.assert_field_error("PhoneNumber", "PhoneNumber must be a valid phone number");
    app.stop().await;
}

#[tokio::test]
async fn a_distributor_sees_only_its_numbers_and_the_admin_every_number() {
    let app = start().await;
    let (_, number, _) = line(&app, json!({})).await;
    let unknown = "+12015550123";
    let resp = app.fetch(&query(unknown)).await;
    resp.assert_problem(404, &not_in_inventory(unknown));
    // An unencoded `+` arrives as a space and still names the number.
    let plain = format!("{POLICIES}?PhoneNumber={number}");
    let same = app.fetch(&plain).await.ok();
    assert_eq!(same["PhoneNumber"], json!(number));
    let (key, secret) = app.new_distributor("Other MVNO").await;
    let other = app.token_for(&key, &secret, POLICIES).await;
    let resp = app.get(&query(&number), &other).await;
    resp.assert_problem(404, &not_in_inventory(&number));
    let admin = app.get(&query(&number), ADMIN_TOKEN).await.ok();
    assert_eq!(admin["LineState"], "Active");
    assert_eq!(commands(&admin).len(), 2);
    let never = app.get(&query(unknown), ADMIN_TOKEN).await.ok();
    assert_eq!(never["LineState"], "Absent");
    assert_eq!(never["UpdatedOn"], json!(null));
    assert_eq!(never["Commands"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn anonymous_callers_are_refused() {
    let app: TestApp = start().await;
    let resp = app
        .request(reqwest::Method::GET, &query("+12015550123"), None, None)
        .await;
    assert_eq!(resp.status.as_u16(), 401);
    app.stop().await;
}
