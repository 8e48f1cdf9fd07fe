//! The platform engine: sandbox clock, durable jobs (retry, dead, operator retry), housekeeping
//! and the events API.

mod common;

use common::{TestApp, ADMIN_TOKEN, KEY};
use serde_json::{json, Value};

const START: &str = "2025-11-07T01:00:00Z";

async fn frozen_app() -> TestApp {
    TestApp::start_with(|c| c.clock_start = Some(START.into())).await
}

async fn clock(app: &TestApp) -> Value {
    app.get("/sandbox/v1/clock", ADMIN_TOKEN).await.ok()
}

async fn advance(app: &TestApp, body: Value) -> common::Resp {
    app.post("/sandbox/v1/clock/advance", ADMIN_TOKEN, body)
        .await
}

/// Inserts a job whose kind has no handler, so every attempt fails.
async fn insert_failing_job(app: &TestApp, max_attempts: i64) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let now = app.server().services.clock().now().micros();
    let mut tx = app.server().services.store().begin().await.unwrap();
    sqlx::query(
        "INSERT INTO jobs (id, kind, payload, run_at, status, attempts, max_attempts, created_on, updated_on) \
         VALUES ($1, 'test.no_handler', '{}', $2, 'Queued', 0, $3, $2, $2)",
    )
    .bind(&id)
    .bind(now)
    .bind(max_attempts)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

#[tokio::test]
async fn the_clock_starts_frozen_and_advances_exactly() {
    let app = frozen_app().await;
    let c = clock(&app).await;
    assert_eq!(c["Now"], "2025-11-07T01:00:00.000000+00:00");
    assert_eq!(c["Frozen"], true);
    let r = advance(&app, json!({"Seconds": 3600})).await.ok();
    assert_eq!(r["Previous"], "2025-11-07T01:00:00.000000+00:00");
    assert_eq!(r["Now"], "2025-11-07T02:00:00.000000+00:00");
    let r = advance(&app, json!({"Until": "2025-11-08T00:00:00Z"}))
        .await
        .ok();
    assert_eq!(r["Now"], "2025-11-08T00:00:00.000000+00:00");
    assert_eq!(clock(&app).await["Now"], "2025-11-08T00:00:00.000000+00:00");
    // A distributor token scoped to the path works too.
    let token = app.token("/sandbox/v1/clock").await;
    assert_eq!(
        app.get("/sandbox/v1/clock", &token).await.ok()["Now"],
        "2025-11-08T00:00:00.000000+00:00"
    );
    app.stop().await;
}

#[tokio::test]
async fn advance_rejects_bad_requests() {
    let app = frozen_app().await;
    advance(&app, json!({}))
        .await
        .assert_problem(400, "Give either Seconds or Until");
    advance(&app, json!({"Seconds": 1, "Until": START}))
        .await
        .assert_problem(400, "Give either Seconds or Until");
    advance(&app, json!({"Seconds": 31_536_001}))
        .await
        .assert_field_error("Seconds", "Seconds must be between 0 and 31536000");
    advance(&app, json!({"Seconds": -1}))
        .await
        .assert_field_error("Seconds", "Seconds must be between 0 and 31536000");
    advance(&app, json!({"Until": "yesterday"}))
        .await
        .assert_field_error("Until", "Until must be an RFC 3339 timestamp");
    advance(&app, json!({"Until": "2025-11-06T00:00:00Z"}))
        .await
        .assert_problem(422, "The platform clock cannot move backwards");
    app.stop().await;
}

#[tokio::test]
async fn freezing_keeps_the_instant_and_unfreezing_resumes_from_it() {
    let app = TestApp::start().await;
    let frozen = app
        .post(
            "/sandbox/v1/clock/freeze",
            ADMIN_TOKEN,
            json!({"Frozen": true}),
        )
        .await
        .ok();
    assert_eq!(frozen["Frozen"], true);
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    assert_eq!(clock(&app).await["Now"], frozen["Now"]);
    let resumed = app
        .post(
            "/sandbox/v1/clock/freeze",
            ADMIN_TOKEN,
            json!({"Frozen": false}),
        )
        .await
        .ok();
    assert_eq!(resumed["Frozen"], false);
    assert!(resumed["Now"].as_str().unwrap() >= frozen["Now"].as_str().unwrap());
    app.post("/sandbox/v1/clock/freeze", ADMIN_TOKEN, json!({}))
        .await
        .assert_field_error("Frozen", "Frozen is required");
    app.stop().await;
}

