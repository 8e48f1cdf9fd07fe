//! The sandbox number inventory (contract 05 §1.5): computed from a seed and the embedded
//! area code table, never stored.
//!
//! - One pool per (area code, ZIP), in area code then ZIP order.
//! - A pool's `NGP` is `SAG` when the first byte of `HMAC-SHA256(seed, ZipCode)` is even,
//!   else `AGP`.
//! - An area code's valid exchanges ([`is_valid_exchange`]) are sorted by
//!   `HMAC-SHA256(seed, AreaCode‖NXX)` (the six ASCII digits, e.g. `"201378"`; MACs compared
//!   byte by byte); the k-th ZIP (0-based, ascending) owns the k-th exchange, lines `0000` to
//!   `N-1`. Lines `9900`-`9999` are never inventory (`N` is at most 9900).
//!
//! Same seed, `N` and table give the same numbers in every process.

mod data;
mod keyed;
mod pool;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

pub use keyed::is_valid_exchange;
pub use pool::{Ngp, Pool};

/// `MPAAS_SANDBOX_SEED` default.
pub const DEFAULT_SEED: &str = "mpaas";
/// `MPAAS_SANDBOX_NUMBERS_PER_ZIP` default.
pub const DEFAULT_NUMBERS_PER_ZIP: u32 = 2500;
/// Largest pool: lines 9900-9999 are kept for the porting test numbers.
pub const MAX_NUMBERS_PER_ZIP: u32 = 9900;

/// Why an inventory cannot be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InventoryError {
    /// Numbers per ZIP outside 1 to 9900.
    #[error("numbers per ZIP must be between 1 and {MAX_NUMBERS_PER_ZIP}, not {0}")]
    NumbersPerZip(u32),
    /// The seed cannot key HMAC-SHA256 (HMAC takes any length, so this is not expected).
    #[error("the sandbox seed cannot key HMAC-SHA256")]
    Seed,
    /// The embedded area code table is malformed.
    #[error("us-area-codes.csv line {line}: {reason}")]
    Data {
        /// 1-based line of the table.
        line: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// Exact-match filters of `GET /sandbox/v1/inventory/pools`; `None` matches everything.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolFilter<'a> {
    /// `AreaCode`.
    pub area_code: Option<u16>,
    /// `ZipCode` (five digits).
    pub zip_code: Option<&'a str>,
    /// `State` (two letters, as in the table: `NJ`).
    pub state: Option<&'a str>,
}

impl PoolFilter<'_> {
    fn matches(&self, pool: &Pool) -> bool {
        self.area_code.is_none_or(|a| a == pool.area_code)
            && self.zip_code.is_none_or(|z| z == pool.zip_code)
            && self.state.is_none_or(|s| s == pool.state)
    }
}

