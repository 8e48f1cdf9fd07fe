//! The real `mpaas` binary as a child process on 127.0.0.1, and a small client for its API.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::{ADMIN_TOKEN, KEY, SECRET};

/// How long a start may take before the test gives up (debug build, migrations, busy machine).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running `mpaas serve` process; killed when dropped.
pub struct Serve {
    child: Child,
    pub base: String,
    log: PathBuf,
    client: reqwest::Client,
    tokens: Mutex<HashMap<String, String>>,
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

impl Serve {
    /// Starts `mpaas serve` on `database_url` with its clock frozen at `clock_start` (first start
    /// only: later starts keep the stored clock) and waits until it is ready. `run` numbers the
    /// log file in `dir`.
    pub async fn start(database_url: &str, clock_start: &str, dir: &Path, run: u32) -> Self {
        let port = free_port();
        let log = dir.join(format!("serve-{run}.log"));
        let mut command = Command::new(env!("CARGO_BIN_EXE_mpaas"));
        for (name, _) in std::env::vars() {
            if name.starts_with("MPAAS_") {
                command.env_remove(name);
            }
        }
        command
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(["--database-url", database_url])
            .env("MPAAS_ADMIN_TOKEN", ADMIN_TOKEN)
            .env("MPAAS_BOOTSTRAP_ACCOUNT_KEY", KEY)
            .env("MPAAS_BOOTSTRAP_ACCOUNT_SECRET", SECRET)
            .env("MPAAS_CLOCK_START", clock_start)
            .env("MPAAS_JOB_POLL_MS", "50")
            // Attempts held by the receiver must still be in flight when the process is killed.
            .env("MPAAS_WEBHOOK_TIMEOUT_SECS", "50")
            .env("MPAAS_LOG_LEVEL", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(File::create(&log).expect("log file"));
        let child = command.spawn().expect("start the mpaas binary");
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client");
        let mut serve = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
            client,
            tokens: Mutex::default(),
        };
        serve.wait_ready().await;
        serve
    }

    async fn wait_ready(&mut self) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("child status") {
                panic!("mpaas exited with {status}:\n{}", self.log_tail());
            }
            let ready = self
                .client
                .get(format!("{}/readyz", self.base))
                .send()
                .await;
            if ready.is_ok_and(|r| r.status() == 200) {
                return;
            }
            assert!(
                started.elapsed() < START_TIMEOUT,
                "mpaas not ready after {START_TIMEOUT:?}:\n{}",
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Kills the process with SIGKILL: no shutdown, no cleanup, leases left as they were.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reap");
    }

    /// The last lines the process logged.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> (u16, Value) {
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// A token of the bootstrap distributor for `path` (minted once per path).
    async fn token(&self, path: &str) -> String {
        if let Some(token) = self.tokens.lock().unwrap().get(path) {
            return token.clone();
        }
        let body = json!({"AccountKey": KEY, "AccountSecret": SECRET, "ApiEndpoint": path});
        let request = self
            .client
            .post(format!("{}/v1.0/oauth2/tokens", self.base))
            .json(&body);
        let (status, answer) = self.send(request).await;
        assert_eq!(status, 200, "minting for {path}: {answer}");
        let token = answer["token"].as_str().expect("token").to_string();
        self.tokens
            .lock()
            .unwrap()
            .insert(path.to_string(), token.clone());
        token
    }

    /// `POST path` as the bootstrap distributor; asserts 200.
    pub async fn call(&self, path: &str, body: Value) -> Value {
        let token = self.token(path).await;
        self.post_with(path, &token, body).await
    }

    /// `POST path` with the admin token; asserts 200.
    pub async fn admin_call(&self, path: &str, body: Value) -> Value {
        self.post_with(path, ADMIN_TOKEN, body).await
    }

    async fn post_with(&self, path: &str, token: &str, body: Value) -> Value {
        let request = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .json(&body);
        let (status, answer) = self.send(request).await;
        assert_eq!(status, 200, "POST {path}: {answer}");
        answer
    }

    /// `GET path?query` as the bootstrap distributor; asserts 200.
    pub async fn fetch(&self, path_and_query: &str) -> Value {
        let path = path_and_query.split('?').next().unwrap_or_default();
        let token = self.token(path).await;
        let request = self
            .client
            .get(format!("{}{path_and_query}", self.base))
            .bearer_auth(token);
        let (status, answer) = self.send(request).await;
        assert_eq!(status, 200, "GET {path_and_query}: {answer}");
        answer
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
