//! Answers of `POST /v1.0/numbers/status`, `/reactivate` and `/order/cancel` (05 §2.3, §2.7,
//! §2.8). Each action answers its numbers under the vendor's own key and item shape.

use mpaas_core::lifecycle::StatusAction;
use mpaas_core::{Money, Timestamp};
use mpaas_store::orders::OrderRow;
use serde::Serialize;
use utoipa::ToSchema;

use crate::numbers::orders::effective_date_text;

/// `Numbers` item of `activate`.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ActivatedNumber {
    /// E.164.
    pub number: String,
    /// QR image URL of the number's eSIM.
    pub qr_code: Option<String>,
    /// Fee of the action.
    #[schema(value_type = f64)]
    pub charge_fee: Money,
}

/// `Numbers` item of `swap-sim` and `reactivate`.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SimNumber {
    /// E.164.
    pub number: String,
    /// The number's SIM.
    #[serde(rename = "ICCID")]
    pub iccid: Option<String>,
    /// QR image URL when the SIM is an eSIM.
    pub qr_code: Option<String>,
    /// Fee of the action.
    #[schema(value_type = f64)]
    pub charge_fee: Money,
}

/// `Numbers` item: shape of the action.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum NumbersItem {
    /// `activate`.
    Activated(ActivatedNumber),
    /// `swap-sim`, `reactivate`.
    WithSim(SimNumber),
}

/// `NumbersChanged` item of `park`.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ParkedNumber {
    /// E.164.
    pub number: String,
    /// Fee of the action.
    #[schema(value_type = f64)]
    pub change_fee: Money,
}

/// `NumbersChange` item of `cancel`.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct CancelledNumber {
    /// E.164.
    pub number: String,
    /// Fee of the action.
    #[schema(value_type = f64)]
    pub charge_fee: Money,
}

/// `NumbersChange` item of `swap` and `replace`.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ReplacedNumber {
    /// The number given up.
    pub original_number: String,
    /// The number that took over (`null` while scheduled).
    pub new_number: Option<String>,
    /// Fee of the action.
    #[schema(value_type = f64)]
    pub charge_fee: Money,
}

/// `NumbersChange` item: shape of the action.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum NumbersChangeItem {
    /// `cancel`.
    Cancelled(CancelledNumber),
    /// `swap`, `replace`.
    Replaced(ReplacedNumber),
}

/// Answer of a status change or a reactivation.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct StatusChangeView {
    /// `JNUOID-…`.
    pub order_id: String,
    /// Order time.
    #[schema(value_type = String)]
    pub order_date: Timestamp,
    /// `Complete` (run now) or `Scheduled`.
    pub order_status: String,
    /// The action.
    pub change_type: String,
    /// Business date, `YYYY-MM-DDT00:00:00`.
    pub effective_date: String,
    /// `activate`, `swap-sim`, `reactivate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numbers: Option<Vec<NumbersItem>>,
    /// `park`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numbers_changed: Option<Vec<ParkedNumber>>,
    /// `cancel`, `swap`, `replace`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numbers_change: Option<Vec<NumbersChangeItem>>,
}

/// Answer of an order cancellation.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct OrderCancelView {
    /// `JNUOID-…`.
    pub order_id: String,
    /// `Cancelled`.
    pub order_status: String,
}

/// What became of one number of a change.
#[derive(Clone, Debug, Default)]
pub(crate) struct Outcome {
    /// E.164 named in the request.
    pub number: String,
    /// Number that took over (swap, replace).
    pub new_number: Option<String>,
    /// The number's SIM after the change.
    pub iccid: Option<String>,
    /// QR URL of that SIM when it is an eSIM.
    pub qr_code: Option<String>,
    /// Fee fixed at order creation.
    pub fee: Money,
}

/// The answer's items, under the key and in the shape of `change_type`.
enum Items {
    Numbers(Vec<NumbersItem>),
    Changed(Vec<ParkedNumber>),
    Change(Vec<NumbersChangeItem>),
}

