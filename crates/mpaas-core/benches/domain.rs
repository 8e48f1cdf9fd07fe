//! Parsing of the domain value types every request goes through.
//!
//! Run with `cargo bench -p mpaas-core --bench domain` (append `-- --quick` for a short run).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use mpaas_core::ids::AccountId;
use mpaas_core::{Money, E164};

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    group.bench_function("e164", |b| {
        b.iter(|| E164::parse(black_box("+18015551234")).expect("valid number"))
    });
    group.bench_function("e164_nanp_10_digits", |b| {
        b.iter(|| E164::parse(black_box("8015551234")))
    });
    group.bench_function("money", |b| {
        b.iter(|| Money::parse(black_box("39.99")).expect("valid amount"))
    });
    group.bench_function("account_id", |b| {
        b.iter(|| {
            AccountId::parse(black_box("aid-019A495E-3E6A-7BDA-AD3C-2D6D1A3D1FA7"))
                .expect("valid id")
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = parse
}
criterion_main!(benches);
