//! Products: create, read, update and the catalogue as an account sees it.

use mpaas_core::ids::{DistributorId, ProductId};
use mpaas_core::ListFilter;
use mpaas_core::{Money, Paging};
use mpaas_store::products::{self, ProductRow, ProductValues, SKU_UNIQUE_COLUMN, SKU_UNIQUE_INDEX};
use mpaas_store::{AnyConnection, StoreError};

use super::views::ProductView;
use super::{catalog_account, AccountCatalog, BillingFrequency};
use crate::views::Page;
use crate::{ServiceError, ServiceResult, Services};

/// Values of a new product (validated at the edge).
#[derive(Clone, Debug)]
pub struct NewProductInput {
    /// 1 to 64 characters.
    pub sku: String,
    /// 1 to 500 characters.
    pub description: String,
    /// 1 to 50 characters, free text.
    pub product_type: String,
    /// At most 50 characters; empty means none.
    pub sub_type: Option<String>,
    /// Wholesale cost.
    pub cost: Money,
    /// `MRC` or `NRC`.
    pub billing_frequency: BillingFrequency,
}

/// Changes to a product; `None` leaves a value as it is.
#[derive(Clone, Debug, Default)]
pub struct ProductUpdate {
    /// Target.
    pub product_id: String,
    /// New SKU.
    pub sku: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New type.
    pub product_type: Option<String>,
    /// `Some(None)` (sent as `null` or empty) clears the sub-type.
    pub sub_type: Option<Option<String>>,
    /// New cost.
    pub cost: Option<Money>,
    /// New billing frequency.
    pub billing_frequency: Option<BillingFrequency>,
    /// `false` retires the product.
    pub active: Option<bool>,
}

pub(super) fn not_found(raw: &str) -> ServiceError {
    ServiceError::not_found("Product", raw)
}

fn sku_taken(err: StoreError) -> ServiceError {
    if err.is_unique_on(SKU_UNIQUE_INDEX) || err.is_unique_on(SKU_UNIQUE_COLUMN) {
        ServiceError::conflict_on("SKU", "SKU already exists")
    } else {
        err.into()
    }
}

/// An empty sub-type is no sub-type.
fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|s| !s.is_empty())
}

impl Services {
    /// Creates a product in the distributor's catalogue.
    pub async fn create_product(
        &self,
        distributor: &DistributorId,
        input: NewProductInput,
    ) -> ServiceResult<ProductView> {
        let id = ProductId::generate();
        let sub_type = non_empty(input.sub_type);
        let values = ProductValues {
            sku: &input.sku,
            description: &input.description,
            product_type: &input.product_type,
            sub_type: sub_type.as_deref(),
            cost: input.cost.units(),
            billing_frequency: input.billing_frequency.as_str(),
            active: true,
        };
        let mut tx = self.store().begin().await?;
        let now = self.clock().now().micros();
        products::insert(&mut tx, (id.as_str(), distributor.as_str()), &values, now)
            .await
            .map_err(sku_taken)?;
        self.commit_product(tx, distributor, id.as_str(), "product.created")
            .await
    }

    /// One product of the distributor.
    pub async fn get_product(
        &self,
        distributor: &DistributorId,
        raw_id: &str,
    ) -> ServiceResult<ProductView> {
        let mut conn = self.store().reader().await?;
        let row = self.load_product(&mut conn, distributor, raw_id).await?;
        Ok(ProductView::from_row(row, self.aggregator_id()))
    }

    /// Changes the fields sent; package items keep their own prices.
    pub async fn update_product(
        &self,
        distributor: &DistributorId,
        update: ProductUpdate,
    ) -> ServiceResult<ProductView> {
        let mut tx = self.store().begin().await?;
        let current = self
            .load_product(&mut tx, distributor, &update.product_id)
            .await?;
        let sub_type = match update.sub_type {
            Some(change) => non_empty(change),
            None => current.sub_type.clone(),
        };
        let values = ProductValues {
            sku: update.sku.as_deref().unwrap_or(&current.sku),
            description: update
                .description
                .as_deref()
                .unwrap_or(&current.description),
            product_type: update
                .product_type
                .as_deref()
                .unwrap_or(&current.product_type),
            sub_type: sub_type.as_deref(),
            cost: update.cost.map_or(current.cost, Money::units),
            billing_frequency: update
                .billing_frequency
                .map_or(current.billing_frequency.as_str(), |f| f.as_str()),
            active: update.active.unwrap_or(current.active),
        };
        let now = self.clock().now().micros();
        products::update(&mut tx, &current.id, &values, now)
            .await
            .map_err(sku_taken)?;
        self.commit_product(tx, distributor, &current.id, "product.updated")
            .await
    }

    /// The distributor's products as an account sees them, in creation order.
    pub async fn list_account_products(
        &self,
        distributor: &DistributorId,
        account_id: Option<&str>,
        filter: ListFilter,
        paging: Paging,
    ) -> ServiceResult<AccountCatalog<ProductView>> {
        let mut conn = self.store().reader().await?;
        let account = catalog_account(&mut conn, distributor, account_id).await?;
        let window = (paging.offset(), paging.limit());
        let (total, rows) = products::list(
            &mut conn,
            distributor.as_str(),
            filter.wants_active(),
            window,
        )
        .await?;
        let results = rows
            .into_iter()
            .map(|r| ProductView::from_row(r, self.aggregator_id()))
            .collect();
        Ok(AccountCatalog {
            account_id: account.map(|a| a.id),
            page: Page { total, results },
        })
    }

    /// A product of the distributor by a client-given id (malformed = unknown: 404).
    pub(super) async fn load_product(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        raw: &str,
    ) -> ServiceResult<ProductRow> {
        let id = ProductId::parse(raw).ok_or_else(|| not_found(raw))?;
        products::find(conn, distributor.as_str(), id.as_str())
            .await?
            .ok_or_else(|| not_found(raw))
    }

    /// Reloads the changed product, writes its event (`Data` = the product) and commits.
    async fn commit_product(
        &self,
        mut tx: mpaas_store::Transaction<'static, mpaas_store::Any>,
        distributor: &DistributorId,
        id: &str,
        event_type: &str,
    ) -> ServiceResult<ProductView> {
        let row = products::find(&mut tx, distributor.as_str(), id)
            .await?
            .ok_or_else(|| {
                ServiceError::Internal("product vanished inside its transaction".into())
            })?;
        let view = ProductView::from_row(row, self.aggregator_id());
        self.emit_catalog(
            &mut tx,
            (event_type, &view.distributor_id, None),
            &view.product_id,
            &view,
        )
        .await?;
        mpaas_store::commit(tx).await?;
        Ok(view)
    }
}
