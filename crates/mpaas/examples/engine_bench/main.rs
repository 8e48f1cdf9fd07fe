//! Driver of `bench/engine.sh`, on 127.0.0.1 only:
//!
//! - `sink`: a webhook receiver that answers 204, checks each `webhook-signature` and counts;
//! - `deliveries`: against a running server, registers a webhook to the sink, creates a burst of
//!   events through the API and waits until the sink has them all, then replays them all;
//! - `jobs`: in process, the rate at which the worker claims and finishes queued jobs next to
//!   the rate of plain single-row insert transactions into the same database.
//!
//! Each command prints one JSON object on stdout.

mod deliveries;
mod jobs;
mod sink;

use clap::{Parser, Subcommand};

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Answer 204 to every request, check signatures, count (`GET /stats`, `POST /reset`).
    Sink {
        #[arg(long, default_value = "127.0.0.1:18090")]
        listen: String,
    },
    /// Delivered events per second: a burst through the API, then a replay of it.
    Deliveries(deliveries::DeliveriesArgs),
    /// Job claim throughput against plain inserts, in process.
    Jobs(Box<jobs::JobsArgs>),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let output = match Cli::parse().command {
        Command::Sink { listen } => return sink::run(&listen).await,
        Command::Deliveries(args) => deliveries::run(args).await?,
        Command::Jobs(args) => jobs::run(*args).await?,
    };
    println!("{output}");
    Ok(())
}
