//! Crash recovery (`10-platform.md` §3, §4): the real binary is killed with SIGKILL while
//! deliveries are failed, in flight and not yet made, then started again on the same database.
//! Every event still reaches every endpoint, each delivery ends `Succeeded` exactly once, and
//! the jobs the dead process held are taken over once their lease (60 s, wall clock) runs out.

mod common;
#[path = "crash/receiver.rs"]
mod receiver;
#[path = "crash/serve.rs"]
mod serve;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::FreshDatabase;
use hmac::{Hmac, Mac};
use receiver::{Hit, Receiver};
use serde_json::{json, Value};
use serve::Serve;
use sha2::Sha256;
use sqlx::{Connection, Row};

/// The platform clock stays frozen here until the test advances it.
const START: &str = "2025-11-07T01:00:00Z";
/// Events created in the burst (one `account.created` each).
const ACCOUNTS: usize = 50;
/// First attempts the receiver fails with 503 before it starts holding requests.
const FAIL_FIRST: usize = 20;
/// Requests held unanswered before the process is killed.
const HELD_BEFORE_KILL: usize = 4;
/// Bound on recovery: the dead process's leases run out 60 s after it claimed its jobs.
const RECOVERY_TIMEOUT: Duration = Duration::from_secs(120);

/// An endpoint registered on the receiver.
struct Endpoint {
    path: &'static str,
    id: String,
    secret: String,
}

/// A job row as the database holds it.
#[derive(Debug)]
struct Job {
    id: String,
    kind: String,
    status: String,
    attempts: i64,
}

/// Every job, read straight from the database (the server may be dead).
async fn jobs(database_url: &str) -> Vec<Job> {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(database_url)
        .await
        .expect("open the database");
    let rows = sqlx::query("SELECT id, kind, status, attempts FROM jobs ORDER BY id")
        .fetch_all(&mut conn)
        .await
        .expect("read jobs");
    let _ = conn.close().await;
    rows.into_iter()
        .map(|r| Job {
            id: r.get(0),
            kind: r.get(1),
            status: r.get(2),
            attempts: r.get(3),
        })
        .collect()
}

