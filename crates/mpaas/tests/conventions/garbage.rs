//! Randomised garbage bodies on every POST endpoint and garbage queries on every GET endpoint of
//! the served OpenAPI document: never a server error, always a JSON answer.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::{json, Value};

use crate::common::{TestApp, ADMIN_TOKEN};
use crate::generator::Garbage;
use crate::support::ACCOUNTS;

const BODIES_PER_ENDPOINT: usize = 30;

/// `POST` paths of the served OpenAPI document with the property names of their request body and
/// whether the endpoint is one of the 501 list.
fn post_endpoints(doc: &Value) -> Vec<(String, Vec<String>, bool)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let Some(op) = item.get("post") else { continue };
        let mut schema = &op["requestBody"]["content"]["application/json"]["schema"];
        if let Some(reference) = schema["$ref"].as_str() {
            let name = reference.rsplit('/').next().unwrap_or_default();
            schema = &doc["components"]["schemas"][name];
        }
        let props = schema["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        let not_implemented = op["tags"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t == "Not implemented"));
        out.push((path.clone(), props, not_implemented));
    }
    out.sort();
    out
}

#[tokio::test]
async fn random_garbage_bodies_never_cause_a_server_error() {
    let seed: u64 = std::env::var("MPAAS_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6d70_6161_735f_3031);
    let app = TestApp::start().await;
    let doc = app
        .request(Method::GET, "/openapi.json", None, None)
        .await
        .ok();
    let endpoints = post_endpoints(&doc);
    assert!(endpoints.len() >= 20, "POST endpoints found: {endpoints:?}");
    // Admin paths act on a distributor of their own, so rotations and limits do not disturb the rest.
    let target = app
        .admin_post(
            "/admin/v1/distributors",
            json!({"DistributorName": "Garbage Target"}),
        )
        .await
        .ok();
    let target_id = target["DistributorId"].as_str().unwrap().to_string();
    let mut gen = Garbage {
        rng: StdRng::seed_from_u64(seed),
    };
    let mut failures = Vec::new();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for (template, props, not_implemented) in &endpoints {
        let path = template.replace("{id}", &target_id);
        let admin = path.starts_with("/admin/")
            || path.starts_with("/sandbox/")
            || path == "/v1.0/distributor/create";
        for i in 0..BODIES_PER_ENDPOINT {
            let body = gen.body(props);
            let content_type = match gen.rng.gen_range(0..20) {
                0 => "text/plain",
                1 => "application/merge-patch+json",
                _ => "application/json",
            };
            let mut req = app
                .client
                .post(format!("{}{path}", app.base))
                .header("content-type", content_type)
                .body(body.clone());
            if gen.rng.gen_bool(0.25) {
                req = req.header(
                    "idempotency-key",
                    format!("garbage-{i}-{}", gen.rng.gen::<u32>()),
                );
            }
            if path != "/v1.0/oauth2/tokens" {
                // Minted per request: a random body may rotate the signing key.
                let token = if admin {
                    ADMIN_TOKEN.to_string()
                } else {
                    app.token(&path).await
                };
                req = req.bearer_auth(token);
            }
            let resp = app.send(req).await;
            *statuses.entry(resp.status.as_u16()).or_default() += 1;
            let content_type = resp.header("content-type").unwrap_or_default();
            let json_like = matches!(
                content_type,
                "application/json" | "application/problem+json"
            );
            let parsed = serde_json::from_str::<Value>(&resp.text).is_ok();
            // The endpoints of the 501 list answer 501 (or a 4xx about the request itself, such as
            // 413); no other 5xx is fine.
            let server_error = if *not_implemented {
                resp.status != 501 && !resp.status.is_client_error()
            } else {
                resp.status.is_server_error()
            };
            if server_error || !json_like || !parsed {
                let shown = String::from_utf8_lossy(&body);
                let shown: String = shown.chars().take(2000).collect();
                let failure = format!(
                    "seed {seed:#x}, POST {path} body #{i} ({content_type} answer {}): {shown:?}\n  -> {}",
                    resp.status,
                    resp.text.chars().take(500).collect::<String>()
                );
                eprintln!("{failure}");
                failures.push(failure);
            }
        }
    }
    eprintln!("garbage sweep with seed {seed:#x}: statuses {statuses:?}");
    assert!(
        failures.is_empty(),
        "{} garbage bodies got a bad answer (rerun with MPAAS_FUZZ_SEED={seed}):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        statuses.keys().any(|s| *s == 400),
        "the sweep reached validation: {statuses:?}"
    );
    // The server is still healthy and the bootstrap distributor still works.
    assert_eq!(
        app.request(Method::GET, "/healthz", None, None)
            .await
            .status,
        200
    );
    assert_eq!(app.fetch(ACCOUNTS).await.status, 200);
    app.stop().await;
}

/// `GET` paths of the served OpenAPI document with their query parameter names and whether the
/// endpoint is one of the 501 list.
fn get_endpoints(doc: &Value) -> Vec<(String, Vec<String>, bool)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let Some(op) = item.get("get") else { continue };
        // Public QR images take no query and no token (covered by the number tests).
        if path.starts_with("/esim/") {
            continue;
        }
        let mut params: Vec<String> = op["parameters"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .filter(|p| p["in"] == "query")
                    .filter_map(|p| p["name"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        params.extend(["PageNumber", "PageSize", "TotalPerPage"].map(String::from));
        let not_implemented = op["tags"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t == "Not implemented"));
        out.push((path.clone(), params, not_implemented));
    }
    out.sort();
    out
}

#[tokio::test]
async fn random_garbage_queries_never_cause_a_server_error() {
    let seed: u64 = std::env::var("MPAAS_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6d70_6161_735f_3032);
    let app = TestApp::start().await;
    let doc = app
        .request(Method::GET, "/openapi.json", None, None)
        .await
        .ok();
    let endpoints = get_endpoints(&doc);
    assert!(endpoints.len() >= 8, "GET endpoints found: {endpoints:?}");
    // Something to find, so that look-ups reach the database.
    let account = app.new_account("Queried").await;
    app.new_subscriber(&account, "queried@example.com").await;
    let target = app
        .admin_post(
            "/admin/v1/distributors",
            json!({"DistributorName": "Query Target"}),
        )
        .await
        .ok();
    let target_id = target["DistributorId"].as_str().unwrap().to_string();
    let raw_queries = [
        "%",
        "%zz",
        "%C3%28=%C3%28",
        "Email=%00",
        "AccountId=%FF%FE",
        "=&=&",
        "PageSize=%2B5",
        "PageNumber=1e3&PageNumber=2",
        "a=b=c",
    ];
    let mut gen = Garbage {
        rng: StdRng::seed_from_u64(seed),
    };
    let mut failures = Vec::new();
    for (template, params, not_implemented) in &endpoints {
        let path = template.replace("{id}", &target_id);
        let token = if path.starts_with("/admin/") || path.starts_with("/sandbox/") {
            ADMIN_TOKEN.to_string()
        } else {
            app.token(&path).await
        };
        // Fixed oddities, then a NUL in each parameter (text columns cannot hold one), then random.
        let fixed: Vec<String> = raw_queries
            .iter()
            .map(|q| q.to_string())
            .chain(params.iter().map(|p| format!("{p}=x%00y")))
            .collect();
        for i in 0..fixed.len() + BODIES_PER_ENDPOINT {
            let shown;
            let req = if let Some(query) = fixed.get(i) {
                shown = query.clone();
                app.client.get(format!("{}{path}?{shown}", app.base))
            } else {
                let mut pairs = Vec::new();
                for name in params {
                    if gen.rng.gen_bool(0.5) {
                        let value = match gen.rng.gen_range(0..4) {
                            0 => gen.number(),
                            1 => gen
                                .pick(&[
                                    "queried@example.com\0",
                                    "QUERIED@example.com",
                                    "queried\0@example.com",
                                    "%00",
                                ])
                                .to_string(),
                            _ => gen.text(),
                        };
                        pairs.push((name.clone(), value));
                    }
                }
                shown = format!("{pairs:?}");
                app.client.get(format!("{}{path}", app.base)).query(&pairs)
            };
            let resp = app.send(req.bearer_auth(&token)).await;
            let server_error = if *not_implemented {
                resp.status != 501
            } else {
                resp.status.is_server_error()
            };
            let json_like = matches!(
                resp.header("content-type"),
                Some("application/json" | "application/problem+json")
            );
            if server_error || !json_like || serde_json::from_str::<Value>(&resp.text).is_err() {
                let failure = format!(
                    "seed {seed:#x}, GET {path} query #{i} {shown}: {} {}",
                    resp.status,
                    resp.text.chars().take(500).collect::<String>()
                );
                eprintln!("{failure}");
                failures.push(failure);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} garbage queries got a bad answer (rerun with MPAAS_FUZZ_SEED={seed}):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        app.fetch(&format!(
            "/v1.0/subscribers/get?Email=queried@example.com&AccountId={account}"
        ))
        .await
        .status,
        200
    );
    app.stop().await;
}
