//! Packages: create (with items, in one transaction), read, update and the packages an account
//! can subscribe to.

use mpaas_core::ids::{DistributorId, PackageId, PackageItemId, SubscriberId};
use mpaas_core::ListFilter;
use mpaas_core::{Money, Paging};
use mpaas_store::packages::{self, items, PackageFilter, PackageRow, PackageValues};
use mpaas_store::subscribers::{self, SubscriberRow};
use mpaas_store::AnyConnection;

use super::items::NewItemInput;
use super::views::{PackageItemView, PackageView};
use super::{catalog_account, AccountCatalog};
use crate::views::Page;
use crate::{ServiceError, ServiceResult, Services};

/// Values of a new package (validated at the edge).
#[derive(Clone, Debug, Default)]
pub struct NewPackageInput {
    /// 1 to 100 characters.
    pub name: String,
    /// At most 500 characters; empty means none.
    pub description: Option<String>,
    /// 1 to 50 characters, free text.
    pub package_type: String,
    /// Price of the whole package.
    pub price: Money,
    /// Default `true`.
    pub monthly: Option<bool>,
    /// Scopes the package to one subscriber of the caller.
    pub subscriber_id: Option<String>,
    /// Items created with the package, in order (at most 100).
    pub items: Vec<NewItemInput>,
}

/// Changes to a package's own fields; `None` leaves a value as it is.
#[derive(Clone, Debug, Default)]
pub struct PackageUpdate {
    /// Target (`PKID-` accepted).
    pub package_id: String,
    /// New name.
    pub name: Option<String>,
    /// New description; empty clears it.
    pub description: Option<String>,
    /// New type.
    pub package_type: Option<String>,
    /// New price.
    pub price: Option<Money>,
    /// New recurrence.
    pub monthly: Option<bool>,
    /// `Some(None)` (sent as `null`) removes the scope.
    pub subscriber_id: Option<Option<String>>,
    /// `false` stops new subscriptions to it.
    pub active: Option<bool>,
}

pub(super) fn not_found(raw: &str) -> ServiceError {
    ServiceError::not_found("Package", raw)
}

/// An empty description is no description.
fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|s| !s.is_empty())
}

impl Services {
    /// Creates a package and its items; events `package.created`, then `package.item_added` per
    /// item.
    pub async fn create_package(
        &self,
        distributor: &DistributorId,
        input: NewPackageInput,
    ) -> ServiceResult<PackageView> {
        let id = PackageId::generate();
        let mut tx = self.store().begin().await?;
        let scope = match &input.subscriber_id {
            Some(raw) => Some(self.scope_subscriber(&mut tx, distributor, raw).await?),
            None => None,
        };
        let description = non_empty(input.description);
        let values = PackageValues {
            name: &input.name,
            description: description.as_deref(),
            package_type: &input.package_type,
            price: input.price.units(),
            monthly: input.monthly.unwrap_or(true),
            active: true,
            subscriber_id: scope.as_ref().map(|s| s.id.as_str()),
        };
        let now = self.clock().now().micros();
        packages::insert(&mut tx, (id.as_str(), distributor.as_str()), &values, now).await?;
        for (i, item) in input.items.iter().enumerate() {
            let item_id = PackageItemId::generate();
            let prefix = format!("PackageItems[{i}].");
            let at = (item_id.as_str(), id.as_str());
            self.insert_item(&mut tx, distributor, at, item, &prefix)
                .await?;
        }
        let view = self
            .package_with_items(&mut tx, distributor, id.as_str())
            .await?;
        let account = scope.map(|s| s.account_id);
        let context = (distributor.as_str(), account.as_deref());
        self.emit_package(&mut tx, "package.created", context, &view)
            .await?;
        for item in view.package_items.iter().flatten() {
            self.emit_item(&mut tx, "package.item_added", context, item)
                .await?;
        }
        mpaas_store::commit(tx).await?;
        Ok(view)
    }

    /// One package of the distributor with all its items.
    pub async fn get_package(
        &self,
        distributor: &DistributorId,
        raw_id: &str,
    ) -> ServiceResult<PackageView> {
        let mut conn = self.store().reader().await?;
        self.package_with_items(&mut conn, distributor, raw_id)
            .await
    }

