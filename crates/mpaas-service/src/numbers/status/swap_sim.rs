//! `swap-sim` (05 §2.7): the given SIM (bound as in 05 §2.2) or a new eSIM replaces the
//! number's SIM, which is retired; the active subscription records the new ICCID.

use mpaas_core::Iccid;
use mpaas_store::numbers::{self, NumberRow};
use mpaas_store::orders::OrderRow;
use mpaas_store::AnyConnection;

use super::checks::check_sim_free;
use super::views::Outcome;
use crate::numbers::NumberChanges;
use crate::{ServiceResult, Services};

impl Services {
    /// Binds a new SIM to `number` and retires the old one.
    pub(super) async fn apply_swap_sim(
        &self,
        conn: &mut AnyConnection,
        order: &OrderRow,
        mut number: NumberRow,
        iccid: Option<&Iccid>,
    ) -> ServiceResult<Outcome> {
        let before = number.clone();
        if let Some(iccid) = iccid {
            // Checked while the old SIM is still bound, so naming it is `ICCID already in use`.
            check_sim_free(conn, &number, iccid).await?;
        }
        let replacement = self.replace_sim(conn, &mut number, iccid).await?;
        number.updated_on = self.clock().now().micros();
        numbers::save(conn, &number).await?;
        for transition in &replacement.transitions {
            self.emit_sim_transition(conn, &number, transition).await?;
        }
        let changes = NumberChanges::between(&before, &number);
        self.emit_number_updated(conn, &number, Some(&order.id), &changes)
            .await?;
        Ok(Outcome {
            number: number.number.clone(),
            iccid: number.iccid.clone(),
            qr_code: replacement.profile.qr_code,
            ..Outcome::default()
        })
    }
}
