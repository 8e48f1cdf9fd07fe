//! Distributor create, list and get.

use serde_json::{json, Value};

use crate::common::{TestApp, ADMIN_TOKEN, KEY};
use crate::support::{
    assert_invalid, billing, create, distributor, empty_address, get, keys, without_secret,
    DISTRIBUTOR_KEYS, RANGE,
};

#[tokio::test]
async fn creates_a_distributor_with_credentials_shown_once() {
    let app = TestApp::start().await;
    let created = create(
        &app,
        json!({"DistributorName": "  Acme Mobile ", "BillingAddress": billing()}),
    )
    .await
    .ok();
    assert_eq!(keys(&created), DISTRIBUTOR_KEYS);
    let id = created["DistributorId"].as_str().unwrap();
    assert!(id.starts_with("DID-") && id.len() == 40, "{id}");
    assert_eq!(created["AccountKey"], id);
    assert_eq!(created["DistributorName"], "Acme Mobile");
    let secret = created["Secret"].as_str().unwrap();
    assert_eq!(secret.len(), 64);
    assert!(
        secret
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)),
        "{secret}"
    );
    assert_eq!(created["TotalAccounts"], 0);
    assert_eq!(created["BillingAddress"], billing());
    assert_eq!(created["MailingAddress"], empty_address());
    assert_eq!(created["RateLimitPerMinute"], Value::Null);
    assert!(created["CreatedOn"]
        .as_str()
        .is_some_and(|t| t.ends_with("+00:00")));
    // The credentials work at once.
    let token = app
        .token_for(id, secret, "/v1.0/distributor/accounts")
        .await;
    let accounts = app.get("/v1.0/distributor/accounts", &token).await.ok();
    assert_eq!(accounts["DistributorId"], id);

    let limited = create(
        &app,
        json!({"DistributorName": "Capped", "RateLimitPerMinute": 50}),
    )
    .await
    .ok();
    assert_eq!(limited["RateLimitPerMinute"], 50);
    let fetched = distributor(&app, id).await.ok();
    assert_eq!(
        fetched,
        without_secret(&created),
        "no Secret outside create"
    );

    let events = app.events(id).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].0, "distributor.created");
    assert_eq!(events[0].1, id);
    assert_eq!(
        events[0].2,
        without_secret(&created),
        "event Data is the object without Secret"
    );
    app.stop().await;
}

#[tokio::test]
async fn create_reports_field_errors() {
    let app = TestApp::start().await;
    let cases = [
        (json!({}), "DistributorName", "DistributorName is required"),
        (
            json!({"DistributorName": null}),
            "DistributorName",
            "DistributorName is required",
        ),
        (
            json!({"DistributorName": ""}),
            "DistributorName",
            "DistributorName is required",
        ),
        (
            json!({"DistributorName": "  "}),
            "DistributorName",
            "DistributorName is required",
        ),
        (
            json!({"DistributorName": "d".repeat(201)}),
            "DistributorName",
            "DistributorName must be between 1 and 200 characters",
        ),
        (
            json!({"DistributorName": 9}),
            "DistributorName",
            "DistributorName must be a string",
        ),
        (
            json!({"DistributorName": "Acme", "RateLimitPerMinute": -1}),
            "RateLimitPerMinute",
            RANGE,
        ),
        (
            json!({"DistributorName": "Acme", "RateLimitPerMinute": 1_000_001}),
            "RateLimitPerMinute",
            RANGE,
        ),
        (
            json!({"DistributorName": "Acme", "RateLimitPerMinute": "50"}),
            "RateLimitPerMinute",
            "RateLimitPerMinute must be an integer",
        ),
        (
            json!({"DistributorName": "Acme", "BillingAddress": {"Street1": "s".repeat(101)}}),
            "BillingAddress.Street1",
            "BillingAddress.Street1 must be between 0 and 100 characters",
        ),
        (
            json!({"DistributorName": "Acme", "MailingAddress": "Lehi"}),
            "MailingAddress",
            "MailingAddress must be an object",
        ),
    ];
    for (body, field, message) in cases {
        let resp = create(&app, body.clone()).await;
        assert_invalid(&resp, field, message);
        let resp = app
            .post("/v1.0/distributor/create", ADMIN_TOKEN, body)
            .await;
        resp.assert_field_error(field, message);
    }
    let edge = create(&app, json!({"DistributorName": "d".repeat(200)}))
        .await
        .ok();
    assert_eq!(edge["DistributorName"].as_str().unwrap().len(), 200);
    let listed = get(&app, "/admin/v1/distributors").await.ok();
    assert_eq!(
        listed["TotalDistributors"], 2,
        "the bootstrap distributor and the valid one"
    );
    app.stop().await;
}

