//! Conventions that hold for every endpoint (README): tolerant paths, query keys and bodies,
//! request ids and the problem shape, 404/405 before authentication, 413/415, paging errors, the
//! 501 list, idempotency keys, rate limits, and a randomised garbage-body sweep over every POST.

#[path = "conventions/bodies.rs"]
mod bodies;
mod common;
#[path = "conventions/errors.rs"]
mod errors;
#[path = "conventions/garbage.rs"]
mod garbage;
#[path = "conventions/generator.rs"]
mod generator;
#[path = "conventions/idempotency.rs"]
mod idempotency;
#[path = "conventions/not_implemented.rs"]
mod not_implemented;
#[path = "conventions/paths.rs"]
mod paths;
#[path = "conventions/rate_limits.rs"]
mod rate_limits;
#[path = "conventions/support.rs"]
mod support;
