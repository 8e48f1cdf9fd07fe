//! The `mpaas` command line: the version, the masked configuration, the OpenAPI document, the
//! admin commands on the database and usage errors.

use serde_json::{json, Value};

use crate::common::{base_config, TestApp};
use crate::support::{first_difference, keys, mpaas, openapi_of, run, set_of, CliDb};

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
            let key = k
                .chars()
                .filter(|c| *c != '_')
                .collect::<String>()
                .to_ascii_lowercase();
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
