//! Prometheus metrics: requests counted and timed by route template, and the metrics token.

use reqwest::Method;
use serde_json::json;

use crate::common::{TestApp, ADMIN_TOKEN};

/// The sample lines of a metric family whose labels include every `label="value"` given.
fn samples<'a>(text: &'a str, name: &str, labels: &[(&str, &str)]) -> Vec<&'a str> {
    text.lines()
        .filter(|l| l.starts_with(&format!("{name}{{")))
        .filter(|l| {
            labels
                .iter()
                .all(|(k, v)| l.contains(&format!("{k}=\"{v}\"")))
        })
        .collect()
}

fn sample_value(line: &str) -> f64 {
    line.rsplit(' ')
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no value in {line}"))
}

#[tokio::test]
async fn metrics_count_requests_by_route_template() {
    let app = TestApp::start().await;
    let unknown = format!("/v1.0/no-such-{}", uuid::Uuid::new_v4().simple());
    assert_eq!(
        app.request(Method::GET, &unknown, None, None).await.status,
        404
    );
    assert_eq!(
        app.request(Method::GET, "/healthz", None, None)
            .await
            .status,
        200
    );
    let account = app.new_account("Metered").await;
    let resp = app
        .fetch(&format!("/v1.0/account?AccountId={account}"))
        .await;
    assert_eq!(resp.status, 200);
    let resp = app.call("/V1.0/Account/Create", json!({})).await;
    assert_eq!(resp.status, 400);
    let metrics = app.request(Method::GET, "/metrics", None, None).await;
    assert_eq!(metrics.status, 200);
    assert!(
        metrics
            .header("content-type")
            .unwrap()
            .starts_with("text/plain"),
        "{:?}",
        metrics.headers
    );
    let text = &metrics.text;
    let counter = "mpaas_http_requests_total";
    assert!(
        text.contains(&format!("# TYPE {counter} counter")),
        "{text}"
    );
    for (method, route, status) in [
        ("POST", "/v1.0/account/create", "200"),
        ("POST", "/v1.0/account/create", "400"),
        ("GET", "/v1.0/account", "200"),
        ("GET", "/healthz", "200"),
        ("POST", "/v1.0/oauth2/tokens", "200"),
    ] {
        let lines = samples(
            text,
            counter,
            &[("method", method), ("route", route), ("status", status)],
        );
        assert!(
            !lines.is_empty(),
            "no {counter} for {method} {route} {status} in\n{text}"
        );
        assert!(lines.iter().all(|l| sample_value(l) >= 1.0), "{lines:?}");
    }
    // Routes are templates, never raw request paths.
    assert!(
        !text.contains(&unknown[7..]),
        "an unknown path became a label:\n{text}"
    );
    assert!(!text.contains("route=\"/V1.0"), "{text}");
    assert!(!text.contains(&format!("AccountId={account}")), "{text}");
    let histogram = "mpaas_http_request_duration_seconds";
    assert!(
        text.contains(&format!("# TYPE {histogram} histogram")),
        "{text}"
    );
    let buckets = samples(
        text,
        &format!("{histogram}_bucket"),
        &[("method", "POST"), ("route", "/v1.0/account/create")],
    );
    assert!(buckets.len() >= 2, "buckets: {buckets:?}");
    assert!(buckets.iter().all(|b| b.contains("le=\"")), "{buckets:?}");
    assert!(
        buckets.iter().any(|b| b.contains("le=\"+Inf\"")),
        "{buckets:?}"
    );
    assert!(!samples(
        text,
        &format!("{histogram}_count"),
        &[("route", "/v1.0/account/create")]
    )
    .is_empty());
    assert!(!samples(
        text,
        &format!("{histogram}_sum"),
        &[("route", "/v1.0/account/create")]
    )
    .is_empty());
    app.stop().await;
}

#[tokio::test]
async fn the_metrics_token_protects_metrics() {
    let app = TestApp::start_with(|c| c.metrics_token = Some("metrics-secret-0123".into())).await;
    let resp = app.request(Method::GET, "/metrics", None, None).await;
    assert_eq!(resp.status, 401, "{}", resp.text);
    assert_eq!(
        resp.header("content-type"),
        Some("application/problem+json")
    );
    assert!(resp
        .header("www-authenticate")
        .is_some_and(|v| v.starts_with("Bearer")));
    for wrong in ["metrics-secret-0124", ADMIN_TOKEN, ""] {
        let resp = app
            .request(Method::GET, "/metrics", Some(wrong), None)
            .await;
        assert_eq!(resp.status, 401, "{wrong}: {}", resp.text);
    }
    let basic = app
        .send(
            app.client
                .get(format!("{}/metrics", app.base))
                .header("authorization", "Basic metrics-secret-0123"),
        )
        .await;
    assert_eq!(basic.status, 401);
    let resp = app
        .request(Method::GET, "/metrics", Some("metrics-secret-0123"), None)
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert!(
        resp.text.contains("mpaas_http_requests_total"),
        "{}",
        resp.text
    );
    // Health stays open.
    assert_eq!(
        app.request(Method::GET, "/healthz", None, None)
            .await
            .status,
        200
    );
    app.stop().await;
}
