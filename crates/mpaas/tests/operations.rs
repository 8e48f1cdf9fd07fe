//! Operations (`10-platform.md` §8 to §12): health and readiness, Prometheus metrics, the OpenAPI
//! document (with a committed snapshot) and the offline docs, and the `mpaas` command line.
//!
//! The command-line tests run the built binary. Their database is a fresh SQLite file, or, when
//! `MPAAS_TEST_DATABASE_URL` is set, a fresh PostgreSQL database created next to it and dropped
//! afterwards, so they exercise the same backend as the rest of the suite.

mod common;

use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::Duration;

use common::{base_config, TestApp, ADMIN_TOKEN};
use reqwest::Method;
use serde_json::{json, Value};
use sqlx::Connection;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};

// ---------------------------------------------------------------------------------------------
// Health and readiness.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn healthz_and_readyz_answer_without_auth() {
    let app = TestApp::start().await;
    let health = app.request(Method::GET, "/healthz", None, None).await;
    assert_eq!(health.status, 200);
    assert_eq!(health.body, json!({"Status": "ok"}));
    assert!(health
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert!(health.header("x-request-id").is_some());
    let ready = app.request(Method::GET, "/readyz", None, None).await;
    assert_eq!(ready.status, 200, "{}", ready.text);
    assert_eq!(
        ready.body,
        json!({"Status": "ready", "Checks": {"Database": "ok", "Migrations": "ok"}})
    );
    // Neither needs nor minds a token.
    for _ in 0..3 {
        assert_eq!(
            app.request(Method::GET, "/healthz", Some("whatever"), None)
                .await
                .status,
            200
        );
        assert_eq!(
            app.request(Method::GET, "/readyz", Some(ADMIN_TOKEN), None)
                .await
                .status,
            200
        );
    }
    let wrong = app
        .request(Method::POST, "/healthz", None, Some(&json!({})))
        .await;
    wrong.assert_problem(405, wrong.detail());
    app.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Metrics.
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// OpenAPI document.
// ---------------------------------------------------------------------------------------------

/// Operations the server routes (files 01 and 02, the 501 list, events, jobs, the sandbox clock).
const ROUTED: [(&str, &str); 48] = [
    ("post", "/v1.0/oauth2/tokens"),
    ("post", "/v1.0/distributor/create"),
    ("post", "/v1.0/distributor/update"),
    ("post", "/v1.0/account/create"),
    ("post", "/v1.0/account/update"),
    ("get", "/v1.0/account"),
    ("get", "/v1.0/distributor/accounts"),
    ("post", "/v1.0/subscribers/create"),
    ("post", "/v1.0/subscribers"),
    ("post", "/v1.0/subscribers/update"),
    ("get", "/v1.0/subscribers/get"),
    ("post", "/v1.0/subscribers/transfer"),
    ("post", "/v1.0/subscribers/delete"),
    ("get", "/v1.0/distributor/subscribers"),
    ("post", "/admin/v1/distributors"),
    ("get", "/admin/v1/distributors"),
    ("get", "/admin/v1/distributors/{id}"),
    ("post", "/admin/v1/distributors/{id}/rotate-secret"),
    ("post", "/admin/v1/distributors/{id}/rate-limit"),
    ("post", "/admin/v1/signing-key/rotate"),
    ("get", "/admin/v1/jobs"),
    ("post", "/admin/v1/jobs/{id}/retry"),
    ("get", "/v1.0/events"),
    ("get", "/sandbox/v1/clock"),
    ("post", "/sandbox/v1/clock/advance"),
    ("post", "/sandbox/v1/clock/freeze"),
    ("get", "/v1.0/account/services"),
    ("get", "/v1.0/account/workgroups"),
    ("get", "/v1.0/account/schedules"),
    ("post", "/v1.0/services"),
    ("get", "/v1.0/services"),
    ("post", "/v1.0/services/update"),
    ("get", "/v1.0/services/items"),
    ("post", "/v1.0/services/items/add"),
    ("post", "/v1.0/services/items/update"),
    ("post", "/v1.0/subscriptions/features/add"),
    ("post", "/v1.0/subscriptions/features/update"),
    ("post", "/v1.0/numbers/voicemail/activate"),
    ("post", "/v1.0/numbers/voicemail/info"),
    ("post", "/v1.0/numbers/voicemail/update"),
    ("post", "/v1.0/workgroups"),
    ("get", "/v1.0/workgroups"),
    ("post", "/v1.0/workgroups/update"),
    ("post", "/v1.0/workgroups/activity"),
    ("post", "/v1.0/workgroups/activity/update"),
    ("post", "/v1.0/workgroups/activity/delete"),
    ("post", "/v1.0/schedules"),
    ("post", "/v1.0/numbers/cancel"),
];

const HTTP_METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

async fn openapi_of(app: &TestApp) -> Value {
    let resp = app.request(Method::GET, "/openapi.json", None, None).await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert!(resp
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    resp.body
}

/// `(method, path)` of every operation in the document.
fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in HTTP_METHODS {
            if item.get(method).is_some() {
                out.insert((method.to_string(), path.clone()));
            }
        }
    }
    out
}

