//! The `mpaas` command line (`10-platform.md` §12): JSON on stdout, diagnostics on stderr.

use clap::{Parser, Subcommand};
use mpaas_core::Paging;
use serde_json::json;

use crate::server::{prepare, serve};
use crate::Config;

/// mpaas: self-hostable MVNO provisioning platform.
#[derive(Parser, Debug)]
#[command(name = "mpaas", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Command,
}

/// Commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the server (migrates first when MPAAS_AUTO_MIGRATE).
    Serve,
    /// Apply pending migrations.
    Migrate {
        /// Only report pending migrations (exit 1 if any).
        #[arg(long)]
        check: bool,
    },
    /// Operator commands on the database, server running or not.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Mint a token for a distributor (operator tool, no secret needed).
    Token {
        /// Distributor id.
        #[arg(long)]
        distributor: String,
        /// Endpoint URL or path the token is for.
        #[arg(long)]
        endpoint: String,
        /// Lifetime in seconds (default MPAAS_TOKEN_TTL_SECS).
        #[arg(long)]
        ttl: Option<i64>,
    },
    /// Network simulator commands against a running server.
    Sandbox {
        #[command(subcommand)]
        command: SandboxCommand,
    },
    /// Print the OpenAPI document.
    Openapi {
        /// Write to this file instead of stdout.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
    /// Print the effective configuration, secrets masked.
    Config,
    /// Print the version.
    Version,
}

/// `mpaas admin …`.
#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Distributors.
    Distributor {
        #[command(subcommand)]
        command: DistributorCommand,
    },
    /// The token signing key.
    SigningKey {
        #[command(subcommand)]
        command: SigningKeyCommand,
    },
}

/// `mpaas admin distributor …`.
#[derive(Subcommand, Debug)]
pub enum DistributorCommand {
    /// Create a distributor; prints its credentials once.
    Create {
        /// Display name.
        #[arg(long)]
        name: String,
    },
    /// List distributors (no secrets).
    List,
    /// Issue a new secret; the old one and its tokens stop working.
    RotateSecret {
        /// Distributor id.
        id: String,
    },
}

/// `mpaas sandbox …`.
#[derive(Subcommand, Debug)]
pub enum SandboxCommand {
    /// Move the platform clock forward, running every job that falls due.
    Advance {
        /// How far: `90s`, `15m`, `2h`, `3d`.
        duration: Option<String>,
        /// Or up to this RFC 3339 instant.
        #[arg(long)]
        until: Option<String>,
        /// Base URL of the server (default MPAAS_PUBLIC_BASE_URL, else http:// + MPAAS_LISTEN).
        #[arg(long)]
        url: Option<String>,
    },
}

/// `mpaas admin signing-key …`.
#[derive(Subcommand, Debug)]
pub enum SigningKeyCommand {
    /// Replace the token signing key.
    Rotate,
}

fn print(value: &serde_json::Value) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string(value)?);
    Ok(())
}

fn service_error(e: mpaas_service::ServiceError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// Runs a command; the returned code is the process exit code.
pub async fn run(cli: Cli) -> anyhow::Result<i32> {
    let config = cli.config;
    match cli.command {
        Command::Serve => serve(&config).await.map(|()| 0),
        Command::Migrate { check } => migrate(&config, check).await,
        Command::Version => print(&json!({"Version": env!("CARGO_PKG_VERSION")})).map(|()| 0),
        Command::Config => print(&effective_config(&config)?).map(|()| 0),
        Command::Openapi { output } => {
            let doc = serde_json::to_string_pretty(&mpaas_http::openapi_document(config.sandbox))?;
            match output {
                Some(path) => std::fs::write(path, doc + "\n")?,
                None => println!("{doc}"),
            }
            Ok(0)
        }
        Command::Token {
            distributor,
            endpoint,
            ttl,
        } => {
            let services = prepared(&config).await?;
            let grant = services
                .mint_token_for(&distributor, &endpoint, ttl)
                .await
                .map_err(service_error)?;
            print(
                &json!({"token": grant.token, "successful": true, "tokenExpiry": grant.token_expiry, "apiEndpoint": endpoint}),
            )?;
            Ok(0)
        }
        Command::Admin { command } => admin(&config, command).await,
        Command::Sandbox {
            command:
                SandboxCommand::Advance {
                    duration,
                    until,
                    url,
                },
        } => crate::sandbox_cli::advance(&config, url, duration, until).await,
    }
}

/// The configuration keyed by environment variable, defaults resolved, secrets masked.
fn effective_config(config: &Config) -> anyhow::Result<serde_json::Value> {
    let mut resolved = config.clone();
    resolved.allow_private_webhooks = Some(config.allow_private_webhooks.unwrap_or(config.sandbox));
    resolved.database_url = mask_url_password(&config.database_url);
    let serde_json::Value::Object(fields) = serde_json::to_value(&resolved)? else {
        anyhow::bail!("configuration is not an object");
    };
    Ok(fields
        .into_iter()
        .map(|(k, v)| (format!("MPAAS_{}", k.to_ascii_uppercase()), v))
        .collect())
}

/// `postgres://user:secret@host/db` -> `postgres://user:********@host/db`.
fn mask_url_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rsplit_once('@') {
        Some((userinfo, host)) if userinfo.contains(':') => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!(
                "{scheme}://{user}:********@{host}{}",
                &rest[authority_end..]
            )
        }
        _ => url.to_string(),
    }
}

