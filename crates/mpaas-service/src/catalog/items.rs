//! Package items: add, update, delete (for good) and a package's items.

use mpaas_core::ids::{DistributorId, PackageItemId, ProductId};
use mpaas_core::ListFilter;
use mpaas_core::{Money, Paging};
use mpaas_store::packages::items::{self, ItemKey, ItemRow, ItemValues};
use mpaas_store::packages::{self};
use mpaas_store::AnyConnection;

use super::views::{PackageItemDeletedView, PackageItemView};
use super::BillingFrequency;
use crate::views::Page;
use crate::{ServiceError, ServiceResult, Services};

/// A product to put in a package (validated at the edge).
#[derive(Clone, Debug, Default)]
pub struct NewItemInput {
    /// An active product of the caller.
    pub product_id: String,
    /// The item's share of the package price.
    pub price: Money,
    /// Default: `true` for an `MRC` product, `false` for `NRC`.
    pub monthly: Option<bool>,
    /// 1 to 50 characters; default the product's `Type`.
    pub item_type: Option<String>,
}

/// Changes to an item; `None` leaves a value as it is.
#[derive(Clone, Debug, Default)]
pub struct ItemUpdate {
    /// Target.
    pub package_item_id: String,
    /// Only accepted when it names the item's own product.
    pub product_id: Option<String>,
    /// New price.
    pub price: Option<Money>,
    /// New recurrence.
    pub monthly: Option<bool>,
    /// New type.
    pub item_type: Option<String>,
    /// New active flag.
    pub active: Option<bool>,
}

/// A page of one package's items.
#[derive(Clone, Debug)]
pub struct PackageItems {
    /// `PID-…`.
    pub package_id: String,
    /// The package's name.
    pub package_name: String,
    /// The page.
    pub page: Page<PackageItemView>,
}

fn not_found(raw: &str) -> ServiceError {
    ServiceError::not_found("Package item", raw)
}

/// Whether the request names a product other than the item's own.
fn changes_product(current: &ItemRow, requested: Option<&str>) -> bool {
    requested
        .is_some_and(|raw| ProductId::parse(raw).is_none_or(|id| id.as_str() != current.product_id))
}

impl Services {
    /// Adds a product to a package.
    pub async fn add_package_item(
        &self,
        distributor: &DistributorId,
        package_id: &str,
        item: NewItemInput,
    ) -> ServiceResult<PackageItemView> {
        let mut tx = self.store().begin().await?;
        let package = self.load_package(&mut tx, distributor, package_id).await?;
        let id = PackageItemId::generate();
        self.insert_item(&mut tx, distributor, (id.as_str(), &package.id), &item, "")
            .await?;
        let view = self.reload_item(&mut tx, distributor, id.as_str()).await?;
        let account = self
            .scope_account(&mut tx, distributor, package.subscriber_id.as_deref())
            .await?;
        let context = (distributor.as_str(), account.as_deref());
        self.emit_item(&mut tx, "package.item_added", context, &view)
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(view)
    }

    /// Changes an item's price, recurrence, type or active flag; its product cannot change.
    pub async fn update_package_item(
        &self,
        distributor: &DistributorId,
        update: ItemUpdate,
    ) -> ServiceResult<PackageItemView> {
        let mut tx = self.store().begin().await?;
        let current = self
            .load_item(&mut tx, distributor, &update.package_item_id)
            .await?;
        if changes_product(&current, update.product_id.as_deref()) {
            return Err(ServiceError::field(
                "ProductId",
                "ProductId cannot be changed",
            ));
        }
        let values = ItemValues {
            item_type: update.item_type.as_deref().unwrap_or(&current.item_type),
            price: update.price.map_or(current.price, Money::units),
            monthly: update.monthly.unwrap_or(current.monthly),
            active: update.active.unwrap_or(current.active),
        };
        items::update(&mut tx, &current.id, &values, self.clock().now().micros()).await?;
        let view = self.reload_item(&mut tx, distributor, &current.id).await?;
        let account = self.item_account(&mut tx, distributor, &current).await?;
        let context = (distributor.as_str(), account.as_deref());
        self.emit_item(&mut tx, "package.item_updated", context, &view)
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(view)
    }

