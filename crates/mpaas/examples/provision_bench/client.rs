//! A small HTTP client of the running server: one token per endpoint, JSON in and out.

use std::collections::HashMap;
use std::sync::Mutex;

use anyhow::{ensure, Context};
use serde_json::{json, Value};

/// The bootstrap distributor talking to the server.
pub struct Client {
    http: reqwest::Client,
    pub base: String,
    key: String,
    secret: String,
    tokens: Mutex<HashMap<String, String>>,
    /// An account with a message route.
    pub account: String,
    pub route: String,
}

impl Client {
    /// Connects as the distributor created at first start and sets up an account and a route.
    pub async fn connect(server: &mpaas::RunningServer) -> anyhow::Result<Self> {
        let credentials = server
            .credentials
            .as_ref()
            .context("the benchmark needs a fresh database (credentials printed at first start)")?;
        let mut client = Self {
            http: reqwest::Client::builder()
                .pool_max_idle_per_host(256)
                .build()?,
            base: format!("http://{}", server.addr),
            key: credentials.account_key.clone(),
            secret: credentials.secret.clone(),
            tokens: Mutex::default(),
            account: String::new(),
            route: String::new(),
        };
        let account = client
            .post(
                "/v1.0/account/create",
                &json!({"AccountName": "Bench", "AccountAdmin": "bench@example.com"}),
            )
            .await?;
        client.account = account["AccountId"]
            .as_str()
            .context("AccountId")?
            .to_string();
        let route = json!({"RouteName": "Bench", "MessageUrl": "https://hooks.example.com/sms", "AccountId": client.account});
        let route = client.post("/v1.0/message/routes", &route).await?;
        client.route = route["MessageRouteId"]
            .as_str()
            .context("MessageRouteId")?
            .to_string();
        Ok(client)
    }

    async fn token(&self, path: &str) -> anyhow::Result<String> {
        if let Some(t) = self.tokens.lock().expect("token cache").get(path) {
            return Ok(t.clone());
        }
        let body =
            json!({"AccountKey": self.key, "AccountSecret": self.secret, "ApiEndpoint": path});
        let resp: Value = self
            .http
            .post(format!("{}/v1.0/oauth2/tokens", self.base))
            .json(&body)
            .send()
            .await?
            .json()
            .await?;
        let token = resp["token"].as_str().context("token")?.to_string();
        self.tokens
            .lock()
            .expect("token cache")
            .insert(path.to_string(), token.clone());
        Ok(token)
    }

    /// `POST path`; fails on anything but 200.
    pub async fn post(&self, path: &str, body: &Value) -> anyhow::Result<Value> {
        let token = self.token(path).await?;
        let resp = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .json(body)
            .send()
            .await?;
        let status = resp.status();
        let text = resp.text().await?;
        ensure!(status.is_success(), "{path}: {status} {text}");
        Ok(serde_json::from_str(&text)?)
    }

    /// `GET path` without a token (health).
    pub async fn get_public(&self, path: &str) -> anyhow::Result<()> {
        let resp = self.http.get(format!("{}{path}", self.base)).send().await?;
        ensure!(resp.status().is_success(), "{path}: {}", resp.status());
        Ok(())
    }
}
