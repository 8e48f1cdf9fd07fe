//! Searching the inventory: which pools a search covers (05 §2.1 search order), how many numbers
//! they have available, and the available numbers of a page. Available = pool numbers without a
//! row other than `Released`; the per-pool counters of `inventory_pools` make this cheap.

use std::collections::HashSet;

use mpaas_network::sandbox::inventory::{Inventory, Pool, SearchOrder};
use mpaas_store::inventory::{self, PoolState};
use mpaas_store::AnyConnection;

use crate::ServiceResult;

/// `SearchedBy` of an availability answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchedBy {
    /// The area code's pools.
    AreaCode,
    /// The ZIP code's pools.
    ZipCode,
    /// Every pool.
    Any,
}

impl SearchedBy {
    /// Wire text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AreaCode => "AreaCode",
            Self::ZipCode => "ZipCode",
            Self::Any => "Any",
        }
    }
}

/// A pool with its allocation state.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Candidate {
    pub pool: Pool,
    pub state: PoolState,
}

impl Candidate {
    pub fn available(&self) -> i64 {
        (i64::from(self.pool.size()) - self.state.taken).max(0)
    }
}

/// `+1` + area code + exchange: the pool's key in storage.
pub(crate) fn pool_prefix(pool: &Pool) -> String {
    format!("+1{:03}{:03}", pool.area_code(), pool.exchange())
}

/// The pools a search covers, in order, with their states, and how the search was answered:
/// the area code's pools (the requested ZIP's first when it lies in the area) unless they have
/// nothing available, then the ZIP code's.
pub(crate) async fn candidates(
    conn: &mut AnyConnection,
    inventory: &Inventory,
    area_code: Option<u16>,
    zip_code: Option<&str>,
) -> ServiceResult<(Vec<Candidate>, SearchedBy)> {
    let states = inventory::all_states(conn).await?;
    let with_state = |pools: Vec<&Pool>| -> Vec<Candidate> {
        pools
            .into_iter()
            .map(|pool| Candidate {
                pool: *pool,
                state: states.get(&pool_prefix(pool)).copied().unwrap_or_default(),
            })
            .collect()
    };
    Ok(match inventory.pools_for_search(area_code, zip_code) {
        SearchOrder::Any(pools) => (with_state(pools.iter().collect()), SearchedBy::Any),
        SearchOrder::ZipCode(pools) => (with_state(pools), SearchedBy::ZipCode),
        SearchOrder::AreaCode { area, zip_fallback } => {
            // Within the area, the requested ZIP's pool comes first when it is one of them.
            let mut area: Vec<&Pool> = area.iter().collect();
            area.sort_by_key(|pool| Some(pool.zip_code()) != zip_code);
            let area = with_state(area);
            let fallback = with_state(zip_fallback);
            let area_empty = area.iter().all(|c| c.available() == 0);
            if area_empty && fallback.iter().any(|c| c.available() > 0) {
                (fallback, SearchedBy::ZipCode)
            } else {
                (area, SearchedBy::AreaCode)
            }
        }
    })
}

/// Available lines of a pool from `state.next_line` on, skipping the taken ones, in order.
pub(crate) async fn free_lines(
    conn: &mut AnyConnection,
    candidate: &Candidate,
) -> ServiceResult<impl Iterator<Item = i64>> {
    let prefix = pool_prefix(&candidate.pool);
    let taken = inventory::taken_lines_from(conn, &prefix, candidate.state.next_line).await?;
    let size = i64::from(candidate.pool.size());
    let mut taken = taken.into_iter().peekable();
    Ok((candidate.state.next_line..size).filter(move |line| {
        while taken.peek().is_some_and(|t| t < line) {
            taken.next();
        }
        taken.peek() != Some(line)
    }))
}

/// The available numbers of page `page_number` (1-based) of `page_size`, in pool then line
/// order, each with the index of its candidate.
pub(crate) async fn page_of_numbers(
    conn: &mut AnyConnection,
    candidates: &[Candidate],
    page_number: u32,
    page_size: u32,
) -> ServiceResult<Vec<(usize, String)>> {
    let mut skip = i64::from(page_number - 1) * i64::from(page_size);
    let mut out = Vec::with_capacity(page_size as usize);
    for (index, candidate) in candidates.iter().enumerate() {
        let available = candidate.available();
        if skip >= available {
            skip -= available;
            continue;
        }
        let wanted = page_size as usize - out.len();
        let lines = free_lines(conn, candidate).await?;
        for line in lines.skip(skip as usize).take(wanted) {
            if let Some(number) = candidate.pool.number(line as u32) {
                out.push((index, number));
            }
        }
        skip = 0;
        if out.len() == page_size as usize {
            break;
        }
    }
    Ok(out)
}

/// Distinct pools of a page, in order of first appearance.
pub(crate) fn pools_of_page(candidates: &[Candidate], page: &[(usize, String)]) -> Vec<Pool> {
    let mut seen = HashSet::new();
    page.iter()
        .filter(|(index, _)| seen.insert(*index))
        .filter_map(|(index, _)| candidates.get(*index).map(|c| c.pool))
        .collect()
}
