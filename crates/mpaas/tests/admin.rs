//! The operator's admin API: distributor create, list, get, rate limit; distributor update with
//! the admin token.

mod common;

use common::{Resp, TestApp, ADMIN_TOKEN, KEY};
use serde_json::{json, Value};

const DISTRIBUTOR_KEYS: [&str; 9] = [
    "AccountKey",
    "BillingAddress",
    "CreatedOn",
    "DistributorId",
    "DistributorName",
    "MailingAddress",
    "RateLimitPerMinute",
    "Secret",
    "TotalAccounts",
];
const RANGE: &str = "RateLimitPerMinute must be between 0 and 1000000";

fn empty_address() -> Value {
    json!({"Street1": null, "Street2": null, "City": null, "State": null, "Zip": null, "Country": null})
}

fn billing() -> Value {
    json!({"Street1": "100 Main St", "Street2": "Suite 200", "City": "Lehi", "State": "UT", "Zip": "84043", "Country": "USA"})
}

#[track_caller]
fn keys(v: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

/// The distributor object as answered everywhere but create and rotation.
fn without_secret(created: &Value) -> Value {
    let mut v = created.clone();
    v.as_object_mut().unwrap().remove("Secret");
    v
}

async fn create(app: &TestApp, body: Value) -> Resp {
    app.admin_post("/admin/v1/distributors", body).await
}

async fn get(app: &TestApp, path: &str) -> Resp {
    app.get(path, ADMIN_TOKEN).await
}

async fn set_limit(app: &TestApp, id: &str, body: Value) -> Resp {
    app.admin_post(&format!("/admin/v1/distributors/{id}/rate-limit"), body)
        .await
}

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
    let fetched = get(&app, &format!("/admin/v1/distributors/{id}"))
        .await
        .ok();
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
        resp.assert_problem(400, message);
        resp.assert_field_error(field, message);
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
    let bootstrap = get(&app, &format!("/admin/v1/distributors/{KEY}"))
        .await
        .ok();
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
        let resp = get(&app, &format!("/admin/v1/distributors/{id}")).await;
        resp.assert_problem(404, &format!("Distributor with ID '{id}' was not found."));
        assert_eq!(resp.body["Title"], "Not Found");
    }
    app.stop().await;
}

#[tokio::test]
async fn sets_the_rate_limit() {
    let app = TestApp::start().await;
    let (id, _) = app.new_distributor("Acme Mobile").await;
    let fifty = set_limit(&app, &id, json!({"RateLimitPerMinute": 50}))
        .await
        .ok();
    assert_eq!(fifty["DistributorId"], id.as_str());
    assert_eq!(fifty["RateLimitPerMinute"], 50);
    assert!(fifty.get("Secret").is_none());
    assert_eq!(
        get(&app, &format!("/admin/v1/distributors/{id}"))
            .await
            .ok(),
        fifty
    );
    for limit in [json!(0), json!(1_000_000)] {
        let set = set_limit(&app, &id, json!({"ratelimitperminute": limit}))
            .await
            .ok();
        assert_eq!(set["RateLimitPerMinute"], limit);
    }
    let default = set_limit(&app, &id, json!({"RateLimitPerMinute": null}))
        .await
        .ok();
    assert_eq!(
        default["RateLimitPerMinute"],
        Value::Null,
        "null restores the platform default"
    );

    let resp = set_limit(&app, &id, json!({})).await;
    resp.assert_problem(400, "RateLimitPerMinute is required");
    resp.assert_field_error("RateLimitPerMinute", "RateLimitPerMinute is required");
    for bad in [json!(-1), json!(1_000_001)] {
        let resp = set_limit(&app, &id, json!({"RateLimitPerMinute": bad})).await;
        resp.assert_problem(400, RANGE);
        resp.assert_field_error("RateLimitPerMinute", RANGE);
    }
    let resp = set_limit(&app, &id, json!({"RateLimitPerMinute": "50"})).await;
    resp.assert_field_error(
        "RateLimitPerMinute",
        "RateLimitPerMinute must be an integer",
    );
    let resp = set_limit(&app, "DID-nobody", json!({"RateLimitPerMinute": 5})).await;
    resp.assert_problem(404, "Distributor with ID 'DID-nobody' was not found.");
    assert_eq!(
        get(&app, &format!("/admin/v1/distributors/{id}"))
            .await
            .ok(),
        default,
        "refused calls change nothing"
    );

    let events: Vec<_> = app
        .events(&id)
        .await
        .into_iter()
        .filter(|(t, _, _)| t == "distributor.rate_limit_changed")
        .collect();
    assert_eq!(events.len(), 4);
    assert!(events.iter().all(|(_, r, _)| *r == id));
    assert_eq!(events[0].2, fifty, "event Data is the distributor object");
    assert_eq!(events[3].2, default);
    app.stop().await;
}

