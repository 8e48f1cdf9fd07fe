//! Taking numbers out of the inventory inside the provisioning transaction. Each pool's state
//! row is locked (PostgreSQL) or the single writer holds the database (SQLite), so two
//! concurrent allocations never get the same number; the live-number unique index is the last
//! line of defence.

use std::collections::{BTreeMap, HashSet};

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
        // Pools are taken in pool order (area code, then ZIP), the order in which the single
        // form walks them: two requests naming the same pools in different orders would
        // otherwise each hold a pool the other waits for (a deadlock on PostgreSQL).
        let mut by_pool: BTreeMap<(u16, &str), (Pool, Vec<i64>)> = BTreeMap::new();
        for (pool, line) in &located {
            by_pool
                .entry((pool.area_code(), pool.zip_code()))
                .or_insert_with(|| (*pool, Vec::new()))
                .1
                .push(*line);
        }
        for (pool, lines) in by_pool.values() {
            self.take_lines(conn, pool, lines).await?;
        }
        located
            .into_iter()
            .map(|(pool, line)| Allocation::new(&pool, line).ok_or_else(none_available))
            .collect()
    }

    /// Takes `lines` of one pool with one lock, one read of its taken lines and one write of
    /// its state.
    async fn take_lines(
        &self,
        conn: &mut AnyConnection,
        pool: &Pool,
        lines: &[i64],
    ) -> ServiceResult<()> {
        let prefix = pool_prefix(pool);
        let mut state = inventory::lock(conn, &prefix, self.store().backend()).await?;
        let lowest = lines.iter().copied().min().unwrap_or(state.next_line);
        let mut held: HashSet<i64> = inventory::taken_lines_from(conn, &prefix, lowest)
            .await?
            .into_iter()
            .collect();
        if lines
            .iter()
            .any(|line| *line < state.next_line || held.contains(line))
        {
            return Err(ServiceError::conflict("Phone number already in use"));
        }
        state.taken += lines.len() as i64;
        held.extend(lines);
        // Every line below `next_line` stays taken.
        while held.contains(&state.next_line) {
            state.next_line += 1;
        }
        inventory::save(conn, &prefix, state).await?;
        Ok(())
    }
}
