//! Resource objects exactly as the API returns them (and as event `Data` carries them).

use mpaas_core::{Address, Timestamp};
use serde::Serialize;
use utoipa::ToSchema;

/// Distributor object. `Secret` appears only on create and rotation.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct DistributorView {
    /// `DID-…`.
    pub distributor_id: String,
    /// 1 to 200 characters.
    pub distributor_name: String,
    /// Same value as `DistributorId`.
    pub account_key: String,
    /// 64 hex characters, shown once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// Accounts of the distributor.
    pub total_accounts: i64,
    /// Billing address.
    pub billing_address: Address,
    /// Mailing address.
    pub mailing_address: Address,
    /// `null` = platform default, `0` = unlimited.
    pub rate_limit_per_minute: Option<i64>,
    /// Creation time.
    #[schema(value_type = String, example = "2025-11-03T10:05:55.506112+00:00")]
    pub created_on: Timestamp,
}

/// Answer of a secret rotation.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct RotatedSecretView {
    /// `DID-…`.
    pub distributor_id: String,
    /// Same value as `DistributorId`.
    pub account_key: String,
    /// The new secret, shown once.
    pub secret: String,
    /// Rotation time.
    #[schema(value_type = String)]
    pub rotated_on: Timestamp,
}

/// Account object.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct AccountView {
    /// `AID-…`.
    pub account_id: String,
    /// 1 to 200 characters.
    pub account_name: String,
    /// Live subscribers.
    pub total_subscribers: i64,
    /// Billing address.
    pub billing_address: Address,
    /// Mailing address.
    pub mailing_address: Address,
    /// Manager email (Extension).
    pub account_admin: String,
    /// Owner (Extension).
    pub distributor_id: String,
    /// Creation time (Extension).
    #[schema(value_type = String)]
    pub created_on: Timestamp,
}

/// `Account` inside a subscriber.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SubscriberAccountView {
    /// `AID-…`.
    pub account_id: String,
    /// The account's `AccountName`.
    pub company_name: String,
}

/// An active subscription as listed on a subscriber.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SubscriberSubscriptionView {
    /// `SUB-…`.
    pub subscription_id: String,
    /// E.164.
    pub phone_number: String,
    /// `PID-…`.
    pub package_id: String,
    /// Bound SIM, if any.
    pub iccid: Option<String>,
}

/// Subscriber object. `Password` is never returned.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SubscriberView {
    /// `TSUID-…`.
    pub subscriber_id: String,
    /// 1 to 200 characters.
    pub name: String,
    /// As stored (case kept).
    pub email: String,
    /// Assigned numbers, E.164, ascending.
    pub phone_numbers: Vec<String>,
    /// `Subscriber`, `Manager` or `Account Admin`.
    pub role: String,
    /// The subscriber's account.
    pub account: SubscriberAccountView,
    /// Active subscriptions.
    pub subscriptions: Vec<SubscriberSubscriptionView>,
    /// Creation time (Extension).
    #[schema(value_type = String)]
    pub created_on: Timestamp,
}

/// Answer of a delete (Extension).
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SubscriberDeletedView {
    /// `TSUID-…`.
    pub subscriber_id: String,
    /// Always `Deleted`.
    pub status: String,
    /// Deletion time.
    #[schema(value_type = String)]
    pub date_deleted: Timestamp,
}

/// One page of a list: the rows and the total over all pages.
#[derive(Clone, Debug, Serialize)]
pub struct Page<T> {
    /// Rows over all pages.
    pub total: i64,
    /// Rows of this page.
    pub results: Vec<T>,
}
