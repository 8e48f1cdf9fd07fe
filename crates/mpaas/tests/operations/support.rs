//! Helpers shared by the operations tests: the served OpenAPI document and its comparison, and the
//! built binary run on a fresh database.

use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::Duration;

use reqwest::Method;
use serde_json::Value;
use sqlx::Connection;
use tokio::process::Command;

use crate::common::TestApp;

pub async fn openapi_of(app: &TestApp) -> Value {
    let resp = app.request(Method::GET, "/openapi.json", None, None).await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert!(resp
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    resp.body
}

/// The JSON pointer of the first difference between two documents.
pub fn first_difference(expected: &Value, actual: &Value, at: &str) -> Option<String> {
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

/// A fresh database for the command line: a SQLite file, or a PostgreSQL database next to
/// `MPAAS_TEST_DATABASE_URL`.
pub struct CliDb {
    pub url: String,
    _dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

impl CliDb {
    pub async fn new() -> Self {
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

    pub async fn drop_database(self) {
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
pub fn mpaas(database_url: &str) -> Command {
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

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts exit 0 and one JSON document on stdout.
    #[track_caller]
    pub fn json(&self) -> Value {
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

pub async fn run(mut cmd: Command, args: &[&str]) -> Run {
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

pub fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

pub fn set_of(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}
