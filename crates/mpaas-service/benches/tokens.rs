//! Token minting and verification against a raw HMAC-SHA256 baseline, plus scope resolution.
//!
//! Run with `cargo bench -p mpaas-service --bench tokens` (append `-- --quick` for a short run).
//! `hmac_sha256_baseline` signs exactly the bytes a token signs (`header.payload`), so the ratio
//! `mint / baseline` is the price of the JWT layer (claims, JSON, base64, UUID) over the MAC itself.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hmac::{Hmac, Mac};
use mpaas_core::ids::DistributorId;
use mpaas_core::Timestamp;
use mpaas_service::tokens::TokenKeys;
use mpaas_service::EndpointCatalog;
use sha2::Sha256;

const SIGNING_KEY: [u8; 32] = [7u8; 32];
const NOW: i64 = 1_762_167_012;
const SCOPE: &str = "/v1.0/subscribers/get";

fn distributor() -> DistributorId {
    DistributorId::parse("DID-019a492e-31b2-7238-b924-56de3eb13b90").expect("valid id")
}

fn tokens(c: &mut Criterion) {
    let keys = TokenKeys::new(&SIGNING_KEY);
    let did = distributor();
    let now = Timestamp::from_unix_seconds(NOW);
    let token = keys.mint(&did, SCOPE, 1, now, 900).token;
    let signing_input = token
        .rsplit_once('.')
        .map(|(input, _)| input.as_bytes().to_vec())
        .expect("a JWT has three parts");

    let mut group = c.benchmark_group("tokens");
    group.throughput(Throughput::Elements(1));
    group.bench_function("hmac_sha256_baseline", |b| {
        b.iter(|| {
            let mut mac = Hmac::<Sha256>::new_from_slice(black_box(&SIGNING_KEY))
                .expect("HMAC takes any key length");
            mac.update(black_box(&signing_input));
            black_box(mac.finalize().into_bytes())
        })
    });
    group.bench_function("mint", |b| {
        b.iter(|| keys.mint(black_box(&did), black_box(SCOPE), 1, now, 900))
    });
    group.bench_function("decode", |b| {
        b.iter(|| {
            keys.decode(black_box(&token), now)
                .expect("the token verifies")
        })
    });
    group.finish();
}

fn scopes(c: &mut Criterion) {
    let catalog = EndpointCatalog::new([
        "/v1.0/oauth2/tokens",
        "/v1.0/account",
        "/v1.0/account/create",
        "/v1.0/account/update",
        "/v1.0/distributor/accounts",
        "/v1.0/distributor/create",
        "/v1.0/distributor/update",
        "/v1.0/distributor/subscribers",
        "/v1.0/subscribers/create",
        "/v1.0/subscribers/update",
        "/v1.0/subscribers/transfer",
        "/v1.0/subscribers/delete",
        "/v1.0/subscribers/get",
        "/v1.0/numbers/provision",
        "/v1.0/numbers/status",
    ]);
    let mut group = c.benchmark_group("scope_for");
    group.bench_function("absolute_url", |b| {
        b.iter(|| {
            catalog.scope_for(black_box(
                "https://api.telegent.com/v1.0/Subscribers/Get?x=1",
            ))
        })
    });
    group.bench_function("bare_path", |b| {
        b.iter(|| catalog.scope_for(black_box("/v1.0/subscribers/get")))
    });
    group.bench_function("wildcard", |b| {
        b.iter(|| catalog.scope_for(black_box("/v1.0/numbers/*")))
    });
    group.bench_function("unknown", |b| {
        b.iter(|| catalog.scope_for(black_box("/v1.0/nothing/here")))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = tokens, scopes
}
criterion_main!(benches);