#[tokio::test]
async fn a_rate_limit_applies_from_the_next_request() {
    let app = TestApp::start().await;
    let (id, secret) = app.new_distributor("Acme Mobile").await;
    let path = "/v1.0/distributor/accounts";
    let token = app.token_for(&id, &secret, path).await;
    for _ in 0..3 {
        assert_eq!(
            app.get(path, &token).await.status,
            200,
            "unlimited by default"
        );
    }
    set_limit(&app, &id, json!({"RateLimitPerMinute": 1}))
        .await
        .ok();
    // A window boundary may fall between two calls; three calls still exceed one per window.
    let mut answers = Vec::new();
    for _ in 0..3 {
        answers.push(app.get(path, &token).await);
    }
    let limited = answers
        .iter()
        .find(|r| r.status == 429)
        .expect("a 429 within three calls");
    limited.assert_problem(429, "Rate limit exceeded");
    assert!(limited
        .header("retry-after")
        .is_some_and(|s| s.parse::<u32>().is_ok()));
    assert_eq!(limited.header("ratelimit-limit"), Some("1"));
    assert_eq!(limited.header("ratelimit-remaining"), Some("0"));
    // The other distributor is not limited.
    let own = app.token(path).await;
    assert_eq!(app.get(path, &own).await.status, 200);
    set_limit(&app, &id, json!({"RateLimitPerMinute": 0}))
        .await
        .ok();
    assert_eq!(app.get(path, &token).await.status, 200, "0 is unlimited");
    app.stop().await;
}

#[tokio::test]
async fn the_admin_token_updates_any_distributor() {
    let app = TestApp::start().await;
    let (id, _) = app.new_distributor("Acme Mobile").await;
    let body = json!({"DistributorId": id, "DistributorName": "Acme Mobile LLC", "BillingAddress": billing()});
    let updated = app
        .post("/v1.0/distributor/update", ADMIN_TOKEN, body)
        .await
        .ok();
    assert_eq!(updated["DistributorName"], "Acme Mobile LLC");
    assert_eq!(updated["BillingAddress"], billing());
    assert!(updated.get("Secret").is_none());
    // An address given replaces the stored one entirely.
    let body = json!({"DistributorId": id, "BillingAddress": {"City": "Provo"}});
    let replaced = app
        .post("/v1.0/distributor/update", ADMIN_TOKEN, body)
        .await
        .ok();
    let mut expected = empty_address();
    expected["City"] = json!("Provo");
    assert_eq!(replaced["BillingAddress"], expected);
    assert_eq!(replaced["DistributorName"], "Acme Mobile LLC");

    let resp = app
        .post(
            "/v1.0/distributor/update",
            ADMIN_TOKEN,
            json!({"DistributorName": "X"}),
        )
        .await;
    resp.assert_problem(400, "DistributorId is required");
    resp.assert_field_error("DistributorId", "DistributorId is required");
    let resp = app
        .post(
            "/v1.0/distributor/update",
            ADMIN_TOKEN,
            json!({"DistributorId": "DID-nobody"}),
        )
        .await;
    resp.assert_problem(404, "Distributor with ID 'DID-nobody' was not found.");
    let body = json!({"DistributorId": id, "DistributorName": "d".repeat(201)});
    let resp = app
        .post("/v1.0/distributor/update", ADMIN_TOKEN, body)
        .await;
    resp.assert_field_error(
        "DistributorName",
        "DistributorName must be between 1 and 200 characters",
    );

    let events: Vec<_> = app
        .events(&id)
        .await
        .into_iter()
        .filter(|(t, _, _)| t == "distributor.updated")
        .collect();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].2, updated);
    assert_eq!(events[1].2, replaced);
    app.stop().await;
}
