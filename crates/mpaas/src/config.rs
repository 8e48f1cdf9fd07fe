//! Configuration: command-line flag > `MPAAS_*` environment variable > default
//! (`10-platform.md` §11). Secret settings are never printed or logged.

use clap::builder::BoolishValueParser;
use clap::ArgAction;
use clap::Args;
use serde::Serialize;

use crate::number_config::NumberConfig;

/// Every setting of the platform.
#[derive(Args, Clone, Debug, Serialize)]
pub struct Config {
    /// HTTP listen address.
    #[arg(
        long,
        env = "MPAAS_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen: String,

    /// `sqlite://…` or `postgres://…`.
    #[arg(
        long,
        env = "MPAAS_DATABASE_URL",
        default_value = "sqlite://mpaas.db",
        global = true
    )]
    pub database_url: String,

    /// Pool size per process.
    #[arg(
        long,
        env = "MPAAS_DB_MAX_CONNECTIONS",
        default_value_t = 10,
        global = true
    )]
    pub db_max_connections: u32,

    /// Apply migrations at `serve` start.
    #[arg(long, env = "MPAAS_AUTO_MIGRATE", default_value = "true", value_parser = BoolishValueParser::new(), action = ArgAction::Set, global = true)]
    pub auto_migrate: bool,

    /// `all`, `api` or `worker`.
    #[arg(long, env = "MPAAS_ROLE", default_value = "all", global = true)]
    pub role: String,

    /// Bearer for `/admin/v1` (at least 16 characters); unset disables the admin API.
    #[arg(long, env = "MPAAS_ADMIN_TOKEN", global = true, hide_env_values = true)]
    #[serde(serialize_with = "mask")]
    pub admin_token: Option<String>,

    /// Distributor token lifetime in seconds.
    #[arg(
        long,
        env = "MPAAS_TOKEN_TTL_SECS",
        default_value_t = 900,
        global = true
    )]
    pub token_ttl_secs: i64,

    /// First-start distributor key.
    #[arg(long, env = "MPAAS_BOOTSTRAP_ACCOUNT_KEY", global = true)]
    pub bootstrap_account_key: Option<String>,

    /// First-start distributor secret.
    #[arg(
        long,
        env = "MPAAS_BOOTSTRAP_ACCOUNT_SECRET",
        global = true,
        hide_env_values = true
    )]
    #[serde(serialize_with = "mask")]
    pub bootstrap_account_secret: Option<String>,

    /// 32 bytes, base64: encrypts route and webhook secrets (generated and stored when unset).
    #[arg(long, env = "MPAAS_MASTER_KEY", global = true, hide_env_values = true)]
    #[serde(serialize_with = "mask")]
    pub master_key: Option<String>,

    /// Base of URLs the platform hands out (default `http://` + listen address).
    #[arg(long, env = "MPAAS_PUBLIC_BASE_URL", global = true)]
    pub public_base_url: Option<String>,

    /// Enable the network simulator and `/sandbox/v1`; production sets `false`.
    #[arg(long, env = "MPAAS_SANDBOX", default_value = "true", value_parser = BoolishValueParser::new(), action = ArgAction::Set, global = true)]
    pub sandbox: bool,

    /// Sandbox: start with the clock frozen at this RFC 3339 instant.
    #[arg(long, env = "MPAAS_CLOCK_START", global = true)]
    pub clock_start: Option<String>,

    /// Jobs run at once per worker process.
    #[arg(
        long,
        env = "MPAAS_JOB_CONCURRENCY",
        default_value_t = 8,
        global = true
    )]
    pub job_concurrency: usize,

    /// Job poll interval in milliseconds.
    #[arg(long, env = "MPAAS_JOB_POLL_MS", default_value_t = 500, global = true)]
    pub job_poll_ms: u64,

    /// Days of platform time events are kept.
    #[arg(
        long,
        env = "MPAAS_EVENT_RETENTION_DAYS",
        default_value_t = 30,
        global = true
    )]
    pub event_retention_days: i64,

    /// Lift the SSRF address check on webhook targets (default: the value of `MPAAS_SANDBOX`).
    #[arg(long, env = "MPAAS_ALLOW_PRIVATE_WEBHOOKS", value_parser = BoolishValueParser::new(), action = ArgAction::Set, global = true)]
    pub allow_private_webhooks: Option<bool>,

    /// Timeout of one webhook delivery attempt, in seconds.
    #[arg(
        long,
        env = "MPAAS_WEBHOOK_TIMEOUT_SECS",
        default_value_t = 10,
        global = true
    )]
    pub webhook_timeout_secs: u64,

    /// Webhook attempts in flight per target.
    #[arg(
        long,
        env = "MPAAS_WEBHOOK_MAX_IN_FLIGHT",
        default_value_t = 10,
        global = true
    )]
    pub webhook_max_in_flight: usize,

    /// Requests per minute per distributor, `0` = unlimited.
    #[arg(
        long,
        env = "MPAAS_DEFAULT_RATE_LIMIT",
        default_value_t = 0,
        global = true
    )]
    pub default_rate_limit: i64,

    /// Protects `/metrics` when set.
    #[arg(
        long,
        env = "MPAAS_METRICS_TOKEN",
        global = true,
        hide_env_values = true
    )]
    #[serde(serialize_with = "mask")]
    pub metrics_token: Option<String>,

    /// `text` or `json`.
    #[arg(long, env = "MPAAS_LOG_FORMAT", default_value = "text", global = true)]
    pub log_format: String,

    /// Filter directive (`info`, `mpaas=debug`).
    #[arg(long, env = "MPAAS_LOG_LEVEL", default_value = "info", global = true)]
    pub log_level: String,

    /// Numbers, SIMs and the sandbox inventory.
    #[command(flatten)]
    pub numbers: NumberConfig,
}

