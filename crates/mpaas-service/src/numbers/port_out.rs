//! The open port-out guard (05 §1.3): while a `PortOut` order of a number is `Pending` or
//! `Approved`, the line must stay as it is, so SIM changes and most status changes are refused.

use mpaas_store::numbers::NumberRow;
use mpaas_store::orders;
use mpaas_store::AnyConnection;

use crate::{ServiceError, ServiceResult};

/// `409 Number '{Number}' has an open port-out request` when a port-out of the number is open.
pub(crate) async fn refuse_open_port_out(
    conn: &mut AnyConnection,
    number: &NumberRow,
) -> ServiceResult<()> {
    if orders::has_open_port_out(conn, &number.id, &number.number).await? {
        return Err(ServiceError::conflict(format!(
            "Number '{}' has an open port-out request",
            number.number
        )));
    }
    Ok(())
}
