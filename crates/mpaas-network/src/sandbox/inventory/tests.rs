//! Behaviour of the generated inventory, checked against an independent reading of §1.5.

use std::collections::HashSet;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::*;

fn inventory() -> Arc<Inventory> {
    Inventory::shared(DEFAULT_SEED.as_bytes(), DEFAULT_NUMBERS_PER_ZIP).expect("inventory")
}

fn reference_mac(seed: &[u8], message: &str) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(seed).expect("any key length");
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().into()
}

#[test]
fn same_seed_same_pools_other_seed_other_exchanges() {
    let a = Inventory::new(b"mpaas", 2500).unwrap();
    let b = Inventory::new(b"mpaas", 2500).unwrap();
    assert_eq!(a.pools(), b.pools());
    let c = Inventory::new(b"another seed", 2500).unwrap();
    assert_eq!(a.pools().len(), c.pools().len());
    let differing = a
        .pools()
        .iter()
        .zip(c.pools())
        .filter(|(x, y)| x.exchange != y.exchange)
        .count();
    assert!(differing > a.pools().len() / 2, "{differing}");
}

#[test]
fn shared_inventories_are_built_once_per_seed_and_size() {
    let a = Inventory::shared(b"mpaas", 100).unwrap();
    let b = Inventory::shared(b"mpaas", 100).unwrap();
    assert!(Arc::ptr_eq(&a, &b));
    let c = Inventory::shared(b"mpaas", 101).unwrap();
    assert!(!Arc::ptr_eq(&a, &c));
    assert_eq!(c.numbers_per_zip(), 101);
}

#[test]
fn pools_are_ordered_by_area_code_then_zip() {
    let inventory = inventory();
    let keys: Vec<(u16, &str)> = inventory
        .pools()
        .iter()
        .map(|p| (p.area_code(), p.zip_code()))
        .collect();
    assert!(keys.windows(2).all(|pair| pair[0] < pair[1]));
    assert!(keys.len() > 1500, "{} pools", keys.len());
}

#[test]
fn kth_zip_owns_the_kth_exchange_in_mac_order() {
    let inventory = inventory();
    for area_code in [201, 212, 907, 551] {
        let mut order: Vec<([u8; 32], u16)> = (200..=999)
            .filter(|&nxx| is_valid_exchange(nxx))
            .map(|nxx| {
                (
                    reference_mac(b"mpaas", &format!("{area_code}{nxx:03}")),
                    nxx,
                )
            })
            .collect();
        order.sort();
        let pools = inventory.area_pools(area_code);
        assert!(!pools.is_empty(), "{area_code}");
        for (k, pool) in pools.iter().enumerate() {
            assert_eq!(pool.exchange(), order[k].1, "{area_code} zip #{k}");
        }
    }
}

#[test]
fn ngp_follows_the_parity_of_the_zip_mac() {
    let inventory = inventory();
    for pool in inventory.pools() {
        let even = reference_mac(b"mpaas", pool.zip_code())[0] & 1 == 0;
        assert_eq!(pool.ngp(), if even { Ngp::Sag } else { Ngp::Agp });
    }
    let ngps: HashSet<Ngp> = inventory.pools().iter().map(Pool::ngp).collect();
    assert_eq!(ngps.len(), 2, "both groups occur");
}

#[test]
fn exchanges_are_valid_and_unique_per_area_code() {
    let inventory = inventory();
    let mut prefixes = HashSet::new();
    for pool in inventory.pools() {
        assert!(is_valid_exchange(pool.exchange()), "{pool:?}");
        assert!(prefixes.insert(pool.prefix()), "{pool:?}");
    }
}

#[test]
fn line_bounds() {
    for bad in [0, MAX_NUMBERS_PER_ZIP + 1, u32::MAX] {
        assert_eq!(
            Inventory::new(b"mpaas", bad).unwrap_err(),
            InventoryError::NumbersPerZip(bad)
        );
    }
    let largest = Inventory::new(b"mpaas", MAX_NUMBERS_PER_ZIP).unwrap();
    let pool = largest.pools()[0];
    let last = pool.number(9899).unwrap();
    assert!(last.ends_with("9899"), "{last}");
    assert_eq!(pool.number(9900), None, "9900-9999 are never inventory");
    assert_eq!(largest.locate(&format!("{}9900", &last[..8])), None);

    let inventory = inventory();
    let pool = inventory.pools()[0];
    assert_eq!(pool.size(), 2500);
    assert!(pool.number(0).unwrap().ends_with("0000"));
    assert!(pool.number(2499).unwrap().ends_with("2499"));
    assert_eq!(pool.number(2500), None);
}

