//! Subscriptions: a package tied to a subscriber's number (04-catalog-subscriptions.md). One
//! active subscription per number, enforced by a partial unique index as well as here.

use mpaas_core::Timestamp;
use mpaas_store::subscriptions::SubscriptionRow;
use serde::Serialize;
use utoipa::ToSchema;

mod create;
mod reads;

pub use create::NewSubscriptionInput;

/// `Type` of a subscription: `Mvno` or `Iot` (any case on input).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubscriptionType {
    /// A mobile line (number classification `MVNO`).
    Mvno,
    /// An IoT line (number classification `IoT`).
    Iot,
}

impl SubscriptionType {
    /// Parses `Mvno` / `Iot` in any case (`MVNO`, `IoT`, `IOT` …).
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "mvno" => Some(Self::Mvno),
            "iot" => Some(Self::Iot),
            _ => None,
        }
    }

    /// The type matching a number classification (`MVNO` / `IoT`).
    pub fn of_classification(classification: &str) -> Self {
        if classification.eq_ignore_ascii_case("iot") {
            Self::Iot
        } else {
            Self::Mvno
        }
    }

    /// Canonical spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mvno => "Mvno",
            Self::Iot => "Iot",
        }
    }
}

/// Subscription object.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SubscriptionView {
    /// `SUB-…`.
    pub subscription_id: String,
    /// `TSUID-…`.
    pub subscriber_id: String,
    /// Number id (`NID-…`).
    #[serde(rename = "TNID")]
    pub tnid: String,
    /// Bound SIM, `null` when none.
    #[serde(rename = "ICCID")]
    pub iccid: Option<String>,
    /// `PID-…`.
    pub package_id: String,
    /// `Mvno` or `Iot`.
    #[serde(rename = "Type")]
    pub subscription_type: String,
    /// Not ended.
    pub active: bool,
    /// The subscriber's account (Extension).
    pub account_id: String,
    /// E.164 (Extension).
    pub phone_number: String,
    /// Start (Extension).
    #[schema(value_type = String)]
    pub started_on: Timestamp,
    /// End (Extension).
    #[schema(value_type = Option<String>)]
    pub ended_on: Option<Timestamp>,
    /// `Cancelled`, `NumberCancelled` or `NumberPortedOut` (Extension).
    pub end_reason: Option<String>,
}

pub(crate) fn subscription_view(row: SubscriptionRow) -> SubscriptionView {
    SubscriptionView {
        subscription_id: row.id,
        subscriber_id: row.subscriber_id,
        tnid: row.number_id,
        iccid: row.iccid,
        package_id: row.package_id,
        subscription_type: row.subscription_type,
        active: row.active,
        account_id: row.account_id,
        phone_number: row.phone_number,
        started_on: Timestamp::from_micros(row.started_on),
        ended_on: row.ended_on.map(Timestamp::from_micros),
        end_reason: row.end_reason,
    }
}

#[cfg(test)]
mod tests {
    use super::SubscriptionType;

    #[test]
    fn subscription_type_any_case_and_from_classification() {
        for raw in ["mvno", "MVNO", "Mvno"] {
            assert_eq!(SubscriptionType::parse(raw), Some(SubscriptionType::Mvno));
        }
        for raw in ["iot", "IoT", "IOT"] {
            assert_eq!(SubscriptionType::parse(raw), Some(SubscriptionType::Iot));
        }
        assert_eq!(SubscriptionType::parse("voip"), None);
        assert_eq!(
            SubscriptionType::of_classification("IoT"),
            SubscriptionType::Iot
        );
        assert_eq!(SubscriptionType::of_classification("MVNO").as_str(), "Mvno");
    }
}