fn mask<S: serde::Serializer>(value: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(_) => s.serialize_str("********"),
        None => s.serialize_none(),
    }
}

impl Config {
    /// Checks values that clap cannot.
    pub fn validate(&self) -> anyhow::Result<()> {
        if let Some(token) = &self.admin_token {
            anyhow::ensure!(
                token.chars().count() >= 16,
                "MPAAS_ADMIN_TOKEN must be at least 16 characters"
            );
        }
        anyhow::ensure!(
            matches!(self.role.as_str(), "all" | "api" | "worker"),
            "MPAAS_ROLE must be all, api or worker"
        );
        anyhow::ensure!(
            matches!(self.log_format.as_str(), "text" | "json"),
            "MPAAS_LOG_FORMAT must be text or json"
        );
        anyhow::ensure!(
            self.token_ttl_secs > 0,
            "MPAAS_TOKEN_TTL_SECS must be positive"
        );
        anyhow::ensure!(
            self.default_rate_limit >= 0,
            "MPAAS_DEFAULT_RATE_LIMIT must be 0 or more"
        );
        anyhow::ensure!(
            // Below the 60 s job lease, so a slow attempt is never taken over and sent twice.
            (1..=50).contains(&self.webhook_timeout_secs),
            "MPAAS_WEBHOOK_TIMEOUT_SECS must be between 1 and 50"
        );
        anyhow::ensure!(
            self.webhook_max_in_flight >= 1,
            "MPAAS_WEBHOOK_MAX_IN_FLIGHT must be 1 or more"
        );
        if self.role != "all" {
            anyhow::ensure!(
                !self.database_url.to_ascii_lowercase().starts_with("sqlite"),
                "--role api/worker requires PostgreSQL"
            );
        }
        self.numbers.settings(
            self.public_base_url
                .as_deref()
                .unwrap_or("http://localhost"),
        )?;
        if let Some(start) = &self.clock_start {
            anyhow::ensure!(
                mpaas_core::Timestamp::parse_rfc3339(start).is_some(),
                "MPAAS_CLOCK_START must be an RFC 3339 timestamp"
            );
        }
        Ok(())
    }
}