#[tokio::test]
async fn the_sandbox_api_is_absent_when_the_sandbox_is_off() {
    let app = TestApp::start_with(|c| c.sandbox = false).await;
    let resp = app.get("/sandbox/v1/clock", ADMIN_TOKEN).await;
    resp.assert_problem(404, "The requested resource was not found.");
    let doc = app
        .request(reqwest::Method::GET, "/openapi.json", None, None)
        .await
        .ok();
    assert!(doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .all(|p| !p.starts_with("/sandbox/")));
    app.stop().await;
}

#[tokio::test]
async fn failing_jobs_back_off_die_and_can_be_retried_by_the_operator() {
    let app = frozen_app().await;
    let id = insert_failing_job(&app, 3).await;
    // Attempt 1 now (the clock's advance or the background worker); retries after ~2 s and
    // ~4 s (+/-20 %): ten minutes of platform time covers all three.
    advance(&app, json!({"Seconds": 600})).await.ok();
    let dead = app
        .get("/admin/v1/jobs?Status=Dead", ADMIN_TOKEN)
        .await
        .ok();
    let job = dead["Results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["JobId"] == id.as_str())
        .expect("dead job listed")
        .clone();
    assert_eq!(job["Attempts"], 3);
    assert_eq!(job["Status"], "Dead");
    assert!(job["LastError"]
        .as_str()
        .unwrap()
        .contains("no handler for job kind 'test.no_handler'"));
    let retried = app
        .admin_post(&format!("/admin/v1/jobs/{id}/retry"), json!({}))
        .await
        .ok();
    assert_eq!(retried["Status"], "Queued");
    assert_eq!(retried["Attempts"], 0);
    app.admin_post(&format!("/admin/v1/jobs/{id}/retry"), json!({}))
        .await
        .assert_problem(422, "Only dead jobs can be retried");
    app.admin_post("/admin/v1/jobs/nope/retry", json!({}))
        .await
        .assert_problem(404, "Job with ID 'nope' was not found.");
    advance(&app, json!({"Seconds": 600})).await.ok();
    let dead = app.get("/admin/v1/jobs", ADMIN_TOKEN).await.ok();
    assert!(dead["Results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|j| j["JobId"] == id.as_str() && j["Attempts"] == 3));
    app.get("/admin/v1/jobs?Status=Lost", ADMIN_TOKEN)
        .await
        .assert_field_error(
            "Status",
            "Invalid Status. Must be one of: Queued, Running, Succeeded, Dead.",
        );
    app.stop().await;
}

#[tokio::test]
async fn housekeeping_runs_hourly_in_platform_time() {
    let app = frozen_app().await;
    advance(&app, json!({"Seconds": 3 * 3600})).await.ok();
    let done = app
        .get("/admin/v1/jobs?Status=Succeeded", ADMIN_TOKEN)
        .await
        .ok();
    let runs = done["Results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j["Kind"] == "housekeeping.prune")
        .count();
    assert!(
        (3..=4).contains(&runs),
        "housekeeping ran {runs} times: {done}"
    );
    let queued = app
        .get("/admin/v1/jobs?Status=Queued", ADMIN_TOKEN)
        .await
        .ok();
    let next: Vec<&Value> = queued["Results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j["Kind"] == "housekeeping.prune")
        .collect();
    assert_eq!(next.len(), 1, "exactly one successor is queued: {queued}");
    app.stop().await;
}

#[tokio::test]
async fn housekeeping_prunes_events_past_retention() {
    let app = TestApp::start_with(|c| {
        c.clock_start = Some(START.into());
        c.event_retention_days = 1;
    })
    .await;
    app.new_account("Old").await;
    assert!(!app.fetch("/v1.0/events").await.ok()["Results"]
        .as_array()
        .unwrap()
        .is_empty());
    advance(&app, json!({"Seconds": 2 * 86_400})).await.ok();
    let events = app.fetch("/v1.0/events").await.ok();
    assert_eq!(events["TotalEvents"], 0, "{events}");
    app.stop().await;
}

#[tokio::test]
async fn the_events_api_lists_filters_and_isolates() {
    let app = frozen_app().await;
    let first = app.new_account("One").await;
    advance(&app, json!({"Seconds": 60})).await.ok();
    let second = app.new_account("Two").await;
    app.call(
        "/v1.0/account/update",
        json!({"AccountId": first, "AccountName": "Uno"}),
    )
    .await
    .ok();
    let all = app.fetch("/v1.0/events?PageSize=100").await.ok();
    let types: Vec<&str> = all["Results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["Type"].as_str().unwrap())
        .collect();
    assert!(
        types.ends_with(&["account.created", "account.created", "account.updated"]),
        "{types:?}"
    );
    let e = &all["Results"][all["Results"].as_array().unwrap().len() - 1];
    for key in [
        "EventId",
        "Type",
        "OccurredOn",
        "DistributorId",
        "AccountId",
        "ResourceId",
        "Data",
    ] {
        assert!(e.get(key).is_some(), "envelope has {key}");
    }
    assert_eq!(e["DistributorId"], KEY);
    assert_eq!(e["Data"]["AccountName"], "Uno");
    let created = app.fetch("/v1.0/events?type=account.created").await.ok();
    assert_eq!(created["TotalEvents"], 2);
    let by_pattern = app.fetch("/v1.0/events?Type=*.updated").await.ok();
    assert_eq!(by_pattern["TotalEvents"], 1);
    let by_prefix = app.fetch("/v1.0/events?Type=account.*").await.ok();
    assert_eq!(by_prefix["TotalEvents"], 3);
    app.fetch("/v1.0/events?Type=acc*")
        .await
        .assert_field_error("Type", "Invalid Type pattern");
    let of_second = app
        .fetch(&format!("/v1.0/events?AccountId={second}"))
        .await
        .ok();
    assert_eq!(of_second["TotalEvents"], 1);
    let by_resource = app
        .fetch(&format!("/v1.0/events?ResourceId={first}"))
        .await
        .ok();
    assert_eq!(by_resource["TotalEvents"], 2);
    let since = app
        .fetch("/v1.0/events?Since=2025-11-07T01:00:30Z")
        .await
        .ok();
    assert_eq!(since["TotalEvents"], 2);
    let until = app
        .fetch("/v1.0/events?Until=2025-11-07T01:00:30Z")
        .await
        .ok();
    assert!(until["Results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["OccurredOn"].as_str().unwrap() < "2025-11-07T01:00:30"));
    let first_id = e["EventId"].as_str().unwrap();
    let one = app
        .fetch(&format!("/v1.0/events?EventId={first_id}"))
        .await
        .ok();
    assert_eq!(one["EventId"], first_id);
    let after = app
        .fetch(&format!(
            "/v1.0/events?After={}",
            all["Results"][0]["EventId"].as_str().unwrap()
        ))
        .await
        .ok();
    assert_eq!(
        after["TotalEvents"].as_i64().unwrap(),
        all["TotalEvents"].as_i64().unwrap() - 1
    );
    app.fetch("/v1.0/events?Since=nope")
        .await
        .assert_field_error("Since", "Since must be an RFC 3339 timestamp");
    app.fetch("/v1.0/events?AccountId=AID-nope")
        .await
        .assert_field_error("AccountId", "Invalid AccountId");
    app.fetch("/v1.0/events?EventId=EVT-019a5be3-16f4-7d73-ae82-ec3ffee5a5b2")
        .await
        .assert_problem(
            404,
            "Event with ID 'EVT-019a5be3-16f4-7d73-ae82-ec3ffee5a5b2' was not found.",
        );
    // Another distributor sees none of it.
    let (key, secret) = app.new_distributor("Other").await;
    let token = app.token_for(&key, &secret, "/v1.0/events").await;
    let theirs = app.get("/v1.0/events", &token).await.ok();
    assert!(theirs["Results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["DistributorId"] == key.as_str()));
    app.get(&format!("/v1.0/events?EventId={first_id}"), &token)
        .await
        .assert_problem(404, &format!("Event with ID '{first_id}' was not found."));
    app.get(&format!("/v1.0/events?AccountId={first}"), &token)
        .await
        .assert_field_error("AccountId", "Invalid AccountId");
    app.stop().await;
}

#[tokio::test]
async fn a_busy_worker_claims_again_as_soon_as_a_job_finishes() {
    // The poll never fires during the test and one job runs at a time: only wake-ups move the
    // queue, and one wake-up must drain everything that is due.
    let app = TestApp::start_with(|c| {
        c.job_poll_ms = 3_600_000;
        c.job_concurrency = 1;
    })
    .await;
    // An enabled endpoint makes every event queue its fan-out job, the wake-up used below
    // (its types match nothing the test emits, so no delivery follows).
    let hook = json!({"Url": "http://127.0.0.1:9/none", "EventTypes": ["subscriber.deleted"]});
    app.call("/v1.0/webhooks", hook).await.ok();
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(insert_failing_job(&app, 1).await);
    }
    app.new_account("Wake-up").await;
    let mut waited = 0;
    loop {
        let dead = app
            .get("/admin/v1/jobs?Status=Dead&PageSize=1000", ADMIN_TOKEN)
            .await
            .ok();
        let done = dead["Results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|j| ids.iter().any(|id| j["JobId"] == id.as_str()))
            .count();
        if done == ids.len() {
            break;
        }
        assert!(waited < 300, "{done} of {} jobs ran after 30 s", ids.len());
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    app.stop().await;
}
