//! Setting a distributor's rate limit and its effect from the next request.

use serde_json::{json, Value};

use crate::common::TestApp;
use crate::support::{assert_invalid, distributor, events_of, set_limit, RANGE};

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
    assert_eq!(distributor(&app, &id).await.ok(), fifty);
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
    assert_invalid(
        &resp,
        "RateLimitPerMinute",
        "RateLimitPerMinute is required",
    );
    for bad in [json!(-1), json!(1_000_001)] {
        let resp = set_limit(&app, &id, json!({"RateLimitPerMinute": bad})).await;
        assert_invalid(&resp, "RateLimitPerMinute", RANGE);
    }
    let resp = set_limit(&app, &id, json!({"RateLimitPerMinute": "50"})).await;
    resp.assert_field_error(
        "RateLimitPerMinute",
        "RateLimitPerMinute must be an integer",
    );
    let resp = set_limit(&app, "DID-nobody", json!({"RateLimitPerMinute": 5})).await;
    resp.assert_problem(404, "Distributor with ID 'DID-nobody' was not found.");
    assert_eq!(
        distributor(&app, &id).await.ok(),
        default,
        "refused calls change nothing"
    );

    let events = events_of(&app, &id, "distributor.rate_limit_changed").await;
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