fn items(change_type: &str, outcomes: Vec<Outcome>) -> Items {
    let action = StatusAction::parse(change_type);
    let with_sim = |o: Outcome| {
        NumbersItem::WithSim(SimNumber {
            number: o.number,
            iccid: o.iccid,
            qr_code: o.qr_code,
            charge_fee: o.fee,
        })
    };
    match action {
        Some(StatusAction::Activate) => Items::Numbers(
            outcomes
                .into_iter()
                .map(|o| {
                    NumbersItem::Activated(ActivatedNumber {
                        number: o.number,
                        qr_code: o.qr_code,
                        charge_fee: o.fee,
                    })
                })
                .collect(),
        ),
        Some(StatusAction::Park) => Items::Changed(
            outcomes
                .into_iter()
                .map(|o| ParkedNumber {
                    number: o.number,
                    change_fee: o.fee,
                })
                .collect(),
        ),
        Some(StatusAction::Cancel) => Items::Change(
            outcomes
                .into_iter()
                .map(|o| {
                    NumbersChangeItem::Cancelled(CancelledNumber {
                        number: o.number,
                        charge_fee: o.fee,
                    })
                })
                .collect(),
        ),
        Some(StatusAction::Swap | StatusAction::Replace) => Items::Change(
            outcomes
                .into_iter()
                .map(|o| {
                    NumbersChangeItem::Replaced(ReplacedNumber {
                        original_number: o.number,
                        new_number: o.new_number,
                        charge_fee: o.fee,
                    })
                })
                .collect(),
        ),
        // `swap-sim` and `reactivate`.
        Some(StatusAction::SwapSim) | None => {
            Items::Numbers(outcomes.into_iter().map(with_sim).collect())
        }
    }
}

/// The answer of a status change order (`effective_date` is `YYYY-MM-DD`).
pub(crate) fn status_change_view(order: &OrderRow, outcomes: Vec<Outcome>) -> StatusChangeView {
    let change_type = order.change_type.clone().unwrap_or_default();
    let mut view = StatusChangeView {
        order_id: order.id.clone(),
        order_date: Timestamp::from_micros(order.created_on),
        order_status: order.status.clone(),
        effective_date: effective_date_text(order.effective_date.as_deref().unwrap_or_default()),
        numbers: None,
        numbers_changed: None,
        numbers_change: None,
        change_type,
    };
    match items(&view.change_type, outcomes) {
        Items::Numbers(list) => view.numbers = Some(list),
        Items::Changed(list) => view.numbers_changed = Some(list),
        Items::Change(list) => view.numbers_change = Some(list),
    }
    view
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(change_type: &str) -> OrderRow {
        OrderRow {
            id: "JNUOID-1".into(),
            distributor_id: "DID-1".into(),
            account_id: None,
            order_type: "StatusChange".into(),
            status: "Complete".into(),
            status_message: String::new(),
            change_type: Some(change_type.into()),
            effective_date: Some("2026-03-10".into()),
            details: "{}".into(),
            created_on: 0,
            updated_on: 0,
        }
    }

    fn outcome() -> Outcome {
        Outcome {
            number: "+12013780003".into(),
            new_number: Some("+12013780005".into()),
            iccid: Some("8901999000000010425".into()),
            qr_code: None,
            fee: Money::parse("2.25").unwrap_or_default(),
        }
    }

    fn keys(change_type: &str) -> serde_json::Value {
        serde_json::to_value(status_change_view(&order(change_type), vec![outcome()]))
            .unwrap_or_default()
    }

    #[test]
    fn each_action_answers_its_vendor_shape() {
        let swap = keys("swap");
        assert_eq!(swap["EffectiveDate"], "2026-03-10T00:00:00");
        assert_eq!(
            swap["NumbersChange"],
            serde_json::json!([{"OriginalNumber":"+12013780003","NewNumber":"+12013780005","ChargeFee":2.25}])
        );
        assert_eq!(
            keys("cancel")["NumbersChange"],
            serde_json::json!([{"Number":"+12013780003","ChargeFee":2.25}])
        );
        assert_eq!(
            keys("park")["NumbersChanged"],
            serde_json::json!([{"Number":"+12013780003","ChangeFee":2.25}])
        );
        assert_eq!(
            keys("activate")["Numbers"],
            serde_json::json!([{"Number":"+12013780003","QrCode":null,"ChargeFee":2.25}])
        );
        for with_sim in ["swap-sim", "reactivate"] {
            assert_eq!(
                keys(with_sim)["Numbers"],
                serde_json::json!([{"Number":"+12013780003","ICCID":"8901999000000010425","QrCode":null,"ChargeFee":2.25}])
            );
        }
        let park = keys("park");
        assert!(park.get("Numbers").is_none() && park.get("NumbersChange").is_none());
    }
}