#[test]
fn locate_round_trips_every_pool() {
    let inventory = inventory();
    for pool in inventory.pools() {
        for line in [0, 1, 1234, 2499] {
            let number = pool.number(line).unwrap();
            assert_eq!(inventory.locate(&number), Some((*pool, line)), "{number}");
            assert_eq!(pool.line_of(&number), Some(line));
        }
        let past = format!("+1{}2500", pool.prefix());
        assert_eq!(inventory.locate(&past), None, "{past}");
    }
}

#[test]
fn locate_rejects_foreign_and_malformed_numbers() {
    let inventory = inventory();
    let used: HashSet<u32> = inventory.pools().iter().map(Pool::prefix).collect();
    let foreign = (201_200..=201_999).find(|p| !used.contains(p)).unwrap();
    for number in [
        format!("+1{foreign}0000"),
        "+18005550100".to_string(),
        "+442079460000".to_string(),
        "2013780000".to_string(),
        "+1201378".to_string(),
        "+1２０１３７８００００".to_string(),
        String::new(),
    ] {
        assert_eq!(inventory.locate(&number), None, "{number}");
    }
}

#[test]
fn every_pool_number_is_a_valid_e164_number() {
    let inventory = inventory();
    for pool in inventory.pools() {
        for line in [0, 2499] {
            let number = pool.number(line).unwrap();
            let parsed = mpaas_core::E164::parse(&number);
            assert_eq!(parsed.as_ref().map(|n| n.as_str()), Some(number.as_str()));
        }
    }
}

#[test]
fn filters_are_exact_and_combine() {
    let inventory = inventory();
    let area = inventory.matching(&PoolFilter {
        area_code: Some(201),
        ..PoolFilter::default()
    });
    assert!(!area.is_empty() && area.len() <= 5);
    assert!(area
        .iter()
        .all(|p| p.area_code() == 201 && p.state() == "NJ"));
    assert_eq!(area, inventory.area_pools(201).iter().collect::<Vec<_>>());

    // 551 overlays 201, so their ZIPs are shared by two area codes.
    let zip = area[0].zip_code();
    let by_zip = inventory.matching(&PoolFilter {
        zip_code: Some(zip),
        ..PoolFilter::default()
    });
    let codes: Vec<u16> = by_zip.iter().map(|p| p.area_code()).collect();
    assert_eq!(codes, vec![201, 551]);

    let both = inventory.matching(&PoolFilter {
        area_code: Some(551),
        zip_code: Some(zip),
        state: Some("NJ"),
    });
    assert_eq!(both.len(), 1);
    assert_eq!((both[0].area_code(), both[0].zip_code()), (551, zip));

    let state = inventory.matching(&PoolFilter {
        state: Some("NJ"),
        ..PoolFilter::default()
    });
    assert!(state.iter().all(|p| p.state() == "NJ"));
    assert!(state.len() > area.len());

    let all = inventory.matching(&PoolFilter::default());
    assert_eq!(all.len(), inventory.pools().len());

    for filter in [
        PoolFilter {
            area_code: Some(800),
            ..PoolFilter::default()
        },
        PoolFilter {
            zip_code: Some("00000"),
            ..PoolFilter::default()
        },
        PoolFilter {
            state: Some("nj"),
            ..PoolFilter::default()
        },
        PoolFilter {
            area_code: Some(201),
            state: Some("NY"),
            ..PoolFilter::default()
        },
    ] {
        assert!(inventory.matching(&filter).is_empty(), "{filter:?}");
    }
}

#[test]
fn search_order_offers_area_first_and_zip_as_fallback() {
    let inventory = inventory();
    assert_eq!(
        inventory.pools_for_search(None, None),
        SearchOrder::Any(inventory.pools())
    );

    let zip = inventory.area_pools(212)[0].zip_code();
    match inventory.pools_for_search(Some(201), Some(zip)) {
        SearchOrder::AreaCode { area, zip_fallback } => {
            assert_eq!(area, inventory.area_pools(201));
            assert!(!zip_fallback.is_empty());
            assert!(zip_fallback.iter().all(|p| p.zip_code() == zip));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        inventory.pools_for_search(Some(800), None),
        SearchOrder::AreaCode {
            area: &[],
            zip_fallback: vec![]
        }
    );
    assert_eq!(
        inventory.pools_for_search(None, Some(zip)),
        SearchOrder::ZipCode(inventory.zip_pools(zip))
    );
    assert_eq!(
        inventory.pools_for_search(None, Some("00000")),
        SearchOrder::ZipCode(vec![])
    );
}
