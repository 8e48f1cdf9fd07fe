//! Catalogue objects exactly as the API returns them (and as event `Data` carries them).

use mpaas_core::{Money, Timestamp};
use mpaas_store::packages::items::ItemRow;
use mpaas_store::packages::PackageRow;
use mpaas_store::products::ProductRow;
use serde::Serialize;
use utoipa::ToSchema;

/// Product object.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ProductView {
    /// `PRID-…`.
    pub product_id: String,
    /// Unique in the distributor's catalogue, case-insensitively.
    #[serde(rename = "SKU")]
    pub sku: String,
    /// 1 to 500 characters.
    pub description: String,
    /// The installation's `AGID-…`.
    pub aggregator_id: String,
    /// Owner.
    pub distributor_id: String,
    /// Free text (`esim`, `data`, `sms` …), as sent.
    #[serde(rename = "Type")]
    pub product_type: String,
    /// Refinement of the type, or `null`.
    pub sub_type: Option<String>,
    /// Wholesale cost to the distributor, exact.
    #[schema(value_type = f64, example = 6.25)]
    pub cost: Money,
    /// `MRC` (monthly recurring) or `NRC` (one-time).
    pub billing_frequency: String,
    /// `false` once retired.
    pub active: bool,
    /// Creation time (Extension).
    #[schema(value_type = String, example = "2025-11-03T15:28:20.172094+00:00")]
    pub created_on: Timestamp,
}

impl ProductView {
    /// The wire object of a stored product.
    pub(crate) fn from_row(row: ProductRow, aggregator_id: &str) -> Self {
        Self {
            product_id: row.id,
            sku: row.sku,
            description: row.description,
            aggregator_id: aggregator_id.to_string(),
            distributor_id: row.distributor_id,
            product_type: row.product_type,
            sub_type: row.sub_type,
            cost: Money::from_units(row.cost),
            billing_frequency: row.billing_frequency,
            active: row.active,
            created_on: Timestamp::from_micros(row.created_on),
        }
    }
}

/// Package item object.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct PackageItemView {
    /// `PIID-…`.
    pub package_item_id: String,
    /// `PID-…`.
    pub package_id: String,
    /// `PRID-…`.
    pub product_id: String,
    /// The installation's `AGID-…`.
    pub aggregator_id: String,
    /// Owner.
    pub distributor_id: String,
    /// Free text; defaults to the product's `Type`.
    #[serde(rename = "Type")]
    pub item_type: String,
    /// The item's share of the package price, exact.
    #[schema(value_type = f64, example = 1.12)]
    pub price: Money,
    /// Recurring monthly (else one-time).
    pub monthly: bool,
    /// Active flag.
    pub active: bool,
}

impl PackageItemView {
    /// The wire object of a stored item.
    pub(crate) fn from_row(row: ItemRow, aggregator_id: &str) -> Self {
        Self {
            package_item_id: row.id,
            package_id: row.package_id,
            product_id: row.product_id,
            aggregator_id: aggregator_id.to_string(),
            distributor_id: row.distributor_id,
            item_type: row.item_type,
            price: Money::from_units(row.price),
            monthly: row.monthly,
            active: row.active,
        }
    }
}

/// Package object. `PackageItems` is left out (`None`) in list results and wherever a package is
/// shown next to other data (the package with its subscriptions).
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct PackageView {
    /// `PID-…`.
    pub package_id: String,
    /// 1 to 100 characters.
    pub package_name: String,
    /// At most 500 characters, or `null`.
    pub description: Option<String>,
    /// Owner.
    pub distributor_id: String,
    /// The installation's `AGID-…`.
    pub aggregator_id: String,
    /// The one subscriber the package is scoped to, or `null`.
    pub subscriber_id: Option<String>,
    /// Free text (`sip`, `esim` …).
    #[serde(rename = "Type")]
    pub package_type: String,
    /// Price of the whole package to the subscriber, exact.
    #[schema(value_type = f64, example = 39.99)]
    pub price: Money,
    /// Recurring monthly (else one-time).
    pub monthly: bool,
    /// Open to new subscriptions.
    pub active: bool,
    /// Every item of the package (Extension).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package_items: Option<Vec<PackageItemView>>,
    /// Creation time (Extension).
    #[schema(value_type = String, example = "2025-11-03T16:19:18.039554+00:00")]
    pub created_on: Timestamp,
}

impl PackageView {
    /// The wire object of a stored package, without its items.
    pub(crate) fn from_row(row: PackageRow, aggregator_id: &str) -> Self {
        Self {
            package_id: row.id,
            package_name: row.name,
            description: row.description,
            distributor_id: row.distributor_id,
            aggregator_id: aggregator_id.to_string(),
            subscriber_id: row.subscriber_id,
            package_type: row.package_type,
            price: Money::from_units(row.price),
            monthly: row.monthly,
            active: row.active,
            package_items: None,
            created_on: Timestamp::from_micros(row.created_on),
        }
    }
}

/// Answer of `packages/items/delete`.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct PackageItemDeletedView {
    /// The removed item.
    pub package_item_id: String,
    /// Its package.
    pub package_id: String,
    /// Always `Deleted`.
    pub status: String,
}

/// Answer of catalogue seeding.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SeedCatalogView {
    /// The seeded distributor.
    pub distributor_id: String,
    /// Seed SKUs created now.
    pub products_created: i64,
    /// Seed SKUs the distributor already had (any case), left untouched.
    pub products_skipped: i64,
    /// The distributor's product for each seed SKU, created or existing, in seed order.
    pub results: Vec<ProductView>,
}