async fn prepared(config: &Config) -> anyhow::Result<mpaas_service::Services> {
    let prepared = prepare(config, config.auto_migrate).await?;
    if let Some(credentials) = prepared.credentials {
        // First start through the CLI: stdout carries the command's own JSON.
        eprintln!(
            "first start: generated distributor {}",
            serde_json::to_string(&credentials)?
        );
    }
    Ok(prepared.services)
}

async fn migrate(config: &Config, check: bool) -> anyhow::Result<i32> {
    config.validate()?;
    let store = mpaas_store::Store::connect(&mpaas_store::StoreOptions {
        url: config.database_url.clone(),
        max_connections: config.db_max_connections,
    })
    .await?;
    let pending = store.pending_migrations().await?;
    if check {
        print(&json!({"Pending": pending}))?;
        return Ok(if pending.is_empty() { 0 } else { 1 });
    }
    store.migrate().await?;
    print(&json!({"Applied": pending}))?;
    Ok(0)
}

async fn admin(config: &Config, command: AdminCommand) -> anyhow::Result<i32> {
    let services = prepared(config).await?;
    match command {
        AdminCommand::Distributor {
            command: DistributorCommand::Create { name },
        } => {
            let name = name.trim().to_string();
            anyhow::ensure!(
                (1..=200).contains(&name.chars().count()),
                "--name must be between 1 and 200 characters"
            );
            let input = mpaas_service::distributors::NewDistributorInput {
                name,
                ..Default::default()
            };
            let d = services
                .create_distributor(input)
                .await
                .map_err(service_error)?;
            print(
                &json!({"DistributorId": d.distributor_id, "AccountKey": d.account_key, "Secret": d.secret}),
            )?;
        }
        AdminCommand::Distributor {
            command: DistributorCommand::List,
        } => {
            let page = services
                .list_distributors(Paging {
                    page_number: 1,
                    page_size: 1000,
                })
                .await
                .map_err(service_error)?;
            print(&json!({"TotalDistributors": page.total, "Results": page.results}))?;
        }
        AdminCommand::Distributor {
            command: DistributorCommand::RotateSecret { id },
        } => {
            let r = services
                .rotate_distributor_secret(&id)
                .await
                .map_err(service_error)?;
            print(
                &json!({"DistributorId": r.distributor_id, "AccountKey": r.account_key, "Secret": r.secret}),
            )?;
        }
        AdminCommand::SigningKey {
            command: SigningKeyCommand::Rotate,
        } => {
            let at = services.rotate_signing_key().await.map_err(service_error)?;
            print(&json!({"RotatedOn": at}))?;
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::mask_url_password;

    #[test]
    fn database_passwords_are_masked() {
        assert_eq!(
            mask_url_password("postgres://u:p@h:5432/db"),
            "postgres://u:********@h:5432/db"
        );
        assert_eq!(mask_url_password("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(mask_url_password("sqlite://mpaas.db"), "sqlite://mpaas.db");
    }
}