#[tokio::test]
async fn openapi_documents_every_routed_endpoint() {
    let app = TestApp::start().await;
    let doc = openapi_of(&app).await;
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "openapi = {}",
        doc["openapi"]
    );
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    let ops = documented(&doc);
    for (method, path) in ROUTED
        .iter()
        .chain([("post", "/v1.0/numbers/cancel-portin")].iter())
    {
        assert!(
            ops.contains(&(method.to_string(), path.to_string())),
            "{method} {path} is not documented"
        );
    }
    // Every documented operation is routed: never 404 or 405 (no token: 401, or 400 for the token call).
    for (method, path) in &ops {
        let concrete = path.replace("{id}", "DID-0");
        let resp = app
            .request(
                method.to_uppercase().parse().unwrap(),
                &concrete,
                None,
                None,
            )
            .await;
        let expected = if path == "/v1.0/oauth2/tokens" {
            400
        } else {
            401
        };
        assert_eq!(
            resp.status.as_u16(),
            expected,
            "{method} {path}: {}",
            resp.text
        );
        let op = &doc["paths"][path][method];
        assert!(
            op["responses"].as_object().is_some_and(|r| !r.is_empty()),
            "{method} {path} documents responses"
        );
    }
    // The 501 endpoints say so.
    let not_implemented = &doc["paths"]["/v1.0/services/items/add"]["post"];
    assert!(
        not_implemented["responses"]["501"].is_object(),
        "{not_implemented}"
    );
    // Extensions are flagged and tagged; vendor endpoints are not.
    for (method, path) in [
        ("get", "/v1.0/account"),
        ("post", "/v1.0/subscribers/delete"),
        ("get", "/v1.0/events"),
    ] {
        let op = &doc["paths"][path][method];
        assert_eq!(op["x-mpaas-extension"], true, "{method} {path}: {op}");
        assert!(
            op["tags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == "Extensions"),
            "{method} {path}: {op}"
        );
    }
    for (method, path) in [
        ("post", "/v1.0/account/create"),
        ("post", "/v1.0/oauth2/tokens"),
        ("get", "/v1.0/subscribers/get"),
    ] {
        assert!(
            doc["paths"][path][method]
                .get("x-mpaas-extension")
                .is_none(),
            "{method} {path} is a vendor endpoint"
        );
    }
    // Shared pieces: the problem schema and the two bearer schemes.
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["components"]["securitySchemes"]["admin"].is_object());
    app.stop().await;
}

