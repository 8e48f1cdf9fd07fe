//! Test harness: starts the real application on 127.0.0.1:0 against a fresh database (SQLite by
//! default; PostgreSQL when `MPAAS_TEST_DATABASE_URL` is set) and drives it over HTTP.

#![allow(dead_code)]

mod fixtures;

use std::time::Duration;

use mpaas::{Config, RunningServer};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::Connection;

/// Admin token used by every test server.
pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789";
/// Bootstrap distributor key of every test server.
pub const KEY: &str = "DID-019a492e-31b2-7238-b924-56de3eb13b90";
/// Bootstrap distributor secret of every test server.
pub const SECRET: &str = "a9c082e3733b828ecc070d68652d501d0db5a183e32a4ddab8876a563f5524f3";

/// A response: status, headers and the body parsed as JSON (`Null` when empty or not JSON).
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Resp {
    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `Detail` of a problem body.
    pub fn detail(&self) -> &str {
        self.body["Detail"].as_str().unwrap_or_default()
    }

    /// Asserts status and `Detail`, and that the body is a well-formed problem.
    #[track_caller]
    pub fn assert_problem(&self, status: u16, detail: &str) {
        assert_eq!(self.status.as_u16(), status, "status of {}", self.text);
        assert_eq!(self.detail(), detail, "detail of {}", self.text);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json")
        );
        assert_eq!(self.body["Status"], json!(status));
        assert_eq!(
            self.body["TraceId"].as_str(),
            self.header("x-request-id"),
            "TraceId equals X-Request-Id"
        );
    }

    /// Asserts a 400 whose `Errors` holds `message` under `$.field`.
    #[track_caller]
    pub fn assert_field_error(&self, field: &str, message: &str) {
        assert_eq!(self.status.as_u16(), 400, "status of {}", self.text);
        assert_eq!(
            self.body["Title"], "One or more validation errors occurred.",
            "{}",
            self.text
        );
        let path = if field.is_empty() {
            "$".to_string()
        } else {
            format!("$.{field}")
        };
        let messages = self.body["Errors"][&path]
            .as_array()
            .unwrap_or_else(|| panic!("no Errors[{path}] in {}", self.text));
        assert!(
            messages.iter().any(|m| m == message),
            "Errors[{path}] lacks {message:?}: {}",
            self.text
        );
    }

    /// Asserts 200 and returns the body.
    #[track_caller]
    pub fn ok(self) -> Value {
        assert_eq!(self.status, StatusCode::OK, "{}", self.text);
        self.body
    }
}

/// Where the test database lives.
enum TestDb {
    Sqlite(tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

/// A running application with its own fresh database.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub server: Option<RunningServer>,
    pub config: Config,
    db: TestDb,
}

/// The configuration every test starts from.
pub fn base_config(database_url: String) -> Config {
    Config {
        listen: "127.0.0.1:0".into(),
        database_url,
        db_max_connections: 5,
        auto_migrate: true,
        role: "all".into(),
        admin_token: Some(ADMIN_TOKEN.into()),
        token_ttl_secs: 900,
        bootstrap_account_key: Some(KEY.into()),
        bootstrap_account_secret: Some(SECRET.into()),
        master_key: None,
        public_base_url: None,
        sandbox: true,
        clock_start: None,
        job_concurrency: 4,
        job_poll_ms: 50,
        event_retention_days: 30,
        allow_private_webhooks: None,
        webhook_timeout_secs: 5,
        webhook_max_in_flight: 10,
        default_rate_limit: 0,
        metrics_token: None,
        log_format: "text".into(),
        log_level: "warn".into(),
        numbers: mpaas::number_config::NumberConfig::default(),
    }
}

/// True when the suite runs against PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var("MPAAS_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty())
}

async fn fresh_database() -> (TestDb, String) {
    match std::env::var("MPAAS_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(admin_url) => {
            let name = format!("mpaas_test_{}", uuid::Uuid::new_v4().simple());
            let mut conn = sqlx::PgConnection::connect(&admin_url)
                .await
                .expect("connect to MPAAS_TEST_DATABASE_URL");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create test database");
            let _ = conn.close().await;
            let url = match admin_url.rsplit_once('/') {
                Some((server, _)) => format!("{server}/{name}"),
                None => panic!("MPAAS_TEST_DATABASE_URL must end in /<database>"),
            };
            (TestDb::Postgres { admin_url, name }, url)
        }
        None => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}", dir.path().join("mpaas.db").display());
            (TestDb::Sqlite(dir), url)
        }
    }
}

/// Drops a PostgreSQL test database (a SQLite one goes with its temporary directory).
async fn drop_database(db: &TestDb) {
    if let TestDb::Postgres { admin_url, name } = db {
        if let Ok(mut conn) = sqlx::PgConnection::connect(admin_url).await {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await;
        }
    }
}

/// A fresh database (as every test gets) for a server process the test starts itself.
pub struct FreshDatabase {
    /// The URL to hand to `mpaas --database-url`.
    pub url: String,
    db: TestDb,
}

impl FreshDatabase {
    /// A temporary SQLite file, or a new PostgreSQL database when `MPAAS_TEST_DATABASE_URL` is set.
    pub async fn create() -> Self {
        let (db, url) = fresh_database().await;
        Self { url, db }
    }

