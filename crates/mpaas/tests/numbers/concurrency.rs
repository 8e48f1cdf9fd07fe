//! Concurrent allocation: parallel provisioning never hands out a number twice, and the losers
//! get the contract's 409.

use std::collections::HashSet;

use futures::future::join_all;
use serde_json::{json, Value};

use crate::common::{Resp, TestApp};
use crate::support::{
    count_rows, inventory, line, listed, pool_number, pools, single, text, IN_USE, NONE_AVAILABLE,
    PROVISION,
};

const PARALLEL: usize = 50;

/// Sends every body at once with one token.
async fn all_at_once(app: &TestApp, bodies: Vec<Value>) -> Vec<Resp> {
    let token = app.token(PROVISION).await;
    join_all(
        bodies
            .iter()
            .map(|b| app.post(PROVISION, &token, b.clone())),
    )
    .await
}

/// (successes, 409 details).
fn outcomes(responses: &[Resp]) -> (Vec<&Value>, Vec<&str>) {
    let mut ok = Vec::new();
    let mut conflicts = Vec::new();
    for resp in responses {
        match resp.status.as_u16() {
            200 => ok.push(&resp.body),
            409 => conflicts.push(resp.detail()),
            other => panic!("unexpected {other}: {}", resp.text),
        }
    }
    (ok, conflicts)
}

#[tokio::test]
async fn parallel_single_form_provisions_share_a_small_area() {
    let app = TestApp::start_with(|c| c.numbers.sandbox_numbers_per_zip = 2).await;
    let line = line(&app, "Doe Family").await;
    let bodies = vec![single(&line, json!({"AreaCode": "202"})); PARALLEL];
    let responses = all_at_once(&app, bodies).await;
    let (ok, conflicts) = outcomes(&responses);
    assert_eq!(ok.len(), 2, "one ZIP of two numbers");
    assert_eq!(conflicts.len(), PARALLEL - 2);
    assert!(
        conflicts.iter().all(|d| *d == NONE_AVAILABLE),
        "{conflicts:?}"
    );
    let numbers: HashSet<String> = ok.iter().map(|a| text(a, "PhoneNumberAssigned")).collect();
    let expected: HashSet<String> = (0..2).map(|l| pool_number(202, 0, l)).collect();
    assert_eq!(numbers, expected, "two different numbers");
    let iccids: HashSet<String> = ok.iter().map(|a| text(a, "ICCID")).collect();
    assert_eq!(iccids.len(), 2, "two different eSIMs");

    assert_eq!(count_rows(&app, "phone_numbers").await, 2);
    assert_eq!(count_rows(&app, "sims").await, 2);
    assert_eq!(count_rows(&app, "orders").await, 2, "losers leave no order");
    let pool = pools(&app, "AreaCode=202").await.ok();
    assert_eq!(pool["Results"][0]["Available"], 0);
    let page = inventory(&app, "").await.ok();
    assert_eq!(page["TotalResults"], 2);
    app.stop().await;
}

#[tokio::test]
async fn parallel_lists_of_one_number_have_one_winner() {
    let app = TestApp::start().await;
    let line = line(&app, "Doe Family").await;
    let wanted = pool_number(201, 1, 42);
    let bodies = vec![listed(&line, &[&wanted], json!({})); PARALLEL];
    let responses = all_at_once(&app, bodies).await;
    let (ok, conflicts) = outcomes(&responses);
    assert_eq!(ok.len(), 1, "exactly one winner");
    assert_eq!(ok[0]["PhoneNumbersRequested"], json!([{"Number": wanted}]));
    assert_eq!(conflicts.len(), PARALLEL - 1);
    assert!(conflicts.iter().all(|d| *d == IN_USE), "{conflicts:?}");
    assert_eq!(count_rows(&app, "phone_numbers").await, 1);
    let pool = pools(&app, "ZipCode=07030&AreaCode=201").await.ok();
    assert_eq!(pool["Results"][0]["Available"], 2499);
    app.stop().await;
}

#[tokio::test]
async fn parallel_lists_in_opposite_orders_never_fail_unexpectedly() {
    let app = TestApp::start().await;
    let line = line(&app, "Doe Family").await;
    let a = pool_number(201, 0, 5);
    let b = pool_number(201, 4, 5);
    let bodies: Vec<Value> = (0..40)
        .map(|i| match i % 2 {
            0 => listed(&line, &[&a, &b], json!({})),
            _ => listed(&line, &[&b, &a], json!({})),
        })
        .collect();
    let responses = all_at_once(&app, bodies).await;
    let (ok, conflicts) = outcomes(&responses);
    assert_eq!(ok.len(), 1, "both numbers go to one list");
    assert!(conflicts.iter().all(|d| *d == IN_USE), "{conflicts:?}");
    assert_eq!(count_rows(&app, "phone_numbers").await, 2);
    app.stop().await;
}