#[tokio::test]
async fn openapi_without_the_sandbox_has_no_sandbox_paths() {
    let app = TestApp::start_with(|c| c.sandbox = false).await;
    let doc = openapi_of(&app).await;
    let sandbox: Vec<String> = documented(&doc)
        .into_iter()
        .map(|(_, p)| p)
        .filter(|p| p.starts_with("/sandbox/"))
        .collect();
    assert!(sandbox.is_empty(), "{sandbox:?}");
    assert!(doc["paths"]["/v1.0/account/create"]["post"].is_object());
    let probe = app
        .request(Method::GET, "/sandbox/v1/clock", Some(ADMIN_TOKEN), None)
        .await;
    probe.assert_problem(404, probe.detail());
    app.stop().await;
}

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/openapi.json");

/// The JSON pointer of the first difference between two documents.
fn first_difference(expected: &Value, actual: &Value, at: &str) -> Option<String> {
    match (expected, actual) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            keys.into_iter().find_map(|k| match (a.get(k), b.get(k)) {
                (Some(x), Some(y)) => first_difference(
                    x,
                    y,
                    &format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                ),
                (Some(_), None) => Some(format!("{at}/{k} (only in the snapshot)")),
                _ => Some(format!("{at}/{k} (only in the served document)")),
            })
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(x, y, &format!("{at}/{i}"))),
        _ if expected == actual => None,
        _ => Some(format!("{at}: snapshot {expected} vs served {actual}")),
    }
}

#[tokio::test]
async fn openapi_matches_the_committed_snapshot() {
    let app = TestApp::start().await;
    let served = openapi_of(&app).await;
    app.stop().await;
    if std::env::var("MPAAS_UPDATE_SNAPSHOTS").is_ok_and(|v| !v.is_empty() && v != "0") {
        std::fs::create_dir_all(std::path::Path::new(SNAPSHOT).parent().unwrap()).unwrap();
        std::fs::write(
            SNAPSHOT,
            serde_json::to_string_pretty(&served).unwrap() + "\n",
        )
        .unwrap();
        eprintln!("updated {SNAPSHOT}");
    }
    let committed = std::fs::read_to_string(SNAPSHOT).unwrap_or_else(|e| {
        panic!("cannot read {SNAPSHOT} ({e}); create it with MPAAS_UPDATE_SNAPSHOTS=1 cargo test -p mpaas --test operations openapi_matches_the_committed_snapshot")
    });
    let committed: Value = serde_json::from_str(&committed).expect("the snapshot is JSON");
    if let Some(diff) = first_difference(&committed, &served, "") {
        panic!(
            "the served OpenAPI document differs from {SNAPSHOT} at {diff}\n\
             If the change is intended, update the snapshot with\n  \
             MPAAS_UPDATE_SNAPSHOTS=1 cargo test -p mpaas --test operations openapi_matches_the_committed_snapshot\n\
             and commit it."
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Docs.
// ---------------------------------------------------------------------------------------------

/// Hosts of the absolute http(s) URLs in a text.
fn absolute_url_hosts(text: &str) -> Vec<String> {
    let mut hosts = Vec::new();
    for scheme in ["http://", "https://"] {
        for (i, _) in text.match_indices(scheme) {
            let rest = &text[i + scheme.len()..];
            let end = rest
                .find(|c: char| {
                    !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
                })
                .unwrap_or(rest.len());
            hosts.push(rest[..end].to_string());
        }
    }
    hosts
}

/// Values of `src="…"` and `href="…"` attributes.
fn referenced_assets(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].to_string());
            }
        }
    }
    out
}

