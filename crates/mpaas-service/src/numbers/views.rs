//! Number objects: the inventory item (05 §2.4) and the details (05 §2.5).

use chrono::TimeZone;
use mpaas_core::Timestamp;
use mpaas_store::numbers::NumberRow;
use serde::Serialize;
use utoipa::ToSchema;

/// Every platform number is a mobile line.
const NUMBER_TYPE: &str = "mobile";

/// A number in the inventory list.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct InventoryItemView {
    /// E.164.
    pub number: String,
    /// `NID-…`.
    pub tnid: String,
    /// Order that created the row.
    pub order_id: String,
    /// `mobile`.
    pub number_type: &'static str,
    /// Capability.
    pub message_enabled: bool,
    /// `p2p` / `a2p`.
    pub message_type: String,
    /// `MVNO` / `IoT`.
    pub classification: String,
    /// Capability.
    pub voice_enabled: bool,
    /// `MRID-…`.
    pub message_route_id: Option<String>,
    /// `CRID-…`.
    pub voice_route_id: Option<String>,
    /// Lifecycle status.
    pub status: String,
    /// `MM/DD/YYYY` of first activation.
    pub original_date_purchased: Option<String>,
    /// `TSUID-…`.
    pub assigned_subscriber_id: Option<String>,
    /// Bound SIM.
    pub iccid: Option<String>,
    /// Caller name.
    pub cnam: Option<String>,
    /// Capability (Extension).
    pub data_enabled: bool,
    /// Row of 05 §1.2 (Extension).
    pub product_type: String,
    /// Owning account (Extension).
    pub account_id: String,
}

/// Details of one number.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct NumberDetailsView {
    /// E.164.
    pub number: String,
    /// `NID-…`.
    #[serde(rename = "TNID")]
    pub tnid: String,
    /// Order that created the row.
    pub order_id: String,
    /// `mobile`.
    pub number_type: &'static str,
    /// Capability.
    pub message_enabled: bool,
    /// `MRID-…`.
    pub message_route_id: Option<String>,
    /// Capability.
    pub voice_enabled: bool,
    /// `MVNO` / `IoT`.
    pub classification: String,
    /// `p2p` / `a2p`.
    pub message_type: String,
    /// `CRID-…`.
    pub voice_route_id: Option<String>,
    /// Lifecycle status.
    pub status: String,
    /// `MM/DD/YYYY` of first activation.
    pub original_date_purchased: Option<String>,
    /// `TSUID-…`.
    pub assigned_subscriber_id: Option<String>,
    /// Bound SIM.
    pub iccid: Option<String>,
    /// Caller name.
    pub cnam: Option<String>,
    /// Capability (Extension).
    pub data_enabled: bool,
    /// Row of 05 §1.2 (Extension).
    pub product_type: String,
    /// Owning account (Extension).
    pub account_id: String,
    /// QR image URL of a live eSIM (Extension).
    #[serde(rename = "QRCode")]
    pub qr_code: Option<String>,
    /// End of the reactivation window while `Cancelled` (Extension).
    #[schema(value_type = Option<String>)]
    pub reactivatable_until: Option<Timestamp>,
}

/// `MM/DD/YYYY` of a platform time in the business zone.
pub(crate) fn business_date(micros: i64, tz: chrono_tz::Tz) -> Option<String> {
    let utc = chrono::DateTime::from_timestamp_micros(micros)?;
    Some(
        tz.from_utc_datetime(&utc.naive_utc())
            .format("%m/%d/%Y")
            .to_string(),
    )
}

pub(crate) fn inventory_item(row: NumberRow, tz: chrono_tz::Tz) -> InventoryItemView {
    InventoryItemView {
        original_date_purchased: row.activated_on.and_then(|t| business_date(t, tz)),
        number: row.number,
        tnid: row.id,
        order_id: row.order_id,
        number_type: NUMBER_TYPE,
        message_enabled: row.message_enabled,
        message_type: row.message_type,
        classification: row.classification,
        voice_enabled: row.voice_enabled,
        message_route_id: row.message_route_id,
        voice_route_id: row.voice_route_id,
        status: row.status,
        assigned_subscriber_id: row.subscriber_id,
        iccid: row.iccid,
        cnam: row.cnam,
        data_enabled: row.data_enabled,
        product_type: row.product_type,
        account_id: row.account_id,
    }
}

pub(crate) fn number_details(
    row: NumberRow,
    tz: chrono_tz::Tz,
    qr_code: Option<String>,
) -> NumberDetailsView {
    let reactivatable_until = (row.status == "Cancelled")
        .then_some(row.reactivatable_until)
        .flatten()
        .map(Timestamp::from_micros);
    NumberDetailsView {
        original_date_purchased: row.activated_on.and_then(|t| business_date(t, tz)),
        number: row.number,
        tnid: row.id,
        order_id: row.order_id,
        number_type: NUMBER_TYPE,
        message_enabled: row.message_enabled,
        message_route_id: row.message_route_id,
        voice_enabled: row.voice_enabled,
        classification: row.classification,
        message_type: row.message_type,
        voice_route_id: row.voice_route_id,
        status: row.status,
        assigned_subscriber_id: row.subscriber_id,
        iccid: row.iccid,
        cnam: row.cnam,
        data_enabled: row.data_enabled,
        product_type: row.product_type,
        account_id: row.account_id,
        qr_code,
        reactivatable_until,
    }
}

#[cfg(test)]
mod tests {
    use super::business_date;

    #[test]
    fn business_dates_follow_the_zone() {
        // 2026-03-10T03:30Z is still March 9 in New York.
        let micros = 1_773_113_400_000_000;
        assert_eq!(
            business_date(micros, chrono_tz::America::New_York).as_deref(),
            Some("03/09/2026")
        );
        assert_eq!(
            business_date(micros, chrono_tz::UTC).as_deref(),
            Some("03/10/2026")
        );
    }
}
