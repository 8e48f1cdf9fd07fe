//! `mpaas serve` as a process: half of the bootstrap credentials refused, generated credentials
//! printed once, and a graceful stop on SIGTERM.

use std::process::Stdio;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::Child;

use crate::support::{keys, mpaas, set_of, CliDb};

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