    /// Changes the package's own fields sent (items have their own use cases).
    pub async fn update_package(
        &self,
        distributor: &DistributorId,
        update: PackageUpdate,
    ) -> ServiceResult<PackageView> {
        let mut tx = self.store().begin().await?;
        let current = self
            .load_package(&mut tx, distributor, &update.package_id)
            .await?;
        let scope = match &update.subscriber_id {
            Some(Some(raw)) => Some(self.scope_subscriber(&mut tx, distributor, raw).await?.id),
            Some(None) => None,
            None => current.subscriber_id.clone(),
        };
        let description = match update.description {
            Some(change) => non_empty(Some(change)),
            None => current.description.clone(),
        };
        let values = PackageValues {
            name: update.name.as_deref().unwrap_or(&current.name),
            description: description.as_deref(),
            package_type: update
                .package_type
                .as_deref()
                .unwrap_or(&current.package_type),
            price: update.price.map_or(current.price, Money::units),
            monthly: update.monthly.unwrap_or(current.monthly),
            active: update.active.unwrap_or(current.active),
            subscriber_id: scope.as_deref(),
        };
        let now = self.clock().now().micros();
        packages::update(&mut tx, &current.id, &values, now).await?;
        let view = self
            .package_with_items(&mut tx, distributor, &current.id)
            .await?;
        let account = self
            .scope_account(&mut tx, distributor, scope.as_deref())
            .await?;
        let context = (distributor.as_str(), account.as_deref());
        self.emit_package(&mut tx, "package.updated", context, &view)
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(view)
    }

    /// The packages an account can subscribe to, in creation order, without their items. With an
    /// account given or resolved, packages scoped to subscribers of other accounts are left out.
    pub async fn list_account_packages(
        &self,
        distributor: &DistributorId,
        account_id: Option<&str>,
        filter: ListFilter,
        paging: Paging,
    ) -> ServiceResult<AccountCatalog<PackageView>> {
        let mut conn = self.store().reader().await?;
        let account = catalog_account(&mut conn, distributor, account_id).await?;
        let narrowing = PackageFilter {
            active: filter.wants_active(),
            account_id: account.as_ref().map(|a| a.id.as_str()),
        };
        let window = (paging.offset(), paging.limit());
        let (total, rows) =
            packages::list(&mut conn, distributor.as_str(), narrowing, window).await?;
        let results = rows
            .into_iter()
            .map(|r| PackageView::from_row(r, self.aggregator_id()))
            .collect();
        Ok(AccountCatalog {
            account_id: account.map(|a| a.id),
            page: Page { total, results },
        })
    }

    /// A package of the distributor without its items, by a client-given id (`PKID-` accepted;
    /// unknown or malformed: 404 `Package with ID '…' was not found.`), for use cases that show a
    /// package next to other data or check it before using it.
    pub(crate) async fn package_without_items(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        raw_id: &str,
    ) -> ServiceResult<PackageView> {
        let row = self.load_package(conn, distributor, raw_id).await?;
        Ok(PackageView::from_row(row, self.aggregator_id()))
    }

    /// A package row of the distributor by a client-given id.
    pub(super) async fn load_package(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        raw: &str,
    ) -> ServiceResult<PackageRow> {
        let id = PackageId::parse(raw).ok_or_else(|| not_found(raw))?;
        packages::find(conn, distributor.as_str(), id.as_str())
            .await?
            .ok_or_else(|| not_found(raw))
    }

    /// A package with every item by a client-given id, read inside the caller's connection or
    /// transaction.
    async fn package_with_items(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        raw_id: &str,
    ) -> ServiceResult<PackageView> {
        let mut view = self
            .package_without_items(conn, distributor, raw_id)
            .await?;
        let items = items::all_of(conn, &view.package_id)
            .await?
            .into_iter()
            .map(|i| PackageItemView::from_row(i, self.aggregator_id()))
            .collect();
        view.package_items = Some(items);
        Ok(view)
    }

    /// The subscriber a package is scoped to: a live subscriber of the caller.
    async fn scope_subscriber(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        raw: &str,
    ) -> ServiceResult<SubscriberRow> {
        let missing = || ServiceError::not_found("Subscriber", raw);
        let id = SubscriberId::parse(raw).ok_or_else(missing)?;
        subscribers::find(conn, distributor.as_str(), id.as_str())
            .await?
            .ok_or_else(missing)
    }

    /// The account of the subscriber a package is scoped to, for its events.
    pub(super) async fn scope_account(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        subscriber_id: Option<&str>,
    ) -> ServiceResult<Option<String>> {
        let Some(id) = subscriber_id else {
            return Ok(None);
        };
        let row = subscribers::find(conn, distributor.as_str(), id).await?;
        Ok(row.map(|s| s.account_id))
    }

    async fn emit_package(
        &self,
        conn: &mut AnyConnection,
        event_type: &str,
        (distributor_id, account_id): (&str, Option<&str>),
        view: &PackageView,
    ) -> ServiceResult<()> {
        let context = (event_type, distributor_id, account_id);
        self.emit_catalog(conn, context, &view.package_id, view)
            .await
    }
}