/// Candidate pools of an availability search (05 §2.1), each list in pool order. Which
/// list answers depends on availability, which only the caller (with the database) knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchOrder<'a> {
    /// Neither `AreaCode` nor `ZipCode`: every pool (`SearchedBy` `Any`).
    Any(&'a [Pool]),
    /// `AreaCode` given: its pools (empty for an unknown area code), searched first; the
    /// pools of `ZipCode` (empty when blank or unknown) when those have nothing available.
    AreaCode {
        /// Pools of the area code.
        area: &'a [Pool],
        /// Pools of the ZIP code.
        zip_fallback: Vec<&'a Pool>,
    },
    /// Only `ZipCode` given: its pools (several when overlay area codes share the ZIP).
    ZipCode(Vec<&'a Pool>),
}

/// The pool table of one seed and pool size, with lookups by number, area code and ZIP.
#[derive(Debug)]
pub struct Inventory {
    pools: Vec<Pool>,
    numbers_per_zip: u32,
    by_prefix: HashMap<u32, usize>,
    by_area: HashMap<u16, Range<usize>>,
    by_zip: HashMap<&'static str, Vec<usize>>,
}

impl Inventory {
    /// Builds the pool table (about 1,700 pools; a few hundred thousand HMACs).
    pub fn new(seed: &[u8], numbers_per_zip: u32) -> Result<Self, InventoryError> {
        if !(1..=MAX_NUMBERS_PER_ZIP).contains(&numbers_per_zip) {
            return Err(InventoryError::NumbersPerZip(numbers_per_zip));
        }
        let keyed = keyed::Keyed::new(seed)?;
        let mut pools = Vec::new();
        for row in data::parse(data::CSV)? {
            let exchanges = keyed.exchange_order(row.area_code);
            for (&zip_code, exchange) in row.zip_codes.iter().zip(exchanges) {
                pools.push(Pool {
                    ngp: keyed.ngp(zip_code),
                    area_code: row.area_code,
                    zip_code,
                    state: row.state,
                    exchange,
                    size: numbers_per_zip,
                });
            }
        }
        Ok(Self::indexed(pools, numbers_per_zip))
    }

    /// The inventory of `seed` and `numbers_per_zip`, built once per process and shared.
    pub fn shared(seed: &[u8], numbers_per_zip: u32) -> Result<Arc<Self>, InventoryError> {
        type Cache = Mutex<HashMap<(Vec<u8>, u32), Arc<Inventory>>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        // A panic elsewhere while holding the lock leaves the map itself intact.
        let mut cache = CACHE
            .get_or_init(Cache::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let key = (seed.to_vec(), numbers_per_zip);
        if let Some(inventory) = cache.get(&key) {
            return Ok(Arc::clone(inventory));
        }
        let inventory = Arc::new(Self::new(seed, numbers_per_zip)?);
        cache.insert(key, Arc::clone(&inventory));
        Ok(inventory)
    }

    fn indexed(pools: Vec<Pool>, numbers_per_zip: u32) -> Self {
        let mut by_prefix = HashMap::with_capacity(pools.len());
        let mut by_area: HashMap<u16, Range<usize>> = HashMap::new();
        let mut by_zip: HashMap<&'static str, Vec<usize>> = HashMap::new();
        for (index, pool) in pools.iter().enumerate() {
            by_prefix.insert(pool.prefix(), index);
            // Pools are in area code order, so each area code is one contiguous range.
            by_area
                .entry(pool.area_code)
                .and_modify(|range| range.end = index + 1)
                .or_insert(index..index + 1);
            by_zip.entry(pool.zip_code).or_default().push(index);
        }
        Self {
            pools,
            numbers_per_zip,
            by_prefix,
            by_area,
            by_zip,
        }
    }

    /// Numbers per pool (`N`).
    pub fn numbers_per_zip(&self) -> u32 {
        self.numbers_per_zip
    }

    /// Every pool, in pool order (area code, then ZIP).
    pub fn pools(&self) -> &[Pool] {
        &self.pools
    }

    /// The pools of an area code, in ZIP order; empty when unknown.
    pub fn area_pools(&self, area_code: u16) -> &[Pool] {
        self.by_area
            .get(&area_code)
            .and_then(|range| self.pools.get(range.clone()))
            .unwrap_or_default()
    }

    /// The pools located in a ZIP code, in pool order; empty when unknown.
    pub fn zip_pools(&self, zip_code: &str) -> Vec<&Pool> {
        self.by_zip
            .get(zip_code)
            .map(|indexes| indexes.iter().filter_map(|&i| self.pools.get(i)).collect())
            .unwrap_or_default()
    }

    /// The pools matching every given filter, in pool order.
    pub fn matching(&self, filter: &PoolFilter<'_>) -> Vec<&Pool> {
        let candidates: Vec<&Pool> = match (filter.area_code, filter.zip_code) {
            (Some(area_code), _) => self.area_pools(area_code).iter().collect(),
            (None, Some(zip_code)) => self.zip_pools(zip_code),
            (None, None) => self.pools.iter().collect(),
        };
        candidates
            .into_iter()
            .filter(|pool| filter.matches(pool))
            .collect()
    }

    /// The candidate pools of an availability search by `AreaCode` and `ZipCode`.
    pub fn pools_for_search(
        &self,
        area_code: Option<u16>,
        zip_code: Option<&str>,
    ) -> SearchOrder<'_> {
        match (area_code, zip_code) {
            (None, None) => SearchOrder::Any(&self.pools),
            (None, Some(zip_code)) => SearchOrder::ZipCode(self.zip_pools(zip_code)),
            (Some(area_code), zip_code) => SearchOrder::AreaCode {
                area: self.area_pools(area_code),
                zip_fallback: zip_code.map(|z| self.zip_pools(z)).unwrap_or_default(),
            },
        }
    }

    /// The pool and line of an inventory number (E.164, `+1AAAXXXLLLL`); `None` for any
    /// other number, including lines at or past `N` of a pool's exchange.
    pub fn locate(&self, number: &str) -> Option<(Pool, u32)> {
        let (prefix, line) = pool::split_number(number)?;
        let pool = self.pools.get(*self.by_prefix.get(&prefix)?)?;
        (line < pool.size).then_some((*pool, line))
    }
}
