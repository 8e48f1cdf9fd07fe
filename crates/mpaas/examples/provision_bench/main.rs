//! Driver of `bench/provision.sh`, in process on 127.0.0.1: number provisioning throughput
//! (single form sequentially and from concurrent clients; list form in bulk until every number
//! is active) and availability search latency, each next to a baseline measured in the same run
//! on the same database (plain insert transactions; `/healthz` round trips). Prints one JSON
//! object on stdout.

mod client;
mod phases;

use serde_json::json;

/// Arguments: the server's own settings plus the size of the run.
#[derive(clap::Parser)]
pub struct Args {
    #[command(flatten)]
    config: mpaas::Config,
    /// Single-form provisions, one at a time.
    #[arg(long, default_value_t = 1000)]
    sequential: usize,
    /// Single-form provisions from `clients` concurrent clients.
    #[arg(long, default_value_t = 2000)]
    concurrent: usize,
    /// Concurrent clients.
    #[arg(long, default_value_t = 32)]
    clients: usize,
    /// Numbers provisioned with the list form (100 per request).
    #[arg(long, default_value_t = 100_000)]
    bulk: usize,
    /// Availability searches timed.
    #[arg(long, default_value_t = 500)]
    searches: usize,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = <Args as clap::Parser>::parse();
    args.config.token_ttl_secs = 86_400;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let server = mpaas::RunningServer::start(&args.config, listener).await?;
    let client = std::sync::Arc::new(client::Client::connect(&server).await?);
    let store = server.services.store().clone();
    let baseline = phases::insert_baseline(&store, args.sequential, args.clients).await?;
    let sequential = phases::single_form(&client, args.sequential, 1).await?;
    let concurrent = phases::single_form(&client, args.concurrent, args.clients).await?;
    let bulk = phases::list_form(&client, &server, args.bulk, args.clients).await?;
    let search = phases::search_latency(&client, args.searches).await?;
    server.stop().await;
    let output = json!({
        "Backend": if args.config.database_url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" },
        "InsertsPerSecondSequential": baseline.0,
        "InsertsPerSecondConcurrent": baseline.1,
        "SingleFormSequentialPerSecond": sequential,
        "SingleFormSequentialRatio": sequential / baseline.0,
        "SingleFormConcurrentPerSecond": concurrent,
        "SingleFormConcurrentRatio": concurrent / baseline.1,
        "Clients": args.clients,
        "BulkNumbers": args.bulk,
        "BulkSeconds": bulk.0,
        "BulkPerSecond": args.bulk as f64 / bulk.0,
        "BulkRatio": args.bulk as f64 / bulk.0 / baseline.1,
        "BulkAcceptedSeconds": bulk.1,
        "AvailabilityMeanMicros": search.0,
        "AvailabilityP99Micros": search.1,
        "HealthzMeanMicros": search.2,
        "AvailabilityRatio": search.0 / search.2,
    });
    println!("{output}");
    Ok(())
}
