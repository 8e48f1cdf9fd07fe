//! `swap-sim` (05 §2.7): the given SIM (bound as in 05 §2.2) or a new eSIM replaces the
//! number's SIM, which is retired; the active subscription records the new ICCID.

use mpaas_core::Iccid;
use mpaas_store::lifecycle as queries;
use mpaas_store::numbers::{self, NumberRow};
use mpaas_store::orders::OrderRow;
use mpaas_store::sims;
use mpaas_store::AnyConnection;

use super::checks::check_sim_free;
use super::views::Outcome;
use crate::numbers::NumberChanges;
use crate::sims::SimTransition;
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
        self.retire_swapped_sim(conn, &mut number).await?;
        numbers::save(conn, &number).await?;
        let (transition, profile) = match iccid {
            Some(iccid) => (
                self.bind_sim(conn, &mut number, iccid).await?,
                Default::default(),
            ),
            None => self.issue_esim(conn, &mut number).await?,
        };
        number.updated_on = self.clock().now().micros();
        numbers::save(conn, &number).await?;
        self.emit_sim_transition(conn, &number, &transition).await?;
        queries::set_active_subscription_sim(conn, &number.id, number.iccid.as_deref()).await?;
        let changes = NumberChanges::between(&before, &number);
        self.emit_number_updated(conn, &number, Some(&order.id), &changes)
            .await?;
        let qr_code = match (&profile.qr_code, &number.iccid) {
            (Some(qr), _) => Some(qr.clone()),
            (None, Some(iccid)) => sims::find(conn, iccid, None)
                .await?
                .and_then(|sim| self.esim_profile(&sim).qr_code),
            (None, None) => None,
        };
        Ok(Outcome {
            number: number.number.clone(),
            iccid: number.iccid.clone(),
            qr_code,
            ..Outcome::default()
        })
    }

    /// Retires and unbinds the number's SIM, if it has one (its QR URL stops working).
    async fn retire_swapped_sim(
        &self,
        conn: &mut AnyConnection,
        number: &mut NumberRow,
    ) -> ServiceResult<()> {
        let Some(iccid) = number.iccid.take() else {
            return Ok(());
        };
        let lock = Some(self.store().backend());
        let Some(mut sim) = sims::find(conn, &iccid, lock).await? else {
            return Ok(());
        };
        let transition = SimTransition {
            iccid: sim.iccid.clone(),
            from: std::mem::replace(&mut sim.status, "Retired".into()),
            to: "Retired".into(),
            reason: "replaced",
        };
        sim.updated_on = self.clock().now().micros();
        sims::save(conn, &sim).await?;
        self.emit_sim_transition(conn, number, &transition).await
    }
}
