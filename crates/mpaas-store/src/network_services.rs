//! Switches of the sandbox network's services (05 §2.7): a service without a row is up.

use sqlx::AnyConnection;
use sqlx::Row;

use crate::StoreResult;

/// The recorded state of one service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceSwitchRow {
    /// Wire name, e.g. `NumberSwap`.
    pub service: String,
    /// Whether the service is up.
    pub up: bool,
    /// Platform time of the last change.
    pub changed_on: i64,
}

fn map(r: sqlx::any::AnyRow) -> ServiceSwitchRow {
    ServiceSwitchRow {
        service: r.get(0),
        up: r.get::<i64, _>(1) == 1,
        changed_on: r.get(2),
    }
}

/// The switch of `service`, if it was ever set.
pub async fn find(
    conn: &mut AnyConnection,
    service: &str,
) -> StoreResult<Option<ServiceSwitchRow>> {
    let row =
        sqlx::query("SELECT service, up, changed_on FROM network_services WHERE service = $1")
            .bind(service)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(map))
}

/// Every switch ever set, by service name.
pub async fn list(conn: &mut AnyConnection) -> StoreResult<Vec<ServiceSwitchRow>> {
    let rows = sqlx::query("SELECT service, up, changed_on FROM network_services ORDER BY service")
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(map).collect())
}

/// Sets the switch of `service`.
pub async fn set(conn: &mut AnyConnection, row: &ServiceSwitchRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO network_services (service, up, changed_on) VALUES ($1, $2, $3) \
         ON CONFLICT (service) DO UPDATE SET up = excluded.up, changed_on = excluded.changed_on",
    )
    .bind(&row.service)
    .bind(i64::from(row.up))
    .bind(row.changed_on)
    .execute(conn)
    .await?;
    Ok(())
}