#[tokio::test]
async fn docs_are_served_offline_from_the_binary() {
    let app = TestApp::start().await;
    let own_host = app.base.trim_start_matches("http://").to_string();
    let mut index = String::new();
    for path in ["/docs", "/docs/", "/docs/index.html"] {
        let resp = app.request(Method::GET, path, None, None).await;
        assert_eq!(resp.status, 200, "{path}: {}", resp.text);
        assert!(
            resp.header("content-type")
                .unwrap()
                .starts_with("text/html"),
            "{path}: {:?}",
            resp.headers
        );
        assert!(resp.text.contains("<html"), "{path}");
        index = resp.text;
    }
    let foreign: Vec<String> = absolute_url_hosts(&index)
        .into_iter()
        .filter(|h| *h != own_host)
        .collect();
    assert!(
        foreign.is_empty(),
        "index.html refers to other hosts: {foreign:?}"
    );
    let assets = referenced_assets(&index);
    let scripts: Vec<&String> = assets.iter().filter(|a| a.ends_with(".js")).collect();
    assert!(
        !scripts.is_empty() && assets.iter().any(|a| a.ends_with(".css")),
        "{assets:?}"
    );
    let mut initializer = None;
    for asset in &assets {
        assert!(
            !asset.contains("://") && !asset.starts_with("//"),
            "asset {asset} is not local"
        );
        let path = if asset.starts_with('/') {
            asset.clone()
        } else {
            format!("/docs/{}", asset.trim_start_matches("./"))
        };
        let resp = app.request(Method::GET, &path, None, None).await;
        assert_eq!(resp.status, 200, "{asset} from {path}");
        assert!(!resp.text.is_empty(), "{asset} is empty");
        if asset.contains("initializer") {
            initializer = Some(resp.text);
        }
    }
    let initializer = initializer.expect("index.html loads an initializer script");
    let foreign: Vec<String> = absolute_url_hosts(&initializer)
        .into_iter()
        .filter(|h| *h != own_host)
        .collect();
    assert!(
        foreign.is_empty(),
        "the initializer refers to other hosts: {foreign:?}\n{initializer}"
    );
    assert!(
        initializer.contains("/openapi.json"),
        "the docs render this server's document:\n{initializer}"
    );
    // Swagger UI's online validator badge would call validator.swagger.io unless switched off.
    assert!(
        initializer.contains("\"validatorUrl\": \"none\""),
        "the online validator is switched off:\n{initializer}"
    );
    app.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Command line.
// ---------------------------------------------------------------------------------------------

/// A fresh database for the command line: a SQLite file, or a PostgreSQL database next to
/// `MPAAS_TEST_DATABASE_URL`.
struct CliDb {
    url: String,
    _dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

impl CliDb {
    async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        match std::env::var("MPAAS_TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        {
            Some(admin_url) => {
                let name = format!("mpaas_cli_{}", uuid::Uuid::new_v4().simple());
                let mut conn = sqlx::PgConnection::connect(&admin_url)
                    .await
                    .expect("connect to MPAAS_TEST_DATABASE_URL");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create database");
                let _ = conn.close().await;
                let (server, _) = admin_url
                    .rsplit_once('/')
                    .expect("MPAAS_TEST_DATABASE_URL ends in /<database>");
                Self {
                    url: format!("{server}/{name}"),
                    _dir: dir,
                    postgres: Some((admin_url.clone(), name)),
                }
            }
            None => {
                let url = format!("sqlite://{}", dir.path().join("x.db").display());
                Self {
                    url,
                    _dir: dir,
                    postgres: None,
                }
            }
        }
    }

    async fn drop_database(self) {
        if let Some((admin_url, name)) = &self.postgres {
            if let Ok(mut conn) = sqlx::PgConnection::connect(admin_url).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await;
            }
        }
    }
}