    /// Removes an item from its package for good.
    pub async fn delete_package_item(
        &self,
        distributor: &DistributorId,
        raw_id: &str,
    ) -> ServiceResult<PackageItemDeletedView> {
        let mut tx = self.store().begin().await?;
        let current = self.load_item(&mut tx, distributor, raw_id).await?;
        let account = self.item_account(&mut tx, distributor, &current).await?;
        items::delete(&mut tx, &current.id).await?;
        let answer = PackageItemDeletedView {
            package_item_id: current.id.clone(),
            package_id: current.package_id.clone(),
            status: "Deleted".into(),
        };
        let view = PackageItemView::from_row(current, self.aggregator_id());
        let context = (distributor.as_str(), account.as_deref());
        self.emit_item(&mut tx, "package.item_deleted", context, &view)
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(answer)
    }

    /// A page of one package's items in creation order.
    pub async fn list_package_items(
        &self,
        distributor: &DistributorId,
        package_id: &str,
        filter: ListFilter,
        paging: Paging,
    ) -> ServiceResult<PackageItems> {
        let mut conn = self.store().reader().await?;
        let package = self
            .load_package(&mut conn, distributor, package_id)
            .await?;
        let window = (paging.offset(), paging.limit());
        let (total, rows) =
            items::list(&mut conn, &package.id, filter.wants_active(), window).await?;
        let results = rows
            .into_iter()
            .map(|r| PackageItemView::from_row(r, self.aggregator_id()))
            .collect();
        Ok(PackageItems {
            package_id: package.id,
            package_name: package.name,
            page: Page { total, results },
        })
    }

    /// Inserts one item into a package of the caller. `prefix` places field errors inside the
    /// request (`PackageItems[1].` on package create).
    pub(super) async fn insert_item(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        (id, package_id): (&str, &str),
        item: &NewItemInput,
        prefix: &str,
    ) -> ServiceResult<()> {
        let product = self
            .load_product(conn, distributor, &item.product_id)
            .await?;
        if !product.active {
            let field = format!("{prefix}ProductId");
            return Err(ServiceError::conflict_on(&field, "Product is inactive"));
        }
        let recurring = product.billing_frequency == BillingFrequency::Mrc.as_str();
        let values = ItemValues {
            item_type: item.item_type.as_deref().unwrap_or(&product.product_type),
            price: item.price.units(),
            monthly: item.monthly.unwrap_or(recurring),
            active: true,
        };
        let key = ItemKey {
            id,
            package_id,
            product_id: &product.id,
            distributor_id: distributor.as_str(),
        };
        items::insert(conn, key, &values, self.clock().now().micros()).await?;
        Ok(())
    }

    async fn load_item(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        raw: &str,
    ) -> ServiceResult<ItemRow> {
        let id = PackageItemId::parse(raw).ok_or_else(|| not_found(raw))?;
        items::find(conn, distributor.as_str(), id.as_str())
            .await?
            .ok_or_else(|| not_found(raw))
    }

    async fn reload_item(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        id: &str,
    ) -> ServiceResult<PackageItemView> {
        let row = items::find(conn, distributor.as_str(), id)
            .await?
            .ok_or_else(|| ServiceError::Internal("item vanished inside its transaction".into()))?;
        Ok(PackageItemView::from_row(row, self.aggregator_id()))
    }

    /// The account of the subscriber the item's package is scoped to, for its events.
    async fn item_account(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        item: &ItemRow,
    ) -> ServiceResult<Option<String>> {
        let package = packages::find(conn, distributor.as_str(), &item.package_id).await?;
        let scope = package.and_then(|p| p.subscriber_id);
        self.scope_account(conn, distributor, scope.as_deref())
            .await
    }

    pub(super) async fn emit_item(
        &self,
        conn: &mut AnyConnection,
        event_type: &str,
        (distributor_id, account_id): (&str, Option<&str>),
        view: &PackageItemView,
    ) -> ServiceResult<()> {
        let context = (event_type, distributor_id, account_id);
        self.emit_catalog(conn, context, &view.package_item_id, view)
            .await
    }
}
