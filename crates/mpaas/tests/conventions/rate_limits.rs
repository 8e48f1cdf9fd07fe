//! Rate limits: per distributor, 429 with its headers, the token endpoint and the admin API never
//! limited, and the platform default.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::json;

use crate::common::{Resp, TestApp, KEY, SECRET};
use crate::support::{assert_problem_shape, ACCOUNTS};

fn wall_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

/// Rate-limit windows are fixed wall-clock minutes. Returns the window to run in: the current
/// one when at least 10 s are left in it and `fresh` is false, else the next one (after sleeping
/// into it). Sleeping only avoids a boundary; nothing asserts on timing.
async fn settle_window(fresh: bool) -> u64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970");
    let into = now.as_secs_f64() % 60.0;
    if fresh || into > 50.0 {
        tokio::time::sleep(Duration::from_secs_f64(60.0 - into + 0.25)).await;
    }
    wall_secs() / 60
}

#[track_caller]
fn header_secs(resp: &Resp, name: &str) -> u64 {
    let v = resp
        .header(name)
        .unwrap_or_else(|| panic!("{name} missing: {:?}", resp.headers));
    let n: u64 = v.parse().unwrap_or_else(|_| panic!("{name}: {v}"));
    assert!(
        (1..=60).contains(&n),
        "{name} = {n} seconds left in the window"
    );
    n
}

#[tokio::test]
async fn rate_limits_are_per_distributor_and_answer_429() {
    let app = TestApp::start().await;
    let (other_key, other_secret) = app.new_distributor("Unlimited Neighbour").await;
    let set = app
        .admin_post(
            &format!("/admin/v1/distributors/{KEY}/rate-limit"),
            json!({"RateLimitPerMinute": 3}),
        )
        .await
        .ok();
    assert_eq!(set["RateLimitPerMinute"], 3);
    let path = ACCOUNTS;
    for attempt in 0..3 {
        let window = settle_window(attempt > 0).await;
        let token = app.token(path).await;
        let first = app.get(path, &token).await;
        // Minting is not counted, even many times.
        for _ in 0..5 {
            app.token(path).await;
        }
        let second = app.get(path, &token).await;
        let third = app.get(path, &token).await;
        let fourth = app.get(path, &token).await;
        let mint_after = app.mint(KEY, SECRET, path).await;
        let other_token = app.token_for(&other_key, &other_secret, path).await;
        let other = app.get(path, &other_token).await;
        if wall_secs() / 60 != window {
            continue; // A minute boundary fell in between: counters restarted. Try again.
        }
        for (n, resp) in [(2, &first), (1, &second), (0, &third)] {
            assert_eq!(resp.status, 200, "{}", resp.text);
            assert_eq!(resp.header("ratelimit-limit"), Some("3"));
            assert_eq!(
                resp.header("ratelimit-remaining"),
                Some(n.to_string().as_str())
            );
            header_secs(resp, "ratelimit-reset");
        }
        fourth.assert_problem(429, "Rate limit exceeded");
        assert_problem_shape(
            &fourth,
            429,
            "https://tools.ietf.org/html/rfc6585#section-4",
            "Too Many Requests",
        );
        assert_eq!(fourth.header("ratelimit-limit"), Some("3"));
        assert_eq!(fourth.header("ratelimit-remaining"), Some("0"));
        let retry = header_secs(&fourth, "retry-after");
        let reset = header_secs(&fourth, "ratelimit-reset");
        assert_eq!(
            retry, reset,
            "Retry-After and RateLimit-Reset give the seconds left"
        );
        assert_eq!(
            mint_after.status, 200,
            "the token endpoint is never limited: {}",
            mint_after.text
        );
        assert_eq!(
            other.status, 200,
            "another distributor is not affected: {}",
            other.text
        );
        assert!(
            other.header("ratelimit-limit").is_none(),
            "unlimited: no RateLimit headers"
        );
        // The admin API is not rate limited, and lifting the limit is effective at once.
        let lifted = app
            .admin_post(
                &format!("/admin/v1/distributors/{KEY}/rate-limit"),
                json!({"RateLimitPerMinute": 0}),
            )
            .await
            .ok();
        assert_eq!(lifted["RateLimitPerMinute"], 0);
        let after = app.get(path, &token).await;
        assert_eq!(after.status, 200, "{}", after.text);
        assert!(after.header("ratelimit-limit").is_none());
        app.stop().await;
        return;
    }
    panic!("three attempts each crossed a minute boundary");
}

#[tokio::test]
async fn the_platform_default_rate_limit_applies() {
    let app = TestApp::start_with(|c| c.default_rate_limit = 2).await;
    let exempt = app
        .admin_post(
            "/admin/v1/distributors",
            json!({"DistributorName": "Exempt", "RateLimitPerMinute": 0}),
        )
        .await
        .ok();
    let (exempt_key, exempt_secret) = (
        exempt["AccountKey"].as_str().unwrap(),
        exempt["Secret"].as_str().unwrap(),
    );
    let path = ACCOUNTS;
    for attempt in 0..3 {
        let window = settle_window(attempt > 0).await;
        let token = app.token(path).await;
        let exempt_token = app.token_for(exempt_key, exempt_secret, path).await;
        let first = app.get(path, &token).await;
        let second = app.get(path, &token).await;
        let third = app.get(path, &token).await;
        let mut exempt_statuses = Vec::new();
        for _ in 0..4 {
            exempt_statuses.push(app.get(path, &exempt_token).await.status.as_u16());
        }
        if wall_secs() / 60 != window {
            continue; // A minute boundary fell in between: counters restarted. Try again.
        }
        assert_eq!(first.status, 200, "{}", first.text);
        assert_eq!(first.header("ratelimit-limit"), Some("2"));
        assert_eq!(first.header("ratelimit-remaining"), Some("1"));
        assert_eq!(second.status, 200);
        assert_eq!(second.header("ratelimit-remaining"), Some("0"));
        third.assert_problem(429, "Rate limit exceeded");
        header_secs(&third, "retry-after");
        assert_eq!(third.header("ratelimit-limit"), Some("2"));
        assert_eq!(
            exempt_statuses, [200; 4],
            "RateLimitPerMinute 0 is unlimited whatever the default"
        );
        app.stop().await;
        return;
    }
    panic!("three attempts each crossed a minute boundary");
}