#[tokio::test]
async fn lists_distributors_in_creation_order_without_secrets() {
    let app = TestApp::start().await;
    let mut ids = vec![KEY.to_string()];
    for name in ["Zeta Mobile", "Alpha Mobile", "Mu Mobile"] {
        let (key, _) = app.new_distributor(name).await;
        ids.push(key);
    }
    let all = get(&app, "/admin/v1/distributors").await.ok();
    assert_eq!(
        keys(&all),
        ["PageNumber", "PageSize", "Results", "TotalDistributors"]
    );
    assert_eq!(all["TotalDistributors"], 4);
    assert_eq!(all["PageNumber"], 1);
    assert_eq!(all["PageSize"], 100);
    let results = all["Results"].as_array().unwrap();
    let listed: Vec<&str> = results
        .iter()
        .map(|d| d["DistributorId"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ids, "creation order");
    assert_eq!(results[0]["DistributorName"], "Default Distributor");
    for d in results {
        assert!(d.get("Secret").is_none(), "no Secret in the list: {d}");
        assert_eq!(keys(d).len(), DISTRIBUTOR_KEYS.len() - 1);
    }
    let page = get(&app, "/admin/v1/distributors?PageSize=1").await.ok();
    assert_eq!(
        (page["TotalDistributors"].clone(), page["PageSize"].clone()),
        (json!(4), json!(1))
    );
    assert_eq!(page["Results"].as_array().unwrap().len(), 1);
    assert_eq!(page["Results"][0]["DistributorId"], KEY);
    let second = get(&app, "/admin/v1/distributors?pagenumber=2&TotalPerPage=3")
        .await
        .ok();
    assert_eq!(
        (second["PageNumber"].clone(), second["PageSize"].clone()),
        (json!(2), json!(3))
    );
    assert_eq!(second["Results"].as_array().unwrap().len(), 1);
    assert_eq!(second["Results"][0]["DistributorId"], ids[3].as_str());
    let resp = get(&app, "/admin/v1/distributors?PageNumber=0").await;
    resp.assert_problem(400, "PageNumber must be 1 or greater");
    let resp = get(&app, "/admin/v1/distributors?PageSize=5000").await;
    resp.assert_problem(400, "PageSize must be between 1 and 1000");
    app.stop().await;
}

#[tokio::test]
async fn gets_one_distributor_or_404() {
    let app = TestApp::start().await;
    app.new_account("Doe Family").await;
    app.new_account("Roe Family").await;
    let bootstrap = distributor(&app, KEY).await.ok();
    assert_eq!(bootstrap["DistributorId"], KEY);
    assert_eq!(bootstrap["TotalAccounts"], 2, "computed at read time");
    assert!(bootstrap.get("Secret").is_none());
    let lower = get(
        &app,
        &format!("/admin/v1/distributors/{}", KEY.to_lowercase()),
    )
    .await
    .ok();
    assert_eq!(lower, bootstrap, "ids compare case-insensitively");
    let unknown = format!("DID-{}", uuid::Uuid::now_v7());
    for id in [unknown.as_str(), "DID-nobody", "garbage"] {
        let resp = distributor(&app, id).await;
        resp.assert_problem(404, &format!("Distributor with ID '{id}' was not found."));
        assert_eq!(resp.body["Title"], "Not Found");
    }
    app.stop().await;
}
