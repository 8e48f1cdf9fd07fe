//! Operations (`10-platform.md` §8 to §12): health and readiness, Prometheus metrics, the OpenAPI
//! document (with a committed snapshot) and the offline docs, and the `mpaas` command line.
//!
//! The command-line tests run the built binary. Their database is a fresh SQLite file, or, when
//! `MPAAS_TEST_DATABASE_URL` is set, a fresh PostgreSQL database created next to it and dropped
//! afterwards, so they exercise the same backend as the rest of the suite.

#[path = "operations/cli.rs"]
mod cli;
mod common;
#[path = "operations/docs.rs"]
mod docs;
#[path = "operations/health.rs"]
mod health;
#[path = "operations/metrics.rs"]
mod metrics;
#[path = "operations/openapi.rs"]
mod openapi;
#[path = "operations/serve.rs"]
mod serve;
#[path = "operations/support.rs"]
mod support;
