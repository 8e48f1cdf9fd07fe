//! The checks a number passes before a status change touches it: the lifecycle table, the
//! open port-out guard, one scheduled change at a time, the SIM a `swap-sim` names, and the
//! network service an action needs.

use mpaas_core::ids::DistributorId;
use mpaas_core::lifecycle::{self, NumberStatus, StatusAction};
use mpaas_core::{Iccid, ValidationErrors};
use mpaas_network::NetworkService;
use mpaas_store::lifecycle as queries;
use mpaas_store::numbers::NumberRow;
use mpaas_store::sims;
use mpaas_store::AnyConnection;

use super::{already_scheduled, StatusChangeInput, StatusNumber};
use crate::{ServiceError, ServiceResult, Services};

/// Area code of a NANP number (`+1AAA…`).
pub(super) fn area_code_of(number: &str) -> Option<u16> {
    let digits = number.strip_prefix("+1")?;
    let area = digits.get(..3)?;
    area.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| area.parse().ok())
        .flatten()
}

/// `swap` keeps the area code: a given `AreaCode` must be every number's.
pub(super) fn swap_area_codes(input: &StatusChangeInput) -> ServiceResult<()> {
    let (StatusAction::Swap, Some(area)) = (input.action, input.area_code) else {
        return Ok(());
    };
    let mut errors = ValidationErrors::default();
    for n in &input.numbers {
        if area_code_of(n.number.as_str()) != Some(area) {
            errors.add(
                "AreaCode",
                format!(
                    "AreaCode must match the area code of '{}' for swap",
                    n.number
                ),
            );
        }
    }
    errors.into_result(()).map_err(ServiceError::from)
}

impl Services {
    /// The caller's live number, locked, once it may take `action`.
    pub(super) async fn checked_status_number(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        n: &StatusNumber,
        action: StatusAction,
    ) -> ServiceResult<NumberRow> {
        let row = super::super::lock_by_number(self, conn, distributor, n.number.as_str()).await?;
        check_change(conn, &row, action).await?;
        Ok(row)
    }

    /// `swap` and `replace` move lines to new numbers: the network's number swapping must be
    /// up (503 otherwise).
    pub(super) async fn check_network_service(
        &self,
        conn: &mut AnyConnection,
        action: StatusAction,
    ) -> ServiceResult<()> {
        match action {
            StatusAction::Swap | StatusAction::Replace => {
                self.ensure_service_up(conn, NetworkService::NumberSwap)
                    .await
            }
            _ => Ok(()),
        }
    }

    /// A change for a later date: none may be scheduled already, and a named SIM must be free.
    pub(super) async fn check_status_schedulable(
        &self,
        conn: &mut AnyConnection,
        row: &NumberRow,
        n: &StatusNumber,
    ) -> ServiceResult<()> {
        if queries::has_scheduled_change(conn, &row.number).await? {
            return Err(already_scheduled(&row.number));
        }
        match &n.iccid {
            Some(iccid) => check_sim_free(conn, row, iccid).await,
            None => Ok(()),
        }
    }
}

/// The lifecycle table (422) and the port-out guard (409) for `action` on `row`.
pub(super) async fn check_change(
    conn: &mut AnyConnection,
    row: &NumberRow,
    action: StatusAction,
) -> ServiceResult<NumberStatus> {
    let status = NumberStatus::parse(&row.status).ok_or_else(|| {
        ServiceError::Internal(format!("number {} in status {}", row.id, row.status))
    })?;
    let next = lifecycle::change(status, action)
        .map_err(|e| ServiceError::Unprocessable(e.message(&row.number)))?;
    if action.refused_during_port_out() {
        crate::numbers::refuse_open_port_out(conn, row).await?;
    }
    Ok(next)
}

/// The SIM `iccid` could be bound to `row` (unknown ICCIDs are registered when bound).
pub(super) async fn check_sim_free(
    conn: &mut AnyConnection,
    row: &NumberRow,
    iccid: &Iccid,
) -> ServiceResult<()> {
    match sims::find(conn, iccid.as_str(), None).await? {
        Some(sim) => crate::sims::check_bindable(conn, &sim, row).await,
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::area_code_of;

    #[test]
    fn area_codes_of_nanp_numbers_only() {
        assert_eq!(area_code_of("+12013780002"), Some(201));
        assert_eq!(area_code_of("+18015551234"), Some(801));
        assert_eq!(area_code_of("+447911123456"), None);
        assert_eq!(area_code_of("+1"), None);
    }
}
