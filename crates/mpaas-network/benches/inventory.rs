//! The sandbox inventory: building the pool table, locating a number and listing a pool,
//! each next to a baseline measured in the same run (one HMAC-SHA256, one HashMap lookup,
//! formatting the same numbers with `format!`).
//!
//! Run with `cargo bench -p mpaas-network --bench inventory` (append `-- --quick` for a
//! short run).

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use hmac::{Hmac, Mac};
use mpaas_network::sandbox::inventory::{Inventory, DEFAULT_NUMBERS_PER_ZIP};
use sha2::Sha256;

fn build(c: &mut Criterion) {
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    group.bench_function("baseline_one_hmac_sha256", |b| {
        b.iter(|| {
            let mut mac = Hmac::<Sha256>::new_from_slice(black_box(b"mpaas")).expect("any key");
            mac.update(black_box(b"201378"));
            mac.finalize()
        })
    });
    group.bench_function("pool_table", |b| {
        b.iter(|| Inventory::new(black_box(b"mpaas"), DEFAULT_NUMBERS_PER_ZIP).expect("table"))
    });
    group.finish();
}

fn lookups(c: &mut Criterion) {
    let inventory = Inventory::new(b"mpaas", DEFAULT_NUMBERS_PER_ZIP).expect("table");
    let pool = inventory.pools()[inventory.pools().len() / 2];
    let number = pool.number(1234).expect("in pool");
    let map: HashMap<u32, usize> = inventory
        .pools()
        .iter()
        .enumerate()
        .map(|(i, p)| (u32::from(p.area_code()) * 1000 + u32::from(p.exchange()), i))
        .collect();
    let key = u32::from(pool.area_code()) * 1000 + u32::from(pool.exchange());

    let mut group = c.benchmark_group("lookup");
    group.bench_function("baseline_hashmap_get", |b| {
        b.iter(|| map.get(black_box(&key)).copied())
    });
    group.bench_function("locate_inventory_number", |b| {
        b.iter(|| inventory.locate(black_box(&number)))
    });
    group.bench_function("locate_foreign_number", |b| {
        b.iter(|| inventory.locate(black_box("+18015550100")))
    });
    group.finish();

    let mut group = c.benchmark_group("list");
    group.bench_function("baseline_format_100", |b| {
        b.iter(|| {
            (0..100u32)
                .map(|line| format!("+1{}{:03}{line:04}", pool.area_code(), pool.exchange()))
                .count()
        })
    });
    group.bench_function("first_100_numbers", |b| {
        b.iter(|| black_box(&pool).numbers().take(100).count())
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = build, lookups
}
criterion_main!(benches);