/// Polls `done` every 100 ms until it holds; panics with `context()` after `timeout`.
async fn wait_until<F, C>(timeout: Duration, mut done: F, context: C)
where
    F: AsyncFnMut() -> bool,
    C: Fn() -> String,
{
    let started = Instant::now();
    while !done().await {
        assert!(
            started.elapsed() < timeout,
            "not done after {timeout:?}: {}",
            context()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Standard Webhooks signature of a request with `secret`.
fn signature(secret: &str, hit: &Hit) -> String {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").expect("whsec_ secret"))
        .expect("base64 secret");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("hmac key");
    mac.update(format!("{}.{}.{}", hit.webhook_id, hit.timestamp, hit.body).as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// Succeeded deliveries of an endpoint.
async fn succeeded(server: &Serve, endpoint: &Endpoint) -> i64 {
    let query = format!(
        "/v1.0/webhooks/deliveries?WebhookId={}&State=Succeeded&PageSize=1",
        endpoint.id
    );
    server.fetch(&query).await["TotalDeliveries"]
        .as_i64()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_process_loses_no_delivery_and_no_job() {
    let db = FreshDatabase::create().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let rx = Receiver::start(FAIL_FIRST).await;

    // First life: two endpoints, a burst of events, a receiver that fails then hangs.
    let first = Serve::start(&db.url, START, dir.path(), 1).await;
    let mut endpoints = Vec::new();
    for path in ["/a", "/b"] {
        let body = json!({"Url": rx.url(path), "EventTypes": ["account.created"]});
        let webhook = first.call("/v1.0/webhooks", body).await;
        endpoints.push(Endpoint {
            path,
            id: webhook["WebhookId"].as_str().unwrap().to_string(),
            secret: webhook["Secret"].as_str().unwrap().to_string(),
        });
    }
    let mut accounts = BTreeSet::new();
    for i in 0..ACCOUNTS {
        let body = json!({"AccountName": format!("Crash {i}"), "AccountAdmin": format!("crash.{i}@example.com")});
        let account = first.call("/v1.0/account/create", body).await;
        accounts.insert(account["AccountId"].as_str().unwrap().to_string());
    }
    wait_until(
        Duration::from_secs(60),
        async || {
            let (failed, held) = rx.failed_and_held();
            failed == FAIL_FIRST && held >= HELD_BEFORE_KILL
        },
        || format!("receiver (failed, held) = {:?}", rx.failed_and_held()),
    )
    .await;
    first.kill();

    let at_kill = jobs(&db.url).await;
    let held: Vec<&Job> = at_kill.iter().filter(|j| j.status == "Running").collect();
    assert!(
        held.len() >= HELD_BEFORE_KILL && held.iter().all(|j| j.kind == "delivery.attempt"),
        "the held attempts were running at the kill: {held:?}"
    );
    let queued = at_kill
        .iter()
        .filter(|j| j.status == "Queued" && j.kind != "housekeeping.prune")
        .count();
    assert!(
        queued >= FAIL_FIRST,
        "retries of the failed attempts are queued: {at_kill:?}"
    );

    // Second life on the same database; the receiver is healthy again.
    rx.recover();
    let second = Serve::start(&db.url, START, dir.path(), 2).await;
    // Retries of the failed attempts fall due 5 s (+/-20 %) later in platform time.
    second
        .admin_call("/sandbox/v1/clock/advance", json!({"Seconds": 10}))
        .await;
    wait_until(
        RECOVERY_TIMEOUT,
        async || {
            for endpoint in &endpoints {
                if succeeded(&second, endpoint).await < ACCOUNTS as i64 {
                    return false;
                }
            }
            true
        },
        || format!("not every delivery succeeded; log:\n{}", second.log_tail()),
    )
    .await;

    // Nothing lost: one account.created per account, each delivered to each endpoint.
    let events = second
        .fetch("/v1.0/events?Type=account.created&PageSize=1000")
        .await;
    let events = events["Results"].as_array().unwrap();
    let resources: BTreeSet<String> = events
        .iter()
        .map(|e| e["ResourceId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(resources, accounts, "one event per account");
    let event_ids: BTreeSet<String> = events
        .iter()
        .map(|e| e["EventId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(event_ids.len(), ACCOUNTS);

    for endpoint in &endpoints {
        let query = format!(
            "/v1.0/webhooks/deliveries?WebhookId={}&PageSize=1000",
            endpoint.id
        );
        let page = second.fetch(&query).await;
        assert_eq!(
            page["TotalDeliveries"], ACCOUNTS,
            "one row per event: {page}"
        );
        let rows = page["Results"].as_array().unwrap();
        let delivered: BTreeSet<String> = rows
            .iter()
            .map(|d| d["EventId"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            delivered, event_ids,
            "every event, once, to {}",
            endpoint.path
        );
        for row in rows {
            assert_eq!(row["State"], "Succeeded", "{row}");
            assert_eq!(row["NextAttemptOn"], Value::Null, "{row}");
            let attempts = row["Attempts"].as_array().unwrap();
            let ok: Vec<&Value> = attempts
                .iter()
                .filter(|a| {
                    a["ResponseStatus"]
                        .as_i64()
                        .is_some_and(|s| (200..300).contains(&s))
                })
                .collect();
            assert_eq!(ok.len(), 1, "succeeded exactly once: {row}");
            assert_eq!(
                attempts.last(),
                ok.first().copied(),
                "the success ends the series: {row}"
            );
        }
    }

    // The receiver saw only these events, each signed, each answered 2xx at least once per
    // endpoint; repeats are at-least-once retries carrying the same webhook-id.
    let mut answered: BTreeMap<(&str, String), usize> = BTreeMap::new();
    for hit in rx.hits() {
        let endpoint = endpoints
            .iter()
            .find(|e| e.path == hit.path)
            .unwrap_or_else(|| panic!("unexpected path {}", hit.path));
        assert!(
            event_ids.contains(&hit.webhook_id),
            "unknown webhook-id: {hit:?}"
        );
        let envelope: Value = serde_json::from_str(&hit.body).expect("envelope");
        assert_eq!(envelope["EventId"], hit.webhook_id.as_str(), "{hit:?}");
        assert_eq!(hit.signature, signature(&endpoint.secret, &hit), "{hit:?}");
        if hit.answered == Some(204) {
            *answered
                .entry((endpoint.path, hit.webhook_id.clone()))
                .or_default() += 1;
        }
    }
    assert_eq!(
        answered.len(),
        ACCOUNTS * endpoints.len(),
        "every event reached every endpoint"
    );

    // Jobs: those the dead process held were taken over once; nothing is left behind or dead.
    let after = jobs(&db.url).await;
    for job in &held {
        let now = after.iter().find(|j| j.id == job.id).expect("job kept");
        assert_eq!(now.status, "Succeeded", "{now:?}");
        assert_eq!(now.attempts, job.attempts + 1, "claimed once more: {now:?}");
    }
    let left: Vec<&Job> = after
        .iter()
        .filter(|j| j.kind != "housekeeping.prune" && j.status != "Succeeded")
        .collect();
    assert!(left.is_empty(), "unfinished or dead jobs: {left:?}");

    drop(second);
    db.remove().await;
}
