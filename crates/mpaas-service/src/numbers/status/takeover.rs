//! `swap` and `replace` (05 §2.7): a new number row takes over from the one named. It inherits
//! everything about the line (subscriber, routes, capabilities, caller name, the SIM) and its
//! status; the active subscription follows it; the old row is cancelled without SIM.

use mpaas_core::ids::NumberId;
use mpaas_core::lifecycle::{NumberStatus, StatusAction};
use mpaas_store::inventory;
use mpaas_store::lifecycle as queries;
use mpaas_store::numbers::{self, NumberRow};
use mpaas_store::orders::OrderRow;
use mpaas_store::AnyConnection;

use super::apply::mark_cancelled;
use super::checks::area_code_of;
use super::views::Outcome;
use super::ChangeRequest;
use crate::numbers::allocate::Allocation;
use crate::numbers::provision::number_in_use;
use crate::numbers::search::{pool_prefix, Candidate};
use crate::{ServiceResult, Services};

impl Services {
    /// Moves the line of `old` to a newly allocated number.
    pub(super) async fn apply_takeover(
        &self,
        conn: &mut AnyConnection,
        order: &OrderRow,
        request: &ChangeRequest,
        mut old: NumberRow,
    ) -> ServiceResult<Outcome> {
        let allocation = match request.action()? {
            StatusAction::Swap => {
                self.allocate_swap_number(conn, &old.number, request.zip_code.as_deref())
                    .await?
            }
            _ => {
                let zip = request.zip_code.as_deref();
                self.allocate_first(conn, request.area_code, zip).await?
            }
        };
        let now = self.clock().now();
        let mut new = old.clone();
        new.id = NumberId::generate().to_string();
        allocation.apply(&mut new, &order.id);
        new.activated_on = Some(now.micros());
        (new.created_on, new.updated_on) = (now.micros(), now.micros());
        // The SIM moves with the line; the old row lets go of it first (one row per SIM).
        let from = old.status.clone();
        old.iccid = None;
        mark_cancelled(&mut old, now);
        numbers::save(conn, &old).await?;
        numbers::insert(conn, &new).await.map_err(number_in_use)?;
        queries::move_active_subscription(conn, &old.id, &new.id).await?;
        self.move_line(conn, &old.number, &new).await?;
        self.schedule_number_release(conn, &old).await?;
        self.emit_number_status_changed(conn, &old, &from, Some(order))
            .await?;
        self.emit_number_provisioned(conn, &new).await?;
        Ok(Outcome {
            number: old.number,
            new_number: Some(new.number),
            iccid: new.iccid,
            ..Outcome::default()
        })
    }

    /// The network drops the old line and puts the new one in the state the row inherited.
    async fn move_line(
        &self,
        conn: &mut AnyConnection,
        old_number: &str,
        new: &NumberRow,
    ) -> ServiceResult<()> {
        self.deactivate_line(conn, old_number, "number taken over")
            .await?;
        self.activate_line(conn, new).await?;
        if new.status == NumberStatus::Parked.as_str() {
            self.suspend_line(conn, &new.number, true, "number parked")
                .await?;
        }
        Ok(())
    }

    /// A number of the same area code as `number`, from the pool of `zip_code` first when that
    /// ZIP is a pool of the area.
    async fn allocate_swap_number(
        &self,
        conn: &mut AnyConnection,
        number: &str,
        zip_code: Option<&str>,
    ) -> ServiceResult<Allocation> {
        let pools = area_code_of(number)
            .map(|area| self.inventory().area_pools(area))
            .unwrap_or_default();
        let states = inventory::all_states(conn).await?;
        let mut candidates: Vec<Candidate> = pools
            .iter()
            .map(|pool| Candidate {
                pool: *pool,
                state: states.get(&pool_prefix(pool)).copied().unwrap_or_default(),
            })
            .collect();
        // A stable sort keeps pool order within the preferred and the other pools.
        candidates.sort_by_key(|c| Some(c.pool.zip_code()) != zip_code);
        self.allocate_among(conn, &candidates).await
    }
}