    /// Drops it.
    pub async fn remove(self) {
        drop_database(&self.db).await;
    }
}

impl TestApp {
    /// Starts the application with the default test configuration.
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Starts the application after `adjust` changes the configuration.
    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> Self {
        let (db, url) = fresh_database().await;
        let mut config = base_config(url);
        adjust(&mut config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let server = RunningServer::start(&config, listener)
            .await
            .expect("server starts");
        let base = format!("http://{}", server.addr);
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("client");
        Self {
            base,
            client,
            server: Some(server),
            config,
            db,
        }
    }

    /// The running server (services, clock).
    pub fn server(&self) -> &RunningServer {
        self.server.as_ref().expect("server running")
    }

    /// Stops the server and drops a PostgreSQL test database.
    pub async fn stop(mut self) {
        if let Some(server) = self.server.take() {
            server.stop().await;
        }
        drop_database(&self.db).await;
    }

    /// Any request; `body` is sent as JSON when given.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Resp {
        let mut req = self
            .client
            .request(method, format!("{}{}", self.base, path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        into_resp(req.send().await.expect("request sent")).await
    }

    /// A request built by the caller (raw bodies, custom headers).
    pub async fn send(&self, req: reqwest::RequestBuilder) -> Resp {
        into_resp(req.send().await.expect("request sent")).await
    }

    /// `POST path` with a JSON body.
    pub async fn post(&self, path: &str, token: &str, body: Value) -> Resp {
        self.request(Method::POST, path, Some(token), Some(&body))
            .await
    }

    /// `GET path` (with its query).
    pub async fn get(&self, path: &str, token: &str) -> Resp {
        self.request(Method::GET, path, Some(token), None).await
    }

    /// `POST` to the admin API with the admin token.
    pub async fn admin_post(&self, path: &str, body: Value) -> Resp {
        self.post(path, ADMIN_TOKEN, body).await
    }

    /// Mints a token with explicit credentials.
    pub async fn mint(&self, key: &str, secret: &str, endpoint: &str) -> Resp {
        let body = json!({"AccountKey": key, "AccountSecret": secret, "ApiEndpoint": endpoint});
        self.request(Method::POST, "/v1.0/oauth2/tokens", None, Some(&body))
            .await
    }

    /// A token of the bootstrap distributor for `endpoint`.
    pub async fn token(&self, endpoint: &str) -> String {
        self.token_for(KEY, SECRET, endpoint).await
    }

    /// A token of any distributor for `endpoint`.
    pub async fn token_for(&self, key: &str, secret: &str, endpoint: &str) -> String {
        let resp = self.mint(key, secret, endpoint).await;
        assert_eq!(
            resp.status,
            StatusCode::OK,
            "minting for {endpoint}: {}",
            resp.text
        );
        resp.body["token"].as_str().expect("token").to_string()
    }

    /// `POST path` as the bootstrap distributor with a token minted for that path.
    pub async fn call(&self, path: &str, body: Value) -> Resp {
        let token = self.token(path).await;
        self.post(path, &token, body).await
    }

    /// `GET path_and_query` as the bootstrap distributor with a token minted for the path.
    pub async fn fetch(&self, path_and_query: &str) -> Resp {
        let path = path_and_query.split('?').next().unwrap_or_default();
        let token = self.token(path).await;
        self.get(path_and_query, &token).await
    }

    /// Creates a second distributor through the admin API; returns (key, secret).
    pub async fn new_distributor(&self, name: &str) -> (String, String) {
        let d = self
            .admin_post("/admin/v1/distributors", json!({"DistributorName": name}))
            .await
            .ok();
        (
            d["AccountKey"].as_str().unwrap().to_string(),
            d["Secret"].as_str().unwrap().to_string(),
        )
    }

    /// Creates an account of the bootstrap distributor; returns its id.
    pub async fn new_account(&self, name: &str) -> String {
        let body = json!({"AccountName": name, "AccountAdmin": format!("admin.{}@example.com", uuid::Uuid::new_v4().simple())});
        let account = self.call("/v1.0/account/create", body).await.ok();
        account["AccountId"].as_str().unwrap().to_string()
    }

    /// Creates a subscriber in `account`; returns the subscriber object.
    pub async fn new_subscriber(&self, account: &str, email: &str) -> Value {
        let body = json!({"Name": "Test Person", "Email": email, "Password": "Temp-Passw0rd!", "AccountId": account});
        self.call("/v1.0/subscribers/create", body).await.ok()
    }

    /// Events of a distributor straight from the outbox, oldest first.
    pub async fn events(&self, distributor: &str) -> Vec<(String, String, Value)> {
        let store = self.server().services.store();
        let mut conn = store.reader().await.expect("reader");
        let rows = mpaas_store::events::list_for_distributor(&mut conn, distributor)
            .await
            .expect("events");
        rows.into_iter()
            .map(|r| {
                (
                    r.event_type,
                    r.resource_id,
                    serde_json::from_str(&r.data).expect("event data is JSON"),
                )
            })
            .collect()
    }
}

async fn into_resp(resp: reqwest::Response) -> Resp {
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Resp {
        status,
        headers,
        body,
        text,
    }
}
