//! The measured phases.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::ensure;
use mpaas_network::sandbox::inventory::Inventory;
use serde_json::json;

use crate::client::Client;

/// Plain single-row insert transactions into a scratch table of the same database: one writer,
/// then `clients` writers. Returns rows per second for each.
pub async fn insert_baseline(
    store: &mpaas_store::Store,
    rows: usize,
    clients: usize,
) -> anyhow::Result<(f64, f64)> {
    let mut tx = store.begin().await?;
    sqlx::query("CREATE TABLE bench_numbers (id TEXT PRIMARY KEY, number TEXT NOT NULL, created_on BIGINT NOT NULL)")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let mut rates = Vec::new();
    for writers in [1, clients] {
        let next = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..writers {
            let (store, next) = (store.clone(), next.clone());
            tasks.push(tokio::spawn(async move {
                while next.fetch_add(1, Ordering::Relaxed) < rows {
                    let mut tx = store.begin().await?;
                    sqlx::query(
                        "INSERT INTO bench_numbers (id, number, created_on) VALUES ($1, $2, 0)",
                    )
                    .bind(uuid::Uuid::now_v7().to_string())
                    .bind("+12015550100")
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                }
                anyhow::Ok(())
            }));
        }
        for task in tasks {
            task.await??;
        }
        rates.push(rows as f64 / started.elapsed().as_secs_f64());
    }
    Ok((rates[0], rates[1]))
}

/// `count` single-form provisions (first available number anywhere) from `clients` clients;
/// returns numbers per second.
pub async fn single_form(
    client: &Arc<Client>,
    count: usize,
    clients: usize,
) -> anyhow::Result<f64> {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, next) = (client.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let body = json!({"NumberType": "mvno", "MessageRouteId": client.route, "AccountId": client.account});
            while next.fetch_add(1, Ordering::Relaxed) < count {
                let answer = client.post("/v1.0/numbers/provision", &body).await?;
                ensure!(answer["OrderStatus"] == "Complete", "provision: {answer}");
            }
            anyhow::Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(count as f64 / started.elapsed().as_secs_f64())
}

/// `count` numbers in list-form requests of 100, taken from the end of the inventory (the single
/// form takes from the start), from `clients` clients; returns the seconds until every number is
/// active, and the seconds until every request was accepted.
pub async fn list_form(
    client: &Arc<Client>,
    server: &mpaas::RunningServer,
    count: usize,
    clients: usize,
) -> anyhow::Result<(f64, f64)> {
    let settings = &server.services.settings().numbers;
    let inventory = Inventory::shared(settings.seed.as_bytes(), settings.numbers_per_zip)?;
    let numbers: Vec<String> = inventory
        .pools()
        .iter()
        .rev()
        .flat_map(|pool| pool.numbers())
        .take(count)
        .collect();
    ensure!(
        numbers.len() == count,
        "the inventory holds fewer than {count} numbers"
    );
    let batches: Arc<Vec<Vec<String>>> =
        Arc::new(numbers.chunks(100).map(<[String]>::to_vec).collect());
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, next, batches) = (client.clone(), next.clone(), batches.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(batch) = batches.get(index) else {
                    break;
                };
                let list: Vec<_> = batch.iter().map(|n| json!({"Number": n})).collect();
                let body = json!({"NumberType": "mvno", "MessageRouteId": client.route,
                    "AccountId": client.account, "PhoneNumbers": list});
                client.post("/v1.0/numbers/provision", &body).await?;
            }
            anyhow::Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    let accepted = started.elapsed().as_secs_f64();
    let store = server.services.store();
    loop {
        let pending: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM phone_numbers WHERE status = 'Pending'")
                .fetch_one(&mut *store.reader().await?)
                .await?;
        if pending == 0 {
            break;
        }
        ensure!(
            started.elapsed() < Duration::from_secs(1800),
            "{pending} numbers still pending"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok((started.elapsed().as_secs_f64(), accepted))
}

/// Mean and 99th percentile of `count` availability searches (alternating any pool and an area
/// code), and the mean `/healthz` round trip measured the same way; all in microseconds.
pub async fn search_latency(client: &Arc<Client>, count: usize) -> anyhow::Result<(f64, f64, f64)> {
    let mut searches = Vec::with_capacity(count);
    for i in 0..count {
        let body = if i % 2 == 0 {
            json!({"NumberType": "mobile", "TotalNumbersRequested": 12})
        } else {
            json!({"NumberType": "mobile", "AreaCode": "801", "TotalNumbersRequested": 12})
        };
        let started = Instant::now();
        client.post("/v1.0/numbers/availability", &body).await?;
        searches.push(started.elapsed().as_secs_f64() * 1e6);
    }
    let mut health = Vec::with_capacity(count);
    for _ in 0..count {
        let started = Instant::now();
        client.get_public("/healthz").await?;
        health.push(started.elapsed().as_secs_f64() * 1e6);
    }
    searches.sort_by(f64::total_cmp);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let p99 = searches[(searches.len() * 99 / 100).min(searches.len() - 1)];
    Ok((mean(&searches), p99, mean(&health)))
}