/// The built binary with no inherited `MPAAS_*` setting, the sandbox off and quiet logs.
fn mpaas(database_url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mpaas"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("MPAAS_") {
            cmd.env_remove(name);
        }
    }
    cmd.env("MPAAS_SANDBOX", "false")
        .env("MPAAS_LOG_LEVEL", "warn")
        .arg("--database-url")
        .arg(database_url);
    cmd.stdin(Stdio::null()).kill_on_drop(true);
    cmd
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Asserts exit 0 and one JSON document on stdout.
    #[track_caller]
    fn json(&self) -> Value {
        assert_eq!(
            self.code,
            Some(0),
            "stdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }
}

async fn run(mut cmd: Command, args: &[&str]) -> Run {
    cmd.args(args);
    let out = tokio::time::timeout(Duration::from_secs(180), cmd.output())
        .await
        .unwrap_or_else(|_| panic!("mpaas {args:?} did not finish"))
        .expect("mpaas runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

fn set_of(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// A configuration value by setting name, whatever the key style (`admin_token`, `AdminToken`,
/// `MPAAS_ADMIN_TOKEN`).
fn setting<'a>(config: &'a Value, name: &str) -> &'a Value {
    let wanted: String = name
        .chars()
        .filter(|c| *c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    config
        .as_object()
        .expect("config is an object")
        .iter()
        .find(|(k, _)| {
            let key = k.chars().filter(|c| *c != '_').collect::<String>().to_ascii_lowercase();
            key == wanted || key.strip_prefix("mpaas") == Some(wanted.as_str())
        })
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no {name} in {config}"))
}

#[tokio::test]
async fn cli_prints_version_and_masked_config() {
    let db = CliDb::new().await;
    let version = run(mpaas(&db.url), &["version"]).await.json();
    assert_eq!(version, json!({"Version": env!("CARGO_PKG_VERSION")}));
    let secrets = [
        "cli-admin-token-0123456789",
        "cli-bootstrap-secret-0123456789",
        "cli-metrics-token-0123",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    ];
    let mut cmd = mpaas(&db.url);
    cmd.env("MPAAS_LISTEN", "10.0.0.1:1")
        .env("MPAAS_TOKEN_TTL_SECS", "60")
        .env("MPAAS_ADMIN_TOKEN", "env-admin-token-0123456789");
    let args = [
        "config",
        "--listen",
        "127.0.0.1:9",
        "--admin-token",
        secrets[0],
        "--bootstrap-account-key",
        "DID-cli",
        "--bootstrap-account-secret",
        secrets[1],
        "--metrics-token",
        secrets[2],
        "--master-key",
        secrets[3],
    ];
    let out = run(cmd, &args).await;
    let config = out.json();
    for secret in secrets.iter().chain(["env-admin-token-0123456789"].iter()) {
        assert!(
            !out.stdout.contains(secret) && !out.stderr.contains(secret),
            "a secret was printed: {}",
            out.stdout
        );
    }
    for name in [
        "admin_token",
        "bootstrap_account_secret",
        "metrics_token",
        "master_key",
    ] {
        assert_eq!(setting(&config, name), "********", "{name}");
    }
    // Not secret: shown as set. Flag > environment > default.
    assert_eq!(setting(&config, "bootstrap_account_key"), "DID-cli");
    assert_eq!(setting(&config, "database_url"), db.url.as_str());
    assert_eq!(setting(&config, "listen"), "127.0.0.1:9");
    assert_eq!(setting(&config, "token_ttl_secs"), 60);
    assert_eq!(setting(&config, "sandbox"), false);
    assert_eq!(setting(&config, "default_rate_limit"), 0);
    assert_eq!(setting(&config, "role"), "all");
    // Unset secrets stay null rather than masked.
    let bare = run(mpaas(&db.url), &["config"]).await.json();
    assert_eq!(setting(&bare, "admin_token"), &Value::Null);
    db.drop_database().await;
}

#[tokio::test]
async fn cli_openapi_prints_the_served_document() {
    let dir = tempfile::tempdir().unwrap();
    for sandbox in [true, false] {
        let mut cmd = mpaas("sqlite://unused.db");
        cmd.env("MPAAS_SANDBOX", sandbox.to_string())
            .current_dir(dir.path());
        let printed = run(cmd, &["openapi"]).await.json();
        let app = TestApp::start_with(|c| c.sandbox = sandbox).await;
        let served = openapi_of(&app).await;
        app.stop().await;
        assert!(
            first_difference(&served, &printed, "").is_none(),
            "sandbox {sandbox}: {:?}",
            first_difference(&served, &printed, "")
        );
        let file = dir.path().join(format!("openapi-{sandbox}.json"));
        let mut cmd = mpaas("sqlite://unused.db");
        cmd.env("MPAAS_SANDBOX", sandbox.to_string())
            .current_dir(dir.path());
        let out = run(cmd, &["openapi", "--output", file.to_str().unwrap()]).await;
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        assert!(
            out.stdout.is_empty(),
            "written to the file, not stdout: {}",
            out.stdout
        );
        let written: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(written, printed);
    }
    assert!(
        !dir.path().join("unused.db").exists(),
        "printing the document needs no database"
    );
}

#[tokio::test]
async fn cli_admin_commands_work_on_the_database() {
    let db = CliDb::new().await;
    // A fresh database has pending migrations.
    let check = run(mpaas(&db.url), &["migrate", "--check"]).await;
    assert_eq!(check.code, Some(1), "{}\n{}", check.stdout, check.stderr);
    let pending: Value = serde_json::from_str(&check.stdout).expect("JSON report");
    assert!(
        pending["Pending"].as_array().is_some_and(|p| !p.is_empty()),
        "{pending}"
    );

    let created = run(
        mpaas(&db.url),
        &["admin", "distributor", "create", "--name", "Acme Mobile"],
    )
    .await;
    let created_json = created.json();
    assert_eq!(
        keys(&created_json),
        set_of(&["DistributorId", "AccountKey", "Secret"])
    );
    let id = created_json["DistributorId"].as_str().unwrap().to_string();
    let first_secret = created_json["Secret"].as_str().unwrap().to_string();
    assert!(id.starts_with("DID-"), "{id}");
    assert_eq!(created_json["AccountKey"], id.as_str());
    assert!(
        first_secret.len() == 64
            && first_secret
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
        "{first_secret}"
    );

    let blank = run(
        mpaas(&db.url),
        &["admin", "distributor", "create", "--name", "  "],
    )
    .await;
    assert_eq!(blank.code, Some(1), "{}", blank.stdout);
    assert!(blank.stdout.is_empty());

    let listed = run(mpaas(&db.url), &["admin", "distributor", "list"]).await;
    let list = listed.json();
    assert_eq!(
        list["TotalDistributors"], 1,
        "sandbox off: no generated distributor: {list}"
    );
    let results = list["Results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["DistributorId"], id.as_str());
    assert_eq!(results[0]["DistributorName"], "Acme Mobile");
    assert!(results[0].get("Secret").is_none(), "{list}");
    assert!(!listed.stdout.contains(&first_secret));

    let rotated = run(
        mpaas(&db.url),
        &["admin", "distributor", "rotate-secret", &id.to_lowercase()],
    )
    .await
    .json();
    assert_eq!(
        keys(&rotated),
        set_of(&["DistributorId", "AccountKey", "Secret"])
    );
    assert_eq!(rotated["DistributorId"], id.as_str());
    let new_secret = rotated["Secret"].as_str().unwrap().to_string();
    assert_eq!(new_secret.len(), 64);
    assert_ne!(new_secret, first_secret);
    let unknown = run(
        mpaas(&db.url),
        &[
            "admin",
            "distributor",
            "rotate-secret",
            "DID-00000000-0000-7000-8000-000000000000",
        ],
    )
    .await;
    assert_eq!(unknown.code, Some(1));
    assert!(unknown.stdout.is_empty());

    let key = run(mpaas(&db.url), &["admin", "signing-key", "rotate"])
        .await
        .json();
    assert_eq!(keys(&key), set_of(&["RotatedOn"]));
    assert!(
        key["RotatedOn"]
            .as_str()
            .is_some_and(|t| t.contains('T') && t.ends_with("+00:00")),
        "{key}"
    );

    let token = run(
        mpaas(&db.url),
        &[
            "token",
            "--distributor",
            &id,
            "--endpoint",
            "/v1.0/account/create",
        ],
    )
    .await
    .json();
    assert_eq!(
        keys(&token),
        set_of(&["token", "successful", "tokenExpiry", "apiEndpoint"])
    );
    assert_eq!(token["successful"], true);
    assert_eq!(token["apiEndpoint"], "/v1.0/account/create");
    assert_eq!(token["token"].as_str().unwrap().split('.').count(), 3);
    let expiry = token["tokenExpiry"].as_str().unwrap();
    assert!(
        expiry.len() == 22 && (expiry.ends_with(" AM") || expiry.ends_with(" PM")),
        "{expiry}"
    );
    let bad_scope = run(
        mpaas(&db.url),
        &[
            "token",
            "--distributor",
            &id,
            "--endpoint",
            "/admin/v1/distributors",
        ],
    )
    .await;
    assert_eq!(bad_scope.code, Some(1));
    assert!(
        bad_scope
            .stderr
            .contains("ApiEndpoint does not match any API endpoint."),
        "{}",
        bad_scope.stderr
    );

    let check = run(mpaas(&db.url), &["migrate", "--check"]).await;
    assert_eq!(check.json(), json!({"Pending": []}));

    // A server on the same database accepts what the command line issued.
    let mut config = base_config(db.url.clone());
    config.sandbox = false;
    config.bootstrap_account_key = None;
    config.bootstrap_account_secret = None;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = mpaas::RunningServer::start(&config, listener)
        .await
        .expect("server starts");
    let base = format!("http://{}", server.addr);
    let client = reqwest::Client::new();
    let account = client
        .post(format!("{base}/v1.0/account/create"))
        .bearer_auth(token["token"].as_str().unwrap())
        .json(&json!({"AccountName": "From CLI token", "AccountAdmin": "cli@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(account.status(), 200);
    let account: Value = account.json().await.unwrap();
    assert_eq!(account["DistributorId"], id.as_str());
    let mint = |secret: String| {
        let client = client.clone();
        let base = base.clone();
        let id = id.clone();
        async move {
            let body = json!({"AccountKey": id, "AccountSecret": secret, "ApiEndpoint": "/v1.0/distributor/accounts"});
            client
                .post(format!("{base}/v1.0/oauth2/tokens"))
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(
        mint(first_secret.clone()).await,
        401,
        "the rotated-out secret no longer works"
    );
    assert_eq!(mint(new_secret.clone()).await, 200);
    // The command line works while the server runs.
    let list = run(mpaas(&db.url), &["admin", "distributor", "list"])
        .await
        .json();
    assert_eq!(list["Results"][0]["TotalAccounts"], 1, "{list}");
    server.stop().await;
    db.drop_database().await;
}

#[tokio::test]
async fn cli_usage_errors_exit_2() {
    let db = CliDb::new().await;
    for args in [
        &["frobnicate"][..],
        &["admin", "distributor", "explode"],
        &["token", "--distributor", "DID-x"],
        &["migrate", "--nope"],
        &[],
    ] {
        let out = run(mpaas(&db.url), args).await;
        assert_eq!(
            out.code,
            Some(2),
            "{args:?}: {}\n{}",
            out.stdout,
            out.stderr
        );
        assert!(
            out.stdout.is_empty(),
            "{args:?}: usage goes to stderr: {}",
            out.stdout
        );
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
    db.drop_database().await;
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits for the child to exit, killing it after `secs`.
async fn exit_code(child: &mut Child, secs: u64) -> Option<i32> {
    match tokio::time::timeout(Duration::from_secs(secs), child.wait()).await {
        Ok(status) => status.expect("wait").code(),
        Err(_) => {
            let _ = child.kill().await;
            panic!("mpaas did not exit within {secs} s");
        }
    }
}

#[tokio::test]
async fn serve_refuses_half_of_the_bootstrap_credentials() {
    for (var, value) in [
        ("MPAAS_BOOTSTRAP_ACCOUNT_KEY", "DID-half"),
        (
            "MPAAS_BOOTSTRAP_ACCOUNT_SECRET",
            "a-secret-of-some-length-0123",
        ),
    ] {
        let db = CliDb::new().await;
        let mut cmd = mpaas(&db.url);
        cmd.env(var, value)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn mpaas serve");
        let code = exit_code(&mut child, 120).await;
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .await
            .unwrap();
        let mut stdout = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .await
            .unwrap();
        assert_eq!(code, Some(1), "{var} alone: {stderr}");
        assert!(stderr.contains("MPAAS_BOOTSTRAP_ACCOUNT_KEY and MPAAS_BOOTSTRAP_ACCOUNT_SECRET must be set together"), "{stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        db.drop_database().await;
    }
}

/// A running `mpaas serve` with its output streams.
struct Served {
    child: Child,
    base: String,
    stdout: BufReader<tokio::process::ChildStdout>,
    stderr: tokio::task::JoinHandle<String>,
}

async fn spawn_serve(db: &CliDb) -> Served {
    let port = free_port();
    let mut cmd = mpaas(&db.url);
    cmd.env("MPAAS_SANDBOX", "true")
        .env("MPAAS_LOG_LEVEL", "info")
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn mpaas serve");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut err = child.stderr.take().unwrap();
    let stderr = tokio::spawn(async move {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s).await;
        s
    });
    Served {
        child,
        base: format!("http://127.0.0.1:{port}"),
        stdout,
        stderr,
    }
}

impl Served {
    async fn wait_healthy(&mut self) {
        let client = reqwest::Client::new();
        for _ in 0..600 {
            if let Ok(resp) = client.get(format!("{}/healthz", self.base)).send().await {
                assert_eq!(resp.status(), 200);
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("mpaas serve exited early with {status}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("mpaas serve did not become healthy");
    }

    /// Sends SIGTERM, waits for the exit and returns (exit code, rest of stdout, stderr).
    async fn terminate(mut self) -> (Option<i32>, String, String) {
        let pid = self.child.id().expect("running").to_string();
        let kill = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        assert!(kill.success());
        let code = exit_code(&mut self.child, 60).await;
        let mut rest = String::new();
        self.stdout.read_to_string(&mut rest).await.unwrap();
        let stderr = self.stderr.await.unwrap();
        (code, rest, stderr)
    }
}

#[tokio::test]
async fn serve_prints_generated_credentials_once_and_stops_on_sigterm() {
    let db = CliDb::new().await;
    let mut first = spawn_serve(&db).await;
    let mut line = String::new();
    tokio::time::timeout(Duration::from_secs(180), first.stdout.read_line(&mut line))
        .await
        .expect("a line on stdout")
        .unwrap();
    let credentials: Value = serde_json::from_str(line.trim_end())
        .unwrap_or_else(|e| panic!("not JSON ({e}): {line:?}"));
    assert!(
        line.ends_with('\n') && !line.trim_end().contains('\n'),
        "one line: {line:?}"
    );
    assert_eq!(
        keys(&credentials),
        set_of(&["DistributorId", "AccountKey", "Secret"])
    );
    assert_eq!(credentials["DistributorId"], credentials["AccountKey"]);
    first.wait_healthy().await;
    let client = reqwest::Client::new();
    let body = json!({"AccountKey": credentials["AccountKey"], "AccountSecret": credentials["Secret"], "ApiEndpoint": "/v1.0/account/create"});
    let minted = client
        .post(format!("{}/v1.0/oauth2/tokens", first.base))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(minted.status(), 200, "the printed credentials work");
    let (code, rest, stderr) = first.terminate().await;
    assert_eq!(code, Some(0), "graceful exit on SIGTERM: {stderr}");
    assert!(
        rest.is_empty(),
        "exactly one line on stdout; also got {rest:?}"
    );
    assert!(!stderr.is_empty(), "logs go to stderr");

    let mut second = spawn_serve(&db).await;
    second.wait_healthy().await;
    let minted = client
        .post(format!("{}/v1.0/oauth2/tokens", second.base))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(minted.status(), 200, "the same distributor after a restart");
    let (code, stdout, stderr) = second.terminate().await;
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.is_empty(),
        "a second start prints nothing: {stdout:?}"
    );
    assert!(
        !stderr.contains(credentials["Secret"].as_str().unwrap()),
        "the secret is never shown again"
    );
    db.drop_database().await;
}
