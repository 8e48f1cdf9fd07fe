//! Taking numbers out of the inventory inside the provisioning transaction. Each pool's state
//! row is locked (PostgreSQL) or the single writer holds the database (SQLite), so two
//! concurrent allocations never get the same number; the live-number unique index is the last
//! line of defence.

use mpaas_core::{ValidationErrors, E164};
use mpaas_network::sandbox::inventory::Pool;
use mpaas_store::inventory::{self, PoolState};
use mpaas_store::numbers::NumberRow;
use mpaas_store::AnyConnection;

use super::search::{self, pool_prefix, Candidate};
use crate::{ServiceError, ServiceResult, Services};

/// A number taken from a pool.
#[derive(Clone, Debug)]
pub(crate) struct Allocation {
    pub number: String,
    pub prefix: String,
    pub line: i64,
    pub zip_code: String,
}

impl Allocation {
    fn new(pool: &Pool, line: i64) -> Option<Self> {
        Some(Self {
            number: pool.number(u32::try_from(line).ok()?)?,
            prefix: pool_prefix(pool),
            line,
            zip_code: pool.zip_code().to_string(),
        })
    }

    /// Writes the number and its pool into a new row of `order_id`.
    pub fn apply(&self, number: &mut NumberRow, order_id: &str) {
        number.number.clone_from(&self.number);
        number.pool_prefix = Some(self.prefix.clone());
        number.pool_line = Some(self.line);
        number.zip_code = Some(self.zip_code.clone());
        number.order_id = order_id.to_string();
    }
}

/// `409 No numbers available in the requested area`.
fn none_available() -> ServiceError {
    ServiceError::conflict("No numbers available in the requested area")
}

impl Services {
    /// Takes the first available number in search order.
    pub(crate) async fn allocate_first(
        &self,
        conn: &mut AnyConnection,
        area_code: Option<u16>,
        zip_code: Option<&str>,
    ) -> ServiceResult<Allocation> {
        let (candidates, _) =
            search::candidates(conn, self.inventory(), area_code, zip_code).await?;
        self.allocate_among(conn, &candidates).await
    }

    /// Takes the first available number of `candidates`, in their order.
    pub(crate) async fn allocate_among(
        &self,
        conn: &mut AnyConnection,
        candidates: &[Candidate],
    ) -> ServiceResult<Allocation> {
        for candidate in candidates.iter().filter(|c| c.available() > 0) {
            let prefix = pool_prefix(&candidate.pool);
            let state = inventory::lock(conn, &prefix, self.store().backend()).await?;
            let locked = Candidate {
                pool: candidate.pool,
                state,
            };
            if locked.available() == 0 {
                continue;
            }
            let mut free = search::free_lines(conn, &locked).await?;
            let Some(line) = free.next() else { continue };
            // Every line before `line` is now taken: the lowest that may be free is the next gap.
            let next_line = free.next().unwrap_or(i64::from(locked.pool.size()));
            let new_state = PoolState {
                next_line,
                taken: state.taken + 1,
            };
            inventory::save(conn, &prefix, new_state).await?;
            return Allocation::new(&locked.pool, line).ok_or_else(none_available);
        }
        Err(none_available())
    }

    /// Takes every listed number (inventory numbers only), all or nothing.
    pub(crate) async fn allocate_listed(
        &self,
        conn: &mut AnyConnection,
        list: &[E164],
    ) -> ServiceResult<Vec<Allocation>> {
        let inventory = self.inventory();
        let mut located = Vec::with_capacity(list.len());
        let mut errors = ValidationErrors::default();
        for (i, number) in list.iter().enumerate() {
            match inventory.locate(number.as_str()) {
                Some((pool, line)) => located.push((pool, i64::from(line))),
                None => errors.add(
                    &format!("PhoneNumbers[{i}].Number"),
                    format!("Phone number '{number}' is not available for provisioning"),
                ),
            }
        }
        errors.into_result(()).map_err(ServiceError::from)?;
        self.lock_pools_in_order(conn, &located).await?;
        let mut out = Vec::with_capacity(located.len());
        for (pool, line) in located {
            out.push(self.take_line(conn, &pool, line).await?);
        }
        Ok(out)
    }

    /// Locks the pools of a list in pool order (area code, then ZIP), the order in which the
    /// single form walks them: two requests naming the same pools in different orders would
    /// otherwise each hold a pool the other waits for (a deadlock on PostgreSQL).
    async fn lock_pools_in_order(
        &self,
        conn: &mut AnyConnection,
        located: &[(Pool, i64)],
    ) -> ServiceResult<()> {
        let mut pools: Vec<&Pool> = located.iter().map(|(pool, _)| pool).collect();
        pools.sort_by_key(|pool| (pool.area_code(), pool.zip_code()));
        pools.dedup();
        for pool in pools {
            inventory::lock(conn, &pool_prefix(pool), self.store().backend()).await?;
        }
        Ok(())
    }

    async fn take_line(
        &self,
        conn: &mut AnyConnection,
        pool: &Pool,
        line: i64,
    ) -> ServiceResult<Allocation> {
        let prefix = pool_prefix(pool);
        let mut state = inventory::lock(conn, &prefix, self.store().backend()).await?;
        if line < state.next_line || inventory::line_taken(conn, &prefix, line).await? {
            return Err(ServiceError::conflict("Phone number already in use"));
        }
        state.taken += 1;
        if line == state.next_line {
            state.next_line = line + 1;
        }
        inventory::save(conn, &prefix, state).await?;
        Allocation::new(pool, line).ok_or_else(none_available)
    }
}
