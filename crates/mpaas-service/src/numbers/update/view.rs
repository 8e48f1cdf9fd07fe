//! The answer of `POST /v1.0/numbers/update` (05 §2.6).

use mpaas_core::Timestamp;
use mpaas_store::numbers::NumberRow;
use mpaas_store::orders::OrderRow;
use serde::Serialize;
use utoipa::ToSchema;

/// The number after the update, with its `Update` order.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct NumberUpdateView {
    /// E.164.
    pub number: String,
    /// `NID-…`.
    pub tnid: String,
    /// `JNUOID-…` of the `Update` order.
    pub update_order_id: String,
    /// Order time.
    #[schema(value_type = String)]
    pub update_order_date: Timestamp,
    /// `Complete`.
    pub update_order_status: String,
    /// `p2p` / `a2p`.
    pub message_type: String,
    /// Capability.
    pub message_enabled: bool,
    /// `MVNO` / `IoT`.
    pub classification: String,
    /// Capability.
    pub voice_enabled: bool,
    /// `MRID-…`.
    pub message_route_id: Option<String>,
    /// `CRID-…`.
    pub voice_route_id: Option<String>,
    /// Bound SIM.
    pub iccid: Option<String>,
    /// Caller name.
    pub cnam: Option<String>,
    /// Capability (Extension).
    pub data_enabled: bool,
    /// Row of 05 §1.2 (Extension).
    pub product_type: String,
    /// `TSUID-…` (Extension).
    pub assigned_subscriber_id: Option<String>,
    /// QR image URL of an eSIM this update bound (Extension).
    #[serde(rename = "QRCode")]
    pub qr_code: Option<String>,
}

pub(super) fn answer(
    number: NumberRow,
    order: OrderRow,
    qr_code: Option<String>,
) -> NumberUpdateView {
    NumberUpdateView {
        number: number.number,
        tnid: number.id,
        update_order_id: order.id,
        update_order_date: Timestamp::from_micros(order.created_on),
        update_order_status: order.status,
        message_type: number.message_type,
        message_enabled: number.message_enabled,
        classification: number.classification,
        voice_enabled: number.voice_enabled,
        message_route_id: number.message_route_id,
        voice_route_id: number.voice_route_id,
        iccid: number.iccid,
        cnam: number.cnam,
        data_enabled: number.data_enabled,
        product_type: number.product_type,
        assigned_subscriber_id: number.subscriber_id,
        qr_code,
    }
}
